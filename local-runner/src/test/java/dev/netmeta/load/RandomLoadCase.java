package dev.netmeta.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.load.LoadTruthModel.Indexed;
import dev.netmeta.load.LoadTruthModel.Outcome;
import dev.netmeta.load.LoadTruthModel.Record;
import dev.netmeta.load.LoadTruthModel.Rejected;
import dev.netmeta.load.LoadTruthModel.Skipped;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Random files for {@code LoadGroundTruthIT}: each file a CSV, a Zeek TSV or an NDJSON file of tens to a few hundred
 * records — good ones, records without a value, and bad ones (a bad timestamp, IP, port, counter or protocol, the
 * wrong column count, invalid UTF-8, a line that is no JSON object) — in hostile but valid spellings (quoted fields
 * with commas, quotes and line breaks, CRLF or LF, a BOM, blank lines — also of spaces and tabs: before the header
 * or the first JSON line, between JSON lines, and after a CSV or Zeek header as a row —, shuffled columns, every
 * alias of the contract, Zeek's markers, escapes and sets, nested JSON, numbers as strings), plain, gzip or
 * multi-member gzip. Each canonical value is drawn first and then written in one of the spellings the data contract
 * accepts, so the generator knows what the document must hold; which column becomes which field, and what becomes of
 * each record, is {@link LoadTruthModel}'s.
 */
final class RandomLoadCase {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stands for a byte that is no UTF-8 (0xFF in the file); shown as U+FFFD in a reject's raw. */
    static final char BAD_BYTE = '\uE000';
    private static final long FIRST_MICROS = Instant.parse("2018-05-09T00:00:00Z").toEpochMilli() * 1000;
    private static final long TWO_DAYS_MICROS = 2L * 86_400_000_000L;

    enum Kind { TIMESTAMP, SRC_IP, DST_IP, SRC_PORT, DST_PORT, PROTO, HOST, BYTES_OUT, BYTES_IN, INT, DEC, TEXT, ZEROS }

    /** The unknown CSV columns and what their values are (one kind per name, so no mapping conflict). */
    private static final Map<String, Kind> CSV_UNKNOWN = new LinkedHashMap<>();

    static {
        CSV_UNKNOWN.put("note", Kind.TEXT);
        CSV_UNKNOWN.put("Label", Kind.TEXT);
        CSV_UNKNOWN.put("Flow Bytes/s", Kind.DEC);
        CSV_UNKNOWN.put("pkts", Kind.INT);
        CSV_UNKNOWN.put("code", Kind.ZEROS);
        CSV_UNKNOWN.put("sourceRecord", Kind.INT);
        CSV_UNKNOWN.put("x[0]", Kind.INT);
        CSV_UNKNOWN.put("_id", Kind.TEXT);
    }

    /** A value as written into a file, and — for a canonical field — what the document must hold (null: absent). */
    record Cell(String text, String json, Object expected, String badField) {

        static Cell good(String text, String json, Object expected) {
            return new Cell(text, json, expected, null);
        }

        boolean missing() {
            return LoadTruthModel.missing(text);
        }
    }

    /** A file to load, and what the model says of each of its records. */
    record LoadFile(String name, String format, byte[] bytes, List<Record> records, String describe) {
    }

    final long seed;
    final List<LoadFile> files = new ArrayList<>();
    private final Random rnd;
    /**
     * Draws the lines of blanks on a stream of their own, so that a seed's files stay the ones it gave before they
     * were added (the 660 cases LOAD.md names) with blank lines put in — up to a CSV's rows after a row of blanks,
     * which takes the place of the row that was drawn there.
     */
    private final Random blanks;

    RandomLoadCase(long seed) {
        this.seed = seed;
        this.rnd = new Random(seed);
        this.blanks = new Random(~seed);
        int count = 1 + rnd.nextInt(3);
        for (int i = 0; i < count; i++) {
            int which = rnd.nextInt(3);
            LoadFile f = which == 0 ? csv(i) : which == 1 ? zeek(i) : ndjson(i);
            files.add(f);
        }
    }

    String describe() {
        StringBuilder sb = new StringBuilder("case seed " + seed + " (-Dnetmeta.loadtruth.seed=" + seed
                + " -Dnetmeta.loadtruth.cases=1):\n");
        for (LoadFile f : files) {
            sb.append("  ").append(f.name()).append(' ').append(f.format()).append(' ').append(f.describe())
                    .append(", ").append(f.records().size()).append(" records\n");
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- CSV

    private LoadFile csv(int n) {
        List<String> header = new ArrayList<>();
        List<Kind> kinds = new ArrayList<>();
        Kind[] canonical = {Kind.TIMESTAMP, Kind.SRC_IP, Kind.DST_IP, Kind.SRC_PORT, Kind.DST_PORT, Kind.PROTO,
                Kind.HOST, Kind.BYTES_OUT, Kind.BYTES_IN};
        for (Kind k : canonical) {
            if (k == Kind.TIMESTAMP ? rnd.nextInt(10) > 0 : rnd.nextInt(4) > 0) {
                header.add(spelling(LoadTruthModel.aliases(canonicalOf(k))));
                kinds.add(k);
            }
        }
        if (kinds.isEmpty()) {
            header.add("Src IP");
            kinds.add(Kind.SRC_IP);
        }
        if (kinds.contains(Kind.SRC_IP) && rnd.nextInt(6) == 0) { // a second alias of srcIp: kept as srcIp_2
            header.add(spelling(LoadTruthModel.aliases("srcIp")));
            kinds.add(Kind.SRC_IP);
        }
        List<String> unknown = new ArrayList<>(CSV_UNKNOWN.keySet());
        Collections.shuffle(unknown, rnd);
        for (String name : unknown.subList(0, rnd.nextInt(4))) {
            header.add(name);
            kinds.add(CSV_UNKNOWN.get(name));
        }
        Integer[] order = new Integer[header.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Collections.shuffle(Arrays.asList(order), rnd);
        List<String> h = new ArrayList<>();
        List<Kind> k = new ArrayList<>();
        for (int i : order) {
            h.add(header.get(i));
            k.add(kinds.get(i));
        }
        List<String> names = LoadTruthModel.fieldNames(h);

        boolean crlf = rnd.nextBoolean();
        String eol = crlf ? "\r\n" : "\n";
        boolean bom = rnd.nextInt(4) == 0;
        StringBuilder text = new StringBuilder();
        if (bom) {
            text.append('\uFEFF');
        }
        String leading = blankLinesBefore(eol);
        text.append(leading);
        String headerLine = String.join(",", h.stream().map(this::csvHeaderCell).toList());
        boolean wrapped = false;
        if (rnd.nextInt(5) == 0) { // a spreadsheet wrapped a title: a quoted line break reads as a space
            for (int i = 0; i < h.size() && !wrapped; i++) {
                if (h.get(i).strip().contains(" ")) {
                    List<String> cells = new ArrayList<>(h.stream().map(this::csvHeaderCell).toList());
                    cells.set(i, "\"" + h.get(i).replaceFirst("(\\S) ", "$1\n") + "\"");
                    headerLine = String.join(",", cells);
                    wrapped = true;
                }
            }
        }
        text.append(headerLine).append(eol);
        List<Record> records = new ArrayList<>();
        int rows = 5 + rnd.nextInt(rnd.nextInt(8) == 0 ? 300 : 60);
        boolean hasText = k.contains(Kind.TEXT);
        for (int r = 0; r < rows; r++) {
            while (rnd.nextInt(15) == 0) {
                text.append(eol); // a blank line: no record
            }
            long line = countLinesTotal(text) + 1;
            if (blanks.nextInt(50) == 0) { // after the header a line of blanks is a row of one blank field
                String blank = pick(blanks, " ", "\t", "  \t ");
                text.append(blank).append(eol);
                records.add(new Record(r, line, LoadTruthModel.csvBlankRow(k.size(), blank)));
                continue;
            }
            if (!wrapped && rnd.nextInt(40) == 0) { // the header row again: files joined with cat
                String again = String.join(",", h.stream().map(this::csvHeaderCell).toList());
                String againBom = rnd.nextBoolean() ? "\uFEFF" : "";
                text.append(againBom).append(again).append(eol);
                // raw: the fields as read, so with the BOM of a joined file's header in its first one
                records.add(new Record(r, line, new Rejected("the header row again (concatenated CSV files?), not a data row",
                        null, againBom + LoadTruthModel.csvLine(h))));
                continue;
            }
            int roll = rnd.nextInt(100);
            List<Cell> cells = new ArrayList<>();
            Outcome outcome;
            if (roll < 4) { // a row of only commas or markers
                for (int i = 0; i < k.size(); i++) {
                    cells.add(Cell.good(pick("", "-", "", " ", "(empty)"), null, null));
                }
                outcome = new Skipped();
            } else {
                for (Kind kind : k) {
                    cells.add(value(kind, Format.CSV));
                }
                List<Integer> badable = badable(k, names);
                if (roll < 10 && !badable.isEmpty()) {
                    int i = badable.get(rnd.nextInt(badable.size()));
                    cells.set(i, bad(k.get(i)));
                    outcome = null;
                } else if (roll < 14 && hasText) {
                    int i = k.indexOf(Kind.TEXT);
                    cells.set(i, Cell.good("ab" + BAD_BYTE + "cd", null, null));
                    outcome = new Rejected("invalid UTF-8 byte sequence", null, null);
                } else {
                    outcome = null;
                }
            }
            List<String> fields = new ArrayList<>(cells.stream().map(Cell::text).toList());
            if (outcome == null && roll >= 14 && roll < 18) { // the wrong column count
                if (rnd.nextBoolean() || fields.size() == 1) {
                    fields.add("extra");
                } else {
                    fields.remove(fields.size() - 1);
                }
                outcome = new Rejected("expected " + k.size() + " columns (as in the header), found " + fields.size(),
                        null, LoadTruthModel.csvLine(fields));
            }
            if (outcome == null) {
                outcome = csvOutcome(names, cells);
            }
            if (outcome instanceof Rejected rej && rej.raw() == null) {
                outcome = new Rejected(rej.reasonStart(), rej.reasonHas(),
                        LoadTruthModel.csvLine(fields).replace(BAD_BYTE, '\uFFFD'));
            }
            if (fields.size() == 1 && fields.get(0).isEmpty()) {
                fields.set(0, "\"\""); // one empty field is a blank line otherwise
                text.append("\"\"");
            } else {
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) {
                        text.append(',');
                    }
                    text.append(csvCell(fields.get(i)));
                }
            }
            if (r < rows - 1 || rnd.nextInt(3) > 0) {
                text.append(eol);
            }
            records.add(new Record(r, line, outcome));
        }
        String desc = (crlf ? "CRLF" : "LF") + (bom ? " BOM" : "") + described(leading) + (wrapped ? " wrapped title" : "")
                + " header " + h;
        return finish("truth-" + n + ".csv", "csv", text.toString(), records, desc);
    }

    /** The number of line ends in the text (CRLF once; a CR alone ends a CSV line too, FastCSV's rule). */
    private static long countLinesTotal(CharSequence text) {
        long lines = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                lines++;
            } else if (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                lines++;
            }
        }
        return lines;
    }

    private Outcome csvOutcome(List<String> names, List<Cell> cells) {
        Map<String, Object> doc = new LinkedHashMap<>();
        for (int i = 0; i < cells.size(); i++) {
            Cell cell = cells.get(i);
            String name = names.get(i);
            if (cell.missing()) {
                continue;
            }
            if (LoadTruthModel.canonical(name) != null && LoadTruthModel.canonical(name).equals(name)) {
                if (cell.badField() != null) {
                    return new Rejected(name + ": ", "got '" + cell.text().strip() + "'", null);
                }
                doc.put(name, cell.expected());
            } else {
                doc.put(name, LoadTruthModel.inferred(cell.text()));
            }
        }
        return doc.isEmpty() ? new Skipped() : new Indexed(doc);
    }

    private String csvHeaderCell(String name) {
        return name.contains(",") || name.contains("\"") ? "\"" + name.replace("\"", "\"\"") + "\"" : name;
    }

    private String csvCell(String value) {
        boolean must = value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
        if (must || (!value.isEmpty() && rnd.nextInt(10) == 0)) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    // ---------------------------------------------------------------- Zeek TSV

    private record ZeekColumn(String name, String type, Kind kind) {
    }

    private List<ZeekColumn> zeekColumns() {
        String hostColumn = pick("query", "host", "server_name");
        List<ZeekColumn> cols = new ArrayList<>(List.of(
                new ZeekColumn("ts", "time", Kind.TIMESTAMP), new ZeekColumn("uid", "string", Kind.TEXT),
                new ZeekColumn("id.orig_h", "addr", Kind.SRC_IP), new ZeekColumn("id.orig_p", "port", Kind.SRC_PORT),
                new ZeekColumn("id.resp_h", "addr", Kind.DST_IP), new ZeekColumn("id.resp_p", "port", Kind.DST_PORT),
                new ZeekColumn("proto", "enum", Kind.PROTO), new ZeekColumn(hostColumn, "string", Kind.HOST),
                new ZeekColumn("orig_bytes", "count", Kind.BYTES_OUT),
                new ZeekColumn("resp_bytes", "count", Kind.BYTES_IN),
                new ZeekColumn("duration", "interval", Kind.DEC), new ZeekColumn("missed_bytes", "count", Kind.INT),
                new ZeekColumn("service", "string", Kind.TEXT), new ZeekColumn("tags", "set[string]", Kind.TEXT),
                new ZeekColumn("TTLs", "vector[interval]", Kind.TEXT)));
        Collections.shuffle(cols.subList(1, cols.size()), rnd);
        return new ArrayList<>(cols.subList(0, 6 + rnd.nextInt(cols.size() - 5)));
    }

    private static void zeekHeader(StringBuilder text, String eol, String sep, List<ZeekColumn> cols) {
        text.append("#separator ").append(sep.equals("\t") ? "\\x09" : "\\x7c").append(eol)
                .append("#set_separator").append(sep).append(',').append(eol)
                .append("#empty_field").append(sep).append("(empty)").append(eol)
                .append("#unset_field").append(sep).append('-').append(eol)
                .append("#path").append(sep).append("conn").append(eol)
                .append("#open").append(sep).append("2018-05-09-14-00-00").append(eol)
                .append("#fields").append(sep).append(String.join(sep, cols.stream().map(ZeekColumn::name).toList()))
                .append(eol)
                .append("#types").append(sep).append(String.join(sep, cols.stream().map(ZeekColumn::type).toList()))
                .append(eol);
    }

    private LoadFile zeek(int n) {
        String sep = rnd.nextInt(4) == 0 ? "|" : "\t";
        List<ZeekColumn> cols = zeekColumns();
        List<String> names = LoadTruthModel.fieldNames(cols.stream().map(ZeekColumn::name).toList());
        boolean crlf = rnd.nextInt(4) == 0;
        String eol = crlf ? "\r\n" : "\n";
        StringBuilder text = new StringBuilder();
        boolean bom = rnd.nextInt(6) == 0;
        if (bom) {
            text.append('\uFEFF');
        }
        String leading = blankLinesBefore(eol);
        text.append(leading);
        zeekHeader(text, eol, sep, cols);
        List<Record> records = new ArrayList<>();
        int rows = 5 + rnd.nextInt(rnd.nextInt(8) == 0 ? 300 : 60);
        int switchAt = rnd.nextInt(4) == 0 ? rnd.nextInt(rows) : -1;
        String blocks = " #fields " + cols.stream().map(ZeekColumn::name).toList();
        for (int r = 0; r < rows; r++) {
            if (r == switchAt) { // a second log joined with cat: its own header, other columns
                text.append("#close").append(sep).append("2018-05-09-15-00-00").append(eol);
                cols = zeekColumns();
                names = LoadTruthModel.fieldNames(cols.stream().map(ZeekColumn::name).toList());
                zeekHeader(text, eol, sep, cols);
                blocks += " then from record " + r + " #fields " + cols.stream().map(ZeekColumn::name).toList();
            }
            if (rnd.nextInt(20) == 0) {
                text.append(eol); // a blank line: no record
            }
            long line = countLinesTotal(text) + 1;
            if (blanks.nextInt(50) == 0) { // after #fields a line of spaces is a data line of one blank field
                String blank = sep.equals("\t") ? pick(blanks, " ", "   ") : pick(blanks, " ", "\t", " \t ");
                text.append(blank).append(eol);
                records.add(new Record(r, line, LoadTruthModel.zeekBlankRow(cols.size(), blank)));
                continue;
            }
            int roll = rnd.nextInt(100);
            List<String> fields = new ArrayList<>();
            Outcome outcome = null;
            if (roll < 4) {
                for (int i = 0; i < cols.size(); i++) {
                    fields.add(pick("-", "(empty)"));
                }
                outcome = new Skipped();
            } else {
                Map<String, Object> doc = new LinkedHashMap<>();
                List<ZeekColumn> now = cols;
                List<Integer> badable = badable(now.stream().map(ZeekColumn::kind).toList(), names);
                int bad = roll < 10 && !badable.isEmpty() ? badable.get(rnd.nextInt(badable.size())) : -1;
                int badUtf8 = roll >= 10 && roll < 13 ? now.indexOf(now.stream()
                        .filter(c -> c.type().equals("string") && c.kind() == Kind.TEXT).findFirst().orElse(null)) : -1;
                for (int i = 0; i < cols.size(); i++) {
                    ZeekColumn c = cols.get(i);
                    String name = names.get(i);
                    if (i == bad) {
                        Cell cell = bad(c.kind());
                        fields.add(zeekEscape(cell.text(), sep));
                        outcome = new Rejected(name + ": ", "got '" + cell.text().strip() + "'", null);
                        continue;
                    }
                    if (i == badUtf8) {
                        fields.add("C" + BAD_BYTE + "x");
                        outcome = new Rejected("invalid UTF-8 byte sequence", null, null);
                        continue;
                    }
                    if (isCanonicalKind(c.kind())) {
                        Cell cell = rnd.nextInt(12) == 0 ? Cell.good("-", null, null) : value(c.kind(), Format.ZEEK);
                        fields.add(cell.text());
                        if (!cell.missing()) {
                            doc.put(name, cell.expected());
                        }
                    } else {
                        String[] written = zeekUnknown(c);
                        fields.add(written[0]);
                        if (written[1] != null) {
                            doc.put(name, c.type().equals("count") || c.type().equals("interval")
                                    ? LoadTruthModel.inferred(written[1]) : LoadTruthModel.trimmed(written[1]));
                        }
                    }
                }
                if (outcome == null) {
                    outcome = doc.isEmpty() ? new Skipped() : new Indexed(doc);
                }
            }
            if (roll >= 13 && roll < 17 && !(outcome instanceof Rejected)) {
                fields.remove(fields.size() - 1);
                outcome = new Rejected("expected " + cols.size() + " fields (as in #fields), found " + fields.size(),
                        null, null);
            }
            String written = String.join(sep, fields);
            if (outcome instanceof Rejected rej) {
                outcome = new Rejected(rej.reasonStart(), rej.reasonHas(), written.replace(BAD_BYTE, '\uFFFD'));
            }
            text.append(written).append(eol);
            records.add(new Record(r, line, outcome));
        }
        if (rnd.nextBoolean()) {
            text.append("#close").append(sep).append("2018-05-09-15-00-00").append(eol);
        }
        String desc = (crlf ? "CRLF" : "LF") + (bom ? " BOM" : "") + described(leading)
                + (sep.equals("|") ? " separator |" : "") + blocks;
        return finish("truth-" + n + ".log", "zeek-tsv", text.toString(), records, desc);
    }

    /** An unknown Zeek value as written and as the document must hold it (null: absent). */
    private String[] zeekUnknown(ZeekColumn c) {
        if (rnd.nextInt(10) == 0) {
            return new String[] {"-", null};
        }
        switch (c.name()) {
            case "uid":
                return both("C" + word(8));
            case "duration":
                return both(decimal());
            case "missed_bytes":
                return both(Long.toString(rnd.nextInt(100_000)));
            case "service": {
                int k = rnd.nextInt(4);
                if (k == 0) {
                    return both(Integer.toString(100 + rnd.nextInt(900))); // a string that looks like a number
                }
                if (k == 1) {
                    return new String[] {"with\\x09tab", "with\ttab"};
                }
                if (k == 2) {
                    return rnd.nextBoolean() ? new String[] {"caf\\xc3\\xa9", "caf\u00e9"}
                            : new String[] {"\\x07bell", "\u0007bell"};
                }
                return both(pick("http", "dns", "ssl", "ftp-data"));
            }
            case "tags":
                return rnd.nextInt(3) == 0 ? new String[] {"(empty)", null} : both(rnd.nextBoolean() ? "a,b" : "only");
            case "TTLs":
                return both(rnd.nextBoolean() ? "300.000000" : "60.000000,120.000000");
            default:
                throw new IllegalStateException(c.name());
        }
    }

    private static String[] both(String s) {
        return new String[] {s, s};
    }

    private static String zeekEscape(String s, String sep) {
        String escaped = s.replace("\\", "\\x5c").replace("\t", "\\x09");
        return sep.equals("|") ? escaped.replace("|", "\\x7c") : escaped;
    }

    // ---------------------------------------------------------------- NDJSON

    private LoadFile ndjson(int n) {
        boolean eve = rnd.nextBoolean();
        boolean crlf = rnd.nextInt(4) == 0;
        String eol = crlf ? "\r\n" : "\n";
        StringBuilder text = new StringBuilder();
        boolean bom = rnd.nextInt(6) == 0;
        if (bom) {
            text.append('\uFEFF');
        }
        String leading = blankLinesBefore(eol);
        text.append(leading);
        List<Record> records = new ArrayList<>();
        int rows = 5 + rnd.nextInt(rnd.nextInt(8) == 0 ? 300 : 60);
        for (int r = 0; r < rows; r++) {
            if (rnd.nextInt(20) == 0) {
                text.append(eol);
            }
            if (blanks.nextInt(40) == 0) { // every blank line of NDJSON is no record, one of spaces and tabs too
                text.append(pick(blanks, " ", "\t", "  \t ")).append(pick(blanks, eol, "\r\n"));
            }
            long line = countLinesTotal(text) + 1;
            if (rnd.nextInt(30) == 0 && r > 0) { // not first: blank lines and a BOM before it make the file a CSV
                text.append('\uFEFF'); // a later file's BOM in a concatenation
            }
            int roll = rnd.nextInt(100);
            String written;
            Outcome outcome;
            if (roll < 2) {
                written = "{}";
                outcome = new Skipped();
            } else if (roll < 4) {
                written = "{\"timestamp\":\"2018-05-09T10:00:00.000000+0000\",\"event_type\":\"stats\","
                        + "\"stats\":{\"uptime\":" + rnd.nextInt(1000) + "}}";
                outcome = new Skipped();
            } else if (roll < 6 && r > 0) { // first: `[` then not `{` would make the file a CSV (LOAD.md's table)
                written = "[1,2]";
                outcome = new Rejected("not a JSON object", null, written);
            } else if (roll < 8) {
                written = "{\"src_ip\":\"10.0.0.1\",";
                outcome = new Rejected("invalid JSON", null, written);
            } else {
                Map<String, Object> event = new LinkedHashMap<>();
                Map<String, Object> doc = new LinkedHashMap<>();
                outcome = null;
                List<String[]> keys = eve ? List.of(
                        new String[] {"timestamp", "TIMESTAMP"}, new String[] {"flow_id", "FLOWID"},
                        new String[] {"event_type", "EVENTTYPE"}, new String[] {"src_ip", "SRC_IP"},
                        new String[] {"src_port", "SRC_PORT"}, new String[] {"dest_ip", "DST_IP"},
                        new String[] {"dest_port", "DST_PORT"}, new String[] {"proto", "PROTO"},
                        new String[] {pick("tls.sni", "http.hostname", "dns.rrname"), "HOST"},
                        new String[] {"flow.bytes_toserver", "BYTES_OUT"}, new String[] {"flow.bytes_toclient", "BYTES_IN"},
                        new String[] {"alert.severity", "SEVERITY"}, new String[] {"http.url", "URL"},
                        new String[] {"http.headers", "HEADERS"},
                        new String[] {"app_proto", "APPPROTO"})
                        : List.of(new String[] {"ts", "TIMESTAMP"}, new String[] {"uid", "UID"},
                        new String[] {"id.orig_h", "SRC_IP"}, new String[] {"id.orig_p", "SRC_PORT"},
                        new String[] {"id.resp_h", "DST_IP"}, new String[] {"id.resp_p", "DST_PORT"},
                        new String[] {"proto", "PROTO"}, new String[] {"query", "HOST"},
                        new String[] {"orig_bytes", "BYTES_OUT"}, new String[] {"resp_bytes", "BYTES_IN"},
                        new String[] {"rtt", "RTT"}, new String[] {"tags", "TAGS"});
                boolean nestId = !eve && rnd.nextBoolean();
                String sensor = eve && rnd.nextInt(3) == 0 ? "Sensor-" + rnd.nextInt(10) : null;
                boolean sensorFirst = rnd.nextBoolean();
                if (sensor != null && sensorFirst) {
                    event.put("host", new Raw("\"" + sensor + "\""));
                }
                int badAt = roll < 16 ? rnd.nextInt(8) : -1;
                boolean badUtf8 = roll >= 16 && roll < 19;
                for (int i = 0; i < keys.size(); i++) {
                    String key = keys.get(i)[0];
                    String what = keys.get(i)[1];
                    if (rnd.nextInt(12) == 0 && i != badAt) {
                        continue; // the key is not there
                    }
                    String token;
                    Object expected;
                    String field;
                    if (isCanonicalName(what)) {
                        Kind kind = Kind.valueOf(what);
                        field = canonicalOf(kind);
                        if (i == badAt && LoadTruthModel.canonical(key) != null) {
                            if (rnd.nextInt(4) == 0 || kind == Kind.HOST) {
                                token = "true";
                                outcome = new Rejected(field + ": ", "not a boolean", null);
                            } else {
                                Cell cell = bad(kind);
                                token = cell.json();
                                outcome = new Rejected(field + ": ", "got '" + cell.text().strip() + "'", null);
                            }
                            expected = null;
                        } else if (rnd.nextInt(15) == 0) {
                            token = pick("null", "\"\"", "\"-\"");
                            expected = null;
                        } else {
                            Cell cell = value(kind, eve ? Format.EVE : Format.ZEEK_JSON);
                            token = cell.json();
                            expected = cell.expected();
                        }
                    } else {
                        token = unknownJson(what);
                        field = LoadTruthModel.safeName(key);
                        if (badUtf8 && what.equals(eve ? "EVENTTYPE" : "UID")) {
                            token = "\"x" + BAD_BYTE + "y\"";
                            outcome = new Rejected("invalid UTF-8 byte sequence", null, null);
                        }
                        expected = jsonValue(token);
                    }
                    put(event, nestId && key.startsWith("id.") ? "id." + key.substring(3) : key, token, eve || nestId);
                    if (expected != null) {
                        doc.put(field, expected);
                    }
                }
                if (sensor != null) {
                    if (!sensorFirst) {
                        event.put("host", new Raw("\"" + sensor + "\""));
                    }
                    // LOAD.md: a dotted alias wins over the plain key (EVE's sensor name), which stays as host_2
                    // as written; a dotted key without a value leaves the field to the plain one
                    if (doc.containsKey("host")) {
                        doc.put("host_2", sensor);
                    } else {
                        doc.put("host", sensor.toLowerCase(Locale.ROOT));
                    }
                }
                written = writeJson(event);
                if (outcome == null) {
                    outcome = doc.isEmpty() ? new Skipped() : new Indexed(doc);
                } else {
                    outcome = new Rejected(((Rejected) outcome).reasonStart(), ((Rejected) outcome).reasonHas(),
                            written.replace(BAD_BYTE, '\uFFFD'));
                }
            }
            text.append(written).append(eol);
            records.add(new Record(r, line, outcome));
        }
        String desc = (eve ? "EVE" : "Zeek JSON") + (crlf ? " CRLF" : " LF") + (bom ? " BOM" : "") + described(leading);
        return finish("truth-" + n + ".json", "ndjson", text.toString(), records, desc);
    }

    /** Whether a key's tag names a canonical kind ({@code SRC_IP}) rather than an unknown key's ({@code UID}). */
    private static boolean isCanonicalName(String what) {
        return Arrays.stream(Kind.values()).anyMatch(k -> k.name().equals(what) && canonicalOf(k) != null);
    }

    private String unknownJson(String what) {
        return switch (what) {
            case "FLOWID" -> "\"" + (1_000_000_000L + rnd.nextInt(1_000_000_000)) + "\"";
            case "EVENTTYPE" -> "\"" + pick("tls", "dns", "http", "flow") + "\"";
            case "SEVERITY" -> Integer.toString(1 + rnd.nextInt(3));
            case "URL" -> rnd.nextInt(5) == 0 ? "\" /padded \"" : "\"/" + word(5) + "?q=\\\"x\\\"\"";
            case "APPPROTO" -> "\"" + pick("tls", "failed", "http", "-") + "\"";
            case "HEADERS" -> "[{\"name\":\"Accept\",\"value\":\"*/*\"},{\"n\":" + rnd.nextInt(100) + "}]";
            case "UID" -> "\"C" + word(8) + "\"";
            case "RTT" -> decimal();
            case "TAGS" -> rnd.nextBoolean() ? "[\"a\",\"b\"]" : "[]";
            default -> throw new IllegalStateException(what);
        };
    }

    private static Object jsonValue(String token) {
        try {
            JsonNode node = JSON.readTree(token.replace(BAD_BYTE, 'x'));
            if (node.isTextual()) {
                return node.asText();
            }
            if (node.isIntegralNumber()) {
                return node.asLong();
            }
            if (node.isNumber()) {
                return node.asDouble();
            }
            if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
                return token; // LOAD.md: arrays holding objects are kept as their JSON text in one field
            }
            if (node.isArray()) {
                List<Object> list = new ArrayList<>();
                node.forEach(e -> list.add(e.asText()));
                return list;
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Puts {@code token} (raw JSON) under a dotted {@code path}, nested when {@code nest}, flat otherwise. */
    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> event, String path, String token, boolean nest) {
        if (!nest || !path.contains(".")) {
            event.put(path, new Raw(token));
            return;
        }
        String[] parts = path.split("\\.");
        Map<String, Object> m = event;
        for (int i = 0; i < parts.length - 1; i++) {
            m = (Map<String, Object>) m.computeIfAbsent(parts[i], x -> new LinkedHashMap<String, Object>());
        }
        m.put(parts[parts.length - 1], new Raw(token));
    }

    private record Raw(String token) {
    }

    @SuppressWarnings("unchecked")
    private static String writeJson(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        boolean first = true;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append('"').append(e.getKey()).append("\":");
            sb.append(e.getValue() instanceof Raw raw ? raw.token() : writeJson((Map<String, Object>) e.getValue()));
        }
        return sb.append('}').toString();
    }

    // ---------------------------------------------------------------- values

    private enum Format { CSV, ZEEK, EVE, ZEEK_JSON }

    /** The columns whose value may be made bad: canonical (not a second alias) and not host (any text is a host). */
    private List<Integer> badable(List<Kind> kinds, List<String> names) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            Kind k = kinds.get(i);
            if (isCanonicalKind(k) && k != Kind.HOST && canonicalOf(k).equals(names.get(i))) {
                out.add(i);
            }
        }
        return out;
    }

    private boolean isCanonicalKind(Kind k) {
        return k.ordinal() <= Kind.BYTES_IN.ordinal();
    }

    static String canonicalOf(Kind k) {
        return switch (k) {
            case TIMESTAMP -> "timestamp";
            case SRC_IP -> "srcIp";
            case DST_IP -> "dstIp";
            case SRC_PORT -> "srcPort";
            case DST_PORT -> "dstPort";
            case PROTO -> "proto";
            case HOST -> "host";
            case BYTES_OUT -> "bytesOut";
            case BYTES_IN -> "bytesIn";
            default -> null;
        };
    }

    /** One of the aliases, written as a header might: other case, spaces, underscores, hyphens. */
    private String spelling(List<String> aliases) {
        String a = aliases.get(rnd.nextInt(aliases.size()));
        return switch (rnd.nextInt(6)) {
            case 0 -> a.toUpperCase(Locale.ROOT);
            case 1 -> " " + a; // CIC-IDS2017 pads its titles
            case 2 -> a.replace('_', '-').replace(' ', '_');
            default -> a;
        };
    }

    private Cell value(Kind kind, Format f) {
        return switch (kind) {
            case TIMESTAMP -> timestamp(f);
            case SRC_IP, DST_IP -> ip(f);
            case SRC_PORT, DST_PORT -> port(f);
            case PROTO -> proto(f);
            case HOST -> host(f);
            case BYTES_OUT, BYTES_IN -> counter(f);
            case INT -> unknown(rnd.nextInt(20) == 0 ? pick("9223372036854775807", "-9223372036854775808", "0")
                    : Long.toString(rnd.nextLong() % 1_000_000_000_000L));
            case DEC -> unknown(decimal());
            case ZEROS -> unknown("00" + rnd.nextInt(1000));
            case TEXT -> unknown(text());
        };
    }

    private Cell unknown(String text) {
        if (rnd.nextInt(10) == 0) {
            return Cell.good(pick("", "-"), null, null);
        }
        return Cell.good(text, null, null);
    }

    private Cell timestamp(Format f) {
        long micros = FIRST_MICROS + (long) (rnd.nextDouble() * TWO_DAYS_MICROS);
        if (rnd.nextInt(4) == 0) {
            micros -= micros % 1000; // .123000: a decimal fraction that a double holds as .122999…
        }
        long millis = Math.floorDiv(micros, 1000);
        long seconds = Math.floorDiv(micros, 1_000_000);
        long fraction = micros % 1_000_000;
        String epochFraction = seconds + "." + String.format("%06d", fraction);
        if (f == Format.ZEEK) {
            return Cell.good(epochFraction, null, millis);
        }
        if (f == Format.ZEEK_JSON) {
            return Cell.good(epochFraction, epochFraction, millis);
        }
        LocalDateTime utc = LocalDateTime.ofEpochSecond(seconds, (int) fraction * 1000, ZoneOffset.UTC);
        String sixDigits = String.format("%06d", fraction);
        String threeDigits = sixDigits.substring(0, 3);
        String isoSeconds = utc.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
        int choice = f == Format.EVE ? rnd.nextInt(3) : rnd.nextInt(10);
        String text;
        long expected;
        switch (choice) {
            case 0 -> {
                text = isoSeconds + "." + sixDigits + "+0000"; // Suricata
                expected = millis;
            }
            case 1 -> {
                text = isoSeconds + "." + threeDigits + "Z";
                expected = millis;
            }
            case 2 -> {
                LocalDateTime local = utc.plusHours(2);
                text = local.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")) + "." + sixDigits + "+02:00";
                expected = millis;
            }
            case 3 -> {
                text = utc.format(DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")) + "." + threeDigits;
                expected = millis;
            }
            case 4 -> {
                text = epochFraction;
                expected = millis;
            }
            case 5 -> {
                text = Long.toString(millis);
                expected = millis;
            }
            case 6 -> {
                text = Long.toString(seconds);
                expected = seconds * 1000;
            }
            case 7 -> {
                text = utc.format(DateTimeFormatter.ofPattern("dd/MM/uuuu hh:mm:ss a", Locale.ROOT));
                expected = seconds * 1000;
            }
            case 8 -> {
                text = isoSeconds.replace('T', 't') + "," + threeDigits + "Z";
                expected = millis;
            }
            default -> {
                LocalDateTime local = utc.minusHours(5).minusMinutes(30);
                text = local.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")) + "-0530";
                expected = seconds * 1000;
            }
        }
        return Cell.good(text, "\"" + text + "\"", expected);
    }

    private Cell ip(Format f) {
        int kind = f == Format.ZEEK ? rnd.nextInt(2) : rnd.nextInt(6);
        String text;
        String expected;
        int a = 1 + rnd.nextInt(223);
        int b = rnd.nextInt(256);
        int c = rnd.nextInt(256);
        int d = rnd.nextInt(256);
        String v4 = a + "." + b + "." + c + "." + d;
        int g = 1 + rnd.nextInt(0xfffe);
        switch (kind) {
            case 0 -> {
                text = v4;
                expected = v4;
            }
            case 1 -> {
                text = "2001:db8::" + Integer.toHexString(g);
                expected = text;
            }
            case 2 -> {
                text = String.format("%03d.%03d.%03d.%03d", a, b, c, d);
                expected = v4;
            }
            case 3 -> {
                text = String.format("2001:0DB8:0000:0000:0000:0000:0000:%04X", g);
                expected = "2001:db8::" + Integer.toHexString(g);
            }
            case 4 -> {
                text = "::ffff:" + v4;
                expected = v4;
            }
            default -> {
                text = String.format("FE80:0:0:0:1:0:0:%X", g);
                expected = "fe80::1:0:0:" + Integer.toHexString(g);
            }
        }
        return Cell.good(text, "\"" + text + "\"", expected);
    }

    private Cell port(Format f) {
        int p = rnd.nextInt(65536);
        if (f == Format.CSV) {
            return switch (rnd.nextInt(5)) {
                case 0 -> Cell.good(p + ".0", null, p);
                case 1 -> Cell.good(" " + p, null, p);
                default -> Cell.good(Integer.toString(p), null, p);
            };
        }
        String json = switch (rnd.nextInt(4)) {
            case 0 -> "\"" + p + "\"";
            case 1 -> p + ".0";
            default -> Integer.toString(p);
        };
        return new Cell(Integer.toString(p), json, p, null);
    }

    private Cell proto(Format f) {
        String[][] protos = {{"6", "tcp"}, {"17", "udp"}, {"1", "icmp"}, {"47", "gre"}, {"58", "ipv6-icmp"},
                {"253", "253"}, {"132", "sctp"}};
        String[] p = protos[rnd.nextInt(protos.length)];
        int how = rnd.nextInt(3);
        String text = how == 0 || p[0].equals(p[1]) ? p[0] : how == 1 ? p[1] : p[1].toUpperCase(Locale.ROOT);
        if (f == Format.ZEEK) {
            text = p[0].equals(p[1]) ? p[0] : p[1];
        }
        String json = text.matches("[0-9]+") && rnd.nextBoolean() ? text : "\"" + text + "\"";
        return new Cell(text, json, p[1], null);
    }

    private Cell host(Format f) {
        String name = pick("www.", "", "api.", "x-1.") + word(3 + rnd.nextInt(6)) + pick(".com", ".org", ".test");
        String text = name;
        switch (rnd.nextInt(5)) {
            case 0 -> text = name.toUpperCase(Locale.ROOT);
            case 1 -> text = name + ".";
            case 2 -> text = name + ":" + (1 + rnd.nextInt(65535));
            default -> {
            }
        }
        return Cell.good(text, "\"" + text + "\"", name);
    }

    private Cell counter(Format f) {
        long n = rnd.nextInt(3) == 0 ? rnd.nextInt(100) : Math.floorMod(rnd.nextLong(), 1_000_000_000_000L);
        if (f == Format.CSV && rnd.nextInt(5) == 0) {
            return Cell.good(n + ".00", null, n);
        }
        String json = rnd.nextInt(4) == 0 ? "\"" + n + "\"" : Long.toString(n);
        return new Cell(Long.toString(n), json, n, null);
    }

    /** A bad value of a canonical kind: the data contract rejects the record. */
    private Cell bad(Kind kind) {
        String text = switch (kind) {
            case TIMESTAMP -> pick("2018-02-29T10:00:00Z", "12/25/2018 10:00", "yesterday", "2018-05-09T24:00:00Z");
            case SRC_IP, DST_IP -> pick("999.1.1.1", "10.0.0.1:443", "example.com", "0x7f.0.0.1");
            case SRC_PORT, DST_PORT -> pick("70000", "-1", "8e1", "443.5");
            case PROTO -> pick("-6", "300");
            case HOST -> throw new IllegalStateException("no bad host");
            case BYTES_OUT, BYTES_IN -> pick("12a", "1.5", "99999999999999999999");
            default -> throw new IllegalStateException(kind.name());
        };
        if (kind == Kind.HOST) {
            throw new IllegalStateException();
        }
        return new Cell(text, "\"" + text + "\"", null, canonicalOf(kind));
    }

    private String decimal() {
        return switch (rnd.nextInt(7)) {
            case 4 -> "1e-3";
            case 5 -> "2.5E3";
            case 6 -> "1.5e21";
            case 0 -> rnd.nextInt(1000) + "." + (1 + rnd.nextInt(99));
            case 1 -> "-0." + (1 + rnd.nextInt(9));
            case 2 -> "0.000" + (100 + rnd.nextInt(900));
            default -> (1 + rnd.nextInt(99)) + ".25";
        };
    }

    private String text() {
        return switch (rnd.nextInt(9)) {
            case 7 -> " padded ";
            case 8 -> "\u0007bell";
            case 0 -> "scan, slow";
            case 1 -> "say \"hi\"";
            case 2 -> "two\nlines";
            case 3 -> "crlf\r\ninside";
            case 4 -> word(4) + " " + word(3);
            case 5 -> "caf\u00e9 \u00fcber \uD83D\uDE00";
            default -> "BENIGN";
        };
    }

    private String word(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + rnd.nextInt(26)));
        }
        return sb.toString();
    }

    private String pick(String... options) {
        return pick(rnd, options);
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    /**
     * Sometimes (one file in four) one to three lines of nothing but blanks — empty, spaces, tabs; ended by the file's
     * line end, an LF or a CRLF — to go before the header (after a BOM) or the first JSON line: LOAD.md's format table
     * passes them over in every format, no records, and they count as lines of the file. Else the empty string.
     */
    private String blankLinesBefore(String eol) {
        StringBuilder sb = new StringBuilder();
        if (blanks.nextInt(4) == 0) {
            for (int i = 1 + blanks.nextInt(3); i > 0; i--) {
                sb.append(pick(blanks, "", " ", "\t", "  ", " \t ")).append(pick(blanks, eol, "\n", "\r\n"));
            }
        }
        return sb.toString();
    }

    /** The blank lines before the header as a file's description shows them: escaped, in quotes, or nothing. */
    private static String described(String leading) {
        return leading.isEmpty() ? "" : " blank lines [\"" + leading.replace("\t", "\\t").replace("\r", "\\r")
                .replace("\n", "\\n") + "\"]";
    }

    // ---------------------------------------------------------------- bytes

    private LoadFile finish(String name, String format, String text, List<Record> records, String desc) {
        byte[] plain = utf8WithBadBytes(text);
        int how = rnd.nextInt(4);
        byte[] bytes;
        String packing;
        if (how == 0) {
            bytes = plain;
            packing = "plain";
        } else if (how == 1) {
            bytes = gzip(plain, 0, plain.length);
            packing = "gzip";
        } else {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int members = 2 + rnd.nextInt(3);
            int from = 0;
            for (int m = 1; m <= members; m++) {
                int to = m == members ? plain.length : from + rnd.nextInt(Math.max(1, plain.length - from));
                out.writeBytes(gzip(plain, from, to));
                from = to;
            }
            bytes = out.toByteArray();
            packing = members + "-member gzip";
        }
        return new LoadFile(name, format, bytes, records, packing + ", " + desc);
    }

    private static byte[] utf8WithBadBytes(String text) {
        byte[] marker = String.valueOf(BAD_BYTE).getBytes(StandardCharsets.UTF_8);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < utf8.length; i++) {
            if (i + marker.length <= utf8.length && Arrays.equals(utf8, i, i + marker.length, marker, 0, marker.length)) {
                out.write(0xFF);
                i += marker.length - 1;
            } else {
                out.write(utf8[i]);
            }
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] bytes, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes, from, to - from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
