package dev.netmeta.load.format;

import java.util.Map;

/**
 * One record read from an input file: a document ready to index, a row rejected with its reason, or a record
 * skipped on purpose (Suricata {@code stats} events, records without any value). {@code position} is the record's 0-based ordinal among
 * the data records of the file (it feeds the deterministic document id); {@code line} is the 1-based line where it
 * starts (for people reading the rejects).
 */
public record SourceRecord(Kind kind, long position, long line, Map<String, Object> document, String raw,
                           String reason) {

    public enum Kind { DOCUMENT, REJECT, SKIP }

    /**
     * A mapped record; one without any value (a CSV row of only commas or {@code -}, a Zeek line of only unset
     * fields, {@code {}}) is skipped: indexed, it would be a document holding nothing but its provenance.
     */
    public static SourceRecord document(long position, long line, Map<String, Object> document) {
        if (document.isEmpty()) {
            return skip(position, line, "a record without any value");
        }
        return new SourceRecord(Kind.DOCUMENT, position, line, document, null, null);
    }

    public static SourceRecord reject(long position, long line, String raw, String reason) {
        return new SourceRecord(Kind.REJECT, position, line, null, raw, reason);
    }

    public static SourceRecord skip(long position, long line, String reason) {
        return new SourceRecord(Kind.SKIP, position, line, null, null, reason);
    }
}
