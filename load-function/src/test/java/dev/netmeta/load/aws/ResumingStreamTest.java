package dev.netmeta.load.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.load.Deadline;
import dev.netmeta.load.DownloadBrokenException;
import dev.netmeta.load.NoTimeToVerifyException;
import dev.netmeta.load.ObjectGoneException;
import dev.netmeta.load.format.Decompression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The resuming stream against a fake object whose downloads break at chosen offsets: what comes out is the object's
 * bytes exactly, or a failure that says why — never bytes skipped or repeated.
 */
class ResumingStreamTest {

    private static final String SOURCE = "s3://b/raw/x.csv.gz";

    private final byte[] object = randomBytes(100_000);
    /** What each download (the first, then every resume) does; absent: delivers to the end. */
    private final Deque<Break> breaks = new ArrayDeque<>();
    /** The ranged requests asked for: their start bytes. */
    private final List<Long> asked = new ArrayList<>();
    private final List<String> resumed = new ArrayList<>();
    private final List<Long> pauses = new ArrayList<>();
    private final List<Chunks> opened = new ArrayList<>();
    private ResumingStream.Reopener reopener = this::rest;
    private Deadline readingTime = () -> 600_000;

    /** How one download ends early: after {@code at} bytes of the object, an I/O error or (null) the end of its body. */
    private record Break(long at, Exception error) {
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }

    /** The object's bytes from {@code from}, in chunks of at most 4 KiB, breaking as the next {@link Break} says. */
    private final class Chunks extends InputStream {
        private final byte[] bytes;
        private long position;
        private final Break end;
        boolean closed;

        Chunks(byte[] bytes, long from, Break end) {
            this.bytes = bytes;
            this.position = from;
            this.end = end;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long stop = end == null ? bytes.length : end.at();
            if (position >= stop) {
                if (end != null && end.error() instanceof IOException io) {
                    throw io;
                }
                if (end != null && end.error() instanceof RuntimeException unchecked) {
                    throw unchecked;
                }
                return -1;
            }
            int n = (int) Math.min(Math.min(len, 4096), stop - position);
            System.arraycopy(bytes, (int) position, b, off, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private Chunks download(long from) {
        Chunks c = new Chunks(object, from, breaks.poll());
        opened.add(c);
        return c;
    }

    /** A correct ranged answer (206, Content-Range from {@code position} to the end). */
    private ResumingStream.Rest rest(long position) {
        asked.add(position);
        return new ResumingStream.Rest(download(position), 206,
                "bytes " + position + "-" + (object.length - 1) + "/" + object.length);
    }

    private ResumingStream stream() {
        return new ResumingStream(SOURCE, download(0), object.length, p -> reopener.from(p), readingTime,
                (position, size, resumes, reason) -> resumed.add(resumes + "@" + position + ": " + reason),
                pauses::add);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[3000];
        int n;
        while ((n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** The bytes read before the stream failed, and its failure. */
    private record Failure(byte[] read, IOException error) {
    }

    private Failure readUntilFailure(ResumingStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[3000];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
            throw new AssertionError("the stream ended without a failure after " + out.size() + " bytes");
        } catch (IOException e) {
            return new Failure(out.toByteArray(), e);
        }
    }

    private byte[] prefix(int n) {
        byte[] p = new byte[n];
        System.arraycopy(object, 0, p, 0, n);
        return p;
    }

    @Test
    void downloadsBrokenByAnErrorAndByAnEarlyEndAreResumedByteExact() throws IOException {
        breaks.add(new Break(30_001, new IOException("Connection reset")));
        breaks.add(new Break(70_000, null)); // the body ends before Content-Length
        breaks.add(new Break(70_123, SdkClientException.create("Premature end of Content-Length delimited message body")));

        ResumingStream in = stream();
        assertThat(readAll(in)).isEqualTo(object);

        assertThat(asked).containsExactly(30_001L, 70_000L, 70_123L);
        assertThat(in.resumes()).isEqualTo(3);
        assertThat(in.position()).isEqualTo(object.length);
        assertThat(resumed).containsExactly("1@30001: Connection reset",
                "2@70000: the connection ended after byte 70000 of 100000",
                "3@70123: Premature end of Content-Length delimited message body");
        assertThat(pauses).as("bytes came between the breaks: each is a first attempt").containsExactly(200L, 200L, 200L);
        assertThat(opened.subList(0, 3)).allSatisfy(c -> assertThat(c.closed).as("the broken body is let go").isTrue());
    }

    @Test
    void singleByteReadsAreResumedByteExactToo() throws IOException {
        breaks.add(new Break(1, new IOException("Connection reset")));
        breaks.add(new Break(99_999, null));

        ResumingStream in = stream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
        }
        assertThat(out.toByteArray()).isEqualTo(object);
        assertThat(asked).containsExactly(1L, 99_999L);
    }

    @Test
    void theGzipDecoderGetsTheWholeFileAcrossBreaks() throws IOException {
        StringBuilder csv = new StringBuilder("ts,srcIp,dstIp\n");
        for (int i = 0; i < 20_000; i++) {
            csv.append(1_525_876_221 + i).append(",10.0.").append(i % 250).append('.').append(i % 199).append(",8.8.8.8\n");
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] gzip = gz.toByteArray();
        byte[][] holder = {gzip};
        breaks.add(new Break(gzip.length / 3, new IOException("Connection reset")));
        breaks.add(new Break(2L * gzip.length / 3, null));
        reopener = p -> {
            asked.add(p);
            return new ResumingStream.Rest(new Chunks(holder[0], p, breaks.poll()), 206,
                    "bytes " + p + "-" + (gzip.length - 1) + "/" + gzip.length);
        };
        ResumingStream in = new ResumingStream(SOURCE, new Chunks(gzip, 0, breaks.poll()), gzip.length,
                p -> reopener.from(p), readingTime, (p, s, r, why) -> { }, pauses::add);

        assertThat(new String(Decompression.open(in).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(csv.toString());
        assertThat(in.resumes()).isEqualTo(2);
    }

    @Test
    void aVersionReplacedBeforeTheResumeIsTheReplacedObjectsFailure() {
        breaks.add(new Break(50_000, new IOException("Connection reset")));
        reopener = p -> {
            throw new ObjectGoneException(SOURCE + " was replaced by a new version while it was loaded", true);
        };
        ResumingStream in = stream();

        Failure result = readUntilFailure(in);
        assertThat(result.read()).isEqualTo(prefix(50_000));
        assertThat(result.error()).isInstanceOfSatisfying(ObjectGoneException.class,
                e -> assertThat(e.replaced()).isTrue());
        assertThatThrownBy(() -> in.read(new byte[10])).as("and stays failed").isSameAs(result.error());
        assertThat(pauses).as("no second attempt at a replaced version").containsExactly(200L);
    }

    @Test
    void aWholeObjectAnsweredToARangedRequestIsNotAppended() {
        breaks.add(new Break(40_000, null));
        Chunks[] whole = new Chunks[1];
        reopener = p -> {
            whole[0] = new Chunks(object, 0, null);
            return new ResumingStream.Rest(whole[0], 200, null);
        };
        ResumingStream in = stream();

        Failure result = readUntilFailure(in);
        assertThat(result.read()).as("nothing after the break").isEqualTo(prefix(40_000));
        assertThat(result.error()).isInstanceOf(DownloadBrokenException.class)
                .hasMessage("the download of s3://b/raw/x.csv.gz ended after 40000 of 100000 bytes, resumed 0 times:"
                        + " asked for the rest from byte 40000, the answer was HTTP 200 with the whole object instead"
                        + " of 206 with the rest: not appended (last break: the connection ended after byte 40000 of"
                        + " 100000)");
        assertThat(whole[0].closed).isTrue();
        assertThat(resumed).isEmpty();
    }

    @Test
    void aRangeThatDoesNotStartWhereAskedIsNotAppended() {
        breaks.add(new Break(40_000, new IOException("Connection reset")));
        reopener = p -> new ResumingStream.Rest(new Chunks(object, p - 100, null), 206,
                "bytes " + (p - 100) + "-99999/100000");
        ResumingStream in = stream();

        Failure result = readUntilFailure(in);
        assertThat(result.read()).isEqualTo(prefix(40_000));
        assertThat(result.error()).isInstanceOf(DownloadBrokenException.class)
                .hasMessageContaining("the answer's Content-Range was bytes 39900-99999/100000 instead of bytes"
                        + " 40000-99999/100000: not appended");
    }

    @Test
    void threeAttemptsInARowWithoutAByteEndTheDownloadSayingHowOftenItWasResumed() {
        breaks.add(new Break(30_000, new IOException("Connection reset")));
        breaks.add(new Break(60_000, new IOException("Connection reset")));
        breaks.add(new Break(60_000, new IOException("Connection reset by peer"))); // reopened, broke at once
        int[] calls = {0};
        reopener = p -> {
            if (++calls[0] <= 2) {
                return rest(p);
            }
            throw new IOException("GetObject s3://b/raw/x.csv.gz failed: Connection refused");
        };
        ResumingStream in = stream();

        Failure result = readUntilFailure(in);
        assertThat(result.read()).isEqualTo(prefix(60_000));
        assertThat(result.error()).isInstanceOf(DownloadBrokenException.class)
                .hasMessage("the download of s3://b/raw/x.csv.gz ended after 60000 of 100000 bytes, resumed 2 times:"
                        + " 3 attempts in a row to resume it at byte 60000 brought no byte (last break: resuming at"
                        + " byte 60000 failed: GetObject s3://b/raw/x.csv.gz failed: Connection refused)");
        assertThat(pauses).containsExactly(200L, 200L, 1_000L, 3_000L);
        assertThat(calls[0]).isEqualTo(4);
        assertThatThrownBy(() -> in.read(new byte[10])).as("given up for good: no more requests")
                .isSameAs(result.error());
        assertThat(calls[0]).isEqualTo(4);
    }

    @Test
    void aDownloadThatBreaksOftenButMovesOnEachTimeIsReadToTheEnd() throws IOException {
        for (int at = 1_000; at < object.length; at += 1_000) {
            breaks.add(new Break(at, new IOException("Connection reset")));
        }
        ResumingStream in = stream();

        assertThat(readAll(in)).isEqualTo(object);
        assertThat(in.resumes()).isEqualTo(99);
        assertThat(pauses).hasSize(99).containsOnly(200L);
    }

    @Test
    void noResumeWhenTheReadingTimeLeftIsShorterThanThePause() {
        breaks.add(new Break(10_000, new IOException("Connection reset")));
        readingTime = () -> 150;
        ResumingStream in = stream();

        Failure result = readUntilFailure(in);
        assertThat(result.error()).isInstanceOf(DownloadBrokenException.class)
                .hasMessage("the download of s3://b/raw/x.csv.gz ended after 10000 of 100000 bytes, resumed 0 times:"
                        + " too little time left before the load's time margin (LOAD_TIME_MARGIN_MS) to resume it"
                        + " (last break: Connection reset)");
        assertThat(asked).isEmpty();
        assertThat(pauses).isEmpty();
    }

    @Test
    void anErrorAfterTheLastByteIsPassedOnNotResumed() {
        // a check of the body at its end (the SDK's checksum validation, where it runs): an error there must not pass
        // as the end
        breaks.add(new Break(object.length, SdkClientException.create("Data read has a different checksum than expected")));
        ResumingStream in = stream();

        Failure result = readUntilFailure(in);
        assertThat(result.read()).isEqualTo(object);
        assertThat(result.error()).hasMessage("reading the object failed: Data read has a different checksum than"
                + " expected");
        assertThat(asked).isEmpty();
    }

    @Test
    void withoutAPinnedVersionNothingIsResumed() {
        breaks.add(new Break(10_000, null));
        ResumingStream in = new ResumingStream(SOURCE, download(0), object.length, null, readingTime,
                (p, s, r, why) -> resumed.add(why), pauses::add);

        Failure result = readUntilFailure(in);
        assertThat(result.error()).isInstanceOf(DownloadBrokenException.class)
                .hasMessageContaining("resumed 0 times: the first answer had no ETag to pin the rest to the same"
                        + " version");
        assertThat(pauses).isEmpty();
    }

    @Test
    void anObjectOfUnknownLengthEndsWhereItsBodyEnds() throws IOException {
        breaks.add(new Break(10_000, null));
        ResumingStream in = new ResumingStream(SOURCE, download(0), -1, p -> reopener.from(p), readingTime,
                (p, s, r, why) -> resumed.add(why), pauses::add);

        assertThat(readAll(in)).as("the load's byte count cannot tell either").isEqualTo(prefix(10_000));
        assertThat(asked).isEmpty();
    }

    @Test
    void availableNeverThrows() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Connection reset");
            }

            @Override
            public int available() throws IOException {
                throw new IOException("Connection reset");
            }
        };
        ResumingStream in = new ResumingStream(SOURCE, failing, 10, p -> reopener.from(p), readingTime,
                (p, s, r, why) -> { }, pauses::add);
        assertThat(in.available()).isZero();
    }

    // --- the whole object's checksum, across resumes ---

    private final List<String> mismatches = new ArrayList<>();

    /** The object's CRC-32 as S3 writes it: the four bytes, big-endian, in base64 — computed by the JDK, not the SDK. */
    private static String crc32(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        return java.util.Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4)
                .putInt((int) crc.getValue()).array());
    }

    private ResumingStream checkedStream(ObjectChecksum checksum) {
        return new ResumingStream(SOURCE, download(0), object.length, p -> reopener.from(p), readingTime,
                (position, size, resumes, reason) -> resumed.add(resumes + "@" + position + ": " + reason),
                pauses::add, checksum, (algorithm, expected, actual, size, resumes) -> mismatches.add(algorithm + " "
                        + expected + " " + actual + " " + size + " " + resumes));
    }

    /** The rest from {@code position}, one byte in it changed (at {@code changedAt} of the object). */
    private ResumingStream.Reopener changedRest(int changedAt) {
        byte[] changed = object.clone();
        changed[changedAt] ^= 0x20;
        return p -> {
            asked.add(p);
            return new ResumingStream.Rest(new Chunks(changed, p, breaks.poll()), 206,
                    "bytes " + p + "-" + (object.length - 1) + "/" + object.length);
        };
    }

    @Test
    void theRightBytesAcrossResumesMatchTheWholeObjectsChecksum() throws IOException {
        breaks.add(new Break(30_001, new IOException("Connection reset")));
        breaks.add(new Break(70_000, null));

        ResumingStream in = checkedStream(ObjectChecksum.expecting("CRC32", crc32(object)));
        assertThat(readAll(in)).isEqualTo(object);
        assertThat(in.read()).as("the end stays the end").isEqualTo(-1);

        assertThat(in.resumes()).isEqualTo(2);
        assertThat(mismatches).isEmpty();
        assertThat(in.failure()).isNull();
    }

    @Test
    void singleByteReadsCountInTheChecksumToo() throws IOException {
        breaks.add(new Break(1, new IOException("Connection reset")));
        ResumingStream in = checkedStream(ObjectChecksum.expecting("CRC32", crc32(object)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[777];
        int b;
        while ((b = in.read()) >= 0) { // one byte, then a block, and so on
            out.write(b);
            int n = in.read(buf);
            if (n > 0) {
                out.write(buf, 0, n);
            }
        }
        assertThat(out.toByteArray()).isEqualTo(object);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void aChangedByteInAResumedRangeFailsTheDownloadAtItsEndSayingSo() {
        breaks.add(new Break(40_000, new IOException("Connection reset")));
        reopener = changedRest(65_432);
        String expected = crc32(object);
        byte[] changed = object.clone();
        changed[65_432] ^= 0x20;

        ResumingStream in = checkedStream(ObjectChecksum.expecting("CRC32", expected));
        Failure result = readUntilFailure(in);

        assertThat(result.read()).as("every byte handed on, the changed one among them").isEqualTo(changed);
        assertThat(result.error()).isInstanceOf(DownloadBrokenException.class)
                .hasMessage("the download of " + SOURCE + " read all 100000 bytes, resumed 1 time, but their CRC32 is "
                        + crc32(changed) + " where S3 gave " + expected + " for the object: bytes were changed on the"
                        + " way, the object is to be read again");
        assertThat(mismatches).containsExactly("CRC32 " + expected + " " + crc32(changed) + " 100000 1");
        assertThat(in.failure()).as("what the loader asks when a reader swallowed it").isSameAs(result.error());
        assertThatThrownBy(in::read).as("and every read since").isSameAs(result.error());
        assertThat(mismatches).as("told once").hasSize(1);
    }

    @Test
    void aChangedByteInAnUncutDownloadFailsItToo() {
        byte[] changed = object.clone();
        changed[5] ^= 0x01;
        InputStream first = new Chunks(changed, 0, null);
        ResumingStream in = new ResumingStream(SOURCE, first, object.length, p -> reopener.from(p), readingTime,
                (p, s, r, why) -> resumed.add(why), pauses::add, ObjectChecksum.expecting("CRC32", crc32(object)),
                (algorithm, expected, actual, size, resumes) -> mismatches.add(algorithm));

        assertThat(readUntilFailure(in).error()).isInstanceOf(DownloadBrokenException.class)
                .hasMessageContaining("read all 100000 bytes, resumed 0 times, but their CRC32 is");
        assertThat(mismatches).containsExactly("CRC32");
    }

    @Test
    void withoutAChecksumAChangedResumedRangeIsReadAsItCameAsBefore() throws IOException {
        breaks.add(new Break(40_000, new IOException("Connection reset")));
        reopener = changedRest(65_432);

        ResumingStream in = checkedStream(null);
        byte[] read = readAll(in);

        assertThat(read).as("nothing to compare with: the known gap").isNotEqualTo(object).hasSize(object.length);
        assertThat(in.failure()).isNull();
        assertThat(mismatches).isEmpty();
    }

    @Test
    void aGzipReaderThatEndsOnItsOwnStillGetsTheMismatch() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("ts,srcIp\n1,10.0.0.1\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] gzip = gz.toByteArray();
        // the gzip data is intact (its own CRC-32 passes), the object's checksum says otherwise: the check is S3's
        ResumingStream in = new ResumingStream(SOURCE, new Chunks(gzip, 0, null), gzip.length, p -> reopener.from(p),
                readingTime, (p, s, r, why) -> { }, pauses::add, ObjectChecksum.expecting("CRC32", crc32(object)),
                (algorithm, expected, actual, size, resumes) -> mismatches.add(algorithm));

        InputStream decoded = Decompression.open(in);
        try {
            decoded.readAllBytes();
        } catch (IOException e) {
            assertThat(e).isInstanceOf(DownloadBrokenException.class); // reached the reader
        }
        assertThat(in.failure()).as("reached the reader or not, the loader finds it").isInstanceOf(
                DownloadBrokenException.class).hasMessageContaining("but their CRC32 is");
        assertThat(mismatches).containsExactly("CRC32");
    }

    // --- telling a download damaged on the way from a corrupt object, when a decoder gave up ---

    /** Reads {@code n} bytes of {@code in}, as a decoder that gives up there would. */
    private static void readSome(InputStream in, int n) throws IOException {
        byte[] buf = new byte[1000];
        int left = n;
        while (left > 0) {
            left -= in.read(buf, 0, Math.min(buf.length, left));
        }
    }

    @Test
    void bytesChangedInAResumedRangeAreFoundOnTheWayWhenTheRestIsReadForTheChecksum() throws IOException {
        breaks.add(new Break(40_000, new IOException("Connection reset")));
        reopener = changedRest(45_000);
        breaks.add(new Break(70_000, null)); // the rest breaks again while it is read for the checksum
        byte[] changed = object.clone();
        changed[45_000] ^= 0x20;
        String expected = crc32(object);

        ResumingStream in = checkedStream(ObjectChecksum.expecting("CRC32", expected));
        readSome(in, 50_000); // the decoder gave up here
        assertThatThrownBy(in::verifyRest).isInstanceOf(DownloadBrokenException.class)
                .hasMessage("the download of " + SOURCE + " read all 100000 bytes, resumed 2 times, but their CRC32 is "
                        + crc32(changed) + " where S3 gave " + expected + " for the object: bytes were changed on the"
                        + " way, the object is to be read again");

        assertThat(asked).as("the rest read to its end, resumed where it broke").containsExactly(40_000L, 70_000L);
        assertThat(in.position()).isEqualTo(object.length);
        assertThat(mismatches).as("the ERROR line's listener, told once")
                .containsExactly("CRC32 " + expected + " " + crc32(changed) + " 100000 2");
        assertThat(in.failure()).isInstanceOf(DownloadBrokenException.class);
    }

    @Test
    void aChangeAfterWhereTheDecoderGaveUpIsFoundToo() throws IOException {
        breaks.add(new Break(40_000, new IOException("Connection reset")));
        reopener = changedRest(90_000);

        ResumingStream in = checkedStream(ObjectChecksum.expecting("CRC32", crc32(object)));
        readSome(in, 41_000);
        assertThatThrownBy(in::verifyRest).isInstanceOf(DownloadBrokenException.class)
                .hasMessageContaining("bytes were changed on the way");
        assertThat(mismatches).hasSize(1);
    }

    @Test
    void bytesThatMatchTheChecksumAreTheObjectsOwn() throws IOException {
        breaks.add(new Break(40_000, null));

        ResumingStream in = checkedStream(ObjectChecksum.expecting("CRC32", crc32(object)));
        readSome(in, 50_000);

        assertThat(in.verifyRest()).as("the object itself is corrupt: the algorithm that says so").isEqualTo("CRC32");
        assertThat(in.position()).isEqualTo(object.length);
        assertThat(in.failure()).isNull();
        assertThat(mismatches).isEmpty();
        assertThat(in.read()).as("the end, checked once").isEqualTo(-1);
    }

    @Test
    void aStreamReadToItsEndIsVerifiedWithoutAnotherRead() throws IOException {
        ResumingStream in = checkedStream(ObjectChecksum.expecting("CRC32", crc32(object)));
        readSome(in, object.length); // the decoder failed on the last bytes (a gzip trailer), before the end was read
        assertThat(in.verifyRest()).isEqualTo("CRC32");
        assertThat(opened).hasSize(1);
    }

    @Test
    void withoutAChecksumNothingIsReadToTellTheTwoApart() throws IOException {
        ResumingStream in = checkedStream(null);
        readSome(in, 50_000);

        assertThat(in.verifyRest()).as("no checksum: the decoder's verdict stands").isNull();
        assertThat(in.position()).as("the rest not read").isEqualTo(50_000);
    }

    @Test
    void theRestIsNotReadPastTheReadingTime() throws IOException {
        java.util.concurrent.atomic.AtomicLong left = new java.util.concurrent.atomic.AtomicLong(600_000);
        readingTime = left::get;
        ResumingStream in = checkedStream(ObjectChecksum.expecting("CRC32", crc32(object)));
        readSome(in, 50_000);
        left.set(0);

        assertThatThrownBy(in::verifyRest).as("not a broken download: the load hands the file to a continuation")
                .isInstanceOf(NoTimeToVerifyException.class)
                .hasMessage("the download of " + SOURCE + " was read to byte 50000 of 100000, resumed 0 times: too"
                        + " little time left before the load's time margin (LOAD_TIME_MARGIN_MS) to read the rest and"
                        + " compare the object's CRC32, which tells bytes changed on the way from a corrupt object");
        assertThat(in.position()).isEqualTo(50_000);
        assertThat(mismatches).isEmpty();
    }

    @Test
    void aRestThatCannotBeResumedLeavesItUntold() throws IOException {
        breaks.add(new Break(60_000, new IOException("Connection reset")));
        reopener = p -> {
            throw new IOException("Connection refused");
        };
        ResumingStream in = checkedStream(ObjectChecksum.expecting("CRC32", crc32(object)));
        readSome(in, 50_000);

        assertThatThrownBy(in::verifyRest).isInstanceOf(DownloadBrokenException.class)
                .hasMessageContaining("ended after 60000 of 100000 bytes, resumed 0 times: 3 attempts in a row");
        assertThat(mismatches).isEmpty();
    }

    @Test
    void aVersionReplacedBeforeTheRestIsReadIsTheReplacedObjectsFailure() throws IOException {
        breaks.add(new Break(60_000, null));
        reopener = p -> {
            throw new ObjectGoneException(SOURCE + " was replaced by a new version while it was loaded", true);
        };
        ResumingStream in = checkedStream(ObjectChecksum.expecting("CRC32", crc32(object)));
        readSome(in, 50_000);

        assertThatThrownBy(in::verifyRest).isInstanceOf(ObjectGoneException.class);
    }

    /**
     * The case it is for: a gzip whose resumed rest was changed on the way. A changed bit in deflate data rarely
     * breaks the inflater: it decodes on into changed text, and the member's CRC-32 fails ("Corrupt GZIP trailer")
     * before the trailer's last four bytes are read — so the end of the data, where the checksum was compared, is
     * never reached by the decoder.
     */
    @Test
    void aGzipBrokenByAChangeInItsResumedRestIsToldFromACorruptOne() throws IOException {
        StringBuilder text = new StringBuilder("ts,srcIp,host\n");
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            text.append(1_525_876_221 + i).append(",10.0.").append(random.nextInt(250)).append('.')
                    .append(random.nextInt(250)).append(",host").append(random.nextInt(1000)).append(".example\n");
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] gzip = gz.toByteArray();
        int changedAt = gzip.length / 2;
        byte[] changed = gzip.clone();
        changed[changedAt] ^= 0x20;
        int cut = gzip.length / 3;
        ResumingStream in = new ResumingStream(SOURCE, new Chunks(gzip, 0, new Break(cut, null)), gzip.length,
                p -> new ResumingStream.Rest(new Chunks(changed, p, null), 206,
                        "bytes " + p + "-" + (gzip.length - 1) + "/" + gzip.length),
                readingTime, (p, s, r, why) -> { }, pauses::add, ObjectChecksum.expecting("CRC32", crc32(gzip)),
                (algorithm, expected, actual, size, resumes) -> mismatches.add(algorithm));

        assertThatThrownBy(() -> Decompression.open(in).readAllBytes()).as("the decoder breaks on the change")
                .isInstanceOf(java.util.zip.ZipException.class);
        assertThatThrownBy(in::verifyRest).isInstanceOf(DownloadBrokenException.class)
                .hasMessageContaining("resumed 1 time, but their CRC32 is " + crc32(changed));
        assertThat(mismatches).containsExactly("CRC32");
    }

    @Test
    void theChecksumIsTheOneS3Gave() {
        byte[] bytes = "ts,srcIp\n1,10.0.0.1\n".getBytes(StandardCharsets.UTF_8);
        ObjectChecksum crc32 = ObjectChecksum.of(software.amazon.awssdk.services.s3.model.GetObjectResponse.builder()
                .checksumCRC32(crc32(bytes)).checksumType("FULL_OBJECT").build());
        crc32.update(bytes, 0, bytes.length);
        assertThat(crc32.algorithm()).isEqualTo("CRC32");
        assertThat(crc32.matches()).isTrue();

        ObjectChecksum sha256 = ObjectChecksum.of(software.amazon.awssdk.services.s3.model.GetObjectResponse.builder()
                .checksumSHA256(sha256(bytes)).build());
        for (byte b : bytes) {
            sha256.update(b);
        }
        assertThat(sha256.algorithm()).isEqualTo("SHA256");
        assertThat(sha256.matches()).isTrue();

        assertThat(ObjectChecksum.of(software.amazon.awssdk.services.s3.model.GetObjectResponse.builder()
                .checksumCRC32C("AAAAAA==").build()).algorithm()).isEqualTo("CRC32C");
        assertThat(ObjectChecksum.of(software.amazon.awssdk.services.s3.model.GetObjectResponse.builder()
                .checksumSHA1("2jmj7l5rSw0yVb/vlWAYkK/YBwk=").build()).algorithm()).isEqualTo("SHA1");
    }

    @Test
    void compositeNativeOnlyOrNoChecksumIsNotChecked() {
        var response = software.amazon.awssdk.services.s3.model.GetObjectResponse.builder();
        assertThat(ObjectChecksum.of(response.build())).as("none").isNull();
        assertThat(ObjectChecksum.of(response.checksumCRC32("lyJtgA==-3").build()))
                .as("a multipart upload's checksum of its parts' checksums").isNull();
        assertThat(ObjectChecksum.of(response.checksumCRC32("lyJtgA==").checksumType("COMPOSITE").build()))
                .as("said to be composite").isNull();
        assertThat(ObjectChecksum.of(software.amazon.awssdk.services.s3.model.GetObjectResponse.builder()
                .checksumCRC64NVME("AAAAAAAAAAA=").checksumType("FULL_OBJECT").build()))
                .as("CRC64NVME needs the native aws-crt library").isNull();
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.Base64.getEncoder().encodeToString(
                    java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
