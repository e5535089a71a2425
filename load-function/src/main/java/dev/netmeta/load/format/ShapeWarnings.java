package dev.netmeta.load.format;

import dev.netmeta.model.Fields;
import java.util.List;
import java.util.Map;

/**
 * What is wrong with a file that loads without a reject but as junk, in words for the person who sent it: decided
 * once per header (a CSV header row, a Zeek {@code #fields} line) or from an NDJSON file's first records, never per
 * row. Such a file still loads ({@code SUCCEEDED}): a custom CSV without any canonical column is allowed by the data
 * contract; the load report lists the warnings ({@code warnings}). Two shapes are told:
 * <ul>
 *   <li>a CSV header row that is one column holding TABs or semicolons — a tab- or {@code ;}-separated file read
 *       as CSV, each row one field;</li>
 *   <li>a header (or the first JSON records) without any column that maps to a canonical field, so no record has
 *       a timestamp — a text file, another export, or a custom file that is meant so.</li>
 * </ul>
 * The texts depend on the header alone, so a continuation that reads the header again finds the same ones.
 */
final class ShapeWarnings {

    /** How much of a header a warning quotes (characters). */
    static final int QUOTE_CHARS = 120;
    /** The NDJSON records looked at: those at positions below this (see {@link KnownFieldWatch}). */
    static final int NDJSON_WINDOW = 1000;

    private static final String[] CANONICAL = Fields.canonicalFields().toArray(new String[0]);
    private static final String KNOWN = "a known field (" + String.join(", ", CANONICAL) + " or an alias of one)";
    private static final String NO_TIMESTAMP = ": no record can have a timestamp, so any record indexed went to the "
            + "daily index of the file's last-modified day. If the file is meant so, name a column as the data contract "
            + "does (e.g. timestamp); if not, replace it at its source";

    private ShapeWarnings() {
    }

    /** The warning of a CSV header row ({@code names} as the mapper got them, trimmed), or null. */
    static String csvHeader(List<String> names, List<String> fieldNames) {
        if (names.size() == 1) {
            String only = names.get(0);
            boolean tabs = only.indexOf('\t') >= 0;
            if (tabs || only.indexOf(';') >= 0) {
                return "CSV header " + quote(names, ",") + " is one column holding " + (tabs
                        ? "TABs: a tab-separated file?" : "semicolons: a ;-separated export?")
                        + " CSV input must be comma-separated, so each row became one field, without a timestamp. "
                        + "Convert it to comma-separated CSV at its source; the corrected copy is loaded again";
            }
        }
        if (anyKnown(fieldNames)) {
            return null;
        }
        return "no column of the CSV header " + quote(names, ",")
                + (names.size() == 1 ? " (one column: a text file rather than CSV?)" : "") + " is " + KNOWN
                + NO_TIMESTAMP;
    }

    /** The warning of a Zeek {@code #fields} line, or null. */
    static String zeekFields(List<String> columns, List<String> fieldNames) {
        return anyKnown(fieldNames) ? null
                : "no column of the Zeek header #fields " + quote(columns, "\t") + " is " + KNOWN + NO_TIMESTAMP;
    }

    private static boolean anyKnown(List<String> fieldNames) {
        for (String name : fieldNames) {
            if (Fields.isCanonical(name)) {
                return true;
            }
        }
        return false;
    }

    static boolean hasKnownField(Map<String, Object> document) {
        for (String field : CANONICAL) {
            if (document.containsKey(field)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The names joined by {@code separator} in quotes, at most {@link #QUOTE_CHARS} characters of it (then …), a TAB
     * shown as {@code \t} and any other control character as {@code \}{@code uXXXX}: the warning is one line.
     */
    static String quote(List<String> names, String separator) {
        String joined = String.join(separator, names);
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < joined.length() && i < QUOTE_CHARS; i++) {
            char c = joined.charAt(i);
            if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append(joined.length() > QUOTE_CHARS ? "…\"" : "\"").toString();
    }

    /**
     * Watches the documents of an NDJSON file at positions below {@link #NDJSON_WINDOW} until one has a canonical
     * field: real events always have one (EVE's {@code timestamp}, Zeek's {@code ts}), so the cost ends with the
     * first record of such a file. Positions, not counts: a continuation resumes at a multiple of 1,024 records, so
     * the window is read by one invocation (or again from 0), and one resuming beyond it decides nothing (the
     * warning travels in the continuation payload).
     */
    static final class KnownFieldWatch {

        private boolean watching = true;
        private boolean passed;
        private long documents;
        private List<String> firstKeys;

        /** Looks at a document of the record at {@code position} while watching. */
        void document(long position, Map<String, Object> document) {
            if (position >= NDJSON_WINDOW) {
                watching = false;
                passed = true;
                return;
            }
            if (document.isEmpty()) {
                return; // skipped, not indexed
            }
            if (hasKnownField(document)) {
                watching = false;
                firstKeys = null;
                return;
            }
            documents++;
            if (firstKeys == null) {
                firstKeys = List.copyOf(document.keySet());
            }
        }

        boolean watching() {
            return watching;
        }

        /** The warning, or null: decided once the window is passed or the input ended ({@code ended}). */
        String warning(boolean ended) {
            if (firstKeys == null || !(passed || ended)) {
                return null;
            }
            return "none of the file's first " + documents + " JSON records has " + KNOWN + " (the first one's "
                    + "fields: " + quote(firstKeys, ", ") + ")" + NO_TIMESTAMP;
        }
    }
}
