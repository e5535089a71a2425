package dev.netmeta.load.format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Picks the reader from the content (not the name): a Zeek header ({@code #separator}/{@code #fields}, after any blank
 * lines — empty or of spaces and tabs only, {@link #isBlankLine}) → Zeek TSV;
 * a first non-blank character {@code {}, or a JSON array of objects ({@code [} and {@code {}) → NDJSON, which rejects
 * what is not one object per line; anything else → CSV with a header row. A UTF-8 BOM is dropped.
 */
public final class RecordReaders {

    /** How much of the decoded input the format is told from. */
    static final int PEEK = 8 * 1024;
    private static final int CHAR_BUFFER = 64 * 1024;

    private RecordReaders() {
    }

    /** Opens a reader on decompressed input. */
    public static RecordReader open(InputStream decompressed) throws IOException {
        // no buffering layer between the decoder and the text: see PeekedInput (a truncated gzip's last records)
        PeekedInput in = PeekedInput.peek(decompressed, PEEK);
        byte[] head = in.head();
        int start = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            start = 3;
            in.dropHead(3);
        }
        Utf8Reader reader = new Utf8Reader(in, CHAR_BUFFER);
        InvalidUtf8 invalid = new InvalidUtf8(reader);
        try {
            return switch (detect(head, start)) {
                case ZEEK -> new ZeekTsvRecordReader(new LineReader(reader), invalid);
                case NDJSON -> new NdjsonRecordReader(new LineReader(reader), invalid);
                case CSV -> new CsvRecordReader(reader, invalid); // reads the header: may fail the file
            };
        } catch (IOException | RuntimeException e) {
            in.close(); // the gzip decoder's native memory now, not whenever the garbage collector gets to it
            throw e;
        }
    }

    enum Format { CSV, ZEEK, NDJSON }

    static Format detect(byte[] head, int start) {
        int i = blanks(head, start);
        if (i < head.length && head[i] == '{') {
            return Format.NDJSON;
        }
        if (i < head.length && head[i] == '[') {
            int j = blanks(head, i + 1);
            if (j < head.length && head[j] == '{') {
                // a JSON array of objects: read as a CSV it was a header and no rows (one line) or one-column rows
                return Format.NDJSON;
            }
        }
        // blank lines before the header are passed over, as the Zeek reader passes them over; a line of spaces too,
        // which read as a CSV was its header, one blank column, and every Zeek line after it a document of it
        int k = firstLineWithText(head, start);
        String text = new String(head, k, Math.min(head.length - k, 16), StandardCharsets.US_ASCII);
        return isZeekHeader(text) ? Format.ZEEK : Format.CSV;
    }

    /** A line that starts a Zeek log's header, as Zeek writes it (not indented). */
    static boolean isZeekHeader(String line) {
        return line.startsWith("#separator") || line.startsWith("#fields");
    }

    /** Where the first line of {@code head} from {@code from} that is no {@link #isBlankLine blank line} starts. */
    private static int firstLineWithText(byte[] head, int from) {
        int lineStart = from;
        for (int i = from; i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n');
                i++) {
            if (head[i] == '\n' || head[i] == '\r') { // a CR too, as before lines of blanks were passed over
                lineStart = i + 1;
            }
        }
        return lineStart;
    }

    /**
     * A blank line before a file's header, which every reader passes over (not a record, nothing to reject): empty, or
     * only spaces, tabs and CRs — what a shipper's stray line end or an editor's indentation leaves, and the detection
     * passes over. After the header, such a line is read as each format reads a line (NDJSON: no record; Zeek, CSV: a
     * row, rejected unless its fields fit).
     */
    static boolean isBlankLine(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code line} after its leading spaces, tabs and CRs up to the last of those CRs: the detection ends a line of
     * blanks at a bare CR ({@link #firstLineWithText}), while a reader of LF-ended lines reads {@code \r#separator …}
     * as one line — which, before a header, is the blank line and the header. A line without such a CR is as it is.
     */
    static String afterBlanksToABareCr(String line) {
        int after = 0;
        for (int i = 0; i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t' || line.charAt(i) == '\r');
                i++) {
            if (line.charAt(i) == '\r') {
                after = i + 1;
            }
        }
        return line.substring(after);
    }

    private static int blanks(byte[] head, int from) {
        int i = from;
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        return i;
    }
}
