package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * When the decoder finds the data corrupt, the object's whole-object checksum (read to its end by
 * {@link SourceObject#verifyRest}) tells whether the object is corrupt — a failure for good, as before — or its bytes
 * were changed on the way (or could not be read to tell): a retryable failure, since the object in S3 may be whole.
 */
class CorruptOrChangedOnTheWayTest {

    private static final String BUCKET = "b";
    private static final String KEY = "raw/x.csv.gz";
    private static final String MISMATCH = "the download of s3://b/raw/x.csv.gz read all 9 bytes, resumed 1 time, but"
            + " their CRC32C is AAAAAA== where S3 gave BBBBBB== for the object: bytes were changed on the way, the"
            + " object is to be read again";
    private static final String MATCHED = "the object's CRC32C matches every byte read: the object itself is corrupt";
    private static final String NO_TIME = "the download of s3://b/raw/x.csv.gz was read to byte 5 of 9, resumed 0"
            + " times: too little time left before the load's time margin (LOAD_TIME_MARGIN_MS) to read the rest and"
            + " compare the object's CRC32C, which tells bytes changed on the way from a corrupt object";

    private final InMemoryPorts ports = new InMemoryPorts();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final AtomicInteger verified = new AtomicInteger();
    private final AtomicBoolean streamClosed = new AtomicBoolean();
    private final AtomicBoolean closedBeforeTheRestWasRead = new AtomicBoolean();

    /** What {@link SourceObject#verifyRest} does: return its verdict (the algorithm that matched, or null) or throw. */
    @FunctionalInterface
    private interface Verdict {
        String verify() throws IOException;
    }

    private LoadService service(Verdict verdict, ScriptedBulkTransport transport) {
        return service(verdict, transport, ports);
    }

    private LoadService service(Verdict verdict, ScriptedBulkTransport transport, ContinuationScheduler continuations) {
        ObjectSource source = new ObjectSource() {
            @Override
            public SourceObject open(String bucket, String key, String eTag, Deadline readingTime) throws IOException {
                SourceObject inner = ports.open(bucket, key, eTag, readingTime);
                InputStream stream = new FilterInputStream(inner.stream()) {
                    @Override
                    public void close() throws IOException {
                        streamClosed.set(true);
                        super.close();
                    }
                };
                return new ForwardingSourceObject(inner) {
                    @Override
                    public InputStream stream() {
                        return stream;
                    }

                    @Override
                    public String verifyRest() throws IOException {
                        verified.incrementAndGet();
                        closedBeforeTheRestWasRead.set(streamClosed.get());
                        return verdict.verify();
                    }
                };
            }

            @Override
            public ObjectVersion currentVersion(String bucket, String key) {
                return ports.currentVersion(bucket, key);
            }
        };
        Map<String, String> env = new HashMap<>();
        env.put("BULK_MAX_DOCS", "500");
        return new LoadService(LoadSettings.from(new dev.netmeta.model.Env(env)), source,
                new OpenSearchBulkIndexer(transport, 500, 1 << 20, 2, new Backoff(1, 2, 3)),
                ports, ports, continuations, () -> { }, new FakeStaleDocuments(),
                new LoadLog(new PrintStream(logs, true, StandardCharsets.UTF_8)), Clock.systemUTC());
    }

    /** {@code rows} CSV rows, gzipped, the gzip trailer's CRC-32 changed: the decoder fails at the very end. */
    private static byte[] gzipWithABadTrailer(int rows) throws IOException {
        StringBuilder sb = new StringBuilder("ts,Src IP,Dst IP,Dst Port,host\n");
        for (int i = 0; i < rows; i++) {
            sb.append(1_525_876_221 + i).append(",10.0.").append(i / 250 % 250).append('.').append(i % 250)
                    .append(",8.8.8.8,53,host").append(i).append(".example\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] gzip = out.toByteArray();
        gzip[gzip.length - 8] ^= 0x01; // the first byte of the trailer's CRC-32
        return gzip;
    }

    private LoadReport lastReport() {
        return ports.reports.get(ports.reports.size() - 1);
    }

    @Test
    void corruptDataWhoseBytesDoNotMatchTheObjectsChecksumFailsRetryably() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(3000));
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);

        assertThatThrownBy(() -> service(() -> {
            throw new DownloadBrokenException(MISMATCH, null);
        }, transport).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .as("Lambda retries the event").isInstanceOf(LoadFailedException.class)
                .hasMessageContaining("bytes were changed on the way");

        LoadReport report = lastReport();
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.retryable()).isTrue();
        assertThat(report.error()).isEqualTo("corrupt or truncated input after 3000 records: Corrupt GZIP trailer; "
                + MISMATCH);
        assertThat(report.failedAtByte()).as("not the file's break: the download's").isNull();
        assertThat(report.indexed()).as("the records before the break stay indexed; the retry writes them again")
                .isEqualTo(3000);
        assertThat(transport.stored).hasSize(3000);
        assertThat(verified).hasValue(1);
        assertThat(closedBeforeTheRestWasRead).as("the decoder, closed before its failure is handled, leaves the"
                + " object's stream open to read the rest from (a closed one would be resumed: a request more, and a"
                + " 'load download resumed' line for a break that was none)").isFalse();
    }

    @Test
    void corruptDataThatMatchesTheObjectsChecksumIsTheObjectsOwnAndFailsForGood() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(3000));
        byte[] file = ports.objects.get(BUCKET + "/" + KEY);

        List<LoadReport> reports = service(() -> "CRC32C", new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()); // returns: nothing to retry

        LoadReport report = reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.retryable()).isFalse();
        assertThat(report.error()).as("as before, saying that the bytes were checked").isEqualTo("corrupt or truncated"
                + " input after 3000 records: Corrupt GZIP trailer; " + MATCHED);
        assertThat(report.failedAtByte()).isEqualTo((long) file.length);
        assertThat(verified).hasValue(1);
    }

    @Test
    void withoutAChecksumToTellTheFailureIsForGoodAsBefore() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(3000));

        LoadReport report = service(() -> null, new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.retryable()).isFalse();
        assertThat(report.error()).isEqualTo("corrupt or truncated input after 3000 records: Corrupt GZIP trailer");
        assertThat(report.failedAtByte()).isNotNull();
    }

    @Test
    void aRestThatCouldNotBeReadToTellFailsRetryablySayingWhy() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(3000));
        String untold = "the download of s3://b/raw/x.csv.gz ended after 5 of 9 bytes, resumed 0 times: 3 attempts in a"
                + " row to resume it at byte 5 brought no byte (last break: Connection reset)";

        assertThatThrownBy(() -> service(() -> {
            throw new DownloadBrokenException(untold, null);
        }, new ScriptedBulkTransport(id -> 201)).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class);

        assertThat(lastReport().retryable()).isTrue();
        assertThat(lastReport().error()).isEqualTo("corrupt or truncated input after 3000 records: Corrupt GZIP trailer; "
                + untold);
    }

    @Test
    void anObjectDeletedBeforeTheRestWasReadFailsForGood() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(100));

        LoadReport report = service(() -> {
            throw new ObjectGoneException("s3://b/raw/x.csv.gz no longer exists");
        }, new ScriptedBulkTransport(id -> 201)).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.retryable()).isFalse();
        assertThat(report.error()).endsWith("Corrupt GZIP trailer; s3://b/raw/x.csv.gz no longer exists");
    }

    @Test
    void aMalformedFileWhoseBytesWereChangedOnTheWayFailsRetryablyToo() {
        ports.objects.put(BUCKET + "/conn.log", ("#separator \\xZZ\n#fields\tts\tid.orig_h\n1525876221.1\t10.0.0.1\n")
                .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> service(() -> {
            throw new DownloadBrokenException(MISMATCH, null);
        }, new ScriptedBulkTransport(id -> 201)).load(InMemoryPorts.event(BUCKET, "conn.log"), Deadline.none()))
                .isInstanceOf(LoadFailedException.class);

        assertThat(lastReport().error()).startsWith("malformed zeek-tsv input after 0 records, line 1: invalid escape")
                .endsWith("; " + MISMATCH);
        assertThat(lastReport().retryable()).isTrue();
    }

    @Test
    void aDownloadCutShortIsRetriedWithoutReadingTheRest() throws IOException {
        byte[] whole = gzipWithABadTrailer(3000);
        ports.objects.put(BUCKET + "/" + KEY, whole);
        ports.cutAfter.put(BUCKET + "/" + KEY, whole.length / 2);

        assertThatThrownBy(() -> service(() -> "CRC32C", new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none())).isInstanceOf(LoadFailedException.class);

        assertThat(lastReport().error()).isEqualTo("the download of s3://b/raw/x.csv.gz ended after "
                + whole.length / 2 + " of " + whole.length + " bytes");
        assertThat(verified).as("already retryable: nothing to tell").hasValue(0);
    }

    @Test
    void aCleanFileIsNeverReadTwice() throws IOException {
        byte[] file = gzipWithABadTrailer(10);
        file[file.length - 8] ^= 0x01; // the trailer right again
        ports.objects.put(BUCKET + "/" + KEY, file);

        LoadReport report = service(() -> "CRC32C", new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(verified).hasValue(0);
    }

    // --- out of time before the rest was read: a retry would run out of time at the same byte ---

    /** Throws {@link NoTimeToVerifyException} on the first calls, then gives the verdicts that follow. */
    private static Verdict outOfTimeThen(int times, Verdict then) {
        AtomicInteger calls = new AtomicInteger();
        return () -> {
            if (calls.incrementAndGet() <= times) {
                throw new NoTimeToVerifyException(NO_TIME);
            }
            return then.verify();
        };
    }

    /**
     * Found late in a pass, the rest could not be read in time: the pass failed retryably, and Lambda's retry started
     * where it had started, decoded as long and ran out of time at the same byte — twice, then the dead-letter queue,
     * with no final report. Now the file continues from the break, and the continuation tells it with a fresh clock.
     */
    @Test
    void aCorruptFileFoundTooLateToCheckContinuesFromTheBreakAndItsContinuationTellsIt() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(3000));
        byte[] file = ports.objects.get(BUCKET + "/" + KEY);
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);
        LoadService service = service(outOfTimeThen(1, () -> "CRC32C"), transport);

        LoadReport first = service.load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0); // nothing to retry

        assertThat(first.status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(first.nextPosition()).as("the record after the last one read: the break").isEqualTo(3000);
        assertThat(first.error()).isNull();
        assertThat(first.failedAtByte()).isNull();
        assertThat(ports.continuations).singleElement().satisfies(c -> assertThat(c.getNextPosition()).isEqualTo(3000));

        LoadReport last = service.resume(ports.continuations.get(0), Deadline.none());

        assertThat(last.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(last.retryable()).isFalse();
        assertThat(last.error()).isEqualTo("corrupt or truncated input after 3000 records: Corrupt GZIP trailer; "
                + MATCHED);
        assertThat(last.failedAtByte()).isEqualTo((long) file.length);
        assertThat(last.invocations()).isEqualTo(2);
        assertThat(last.rowsRead()).isEqualTo(3000);
        assertThat(last.indexed()).as("the records before the break, indexed once").isEqualTo(3000);
        assertThat(transport.stored).hasSize(3000);
        assertThat(verified).hasValue(2);
        assertThat(ports.continuations).as("no continuation of the continuation").hasSize(1);
    }

    @Test
    void aContinuationThatFindsTheBytesChangedOnTheWayFailsRetryably() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(3000));
        LoadService service = service(outOfTimeThen(1, () -> {
            throw new DownloadBrokenException(MISMATCH, null);
        }), new ScriptedBulkTransport(id -> 201));
        service.load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        assertThatThrownBy(() -> service.resume(ports.continuations.get(0), Deadline.none()))
                .as("Lambda retries the continuation").isInstanceOf(LoadFailedException.class);

        assertThat(lastReport().retryable()).isTrue();
        assertThat(lastReport().error()).endsWith("; " + MISMATCH);
    }

    /**
     * A continuation that reached the break without reading a record and still ran out of time: another would do the
     * same, so no loop of continuations (nor the "no progress" refusal): the failure for good of before the check.
     */
    @Test
    void aContinuationOutOfTimeAtTheBreakFailsForGoodUnverified() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(3000));
        byte[] file = ports.objects.get(BUCKET + "/" + KEY);
        LoadService service = service(outOfTimeThen(2, () -> "CRC32C"), new ScriptedBulkTransport(id -> 201));
        service.load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        LoadReport last = service.resume(ports.continuations.get(0), Deadline.none()); // returns: nothing to retry

        assertThat(last.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(last.retryable()).isFalse();
        assertThat(last.error()).isEqualTo("corrupt or truncated input after 3000 records: Corrupt GZIP trailer; "
                + NO_TIME + UNVERIFIED_AT_THE_BREAK);
        assertThat(last.failedAtByte()).isEqualTo((long) file.length);
        assertThat(ports.continuations).hasSize(1);
    }

    /**
     * A first invocation that breaks before its first record and runs out of time to check may have shared its clock
     * with the event's other files (one event can hold several): it hands the file on, and only a continuation that
     * began at the break with a clock of its own and ran out there too fails it for good, unverified.
     */
    @Test
    void aFileThatBreaksBeforeItsFirstRecordGetsOneContinuationThenFailsForGoodUnverified() throws IOException {
        ports.objects.put(BUCKET + "/conn.log", ("#separator \\xZZ\n#fields\tts\tid.orig_h\n1525876221.1\t10.0.0.1\n")
                .getBytes(StandardCharsets.UTF_8));
        LoadService service = service(outOfTimeThen(2, () -> null), new ScriptedBulkTransport(id -> 201));

        LoadReport first = service.load(InMemoryPorts.event(BUCKET, "conn.log"), Deadline.none()).get(0);
        assertThat(first.status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(ports.continuations).hasSize(1);

        LoadReport report = service.resume(ports.continuations.get(0), Deadline.none());
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.retryable()).isFalse();
        assertThat(report.error()).startsWith("malformed zeek-tsv input after 0 records, line 1: invalid escape")
                .endsWith("; " + NO_TIME + UNVERIFIED_AT_THE_BREAK);
        assertThat(report.failedAtByte()).isNotNull();
        assertThat(ports.continuations).hasSize(1);
    }

    /** The end of the error of a continuation that began at the break and ran out of time there too. */
    private static final String UNVERIFIED_AT_THE_BREAK = "; this continuation began at the break with a clock of its own"
            + " and read no record before it, so another would run out of time there too: failed as a corrupt object,"
            + " unverified";

    @Test
    void withoutAContinuationTheFileFailsForGoodUnverifiedSayingWhy() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(3000));
        byte[] file = ports.objects.get(BUCKET + "/" + KEY);

        LoadReport report = service(outOfTimeThen(1, () -> "CRC32C"), new ScriptedBulkTransport(id -> 201),
                continuation -> {
                    throw new IllegalStateException("CONTINUATION_FUNCTION_NAME is not set");
                }).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.retryable()).isFalse();
        assertThat(report.error()).isEqualTo("corrupt or truncated input after 3000 records: Corrupt GZIP trailer; "
                + NO_TIME + "; no continuation to read the rest with a fresh clock (the time ran out and the"
                + " continuation could not be scheduled: CONTINUATION_FUNCTION_NAME is not set): failed as a corrupt"
                + " object, unverified");
        assertThat(report.failedAtByte()).isEqualTo((long) file.length);
    }

    @Test
    void aContinuationThatCouldNotBeStartedForNowLeavesTheFileToLambdasRetry() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(3000));

        assertThatThrownBy(() -> service(outOfTimeThen(1, () -> "CRC32C"), new ScriptedBulkTransport(id -> 201),
                continuation -> {
                    throw new RemoteCallFailedException("invoking loadContinue failed: HTTP 429 (throttled)", null);
                }).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none())).isInstanceOf(LoadFailedException.class);

        assertThat(lastReport().retryable()).isTrue();
        assertThat(lastReport().error()).endsWith("; no continuation to read the rest with a fresh clock (the time ran"
                + " out and the continuation could not be scheduled: invoking loadContinue failed: HTTP 429"
                + " (throttled))");
        assertThat(lastReport().failedAtByte()).as("not known to be the file's break").isNull();
    }
}
