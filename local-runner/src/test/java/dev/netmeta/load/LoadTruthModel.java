package dev.netmeta.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the load should make of a file, written from docs/LOAD.md and docs/DATA-CONTRACT.md alone — none of the
 * loader's or shared-model's classes (aliases, safe names, ids, index names, value parsers) is used, so that
 * {@code LoadGroundTruthIT} compares the product with an independent reading of its documentation. The values of the
 * canonical fields come from the generator ({@link RandomLoadCase}), which renders a known value in one of the
 * spellings the contract accepts and so knows what it must become; this class holds the rules that turn a header
 * into field names, a record into a document, a reject or a skip, and a file into a report.
 */
final class LoadTruthModel {

    static final String TIMESTAMP = "timestamp";
    static final List<String> PROVENANCE = List.of("sourceFile", "sourceRecord", "sourceVersion");

    /** DATA-CONTRACT.md, "Canonical fields and aliases": every spelling in the table, by canonical field. */
    private static final Map<String, List<String>> ALIASES = new LinkedHashMap<>();

    static {
        ALIASES.put("timestamp", List.of("ts", "timestamp", "Timestamp", "time", "@timestamp"));
        ALIASES.put("srcIp", List.of("id.orig_h", "src_ip", "Src IP", "Source IP", "srcIp"));
        ALIASES.put("dstIp", List.of("id.resp_h", "dest_ip", "Dst IP", "Destination IP", "dstIp"));
        ALIASES.put("srcPort", List.of("id.orig_p", "src_port", "Src Port", "Source Port", "srcPort"));
        ALIASES.put("dstPort", List.of("id.resp_p", "dest_port", "Dst Port", "Destination Port", "dstPort"));
        ALIASES.put("proto", List.of("proto", "Protocol"));
        ALIASES.put("host", List.of("host", "server_name", "query", "http.hostname", "tls.sni", "dns.rrname", "sni",
                "hostname"));
        ALIASES.put("bytesOut", List.of("orig_bytes", "bytes_toserver", "flow.bytes_toserver",
                "Total Length of Fwd Packets", "TotLen Fwd Pkts", "bytesOut"));
        ALIASES.put("bytesIn", List.of("resp_bytes", "bytes_toclient", "flow.bytes_toclient",
                "Total Length of Bwd Packets", "TotLen Bwd Pkts", "bytesIn"));
    }

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu.MM.dd").withZone(ZoneOffset.UTC);

    private LoadTruthModel() {
    }

    static List<String> aliases(String canonical) {
        return ALIASES.get(canonical);
    }

    /**
     * The canonical field a column or key names, or null: "matched after trimming, ignoring case, spaces, underscores,
     * dots and hyphens (and a UTF-8 BOM)".
     */
    static String canonical(String name) {
        String key = matchKey(name);
        for (Map.Entry<String, List<String>> e : ALIASES.entrySet()) {
            for (String alias : e.getValue()) {
                if (matchKey(alias).equals(key)) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    private static String matchKey(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.strip().toCharArray()) {
            if (c != ' ' && c != '_' && c != '.' && c != '-' && c != '\uFEFF') {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }

    /**
     * "Unknown columns": characters other than letters, digits, {@code _} and {@code -} become {@code _}; leading
     * {@code _} and {@code -} are removed; case is kept; nothing usable gives {@code field}. A name that would be a
     * provenance field gets {@code _2}.
     */
    static String safeName(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) || c == '_' || c == '-' ? c : '_');
        }
        int start = 0;
        while (start < sb.length() && (sb.charAt(start) == '_' || sb.charAt(start) == '-')) {
            start++;
        }
        String safe = sb.substring(start);
        if (safe.isEmpty()) {
            safe = "field";
        }
        return PROVENANCE.contains(safe) ? safe + "_2" : safe;
    }

    /** The field name a column gets: its canonical field, else its safe name. */
    static String fieldName(String column) {
        String canonical = canonical(column);
        return canonical != null ? canonical : safeName(column);
    }

    /**
     * The field names of a CSV header or Zeek {@code #fields} line: "a second column with the same name (two aliases
     * of one field …) gets {@code _2}, {@code _3}, … and is stored as an unknown column".
     */
    static List<String> fieldNames(List<String> header) {
        List<String> names = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (String column : header) {
            String name = fieldName(column);
            if (taken.contains(name)) {
                int n = 2;
                while (taken.contains(name + "_" + n)) {
                    n++;
                }
                name = name + "_" + n;
            }
            taken.add(name);
            names.add(name);
        }
        return names;
    }

    /**
     * "Values are trimmed before conversion — of every character up to U+0020 at either end" (blanks, line ends and
     * the other control characters).
     */
    static String trimmed(String value) {
        return value.trim(); // String.trim removes exactly the characters up to U+0020 at either end
    }

    /** "Missing values are skipped: null, empty or blank, {@code -} and {@code (empty)}" (after trimming). */
    static boolean missing(String value) {
        String v = trimmed(value);
        return v.isEmpty() || v.equals("-") || v.equals("(empty)");
    }

    /**
     * DATA-CONTRACT.md, "Unknown columns (inferScalar)": a whole number that fits a long is a Long, a finite decimal a
     * Double, everything else (leading zeros, NaN, hex, beyond long) the string as given.
     */
    static Object inferred(String written) {
        String value = trimmed(written);
        if (value.matches("-?(0|[1-9][0-9]*)")) {
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException e) {
                return value;
            }
        }
        if (value.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
            double d = Double.parseDouble(value);
            return Double.isFinite(d) ? (Object) d : value;
        }
        return value;
    }

    /** "Document ids": base64url (no padding) of SHA-256({@code <bucket length>:<bucket>/<key>})[0..16], '-', position. */
    static String documentId(String bucket, String key, long position) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((bucket.length() + ":" + bucket + "/" + key).getBytes(StandardCharsets.UTF_8));
            byte[] first = new byte[16];
            System.arraycopy(hash, 0, first, 0, 16);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(first) + "-" + position;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "Index naming": {@code <prefix>-YYYY.MM.DD} of the UTC day; a record without a timestamp: last-modified day. */
    static String dailyIndex(String prefix, Long timestampMillis, Instant lastModified) {
        Instant at = timestampMillis != null ? Instant.ofEpochMilli(timestampMillis) : lastModified;
        return prefix + "-" + DAY.format(at);
    }

    /** CSV rejects: "the parsed fields re-encoded as one RFC 4180 line". */
    static String csvLine(List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            if (i > 0) {
                sb.append(',');
            }
            if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")) {
                sb.append('"').append(f.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(f);
            }
        }
        return sb.toString();
    }

    /**
     * A line of only spaces and tabs after a CSV header row (LOAD.md's format table: before the header it is a blank
     * line, "after it such a line is a row of one blank field, rejected for its column count in a file of several
     * columns"); in a file of one column that field is blank, so the record has no value and is skipped.
     */
    static Outcome csvBlankRow(int columns, String blanks) {
        if (columns == 1) {
            return new Skipped();
        }
        return new Rejected("expected " + columns + " columns (as in the header), found 1", null,
                csvLine(List.of(blanks)));
    }

    /**
     * A line of only spaces (and tabs, when they are not the separator) after a Zeek {@code #fields} line (LOAD.md's
     * format table: passed over before the header; after it "a data line like any other"): one blank field, rejected
     * for its field count, the line as its raw.
     */
    static Outcome zeekBlankRow(int columns, String blanks) {
        return new Rejected("expected " + columns + " fields (as in #fields), found 1", null, blanks);
    }

    /** What becomes of one record of a file (LOAD.md, "What happens to each record"). */
    sealed interface Outcome permits Indexed, Rejected, Skipped {
    }

    /** A document with these fields (provenance aside). */
    record Indexed(Map<String, Object> fields) implements Outcome {

        Long timestamp() {
            return (Long) fields.get(TIMESTAMP);
        }
    }

    /** A rejects line: the reason is checked by {@code reasonStart} and {@code reasonHas}; {@code raw} when known. */
    record Rejected(String reasonStart, String reasonHas, String raw) implements Outcome {
    }

    /** A record without any value, or a Suricata stats event. */
    record Skipped() implements Outcome {
    }

    /** One data record: its position, its 1-based line in the file, what becomes of it. */
    record Record(long position, long line, Outcome outcome) {
    }

    /** The report's counts for a file whose records are {@code records} (SUCCEEDED, nothing unsettled). */
    record Counts(long rowsRead, long indexed, long rejected, long skipped) {

        static Counts of(List<Record> records) {
            long indexed = records.stream().filter(r -> r.outcome() instanceof Indexed).count();
            long rejected = records.stream().filter(r -> r.outcome() instanceof Rejected).count();
            long skipped = records.stream().filter(r -> r.outcome() instanceof Skipped).count();
            return new Counts(records.size(), indexed, rejected, skipped);
        }

        String status() {
            return indexed == 0 && rejected > 0 ? "FAILED" : "SUCCEEDED";
        }
    }
}
