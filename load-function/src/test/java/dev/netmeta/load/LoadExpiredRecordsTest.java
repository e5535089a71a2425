package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * With INDEX_RETENTION_DAYS set, a record whose day is already past the retention is not indexed (it would only
 * create an index the retention deletes) but counted as {@code expired}: neither a reject nor a failure.
 */
class LoadExpiredRecordsTest {

    private static final String BUCKET = "b";
    private static final String KEY = "raw/mixed.csv.gz";
    /** 2018-05-12 10:00 UTC: with 2 days, 2018-05-10 is the oldest day kept. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2018-05-12T10:00:00Z"), ZoneOffset.UTC);
    private static final long DAY = 86_400;
    /** 2018-05-09 14:30:21 UTC. */
    private static final long MAY_9TH = 1_525_876_221;

    private final InMemoryPorts ports = new InMemoryPorts();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);

    @Test
    void recordsPastTheRetentionAreCountedExpiredNotIndexedNotRejected() throws IOException {
        // 2018-05-09 and 05-08 (expired), 05-10 (exactly N days old: kept), 05-11 and 05-12
        ports.objects.put(BUCKET + "/" + KEY, csv(MAY_9TH, MAY_9TH - DAY, MAY_9TH + DAY, MAY_9TH + 2 * DAY,
                MAY_9TH + 3 * DAY, MAY_9TH));
        List<LoadReport> reports = service("2").load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        LoadReport report = reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.rowsRead()).isEqualTo(6);
        assertThat(report.indexed()).isEqualTo(3);
        assertThat(report.expired()).isEqualTo(3);
        assertThat(report.rejected()).isZero();
        assertThat(report.error()).isNull();
        assertThat(transport.indices).containsExactlyInAnyOrder("metadata-2018.05.10", "metadata-2018.05.11",
                "metadata-2018.05.12");
        assertThat(ports.rejects).as("no rejects object").isEmpty();
        assertThat(LoadSummary.of(reports)).isEqualTo("s3://b/raw/mixed.csv.gz SUCCEEDED 3 indexed, 0 rejected,"
                + " 0 skipped, 3 expired (past INDEX_RETENTION_DAYS)");
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"message\":\"load succeeded\"", "\"expired\":3");
    }

    @Test
    void aRecordWithoutTimestampIsExpiredWhenTheObjectsDayIs() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzip("Src IP,Dst IP,host\n10.0.0.1,8.8.8.8,a.example\n"));
        ports.lastModified.put(BUCKET + "/" + KEY, MAY_9TH * 1000);
        LoadReport report = service("2").load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);
        assertThat(report.expired()).isEqualTo(1);
        assertThat(report.indexed()).isZero();
        assertThat(report.status()).as("not a wrong file: nothing rejected").isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(transport.stored).isEmpty();
    }

    @Test
    void aFileOfExpiredRecordsWithOneRejectIsNotAWrongFile() throws IOException {
        // an old but well-formed file: every record parses, is past the retention, and one line is malformed
        String text = new String(ungzip(csv(MAY_9TH, MAY_9TH - DAY, MAY_9TH)), StandardCharsets.UTF_8)
                + "not,a,row\n";
        ports.objects.put(BUCKET + "/" + KEY, gzip(text));
        LoadReport report = service("2").load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);
        assertThat(report.expired()).isEqualTo(3);
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(report.indexed()).isZero();
        assertThat(report.error()).as("3 good records past the retention: not 'no row indexed … not a file of this"
                + " format'").isNull();
        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
    }

    @Test
    void offChangesNothing() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(MAY_9TH, MAY_9TH - 400 * DAY, MAY_9TH + DAY));
        List<LoadReport> reports = service("off").load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());
        assertThat(reports.get(0).indexed()).isEqualTo(3);
        assertThat(reports.get(0).expired()).isNull();
        assertThat(LoadSummary.of(reports)).isEqualTo("s3://b/raw/mixed.csv.gz SUCCEEDED 3 indexed, 0 rejected,"
                + " 0 skipped");
        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("expired");
    }

    /**
     * The first invocation's time runs out with records from 1,500 on unsettled: the pass is cut back to the block
     * start 1,024 with the counts of the records before it — the expired ones too — and the continuation reads the
     * rest: rowsRead = indexed + expired across the cut and the continuation, each record counted once.
     */
    @Test
    void aCutBackKeepsTheExpiredCountOfTheRecordsBeforeTheCutAndTheContinuationCountsOn() throws IOException {
        StringBuilder rows = new StringBuilder("ts,Src IP,Dst IP,Dst Port,host\n");
        for (int i = 0; i < 3_000; i++) {
            long second = i % 3 == 0 ? MAY_9TH : MAY_9TH + 2 * DAY; // every third record past the retention
            rows.append(second).append(",10.0.").append(i / 250).append('.').append(i % 250).append(",8.8.8.8,53,h")
                    .append(i).append(".example\n");
        }
        ports.objects.put(BUCKET + "/" + KEY, gzip(rows.toString()));
        int[] sessions = {0};
        dev.netmeta.load.index.BulkIndexer cutOnce = new dev.netmeta.load.index.BulkIndexer() {
            @Override
            public dev.netmeta.load.index.IndexingSession start(String sourceFile, String sourceVersion,
                    dev.netmeta.load.index.RejectionListener rejections, Deadline deadline, long marginMillis) {
                boolean first = sessions[0]++ == 0;
                long[] added = {0};
                return new dev.netmeta.load.index.IndexingSession() {
                    @Override
                    public void add(String index, String id, long position, long line, Map<String, Object> doc) {
                        added[0]++;
                    }

                    @Override
                    public dev.netmeta.load.index.IndexingResult finish() {
                        return first ? new dev.netmeta.load.index.IndexingResult(0, 0, added[0], null, 1_500L)
                                : new dev.netmeta.load.index.IndexingResult(added[0], 0, 0, null);
                    }
                };
            }

            @Override
            public void close() {
            }
        };
        Map<String, String> env = new HashMap<>();
        env.put("INDEX_RETENTION_DAYS", "2");
        LoadService service = new LoadService(LoadSettings.from(new dev.netmeta.model.Env(env)), ports, cutOnce,
                ports, ports, ports, () -> { }, new FakeStaleDocuments(),
                new LoadLog(new PrintStream(logs, true, StandardCharsets.UTF_8)), CLOCK);

        LoadReport continuing = service.load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);
        assertThat(continuing.status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(continuing.nextPosition()).isEqualTo(1_024);
        assertThat(continuing.rowsRead()).isEqualTo(1_024);
        assertThat(continuing.rejected()).isZero();
        assertThat(continuing.expired()).as("records 0, 3, … 1,023").isEqualTo(342);
        assertThat(continuing.indexed()).isEqualTo(1_024 - 342);
        assertThat(ports.continuations.get(0).getExpired()).isEqualTo(342);

        LoadReport done = service.resume(ports.continuations.get(0), Deadline.none());
        assertThat(done.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(done.rowsRead()).isEqualTo(3_000);
        assertThat(done.expired()).isEqualTo(1_000);
        assertThat(done.indexed()).isEqualTo(2_000);
        assertThat(done.indexed() + done.rejected() + done.skipped() + done.expired() + done.unsettled())
                .isEqualTo(done.rowsRead());
    }

    @Test
    void aContinuationCarriesTheExpiredCountOn() {
        FileProgress progress = FileProgress.fresh(BUCKET, KEY, 0);
        progress.expired = 42;
        assertThat(FileProgress.from(progress.toContinuation()).expired).isEqualTo(42);
    }

    private LoadService service(String retentionDays) {
        Map<String, String> env = new HashMap<>();
        env.put("INDEX_RETENTION_DAYS", retentionDays);
        LoadSettings settings = LoadSettings.from(new dev.netmeta.model.Env(env));
        return new LoadService(settings, ports, new OpenSearchBulkIndexer(transport, 500, 1 << 20, 2,
                new Backoff(1, 2, 3)), ports, ports, ports, () -> { }, new FakeStaleDocuments(),
                new LoadLog(new PrintStream(logs, true, StandardCharsets.UTF_8)), CLOCK);
    }

    private static byte[] csv(long... epochSeconds) throws IOException {
        StringBuilder sb = new StringBuilder("ts,Src IP,Dst IP,Dst Port,host\n");
        for (int i = 0; i < epochSeconds.length; i++) {
            sb.append(epochSeconds[i]).append(",10.0.0.").append(i).append(",8.8.8.8,53,host").append(i)
                    .append(".example\n");
        }
        return gzip(sb.toString());
    }

    private static byte[] ungzip(byte[] gz) throws IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
