package dev.netmeta.load.format;

import static dev.netmeta.load.format.Inputs.gzip;
import static dev.netmeta.load.format.Inputs.readAll;
import static dev.netmeta.load.format.Inputs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.load.format.SourceRecord.Kind;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    /** A reader of {@code length} chars of {@code c} followed by {@code tail}, generated on the fly. */
    private static Reader longLine(char c, long length, String tail) {
        return new Reader() {
            private long left = length;
            private final StringReader rest = new StringReader(tail);

            @Override
            public int read(char[] buf, int off, int len) throws IOException {
                if (left == 0) {
                    return rest.read(buf, off, len);
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(buf, off, off + n, c);
                left -= n;
                return n;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aLineOfExactlyTheLimitIsWholeWhetherItEndsInLfOrCrlf() throws IOException {
        // found by ReadingPathRoundTripTest: the CR of a CRLF counted as a character of the line, so a CRLF line of
        // exactly MAX_LINE_CHARS was rejected as longer than the limit, while the same line ended by LF was read
        String atLimit = "a".repeat(16);
        LineReader lines = new LineReader(new StringReader(atLimit + "\r\n" + atLimit + "\n" + atLimit + "b\r\n"
                + atLimit + "\r"), 16);

        assertThat(lines.next()).isEqualTo(atLimit);
        assertThat(lines.tooLong()).isFalse();
        assertThat(lines.next()).isEqualTo(atLimit);
        assertThat(lines.tooLong()).isFalse();
        assertThat(lines.next()).startsWith(atLimit);
        assertThat(lines.tooLong()).as("17 characters and a CR").isTrue();
        assertThat(lines.next()).as("a last line without LF: its CR is dropped, as before, and not counted")
                .isEqualTo(atLimit);
        assertThat(lines.tooLong()).isFalse();
    }

    @Test
    void anOverLongLineIsCutAndReadingResumesAfterItsNewline() throws IOException {
        LineReader lines = new LineReader(longLine('x', 5L * 1024 * 1024, "\nnext\r\n\nlast"), 4096);

        assertThat(lines.next()).hasSize(LineReader.RAW_KEEP_CHARS).matches("x+");
        assertThat(lines.tooLong()).isTrue();
        assertThat(lines.number()).isEqualTo(1);
        assertThat(lines.tooLongReason()).startsWith("line longer than 4096 characters");

        assertThat(lines.next()).isEqualTo("next");
        assertThat(lines.tooLong()).isFalse();
        assertThat(lines.next()).isEmpty();
        assertThat(lines.next()).isEqualTo("last");
        assertThat(lines.number()).isEqualTo(4);
        assertThat(lines.next()).isNull();
    }

    @Test
    void linesUpToTheCapAcrossBufferBoundariesAreKeptWhole() throws IOException {
        int cap = 200_000; // longer than the 64 KiB buffer
        LineReader lines = new LineReader(longLine('y', cap, "\nz\n"), cap);

        assertThat(lines.next()).hasSize(cap);
        assertThat(lines.tooLong()).isFalse();
        assertThat(lines.next()).isEqualTo("z");
        assertThat(lines.next()).isNull();
    }

    @Test
    void ndjsonRejectsALineLongerThanTheCapWithItsLineNumberAndReadsOn() throws IOException {
        String huge = "{\"note\":\"" + "a".repeat(LineReader.MAX_LINE_CHARS + 10) + "\"}";
        List<SourceRecord> records = readAll(gzip(utf8("{\"src_ip\":\"10.0.0.1\"}\n" + huge
                + "\n{\"src_ip\":\"10.0.0.2\"}\n")));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.REJECT, Kind.DOCUMENT);
        assertThat(records.get(1).line()).isEqualTo(2);
        assertThat(records.get(1).position()).isEqualTo(1);
        assertThat(records.get(1).reason()).contains("line longer than " + LineReader.MAX_LINE_CHARS);
        assertThat(records.get(1).raw()).hasSize(LineReader.RAW_KEEP_CHARS).startsWith("{\"note\":\"aaa");
        assertThat(records.get(2).document()).containsEntry("srcIp", "10.0.0.2");
        assertThat(records.get(2).line()).isEqualTo(3);
    }

    @Test
    void zeekRejectsALineLongerThanTheCapAndSkipCountsItAsARecord() throws IOException {
        String header = "#separator \\x09\n#fields\tid.orig_h\thost\n";
        String huge = "10.0.0.9\t" + "b".repeat(LineReader.MAX_LINE_CHARS + 1);
        byte[] input = utf8(header + "10.0.0.1\ta.example\n" + huge + "\n10.0.0.2\tb.example\n");

        List<SourceRecord> records = readAll(input);
        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.REJECT, Kind.DOCUMENT);
        assertThat(records.get(1).line()).isEqualTo(4);

        try (RecordReader reader = Inputs.open(input)) {
            assertThat(reader.skip(2)).isEqualTo(2);
            SourceRecord last = reader.next();
            assertThat(last.position()).isEqualTo(2);
            assertThat(last.document()).containsEntry("host", "b.example");
        }
    }
}
