package dev.netmeta.load.format;

import static dev.netmeta.load.format.Inputs.gzip;
import static dev.netmeta.load.format.Inputs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A gzip cut short (or corrupt) is read up to its break: every record whose line ended before the break is
 * returned, the cut line is not, and then the decoder's error comes as it is (type and message). Before, up to the
 * last 64 KiB of inflated text were lost with the error — a layer above the decoder gathered several of its reads
 * into one answer — so a file that broke within its first 64 KiB of text read 0 records.
 */
class TruncatedGzipTest {

    enum Format {
        CSV("ts,Src IP,Dst IP,Dst Port,host\n", "\n"),
        CSV_CRLF("ts,Src IP,Dst IP,Dst Port,host\r\n", "\r\n"),
        ZEEK("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n"
                + "#fields\tts\tid.orig_h\tid.resp_h\tid.resp_p\tquery\n"
                + "#types\ttime\taddr\taddr\tport\tstring\n", "\n"),
        NDJSON("", "\n");

        final String header;
        final String eol;

        Format(String header, String eol) {
            this.header = header;
            this.eol = eol;
        }

        String text(int rows) {
            StringBuilder sb = new StringBuilder(header);
            for (int i = 0; i < rows; i++) {
                long ts = 1_525_876_221L + i;
                String src = "10.0." + (i / 250 % 250) + "." + (i % 250);
                switch (this) {
                    case CSV, CSV_CRLF -> sb.append(ts).append(',').append(src).append(",8.8.8.8,53,host").append(i)
                            .append(".example");
                    case ZEEK -> sb.append(ts).append('\t').append(src).append("\t8.8.8.8\t53\thost").append(i)
                            .append(".example");
                    case NDJSON -> sb.append("{\"timestamp\":").append(ts).append(",\"src_ip\":\"").append(src)
                            .append("\",\"dest_ip\":\"8.8.8.8\",\"dest_port\":53,\"host\":\"host").append(i)
                            .append(".example\"}");
                }
                sb.append(eol);
            }
            return sb.toString();
        }

        long headerLines() {
            return header.chars().filter(c -> c == '\n').count();
        }
    }

    /** What was read before the error, and the error. */
    record Outcome(List<SourceRecord> records, IOException error) {
    }

    static Outcome read(byte[] input) throws IOException {
        List<SourceRecord> records = new ArrayList<>();
        try (RecordReader reader = Inputs.open(input)) {
            SourceRecord r;
            while ((r = reader.next()) != null) {
                records.add(r);
            }
        } catch (EOFException | ZipException e) {
            return new Outcome(records, e);
        }
        return new Outcome(records, null);
    }

    /** The text the JDK's decoder gives before it fails, read a little at a time (nothing above it to lose bytes). */
    static String inflatable(byte[] gz) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[100];
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (IOException expected) {
            // the break
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The records whose line ended before the break: a line ends at its LF; a CSV record at its CR as well (FastCSV
     * ends a record there and skips the LF after it), so a CSV row cut between CR and LF is whole.
     */
    static long completeRecords(Format format, String text) {
        long ends = text.chars().filter(c -> c == '\n').count();
        if ((format == Format.CSV || format == Format.CSV_CRLF) && text.endsWith("\r")) {
            ends++;
        }
        return Math.max(0, ends - format.headerLines());
    }

    static Arguments[] halves() {
        List<Arguments> cases = new ArrayList<>();
        for (Format format : Format.values()) {
            // 150 rows: under the 8 KiB the format detection reads ahead; 3,000: one 64 KiB buffer or two;
            // 100,000: many
            for (int rows : new int[] {150, 3_000, 100_000}) {
                cases.add(Arguments.of(format, rows));
            }
        }
        return cases.toArray(new Arguments[0]);
    }

    @ParameterizedTest(name = "{0}, {1} rows cut in half")
    @MethodSource("halves")
    void everyRecordWhoseLineEndedBeforeTheBreakIsReadThenTheDecodersError(Format format, int rows)
            throws IOException {
        byte[] full = gzip(utf8(format.text(rows)));
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        String before = inflatable(cut);
        long expected = completeRecords(format, before);

        Outcome outcome = read(cut);

        assertThat(expected).isGreaterThan(rows / 3);
        assertThat(outcome.records()).hasSize((int) expected);
        assertThat(outcome.records().get((int) expected - 1).document())
                .containsEntry("host", "host" + (expected - 1) + ".example");
        assertThat(outcome.error()).isInstanceOf(EOFException.class)
                .hasMessage("Unexpected end of ZLIB input stream");
    }

    /** A file that compresses ~20:1, as the newcomer's: its first half inflates to less than 64 KiB in one go. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aSmallVeryCompressibleFileCutInHalfReadsItsFirstRecords(Format format) throws IOException {
        StringBuilder text = new StringBuilder(format.text(0));
        String row = format.text(1).substring(format.header.length());
        text.append(row.repeat(3_000));
        byte[] full = gzip(utf8(text.toString()));
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        long expected = completeRecords(format, inflatable(cut));

        Outcome outcome = read(cut);

        assertThat(cut.length).isLessThan(5_000);
        assertThat(expected).isGreaterThan(500);
        assertThat(outcome.records()).hasSize((int) expected);
        assertThat(outcome.error()).isInstanceOf(EOFException.class);
    }

    static Format[] formats() {
        return Format.values();
    }

    /**
     * Stored (not compressed) deflate blocks: one more byte of the file is one more byte of text, so consecutive
     * cuts move the break over every byte of some lines — before, at and after each line end, and across the
     * 8 KiB read ahead for the format detection and the 64 KiB buffers.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aBreakAtAnyByteReadsExactlyTheRecordsWhoseLineEndedBeforeIt(Format format) throws IOException {
        String text = format.text(3_000);
        byte[] full = stored(utf8(text));
        List<Integer> cuts = new ArrayList<>();
        for (int around : new int[] {format.header.length(), 8 * 1024, 64 * 1024, 128 * 1024}) {
            for (int d = -150; d <= 150; d++) {
                cuts.add(Math.max(20, 10 + around + d)); // 10: the gzip header
            }
        }
        for (int cut : cuts) {
            byte[] input = Arrays.copyOf(full, cut);
            String before = inflatable(input);
            long expected = completeRecords(format, before);

            Outcome outcome = read(input);

            assertThat(outcome.records()).as("cut at byte %d (%d text bytes)", cut, before.length())
                    .hasSize((int) expected);
            assertThat(outcome.error()).as("cut at byte %d", cut).isInstanceOf(EOFException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aBreakInTheTrailerReadsEveryRecordThenFails(Format format) throws IOException {
        byte[] full = gzip(utf8(format.text(3_000)));

        Outcome noSize = read(Arrays.copyOf(full, full.length - 4));
        byte[] badCrc = full.clone();
        badCrc[full.length - 8] ^= 1;
        Outcome corrupt = read(badCrc);

        assertThat(noSize.records()).hasSize(3_000);
        assertThat(noSize.error()).isInstanceOf(EOFException.class);
        assertThat(corrupt.records()).hasSize(3_000);
        assertThat(corrupt.error()).isInstanceOf(ZipException.class).hasMessage("Corrupt GZIP trailer");
    }

    /** The break inside the 8 KiB read ahead for the format detection, after a UTF-8 BOM (dropped as before). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("formats")
    void aByteOrderMarkBeforeABreakInTheLookAheadIsDropped(Format format) throws IOException {
        byte[] text = utf8("\uFEFF" + format.text(150));
        byte[] full = gzip(text);
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        long expected = completeRecords(format, inflatable(cut));

        Outcome outcome = read(cut);

        assertThat(text.length).isLessThan(2 * 8 * 1024);
        assertThat(outcome.records()).hasSize((int) expected);
        assertThat(outcome.records().get(0).document()).containsEntry("host", "host0.example");
        assertThat(outcome.error()).isInstanceOf(EOFException.class);
    }

    /** A gzip member of stored deflate blocks. */
    static byte[] stored(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.NO_COMPRESSION);
            }
        }) {
            gz.write(plain);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
