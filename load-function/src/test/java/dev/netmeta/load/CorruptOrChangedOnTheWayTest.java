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

    private final InMemoryPorts ports = new InMemoryPorts();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final AtomicInteger verified = new AtomicInteger();
    private final AtomicBoolean streamClosed = new AtomicBoolean();
    private final AtomicBoolean closedBeforeTheRestWasRead = new AtomicBoolean();

    /** What {@link SourceObject#verifyRest} does: return its verdict or throw. */
    @FunctionalInterface
    private interface Verdict {
        boolean verify() throws IOException;
    }

    private LoadService service(Verdict verdict, ScriptedBulkTransport transport) {
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
                    public boolean verifyRest() throws IOException {
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
                ports, ports, ports, () -> { }, new FakeStaleDocuments(),
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

        List<LoadReport> reports = service(() -> true, new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()); // returns: nothing to retry

        LoadReport report = reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.retryable()).isFalse();
        assertThat(report.error()).as("as before").isEqualTo("corrupt or truncated input after 3000 records: Corrupt"
                + " GZIP trailer");
        assertThat(report.failedAtByte()).isEqualTo((long) file.length);
        assertThat(verified).hasValue(1);
    }

    @Test
    void withoutAChecksumToTellTheFailureIsForGoodAsBefore() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(3000));

        LoadReport report = service(() -> false, new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.retryable()).isFalse();
        assertThat(report.error()).isEqualTo("corrupt or truncated input after 3000 records: Corrupt GZIP trailer");
        assertThat(report.failedAtByte()).isNotNull();
    }

    @Test
    void aRestThatCouldNotBeReadToTellFailsRetryablySayingWhy() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzipWithABadTrailer(3000));
        String untold = "the download of s3://b/raw/x.csv.gz was read to byte 5 of 9, resumed 0 times: too little time"
                + " left before the load's time margin (LOAD_TIME_MARGIN_MS) to read the rest and compare the object's"
                + " CRC32C, which tells bytes changed on the way from a corrupt object: the object is to be read again";

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

        assertThatThrownBy(() -> service(() -> true, new ScriptedBulkTransport(id -> 201))
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

        LoadReport report = service(() -> true, new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(verified).hasValue(0);
    }
}
