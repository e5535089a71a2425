package dev.netmeta.load.format;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Reads {@code \n}-terminated lines (a trailing {@code \r} is dropped, and not counted) with a cap on their length,
 * so one object without newlines cannot take the heap: a line longer than the cap is returned truncated to its first
 * {@link #RAW_KEEP_CHARS} characters with {@link #tooLong()} set, and reading goes on after its {@code \n}.
 * Counts lines from 1 (every line, blank or not).
 */
final class LineReader implements Closeable {

    /** Longest line accepted (characters), like {@link CsvRecordReader#MAX_RECORD_CHARS} for CSV records. */
    static final int MAX_LINE_CHARS = 1024 * 1024;
    /** How much of an over-long line is kept for the rejects object. */
    static final int RAW_KEEP_CHARS = 1024;

    private static final int BUFFER = 64 * 1024;

    private final Reader in;
    private final int maxChars;
    private final char[] buf = new char[BUFFER];
    private int pos;
    private int limit;
    private long number;
    private boolean tooLong;
    private StringBuilder pending;

    LineReader(Reader in) {
        this(in, MAX_LINE_CHARS);
    }

    LineReader(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its terminator, or {@code null} at the end of the input. */
    String next() throws IOException {
        tooLong = false;
        StringBuilder sb = null;
        long length = 0;
        while (true) {
            if (pos >= limit && !fill()) {
                if (sb == null && length == 0) {
                    return null; // end of input (a last line without \n was returned on the previous call)
                }
                number++;
                return finish(sb, length);
            }
            int start = pos;
            int nl = -1;
            for (int i = pos; i < limit; i++) {
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            }
            int end = nl < 0 ? limit : nl;
            pos = nl < 0 ? limit : nl + 1;
            if (nl >= 0 && sb == null && length == 0) {
                int lineEnd = stripCr(start, end);
                if (lineEnd - start <= maxChars) {
                    number++;
                    // the common case: the whole line is in the buffer
                    return new String(buf, start, lineEnd - start);
                }
            }
            length += end - start;
            if (sb == null) {
                sb = pending == null ? new StringBuilder() : pending;
                sb.setLength(0);
            }
            // the line, and one more: the CR of a CRLF, which is no character of the line (finish drops it)
            int room = maxChars + 1 - sb.length();
            if (room > 0) {
                sb.append(buf, start, Math.min(room, end - start));
            }
            if (nl >= 0) {
                number++;
                return finish(sb, length);
            }
        }
    }

    private String finish(StringBuilder sb, long length) {
        if (sb == null) {
            return "";
        }
        boolean endsInCr = length == sb.length() && sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r';
        tooLong = (endsInCr ? length - 1 : length) > maxChars; // the terminator's CR does not count
        if (tooLong && sb.length() > RAW_KEEP_CHARS) {
            sb.setLength(RAW_KEEP_CHARS);
        }
        if (!tooLong && endsInCr) {
            sb.setLength(sb.length() - 1);
        }
        String line = sb.toString();
        pending = sb.capacity() <= BUFFER * 4 ? sb : null; // do not keep a huge builder around
        return line;
    }

    private int stripCr(int start, int end) {
        return end > start && buf[end - 1] == '\r' ? end - 1 : end;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        pos = 0;
        limit = Math.max(n, 0);
        return n > 0;
    }

    /** Whether the line last returned was longer than the cap (it was returned truncated). */
    boolean tooLong() {
        return tooLong;
    }

    /** The 1-based number of the line last returned. */
    long number() {
        return number;
    }

    /** The reason given for an over-long line. */
    String tooLongReason() {
        return "line longer than " + maxChars + " characters (only its first " + RAW_KEEP_CHARS
                + " are kept here)";
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
