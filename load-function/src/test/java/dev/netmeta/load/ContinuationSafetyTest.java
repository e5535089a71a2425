package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The continuation's safety nets: no endless loop, a failed hand-off retried, reports in the right order. */
class ContinuationSafetyTest {

    private static final String BUCKET = "b";
    private static final String KEY = "raw/x.csv.gz";

    private final InMemoryPorts ports = new InMemoryPorts();

    private LoadService service(ScriptedBulkTransport transport, long marginMillis, ContinuationScheduler scheduler) {
        Map<String, String> env = new HashMap<>();
        env.put("LOAD_TIME_MARGIN_MS", String.valueOf(marginMillis));
        LoadSettings settings = LoadSettings.from(new dev.netmeta.model.Env(env));
        return new LoadService(settings, ports, new OpenSearchBulkIndexer(transport, 500, 1 << 20, 2,
                new Backoff(20, 50, 1_000_000)), ports, ports, scheduler, () -> { }, new FakeStaleDocuments(),
                new LoadLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                Clock.systemUTC());
    }

    /**
     * With a time margin below 20 s, a backoff of up to 10 s (the standard cap) can cross M/2 while more than M is
     * left: the bulk worker gives up and the session sends nothing more, but the reader's clock check (remaining
     * below M?) still says go on — it read the whole rest of the file into batches held unsent in memory (a large
     * file: out of memory) before the continuation started from the first unsettled record anyway. Reading stops
     * at the next block once the session has stopped.
     */
    @Test
    void readingStopsWhenTheIndexingSessionHasRunOutOfTime() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(50_000));
        java.util.concurrent.atomic.AtomicLong added = new java.util.concurrent.atomic.AtomicLong();
        OpenSearchBulkIndexer bulk = new OpenSearchBulkIndexer(new ScriptedBulkTransport(id -> 429), 500, 1 << 20, 2,
                new Backoff(4_000, 4_000, 100)); // every retry would end below M/2 = 1 s
        dev.netmeta.load.index.BulkIndexer counting = new dev.netmeta.load.index.BulkIndexer() {
            @Override
            public dev.netmeta.load.index.IndexingSession start(String sourceFile, String sourceVersion,
                    dev.netmeta.load.index.RejectionListener rejections, Deadline deadline, long marginMillis) {
                dev.netmeta.load.index.IndexingSession session = bulk.start(sourceFile, sourceVersion, rejections,
                        deadline, marginMillis);
                return new dev.netmeta.load.index.IndexingSession() {
                    @Override
                    public void add(String index, String id, long position, long line, Map<String, Object> doc) {
                        added.incrementAndGet();
                        session.add(index, id, position, line, doc);
                    }

                    @Override
                    public boolean outOfTime() {
                        return session.outOfTime();
                    }

                    @Override
                    public dev.netmeta.load.index.IndexingResult finish() {
                        return session.finish();
                    }
                };
            }

            @Override
            public void close() {
                bulk.close();
            }
        };
        Map<String, String> env = new HashMap<>();
        env.put("LOAD_TIME_MARGIN_MS", "2000");
        LoadService service = new LoadService(LoadSettings.from(new dev.netmeta.model.Env(env)), ports, counting,
                ports, ports, ports, () -> { }, new FakeStaleDocuments(),
                new LoadLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                Clock.systemUTC());

        service.load(InMemoryPorts.event(BUCKET, KEY), () -> 2_500); // always a little more than the margin

        assertThat(ports.reports.get(0).status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(ports.continuations.get(0).getNextPosition()).isZero();
        assertThat(added.get()).as("documents read after the session stopped sending").isLessThan(5_000);
    }

    private static byte[] csv(int rows) throws IOException {
        StringBuilder sb = new StringBuilder("ts,Src IP,Dst IP,Dst Port\n");
        for (int i = 0; i < rows; i++) {
            sb.append(1_525_876_221 + i).append(",10.0.0.").append(i % 250).append(",8.8.8.8,53\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static Deadline realTime(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        return () -> (end - System.nanoTime()) / 1_000_000;
    }

    /**
     * LOAD.md: "A continuation that cannot get its first block acknowledged before its own deadline ends FAILED
     * ('no progress') instead of looping." Also when that first block is the file's first (nextPosition 0): a check
     * of {@code nextPosition > 0} alone would let every invocation schedule the next one from record 0, up to
     * LOAD_MAX_CONTINUATIONS (100) full-length invocations.
     */
    @Test
    void aContinuationFromRecordZeroThatMakesNoProgressFailsInsteadOfLooping() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(3000));
        ScriptedBulkTransport overloaded = new ScriptedBulkTransport(id -> 429);
        LoadService service = service(overloaded, 2_000, ports);

        service.load(InMemoryPorts.event(BUCKET, KEY), realTime(3_500));
        assertThat(ports.reports.get(0).status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(ports.continuations.get(0).getNextPosition()).isZero();

        LoadReport second = service.resume(ports.continuations.get(0), realTime(3_500));

        assertThat(second.status()).as("second invocation, still at record 0: %s", second)
                .isEqualTo(LoadReport.Status.FAILED);
        assertThat(second.error()).contains("no progress");
    }

    /**
     * LOAD.md: LOAD_MAX_CONTINUATIONS — "give up after this many continuations of one file (the first invocation does
     * not count)": a file that makes progress in every invocation but never finishes (a function timeout far too
     * short for it) must not chain continuations for ever. With 2 allowed, the first invocation and two
     * continuations run; the last one ends FAILED, schedules nothing and is not retried.
     */
    @Test
    void aFileThatNeverFinishesStopsAfterLoadMaxContinuations() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(6000));
        Map<String, String> env = new HashMap<>(Map.of("LOAD_TIME_MARGIN_MS", "60000", "LOAD_MAX_CONTINUATIONS", "2"));
        LoadService service = new LoadService(LoadSettings.from(new dev.netmeta.model.Env(env)), ports,
                new OpenSearchBulkIndexer(new ScriptedBulkTransport(id -> 201), 500, 1 << 20, 2,
                        new Backoff(20, 50, 1_000_000)), ports, ports, ports, () -> { }, new FakeStaleDocuments(),
                new LoadLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                Clock.systemUTC());

        // every invocation has time for one block of 1024 records, then less than the margin
        service.load(InMemoryPorts.event(BUCKET, KEY), oneBlock());
        LoadReport second = service.resume(ports.continuations.get(0), oneBlock());
        LoadReport third = service.resume(ports.continuations.get(1), oneBlock());

        assertThat(ports.reports.get(0).status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(second.status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(third.status()).as("%s", third).isEqualTo(LoadReport.Status.FAILED);
        assertThat(third.error()).contains("gave up after 3 invocations").contains("LOAD_MAX_CONTINUATIONS");
        assertThat(third.indexed()).isEqualTo(3 * 1024);
        assertThat(third.retryable()).as("returned normally, and the saved report says so").isFalse();
        assertThat(ports.reports.get(ports.reports.size() - 1)).isEqualTo(third);
        assertThat(second.retryable()).as("a CONTINUING report has no retryable").isNull();
        assertThat(ports.continuations).as("no third continuation").hasSize(2);
    }

    /**
     * A continuation that finds its object replaced loads the current version from the start — but the chain goes
     * on: a key rewritten more often than its load takes (a file still growing on the FTP server, copied again by
     * every sync run) restarted its chain every time with a count of 1, so LOAD_MAX_CONTINUATIONS never ended it
     * (while every new version's event started a chain of its own). The restarted load counts on.
     */
    @Test
    void aFileReplacedBeforeEveryContinuationStillStopsAfterLoadMaxContinuations() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(6000));
        Map<String, String> env = new HashMap<>(Map.of("LOAD_TIME_MARGIN_MS", "60000", "LOAD_MAX_CONTINUATIONS", "2"));
        LoadService service = new LoadService(LoadSettings.from(new dev.netmeta.model.Env(env)), ports,
                new OpenSearchBulkIndexer(new ScriptedBulkTransport(id -> 201), 500, 1 << 20, 2,
                        new Backoff(20, 50, 1_000_000)), ports, ports, ports, () -> { }, new FakeStaleDocuments(),
                new LoadLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                Clock.systemUTC());

        service.load(InMemoryPorts.event(BUCKET, KEY), oneBlock());
        for (int i = 0; i < 5 && i < ports.continuations.size(); i++) {
            ports.objects.put(BUCKET + "/" + KEY, csv(6000 + i + 1)); // a new version before every continuation
            int[] checks = {0};
            // one block of the restarted load (the restart reads the clock once more)
            service.resume(ports.continuations.get(i), () -> ++checks[0] <= 3 ? 600_000 : 50_000);
        }

        assertThat(ports.continuations).as("the chain ends").hasSize(2);
        LoadReport last = ports.reports.get(ports.reports.size() - 1);
        assertThat(last.status()).as("%s", last).isEqualTo(LoadReport.Status.FAILED);
        assertThat(last.error()).contains("gave up after 3 invocations", "LOAD_MAX_CONTINUATIONS");
    }

    private static Deadline oneBlock() {
        int[] checks = {0};
        return () -> ++checks[0] <= 2 ? 600_000 : 50_000;
    }

    /**
     * The time ran out and the Lambda Invoke of loadContinue failed (throttling, a 5xx, a network error after the
     * SDK's own retries): the report says FAILED, and the invocation must fail too, so that Lambda retries it — were
     * it to return normally, the rest of the file would never be loaded although another attempt would very likely
     * succeed (the Lambda call counts as retryable like S3 and OpenSearch calls).
     */
    @Test
    void aContinuationThatCouldNotBeScheduledBecauseOfAnAwsErrorIsRetried() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(3000));
        ContinuationScheduler throttled = c -> {
            throw new RemoteCallFailedException("async invoke of loadContinue failed: Rate exceeded (Service: Lambda, "
                    + "Status Code: 429)", null); // as LambdaContinuationScheduler raises an SDK error
        };
        LoadService service = service(new ScriptedBulkTransport(id -> 201), 60_000, throttled);
        int[] checks = {0};
        Deadline runsOut = () -> ++checks[0] <= 2 ? 600_000 : 50_000;

        assertThatThrownBy(() -> service.load(InMemoryPorts.event(BUCKET, KEY), runsOut))
                .as("a FAILED report whose cause is transient must make Lambda retry the event (report: %s)",
                        ports.reports)
                .isInstanceOf(LoadFailedException.class);
    }

    /**
     * The CONTINUING report must be in place before the continuation exists: a quick continuation writes its own
     * final report, which a CONTINUING report saved afterwards would overwrite (the file would look unfinished).
     */
    @Test
    void theContinuingReportIsSavedBeforeTheContinuationIsStarted() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(3000));
        java.util.List<Integer> reportsWhenScheduled = new java.util.ArrayList<>();
        ContinuationScheduler recording = c -> {
            reportsWhenScheduled.add(ports.reports.size());
            ports.schedule(c);
        };
        LoadService service = service(new ScriptedBulkTransport(id -> 201), 60_000, recording);
        int[] checks = {0};
        Deadline runsOut = () -> ++checks[0] <= 2 ? 600_000 : 50_000;

        service.load(InMemoryPorts.event(BUCKET, KEY), runsOut);

        assertThat(ports.reports).hasSize(1);
        assertThat(ports.reports.get(0).status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(reportsWhenScheduled).containsExactly(1);
    }
}
