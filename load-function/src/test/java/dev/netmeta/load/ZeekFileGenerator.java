package dev.netmeta.load;

import dev.netmeta.load.ContractValues.Value;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Random Zeek ASCII logs as Zeek's writer makes them ({@code threading/formatters/Ascii.cc}, {@code ODesc}): the
 * {@code #} header lines, {@code ts} first, unset fields {@code -}, empty strings, sets and vectors
 * {@code (empty)}, a string equal to a marker escaped ({@code \x2d}, {@code \x28empty)}), a backslash, the separator,
 * non-printable bytes and — without Zeek's UTF-8 output — every non-ASCII byte as {@code \xHH}, a comma inside a set
 * element as {@code \x2c}; sometimes two logs concatenated (a second {@code #fields} block).
 */
final class ZeekFileGenerator {

    /** Longest line the loader accepts (docs/LOAD.md; {@code LineReader.MAX_LINE_CHARS}). */
    static final int MAX_LINE_CHARS = 1024 * 1024;

    /** A column: its Zeek name and type, the document field, and its values (text before Zeek's escaping). */
    record Column(String name, String type, String field, Function<ContractValues, Zeek> values) {
    }

    /** A value as Zeek holds it: null (unset), a string, or the elements of a set or vector; and the expectation. */
    record Zeek(Object value, Object expected) {
    }

    private static final List<Column> CANONICAL = List.of(
            new Column("id.orig_h", "addr", "srcIp", v -> plain(v.zeekAddr())),
            new Column("id.orig_p", "port", "srcPort", v -> plain(v.port())),
            new Column("id.resp_h", "addr", "dstIp", v -> plain(v.zeekAddr())),
            new Column("id.resp_p", "port", "dstPort", v -> plain(v.port())),
            new Column("proto", "enum", "proto", v -> {
                String p = v.pick("tcp", "udp", "icmp", "unknown_transport");
                return new Zeek(p, p);
            }),
            new Column("query", "string", "host", v -> {
                Value h = v.host();
                return new Zeek(h.text(), h.expected());
            }),
            new Column("orig_bytes", "count", "bytesOut", v -> plain(v.zeekCount())),
            new Column("resp_bytes", "count", "bytesIn", v -> plain(v.zeekCount())));

    private static final List<Column> OTHERS = List.of(
            new Column("uid", "string", "uid", v -> text(v.chance(50) ? "C" + Long.toString(
                    v.random().nextLong(Long.MAX_VALUE), 36) : v.hostileText())),
            new Column("note", "string", "note", v -> text(v.hostileText())),
            new Column("serial", "string", "serial", v -> text(v.pick("007", "1234567890", "300.000000", "-5",
                    "1e3", "0x1f", v.hostileText()))),
            new Column("service", "enum", "service", v -> text(v.pick("dns", "http", "ssl", "-"))),
            new Column("tags", "set[string]", "tags", v -> set(v, v::hostileText)),
            new Column("TTLs", "vector[interval]", "TTLs", v -> set(v, () -> interval(v))),
            new Column("answers", "vector[string]", "answers", v -> set(v, () -> v.host().expected().toString())),
            new Column("duration", "interval", "duration", v -> {
                String s = interval(v);
                return new Zeek(s, Double.parseDouble(s));
            }),
            new Column("rtt", "double", "rtt", v -> {
                String s = zeekDouble(v);
                return new Zeek(s, Double.parseDouble(s));
            }),
            new Column("trans_id", "count", "trans_id", v -> plain(v.zeekCount())),
            new Column("delta", "int", "delta", v -> plain(v.wholeNumber())),
            new Column("local_orig", "bool", "local_orig", v -> {
                String b = v.pick("T", "F");
                return new Zeek(b, b);
            }));

    private ZeekFileGenerator() {
    }

    private static Zeek plain(Value v) {
        return new Zeek(v.text(), v.expected());
    }

    /** A string column of no canonical field: kept as Zeek's text (decoded, trimmed), also when it looks numeric. */
    private static Zeek text(String s) {
        return new Zeek(s, ContractValues.trimmedOrNull(s));
    }

    private static Zeek set(ContractValues v, java.util.function.Supplier<String> element) {
        int n = v.random().nextInt(4);
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String e = element.get();
            elements.add(e.isEmpty() ? "e" : e);
        }
        return new Zeek(elements, n == 0 ? null : ContractValues.trimmedOrNull(String.join(",", elements)));
    }

    private static String interval(ContractValues v) {
        return String.format(Locale.ROOT, "%.6f", v.random().nextInt(-5, 100_000) / 1000.0 * v.random().nextInt(1, 5));
    }

    /** A double as Zeek writes one: no trailing zeros, but {@code .0} on a whole number. */
    private static String zeekDouble(ContractValues v) {
        String s = new java.math.BigDecimal(v.random().nextLong(-1_000_000_000L, 1_000_000_000L))
                .movePointLeft(v.random().nextInt(7)).stripTrailingZeros().toPlainString();
        return s.contains(".") ? s : s + ".0";
    }

    /**
     * A log of {@code records} lines (in one or two concatenated blocks). With {@code atLimit}, one line is padded
     * to exactly the longest line the loader accepts, and in half such files a second one to one character more.
     */
    static GeneratedFile generate(ContractValues v, int records, boolean atLimit) {
        boolean utf8 = v.chance(50);
        String eol = v.chance(80) ? "\n" : "\r\n";
        StringBuilder text = new StringBuilder();
        List<GeneratedFile.Expected> expected = new ArrayList<>();
        int padded = atLimit ? v.random().nextInt(records) : -1;
        int over = atLimit && records > 1 && v.chance(50) ? (padded + 1) % records : -1;
        int secondBlock = records > 1 && v.chance(30) ? v.random().nextInt(1, records) : -1;
        boolean closed = v.chance(50);
        List<Column> columns = null;
        for (int i = 0; i < records; i++) {
            if (i == 0 || i == secondBlock) {
                if (i > 0) {
                    text.append("#close\t2018-05-09-15-00-00").append(eol);
                }
                columns = columns(v, atLimit);
                header(text, columns, eol);
            }
            List<Zeek> values = new ArrayList<>();
            for (Column c : columns) {
                boolean unset = v.chance(c.name().equals("ts") ? 5 : 15);
                values.add(unset ? new Zeek(null, null) : c.values().apply(v));
            }
            String written = line(values, utf8);
            String rejectReason = null;
            if (i == padded || i == over) {
                int target = MAX_LINE_CHARS + (i == over ? 1 : 0);
                int k = indexOf(columns, "note");
                String grown = (values.get(k).value() == null ? "" : (String) values.get(k).value())
                        + "x".repeat(Math.max(0, target - written.length()));
                values.set(k, text(grown));
                written = line(values, utf8);
                if (written.length() != target) { // the note was unset: its '-' is gone now
                    grown += "x".repeat(target - written.length());
                    values.set(k, text(grown));
                    written = line(values, utf8);
                }
                if (i == over) {
                    rejectReason = "line longer than " + MAX_LINE_CHARS + " characters";
                }
            }
            text.append(written);
            if (i < records - 1 || closed || v.chance(80)) {
                text.append(eol); // Zeek ends every line; only a file cut short lacks the last one's end
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                if (values.get(c).expected() != null) {
                    fields.put(columns.get(c).field(), values.get(c).expected());
                }
            }
            expected.add(new GeneratedFile.Expected(fields, rejectReason, written));
        }
        if (closed) {
            text.append("#close\t2018-05-09-15-00-00").append(eol);
        }
        return new GeneratedFile("zeek-tsv", text.toString().getBytes(StandardCharsets.UTF_8), expected);
    }

    private static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no column " + name);
    }

    /** {@code ts} first, then some canonical and other columns in random order. */
    private static List<Column> columns(ContractValues v, boolean needNote) {
        List<Column> rest = new ArrayList<>();
        for (Column c : CANONICAL) {
            if (v.chance(70)) {
                rest.add(c);
            }
        }
        for (Column c : OTHERS) {
            if (v.chance(40) || needNote && c.name().equals("note")) {
                rest.add(c);
            }
        }
        Collections.shuffle(rest, v.random());
        List<Column> columns = new ArrayList<>();
        columns.add(new Column("ts", "time", "timestamp", ZeekFileGenerator::ts));
        columns.addAll(rest);
        return columns;
    }

    private static Zeek ts(ContractValues v) {
        long second = v.random().nextLong(100_000_000L, 4_102_444_800L);
        int micros = v.random().nextInt(1_000_000);
        return new Zeek(second + "." + ContractValues.pad(micros, 6), second * 1000 + micros / 1000);
    }

    private static void header(StringBuilder text, List<Column> columns, String eol) {
        text.append("#separator \\x09").append(eol)
                .append("#set_separator\t,").append(eol)
                .append("#empty_field\t(empty)").append(eol)
                .append("#unset_field\t-").append(eol)
                .append("#path\tconn").append(eol)
                .append("#open\t2018-05-09-14-30-21").append(eol)
                .append("#fields");
        columns.forEach(c -> text.append('\t').append(c.name()));
        text.append(eol).append("#types");
        columns.forEach(c -> text.append('\t').append(c.type()));
        text.append(eol);
    }

    private static String line(List<Zeek> values, boolean utf8) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append('\t');
            }
            sb.append(describe(values.get(i).value(), utf8));
        }
        return sb.toString();
    }

    /** Zeek's {@code Ascii::Describe} of one value. */
    @SuppressWarnings("unchecked")
    static String describe(Object value, boolean utf8) {
        if (value == null) {
            return "-";
        }
        if (value instanceof List<?> elements) {
            if (elements.isEmpty()) {
                return "(empty)";
            }
            StringBuilder sb = new StringBuilder();
            for (String e : (List<String>) elements) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(string(e, utf8, true));
            }
            return sb.toString();
        }
        return string((String) value, utf8, false);
    }

    private static String string(String s, boolean utf8, boolean inSet) {
        if (s.isEmpty()) {
            return "(empty)";
        }
        if (s.equals("-") || s.equals("(empty)")) {
            // escapeReservedContent: the first character as \xHH
            return "\\x" + String.format(Locale.ROOT, "%02x", (int) s.charAt(0)) + escape(s.substring(1), utf8, inSet);
        }
        return escape(s, utf8, inSet);
    }

    /** ODesc's escaping: backslash, the separator, the set separator inside a set, non-printables (bytes). */
    static String escape(String s, boolean utf8, boolean inSet) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int u = b & 0xff;
            boolean printable = u >= 0x20 && u < 0x7f;
            boolean escaped = u == '\\' || u == '\t' || inSet && u == ','
                    || (utf8 ? u < 0x20 || u == 0x7f : !printable);
            if (escaped) {
                out.writeBytes(String.format(Locale.ROOT, "\\x%02x", u).getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(u);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
