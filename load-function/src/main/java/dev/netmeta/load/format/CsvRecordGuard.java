package dev.netmeta.load.format;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;

/**
 * Sits between the decoded text and FastCSV and keeps one bad record from ending the file.
 *
 * <p>FastCSV 4.1.0 cannot go on after a parse error: its strict parser throws again on every later call, so a
 * single {@code "x"y} (text after a closing quote) or an over-long field used to fail the whole file. Its lenient
 * option ({@code allowExtraCharsAfterClosingQuote}) reads past such text but silently changes the value
 * ({@code "x"y} becomes {@code xy}). So FastCSV runs lenient, and this reader follows the same state machine over
 * the characters it hands on, noting each record FastCSV will read leniently, by the line it starts on; the CSV
 * reader rejects those records ({@link #problemAt(long)}). It also bounds a record: past {@link #maxChars}
 * characters or {@link #maxFields} fields the rest of the record is not handed on (only its line breaks, so line
 * numbers stay right), and the record is rejected — FastCSV never meets a record it cannot read, memory stays flat,
 * and reading goes on after the record. A quoted field longer than {@code maxChars} (in practice an unterminated
 * quote swallowing the file) cannot be told apart from the rest of the file, and fails it.
 *
 * <p>The state machine is FastCSV 4.1.0's {@code StrictCsvParser} (separator {@code ,}, quote {@code "}, no
 * comments), status bits and quirks included: a quote opens a quoted field only where no unquoted data is, {@code ""}
 * inside one is a quote, a quote inside unquoted data is a character, CR, LF and CRLF end a record outside quotes —
 * and a CR inside quotes leaves a mark that makes the next LF outside them no record end (4.1.0 reads
 * {@code "a\rb"\n} as the start of a longer record, dropping {@code a\rb}; such a record is rejected too). Records
 * and line numbers only agree with FastCSV's if even
 * that is followed; {@code CsvRecordGuardTest} checks the two against each other on random input. The check costs a
 * pass over the characters (a few comparisons each) and a copy of them: about FastCSV's own parse time again.
 */
final class CsvRecordGuard extends Reader {

    /** One record FastCSV reads without complaint but that must be rejected. */
    record Problem(long line, String reason) {
    }

    // FastCSV's status bits (StrictCsvParser 4.1.0)
    private static final int CR = 32;
    private static final int NEW_FIELD = 8;
    private static final int QUOTED_MODE = 4;
    private static final int QUOTED_FIELD = 2;
    private static final int DATA_FIELD = 1;

    private static final int CHUNK = 8 * 1024;

    private final Reader in;
    private final int maxChars;
    private final int maxFields;
    private final ArrayDeque<Problem> problems = new ArrayDeque<>();
    private final char[] input = new char[CHUNK];
    /** What FastCSV gets: a few characters more than were read (when a drop starts, after a misread LF). */
    private final char[] output = new char[2 * CHUNK];
    private int outPos;
    private int outLen;

    private int status;
    private char previous;
    private long line = 1;
    private long recordLine = 1;
    private int recordChars;
    private int fields = 1;
    private int quotedChars;
    private boolean flagged;
    private boolean dropping;
    /** The line of the first character that is no space, tab or line break (a quote too); none yet: MAX_VALUE. */
    private long firstTextLine = Long.MAX_VALUE;

    /** @param maxFields below FastCSV's own limit (16384): a dropped record gets one field more from the guard */
    CsvRecordGuard(Reader in, int maxChars, int maxFields) {
        this.in = in;
        this.maxChars = maxChars;
        this.maxFields = maxFields;
    }

    /**
     * The problem of the record that starts on {@code line}, or null when it is fine. Records are asked for in
     * order, so problems of earlier lines (FastCSV skips blank records) are dropped on the way.
     */
    Problem problemAt(long recordStartLine) {
        Problem p;
        while ((p = problems.peekFirst()) != null && p.line() < recordStartLine) {
            problems.pollFirst();
        }
        return p != null && p.line() == recordStartLine ? problems.pollFirst() : null;
    }

    /**
     * Whether the record that starts on {@code recordStartLine} lies before the text's first character other than a
     * space, tab or line break — a blank line in the text itself. FastCSV takes the quotes off a field, so a quoted
     * blank ({@code "   "} or {@code ""}) reads as the same one field of spaces as a line of spaces, but it is a
     * line with text: a header row (of one column) when it comes first. Asked of a record FastCSV has returned, whose
     * characters this reader has handed on, so their first text is known by then.
     */
    boolean blankInText(long recordStartLine) {
        return recordStartLine < firstTextLine;
    }

    @Override
    public int read(char[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPos == outLen) {
            int n = in.read(input, 0, CHUNK);
            if (n < 0) {
                if ((status & QUOTED_MODE) != 0) {
                    // FastCSV returns the record with the rest of the file as its last field: a short unterminated
                    // quote would silently swallow the rows after it
                    flag("a quote that is never closed: the field runs to the end of the file");
                }
                return -1;
            }
            outPos = 0;
            outLen = scan(n);
        }
        int count = Math.min(len, outLen - outPos);
        System.arraycopy(output, outPos, buf, off, count);
        outPos += count;
        return count;
    }

    /** Follows {@code input[0..n)} and writes what FastCSV gets to {@code output}; returns its length. */
    private int scan(int n) throws MalformedFileException {
        char[] out = output;
        int w = 0;
        for (int i = 0; i < n; i++) {
            char c = input[i];
            if (firstTextLine == Long.MAX_VALUE && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                firstTextLine = line;
            }
            int before = status;
            long lineBefore = line;
            if (step(c)) {
                out[w++] = c; // the record's end: FastCSV is in a plain state here, also after a drop
                endRecord();
                previous = c;
                continue;
            }
            boolean swallowed = c == '\n' && previous != '\r' && (before & (QUOTED_MODE | CR)) == CR;
            boolean endOfCrlf = c == '\n' && previous == '\r' && (before & (QUOTED_MODE | CR)) == CR;
            previous = c;
            if (endOfCrlf && recordChars == 0) {
                // the LF of the CRLF that ended the record: no character of the next one (it made a record of
                // exactly maxChars, after the first CRLF, "longer than" the limit)
                out[w++] = c;
                continue;
            }
            if (swallowed) {
                // 4.1.0 drops the field read so far here and would skip the record if nothing followed on its line
                flag("a CR inside a quoted field before the end of its line, which FastCSV 4.1.0 misreads");
                if (!dropping) {
                    out[w++] = c;
                    out[w++] = '?'; // so that FastCSV returns the record, and it is rejected, not lost
                    // and the record ends here, where its line ends: FastCSV 4.1.0 would go on to the next line's
                    // end, and the row there became part of this reject instead of a record of its own. The CR is
                    // a line break for FastCSV (and for the line numbers: the LF was not counted)
                    out[w++] = '\r';
                    status = CR;
                    line++;
                    endRecord();
                    continue;
                }
            }
            recordChars++;
            if ((status & QUOTED_MODE) != 0 && ++quotedChars > maxChars) {
                throw new MalformedFileException("a quoted field runs for more than " + maxChars
                        + " characters (a quote that is never closed?)", recordLine, null);
            }
            if (!dropping && (recordChars > maxChars || fields > maxFields)) {
                flag(recordChars > maxChars ? "record longer than " + maxChars + " characters"
                        : "record with more than " + maxFields + " fields");
                dropping = true;
                if ((before & QUOTED_MODE) != 0) {
                    out[w++] = '"'; // close the field FastCSV is in
                }
                out[w++] = ','; // and leave it in a plain state (no CR mark): the record's end will end its record
                continue;
            }
            if (!dropping) {
                out[w++] = c;
            } else if (line != lineBefore) {
                out[w++] = '\n'; // a line break inside the dropped part: an empty record for FastCSV, the same line
            }
        }
        return w;
    }

    /** FastCSV's transition for one character; true when it ends the record. */
    private boolean step(char c) {
        int s = status;
        if ((s & QUOTED_MODE) != 0) {
            if (c == '"') {
                status = s & ~QUOTED_MODE; // 4.1.0 keeps the CR mark here
            } else if (c == '\r') {
                status = s | CR;
                line++;
            } else if (c == '\n') {
                if ((s & CR) == 0) {
                    line++;
                } else {
                    status = s & ~CR;
                }
            }
            return false;
        }
        if (c == ',') {
            status = NEW_FIELD;
            fields++;
        } else if (c == '\r') {
            status = CR;
            line++;
            return true;
        } else if (c == '\n') {
            boolean end = (s & CR) == 0;
            status = 0;
            if (end) {
                line++;
            }
            return end;
        } else if (c == '"' && (s & DATA_FIELD) == 0) {
            if ((s & QUOTED_FIELD) == 0) {
                quotedChars = 0;
            }
            status = QUOTED_FIELD | QUOTED_MODE;
        } else if ((s & QUOTED_FIELD) == 0) {
            status = DATA_FIELD;
        } else {
            flag("unexpected character '" + c + "' after the closing quote of a field");
        }
        return false;
    }

    private void flag(String reason) {
        if (!flagged) {
            flagged = true;
            problems.addLast(new Problem(recordLine, reason));
        }
    }

    private void endRecord() {
        recordLine = line;
        recordChars = 0;
        fields = 1;
        flagged = false;
        dropping = false;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
