package dev.netmeta.load;

import dev.netmeta.load.ContractValues.Value;
import dev.netmeta.model.Fields;
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
 * Random Zeek ASCII logs as Zeek's writer makes them ({@code logging/writers/ascii/Ascii.cc},
 * {@code threading/formatters/Ascii.cc}, {@code ODesc}): the {@code #} header lines, {@code ts} first, unset fields
 * {@code -}, empty strings, sets and vectors {@code (empty)}, a string equal to a marker escaped ({@code \x2d},
 * {@code \x28empty)}), a backslash, the separator, non-printable bytes and — without Zeek's UTF-8 output — every
 * non-ASCII byte as {@code \xHH}, a comma inside a set element as {@code \x2c}; sometimes two logs concatenated (a
 * second {@code #fields} block). In some files the writer's options are not Zeek's defaults ({@link Options}:
 * {@code LogAscii::separator}, {@code set_separator}, {@code empty_field}, {@code unset_field}).
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

    /**
     * The ASCII writer's options ({@code LogAscii::separator} and the others, {@code redef}-able): Zeek's defaults, or
     * others a deployment picks — a comma, a bar, a space or a two-character separator between fields, another set
     * separator, other markers. {@code escapedHeader}: the {@code #separator} line names the separator as
     * {@code \xHH} escapes throughout (older writers) rather than as Zeek's {@code get_escaped_string(s, false)} does
     * (only white space and non-printables escaped).
     */
    record Options(String separator, String setSeparator, String emptyField, String unsetField,
                   boolean escapedHeader) {

        static final Options DEFAULTS = new Options("\t", ",", "(empty)", "-", false);

        static Options random(ContractValues v) {
            if (v.chance(50)) {
                return DEFAULTS;
            }
            String separator = v.pick("\t", ",", "|", " ", "||", ";");
            String setSeparator = v.pick(",", "|", ";", ":");
            while (separator.contains(setSeparator)) {
                setSeparator = v.pick(",", "|", ";", ":", "+");
            }
            return new Options(separator, setSeparator, v.pick("(empty)", "EMPTY", "<empty>", "(leer)"),
                    v.pick("-", "NULL", "<unset>", "?"), v.chance(30));
        }
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

    /** A set or vector: kept as Zeek's text, its elements joined by the file's set separator (docs/LOAD.md). */
    private static Zeek set(ContractValues v, java.util.function.Supplier<String> element) {
        int n = v.random().nextInt(4);
        List<String> elements = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String e = element.get();
            elements.add(e.isEmpty() ? "e" : e);
        }
        return new Zeek(elements, n == 0 ? null : new SetText(elements));
    }

    /** The expectation of a set: its elements joined by the set separator, which the file's options decide. */
    record SetText(List<String> elements) {

        Object expected(Options options) {
            return ContractValues.trimmedOrNull(String.join(options.setSeparator(), elements));
        }
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
        Options options = Options.random(v);
        boolean utf8 = v.chance(50);
        String eol = v.chance(80) ? "\n" : "\r\n";
        StringBuilder text = new StringBuilder();
        List<GeneratedFile.Expected> expected = new ArrayList<>();
        int padded = atLimit ? v.random().nextInt(records) : -1;
        int over = atLimit && records > 1 && v.chance(50) ? (padded + 1) % records : -1;
        int secondBlock = records > 1 && v.chance(30) ? v.random().nextInt(1, records) : -1;
        boolean closed = v.chance(50);
        List<Column> columns = null;
        List<Integer> ends = new ArrayList<>();
        java.util.TreeMap<Integer, String> headers = new java.util.TreeMap<>();
        for (int i = 0; i < records; i++) {
            if (i == 0 || i == secondBlock) {
                if (i > 0) {
                    text.append("#close").append(options.separator()).append("2018-05-09-15-00-00").append(eol);
                }
                columns = columns(v, atLimit);
                int start = text.length();
                header(text, columns, eol, options);
                headers.put(i, text.substring(start));
            }
            List<Zeek> values = new ArrayList<>();
            for (Column c : columns) {
                boolean unset = v.chance(c.name().equals("ts") ? 5 : 15);
                values.add(unset ? new Zeek(null, null) : markerText(v, c, options));
            }
            String written = line(values, utf8, options);
            String rejectReason = null;
            if (i == padded || i == over) {
                int target = MAX_LINE_CHARS + (i == over ? 1 : 0);
                int k = indexOf(columns, "note");
                String grown = (values.get(k).value() == null ? "" : (String) values.get(k).value())
                        + "x".repeat(Math.max(0, target - written.length()));
                values.set(k, text(grown));
                written = line(values, utf8, options);
                if (written.length() != target) { // the note was unset: its marker is gone now
                    grown += "x".repeat(target - written.length());
                    values.set(k, text(grown));
                    written = line(values, utf8, options);
                }
                if (i == over) {
                    rejectReason = "line longer than " + MAX_LINE_CHARS + " characters";
                }
            }
            text.append(written);
            if (i < records - 1 || closed || v.chance(80)) {
                text.append(eol); // Zeek ends every line; only a file cut short lacks the last one's end
            }
            ends.add(text.length());
            Map<String, Object> fields = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                Object e = values.get(c).expected() instanceof SetText set ? set.expected(options)
                        : values.get(c).expected();
                if (e != null) {
                    fields.put(columns.get(c).field(), e);
                }
            }
            expected.add(new GeneratedFile.Expected(fields, rejectReason, written));
        }
        if (closed) {
            text.append("#close").append(options.separator()).append("2018-05-09-15-00-00").append(eol);
        }
        return new GeneratedFile("zeek-tsv", text.toString().getBytes(StandardCharsets.UTF_8), expected,
                new GeneratedFile.Layout(text.toString(), ends, headers, eol));
    }

    private static int indexOf(List<Column> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no column " + name);
    }

    /** {@code ts} first (or second, after a text column), then some canonical and other columns in random order. */
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
        // a text column drawn first goes before ts (a log of the user's own): a value starting with # then starts
        // the line, which Zeek writes as \x23 — decided by the draw above, so earlier seeds keep their files
        if (!rest.isEmpty() && (rest.get(0).name().equals("note") || rest.get(0).name().equals("uid"))) {
            columns.add(rest.remove(0));
        }
        columns.add(new Column("ts", "time", "timestamp", ZeekFileGenerator::ts));
        columns.addAll(rest);
        return columns;
    }

    private static Zeek ts(ContractValues v) {
        long second = v.random().nextLong(100_000_000L, 4_102_444_800L);
        int micros = v.random().nextInt(1_000_000);
        return new Zeek(second + "." + ContractValues.pad(micros, 6), second * 1000 + micros / 1000);
    }

    /**
     * A text column's value is, now and then, exactly one of the file's markers (or Zeek's default ones where the
     * file has others): Zeek escapes the first character of a string equal to its own markers only.
     */
    private static Zeek markerText(ContractValues v, Column c, Options options) {
        if (c.type().equals("string") && !Fields.isCanonical(c.field()) && v.chance(8)) {
            return text(v.pick(options.unsetField(), options.emptyField(), "-", "(empty)"));
        }
        return c.values().apply(v);
    }

    /** Zeek's {@code WriteHeader}: {@code #separator} and a space, every other line its key, the separator, its value. */
    private static void header(StringBuilder text, List<Column> columns, String eol, Options o) {
        String sep = o.separator();
        text.append("#separator ").append(headerEscaped(sep, o.escapedHeader())).append(eol)
                .append("#set_separator").append(sep).append(headerEscaped(o.setSeparator(), false)).append(eol)
                .append("#empty_field").append(sep).append(headerEscaped(o.emptyField(), false)).append(eol)
                .append("#unset_field").append(sep).append(headerEscaped(o.unsetField(), false)).append(eol)
                .append("#path").append(sep).append("conn").append(eol)
                .append("#open").append(sep).append("2018-05-09-14-30-21").append(eol)
                .append("#fields");
        columns.forEach(c -> text.append(sep).append(c.name()));
        text.append(eol).append("#types");
        columns.forEach(c -> text.append(sep).append(c.type()));
        text.append(eol);
    }

    /** Zeek's {@code get_escaped_string(s, all)}: every byte as {@code \xHH}, or only white space and non-printables. */
    private static String headerEscaped(String s, boolean all) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(all || c <= ' ' || c >= 0x7f ? String.format(Locale.ROOT, "\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }

    private static String line(List<Zeek> values, boolean utf8, Options options) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(options.separator());
            }
            sb.append(describe(values.get(i).value(), utf8, options));
        }
        if (sb.length() > 0 && sb.charAt(0) == '#') {
            sb.replace(0, 1, "\\x23"); // DoWrite: a line that would start with the meta prefix
        }
        return sb.toString();
    }

    /** Zeek's {@code Ascii::Describe} of one value. */
    @SuppressWarnings("unchecked")
    static String describe(Object value, boolean utf8, Options o) {
        if (value == null) {
            return o.unsetField();
        }
        if (value instanceof List<?> elements) {
            if (elements.isEmpty()) {
                return o.emptyField();
            }
            StringBuilder sb = new StringBuilder();
            for (String e : (List<String>) elements) {
                if (sb.length() > 0) {
                    sb.append(o.setSeparator());
                }
                sb.append(string(e, utf8, true, o));
            }
            return sb.toString();
        }
        return string((String) value, utf8, false, o);
    }

    private static String string(String s, boolean utf8, boolean inSet, Options o) {
        if (s.isEmpty()) {
            return o.emptyField();
        }
        if (s.equals(o.unsetField()) || s.equals(o.emptyField())) {
            // escapeReservedContent: the first character as \xHH
            return "\\x" + String.format(Locale.ROOT, "%02x", (int) s.charAt(0))
                    + escape(s.substring(1), utf8, inSet, o);
        }
        return escape(s, utf8, inSet, o);
    }

    /**
     * ODesc's escaping ({@code FirstEscapeLoc}): a backslash, non-printables (bytes), and every occurrence of an escape
     * sequence — the separator, and inside a set the set separator — as {@code \xHH} per byte.
     */
    static String escape(String s, boolean utf8, boolean inSet, Options o) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        byte[] separator = o.separator().getBytes(StandardCharsets.UTF_8);
        byte[] setSeparator = o.setSeparator().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int u = bytes[i] & 0xff;
            boolean printable = u >= 0x20 && u < 0x7f;
            int run = u == '\\' || (utf8 ? u < 0x20 || u == 0x7f : !printable) ? 1
                    : startsWith(bytes, i, separator) ? separator.length
                    : inSet && startsWith(bytes, i, setSeparator) ? setSeparator.length : 0;
            if (run == 0) {
                out.write(u);
                continue;
            }
            for (int k = 0; k < run; k++) {
                out.writeBytes(String.format(Locale.ROOT, "\\x%02x", bytes[i + k] & 0xff)
                        .getBytes(StandardCharsets.US_ASCII));
            }
            i += run - 1;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] sequence) {
        if (at + sequence.length > bytes.length) {
            return false;
        }
        for (int k = 0; k < sequence.length; k++) {
            if (bytes[at + k] != sequence[k]) {
                return false;
            }
        }
        return true;
    }
}
