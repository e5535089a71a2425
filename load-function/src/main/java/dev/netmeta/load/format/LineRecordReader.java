package dev.netmeta.load.format;

import java.io.IOException;

/**
 * The read/skip loop shared by the line formats (NDJSON, Zeek TSV): lines come from a {@link LineReader}, so their
 * length is capped; an over-long line is a rejected record (its first characters as raw text), the others are
 * either data records or lines the format reads past (blank lines, Zeek headers).
 */
abstract class LineRecordReader implements RecordReader {

    private final LineReader lines;
    private final InvalidUtf8 invalid;
    private long position;
    private boolean ended;

    LineRecordReader(LineReader lines, InvalidUtf8 invalid) {
        this.lines = lines;
        this.invalid = invalid;
    }

    /** Whether the line is a data record; handles (and returns false for) blank lines and header lines. */
    abstract boolean isRecord(String text, long line) throws IOException;

    /** Turns a data line into a record. */
    abstract SourceRecord parse(long position, long line, String text);

    @Override
    public final SourceRecord next() throws IOException {
        String text;
        while ((text = withoutBom(lines.next())) != null) {
            boolean malformed = invalid.in(text);
            if (lines.tooLong()) {
                return SourceRecord.reject(position++, lines.number(), InvalidUtf8.readable(text),
                        lines.tooLongReason());
            }
            if (isRecord(text, lines.number())) {
                if (malformed) {
                    return SourceRecord.reject(position++, lines.number(), InvalidUtf8.readable(text),
                            InvalidUtf8.REASON);
                }
                return parse(position++, lines.number(), text);
            }
        }
        ended = true;
        return null;
    }

    /** Whether {@link #next} has reached the end of the input. */
    final boolean ended() {
        return ended;
    }

    @Override
    public final long skip(long count) throws IOException {
        long skipped = 0;
        String text;
        while (skipped < count && (text = withoutBom(lines.next())) != null) {
            invalid.in(text);
            if (lines.tooLong() || isRecord(text, lines.number())) {
                position++;
                skipped++;
            }
        }
        return skipped;
    }

    /**
     * The line without a leading UTF-8 byte order mark: one mid-file comes from a later file of a concatenation
     * ({@code cat a.log b.log}), and left in place it made that file's first JSON event invalid and its Zeek
     * {@code #separator} line a data record (the file's own first BOM is dropped before the format is detected).
     */
    private static String withoutBom(String line) {
        return line != null && !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
