package dev.netmeta.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A file a generator wrote as its producer would ({@link CsvFileGenerator}, {@link ZeekFileGenerator},
 * {@link NdjsonFileGenerator}): its decoded bytes and, record by record, what the load must make of it.
 */
record GeneratedFile(String format, byte[] plain, List<Expected> records, Layout layout) {

    GeneratedFile(String format, byte[] plain, List<Expected> records) {
        this(format, plain, records, null);
    }

    /**
     * Where things are in the text (before UTF-8 encoding): the offset just past each record (its line end included),
     * the header text in effect from a record on (a CSV header row without its line end; a Zeek block's {@code #}
     * lines with theirs), and the line end the producer used. For tests that insert lines at record boundaries.
     */
    record Layout(String text, List<Integer> ends, java.util.NavigableMap<Integer, String> headers, String eol) {
    }

    /**
     * What one record must become: a document with exactly {@code fields} (besides the provenance), a reject whose
     * reason contains {@code rejectReason}, or — no field and no reason — a skipped record. {@code written} is the
     * record's text in the file, for the message of a mismatch.
     */
    record Expected(Map<String, Object> fields, String rejectReason, String written) {

        boolean rejected() {
            return rejectReason != null;
        }

        boolean skipped() {
            return rejectReason == null && fields.isEmpty();
        }

        @Override
        public String toString() {
            String shown = written;
            return printable((rejected() ? "reject '" + rejectReason + "'" : skipped() ? "skip" : "document " + fields)
                    + " of the written record [" + shown + "]");
        }
    }

    /** The text with control and invisible characters as {@code \}{@code uXXXX}: a test report cuts at a NUL. */
    static String printable(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int run = 1;
            while (i + run < text.length() && text.charAt(i + run) == c) {
                run++;
            }
            if (run > 40) { // a record padded to the length limit
                sb.append(c).append("…(").append(run).append(" times)");
                i += run - 1;
                continue;
            }
            if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0xfeff || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1)))) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Gzip of the text, as one member or as several members split at random points ({@code cat a.gz b.gz}). */
    byte[] gzipped(ContractValues values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : values.split(plain)) {
            out.writeBytes(gzip(part));
        }
        return out.toByteArray();
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
