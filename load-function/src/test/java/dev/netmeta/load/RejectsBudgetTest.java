package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import dev.netmeta.model.Env;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * LOAD_MAX_REJECTS: a file with more rejected records than the budget — a wrong file on the FTP server, a compression
 * bomb of invalid lines — stops being read, keeps the first N rejects, and ends FAILED for good (a retry reads the
 * same bytes), counted across the continuations of the file.
 */
class RejectsBudgetTest {

    private static final String BUCKET = "b";
    private static final String KEY = "raw/flows.csv.gz";
    private static final String HEADER = "ts,Src IP,Dst IP,Dst Port,host\n";

    private final InMemoryPorts ports = new InMemoryPorts();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final FakeStaleDocuments stale = new FakeStaleDocuments();

    private LoadService service(ScriptedBulkTransport transport, String maxRejects) {
        return service(transport, maxRejects, null);
    }

    private LoadService service(ScriptedBulkTransport transport, String maxRejects, String maxRejectsBytes) {
        Map<String, String> env = new HashMap<>();
        env.put("BULK_MAX_DOCS", "500");
        env.put("LOAD_TIME_MARGIN_MS", "60000");
        if (maxRejects != null) {
            env.put("LOAD_MAX_REJECTS", maxRejects);
        }
        LoadSettings settings = LoadSettings.from(new Env(env));
        if (maxRejectsBytes != null) {
            // below LOAD_MAX_REJECTS_BYTES's floor (8 MiB, checked by LoadSettings.from): small files show the bound
            settings = withMaxRejectsBytes(settings, Long.parseLong(maxRejectsBytes));
        }
        return new LoadService(settings, ports,
                new OpenSearchBulkIndexer(transport, 500, 1 << 20, 2, new Backoff(1, 2, 3)),
                ports, ports, ports, () -> { }, stale, new LoadLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
                Clock.systemUTC());
    }

    private static LoadSettings withMaxRejectsBytes(LoadSettings s, long maxRejectsBytes) {
        return new LoadSettings(s.indexPrefix(), s.rawPrefix(), s.rejectsPrefix(), s.reportsPrefix(), s.bulkMaxDocs(),
                s.bulkMaxBytes(), s.bulkConcurrency(), s.bulkMaxAttempts(), s.timeMarginMillis(), s.maxContinuations(),
                s.maxRejects(), maxRejectsBytes, s.retention());
    }

    private static String row(int i) {
        return (1_525_876_221 + i) + ",10.0." + (i / 250 % 250) + "." + (i % 250) + ",8.8.8.8,53,host" + i
                + ".example\n";
    }

    /** A CSV of {@code rows} rows; the rows {@code bad} says are one field short ("expected 5 columns …"). */
    private static byte[] csv(int rows, java.util.function.IntPredicate bad) throws IOException {
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 0; i < rows; i++) {
            sb.append(bad.test(i) ? "garbage," + i + ",x,y\n" : row(i));
        }
        return gzip(sb.toString());
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static void assertCountsAddUp(LoadReport r) {
        assertThat(r.rowsRead()).as("rowsRead = indexed + rejected + skipped + unsettled")
                .isEqualTo(r.indexed() + r.rejected() + r.skipped() + r.unsettled());
    }

    private List<JsonNode> logLines() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : logs.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(json.readTree(line));
            }
        }
        return lines;
    }

    @Test
    void aFileWithMoreRejectsThanTheBudgetStopsKeepsTheFirstNAndFailsForGood() throws IOException {
        // 2 good rows, then nothing but rows of another shape: 20,000 rows in the file
        ports.objects.put(BUCKET + "/" + KEY, csv(20_000, i -> i >= 2));
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);

        List<LoadReport> reports = service(transport, "100").load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());
        // returned normally: not retried by Lambda, the same bytes would fail the same way

        LoadReport report = reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error())
                .startsWith("more than 100 rows rejected (first: line 4: expected 5 columns (as in the header), found 4)")
                .contains("not a file of this format")
                .contains("LOAD_MAX_REJECTS");
        // reading stopped at the 101st reject: 2 indexed + 101 rejected, the other 19,897 rows were not read
        assertThat(report.rowsRead()).isEqualTo(103);
        assertThat(report.indexed()).isEqualTo(2);
        assertThat(report.rejected()).isEqualTo(101);
        assertThat(report.unsettled()).isZero();
        assertCountsAddUp(report);
        assertThat(report.rejectsObject()).isEqualTo("mem://" + KEY);
        assertThat(ports.rejects.get(KEY)).as("the first 100 rejects are kept").hasSize(100)
                .extracting(Reject::position).startsWith(2L, 3L).endsWith(101L);
        assertThat(transport.stored).as("the valid rows read before stay indexed").hasSize(2);
        assertThat(stale.calls).as("no cleanup of other versions after a failed load").isEmpty();
        assertThat(ports.continuations).isEmpty();
        JsonNode failed = logLines().get(0);
        assertThat(failed.get("message").asText()).isEqualTo("load failed");
        assertThat(failed.get("retryable").asBoolean(true)).as("drives the load-failed alarm").isFalse();
        assertThat(ports.reports).extracting(LoadReport::status).containsExactly(LoadReport.Status.FAILED);
    }

    /**
     * As for every final failure after records were read: when the key holds another version by then, the
     * documents of this one may have overwritten the newer one's, so the failure is retried (the retry loads the
     * current version) instead of raising the load-failed alarm.
     */
    @Test
    void aFileOverTheBudgetWhoseObjectWasReplacedMeanwhileIsRetried() throws IOException {
        byte[] newer = csv(10, i -> false);
        ports.objects.put(BUCKET + "/" + KEY, csv(20_000, i -> i >= 2));
        ScriptedBulkTransport racing = new ScriptedBulkTransport(id -> {
            ports.objects.put(BUCKET + "/" + KEY, newer);
            return 201;
        });

        assertThatThrownBy(() -> service(racing, "100").load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class)
                .hasMessageContaining("more than 100 rows rejected")
                .hasMessageContaining("meanwhile the object was replaced by a new version, which a retry loads");
        assertThat(logLines().get(0).get("retryable").asBoolean(false)).isTrue();
    }

    @Test
    void exactlyTheBudgetIsStillASuccess() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(300, i -> i % 3 == 0)); // 100 rejects
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);

        LoadReport report = service(transport, "100").load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.rowsRead()).isEqualTo(300);
        assertThat(report.rejected()).isEqualTo(100);
        assertThat(ports.rejects.get(KEY)).hasSize(100);
        assertThat(stale.calls).hasSize(1);
    }

    @Test
    void theBudgetCountsTheRejectsOfEarlierInvocationsOfTheFile() throws IOException {
        // every other row bad: 2,500 rejects in 5,000 rows; the first invocation reads 2 blocks (1,024 rejects),
        // the continuation would read the rest (1,476 more) — each below the budget of 1,500, together above it
        ports.objects.put(BUCKET + "/" + KEY, csv(5_000, i -> i % 2 == 1));
        LoadService service = service(new ScriptedBulkTransport(id -> 201), "1500");
        AtomicInteger checks = new AtomicInteger();
        Deadline runsOut = () -> checks.incrementAndGet() <= 3 ? 600_000 : 50_000;

        service.load(InMemoryPorts.event(BUCKET, KEY), runsOut);

        assertThat(ports.reports.get(0).status()).isEqualTo(LoadReport.Status.CONTINUING);
        LoadContinuation next = ports.continuations.get(0);
        assertThat(next.getNextPosition()).isEqualTo(2048);
        assertThat(next.getRejected()).isEqualTo(1024);
        assertThat(next.getFirstReject()).as("the first reject travels with the file")
                .isEqualTo("line 3: expected 5 columns (as in the header), found 4");

        LoadReport done = service.resume(next, Deadline.none());

        assertThat(done.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(done.error()).startsWith(
                "more than 1500 rows rejected (first: line 3: expected 5 columns (as in the header), found 4)");
        // the 1,501st reject is record 3,001: read up to it, nothing after
        assertThat(done.rowsRead()).isEqualTo(3_002);
        assertThat(done.rejected()).isEqualTo(1_501);
        assertThat(done.indexed()).isEqualTo(1_501);
        assertThat(done.invocations()).isEqualTo(2);
        assertCountsAddUp(done);
        assertThat(ports.rejects.get(KEY)).hasSize(1_500).extracting(Reject::position).startsWith(1L, 3L)
                .endsWith(2_999L);
        assertThat(ports.continuations).as("no further continuation").hasSize(1);
        assertThat(stale.calls).isEmpty();
    }

    @Test
    void documentsRefusedByOpenSearchCountAgainstTheBudgetToo() throws IOException {
        // every row is valid for the reader, and every one is refused by the index (a mapping conflict)
        ports.objects.put(BUCKET + "/" + KEY, csv(50_000, i -> false));
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 400);

        LoadReport report = service(transport, "10").load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error()).startsWith("more than 10 rows rejected (first: line ")
                .contains("mapper_parsing_exception");
        assertThat(ports.rejects.get(KEY)).as("the rejects object holds the first 10").hasSize(10);
        // the documents in flight when the budget ran out are settled and counted; reading stopped soon after
        assertThat(report.rejected()).isGreaterThan(10);
        assertThat(report.rowsRead()).isLessThan(10_000);
        assertCountsAddUp(report);
    }

    /**
     * OpenSearch's refusals reach the byte budget through the bulk workers, not the reader: the rejects object keeps
     * what fit, reading stops soon after, and the file fails for good like the reader's rejects make it.
     */
    @Test
    void documentsRefusedByOpenSearchCountAgainstTheByteBudgetToo() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(50_000, i -> false));
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 400);

        LoadReport report = service(transport, null, "5000")
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        List<Reject> kept = ports.rejects.get(KEY);
        assertThat(kept).as("a few refusals fit into 5,000 bytes").hasSizeBetween(5, 100);
        assertThat(report.error()).startsWith("more than 5000 bytes of rejects (first: line ")
                .contains("mapper_parsing_exception")
                .endsWith("the rejects object holds the first " + kept.size()
                        + " rejects, at most 5000 bytes (LOAD_MAX_REJECTS_BYTES)");
        assertThat(ports.rejectsBytes(KEY)).isLessThanOrEqualTo(5_000)
                .isGreaterThan(5_000 - RejectLine.encode(kept.get(0)).length - 100);
        assertThat(report.rejectsObject()).isEqualTo("mem://" + KEY);
        // the documents in flight when the budget ran out are settled and counted; reading stopped soon after
        assertThat(report.rejected()).isGreaterThan(kept.size());
        assertThat(report.indexed()).isZero();
        assertThat(report.rowsRead()).isLessThan(10_000);
        assertCountsAddUp(report);
        assertThat(stale.calls).isEmpty();
        assertThat(logLines().get(0).get("retryable").asBoolean(true)).as("drives the load-failed alarm").isFalse();
    }

    /**
     * A file shorter than one bulk request: every record is read before the one request goes out (when the session
     * finishes), so the refusals cross the byte budget after the last record — the reader never saw it crossed, the
     * check after the session's end still fails the file for the budget, all records counted.
     */
    @Test
    void openSearchRefusalsThatCrossTheByteBudgetAfterTheLastRecordFailTheFileForTheBudget() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(300, i -> i == 0));
        AtomicInteger sent = new AtomicInteger();
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> {
            sent.incrementAndGet();
            return 400;
        });

        LoadReport report = service(transport, null, "5000")
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(sent).as("299 documents (BULK_MAX_DOCS 500: one request, sent by finish()), none again")
                .hasValue(299);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        List<Reject> kept = ports.rejects.get(KEY);
        assertThat(kept.get(0).reason()).as("the reader's reject comes first")
                .isEqualTo("expected 5 columns (as in the header), found 4");
        assertThat(report.error()).isEqualTo("more than 5000 bytes of rejects (first: line 2: expected 5 columns (as "
                + "in the header), found 4) — not a file of this format (csv), or values the index maps otherwise? "
                + "300 records read; the rejects object holds the first " + kept.size()
                + " rejects, at most 5000 bytes (LOAD_MAX_REJECTS_BYTES)");
        assertThat(kept).hasSizeBetween(5, 100);
        assertThat(ports.rejectsBytes(KEY)).isLessThanOrEqualTo(5_000);
        assertThat(report.rowsRead()).as("the whole file").isEqualTo(300);
        assertThat(report.rejected()).isEqualTo(300);
        assertThat(report.unsettled()).isZero();
        assertCountsAddUp(report);
        assertThat(stale.calls).isEmpty();
        assertThat(logLines().get(0).get("retryable").asBoolean(true)).isFalse();
    }

    @Test
    void offLiftsTheBudget() throws IOException {
        StringBuilder sb = new StringBuilder("{\"a\":1}\n");
        sb.append("x\n".repeat(100_005));
        ports.objects.put(BUCKET + "/" + "raw/x.ndjson", gzip(sb.toString()));

        LoadReport report = service(new ScriptedBulkTransport(id -> 201), "off")
                .load(InMemoryPorts.event(BUCKET, "raw/x.ndjson"), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.rejected()).isEqualTo(100_005);
        assertThat(ports.rejects.get("raw/x.ndjson")).hasSize(100_005);
    }

    /**
     * A wrong file with fewer rows than the budget (here 50, all of another shape) used to end SUCCEEDED with 0
     * indexed, and its cleanup deleted every document of the key's previous good version: the data vanished from
     * search with no alarm. Nothing indexed and something rejected is a failure, for good, without the cleanup.
     */
    @Test
    void aFileWhoseRowsAreAllRejectedFailsForGoodAndKeepsThePreviousVersion() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(50, i -> true));
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);

        List<LoadReport> reports = service(transport, null).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());
        // returned normally: not retried by Lambda, the same bytes would fail the same way

        LoadReport report = reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error()).isEqualTo("no row indexed, all 50 rejected (first: line 2: expected 5 columns (as "
                + "in the header), found 4) — not a file of this format (csv), or values the index maps otherwise? "
                + "50 records read; the documents of the key's other versions were not removed");
        assertThat(report.rowsRead()).isEqualTo(50);
        assertThat(report.indexed()).isZero();
        assertThat(report.rejected()).isEqualTo(50);
        assertThat(report.staleRemoved()).as("no cleanup ran").isNull();
        assertCountsAddUp(report);
        assertThat(report.rejectsObject()).isEqualTo("mem://" + KEY);
        assertThat(ports.rejects.get(KEY)).as("the rejects object is saved as usual").hasSize(50);
        assertThat(stale.calls).as("the previous version's documents stay").isEmpty();
        JsonNode failed = logLines().get(0);
        assertThat(failed.get("message").asText()).isEqualTo("load failed");
        assertThat(failed.get("retryable").asBoolean(true)).as("drives the load-failed alarm").isFalse();
    }

    @Test
    void aFileWhoseRowsAreAllRefusedByOpenSearchFailsForGoodToo() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(20, i -> false));
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 400);

        LoadReport report = service(transport, null).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error()).startsWith("no row indexed, all 20 rejected (first: line ")
                .contains("mapper_parsing_exception");
        assertThat(ports.rejects.get(KEY)).hasSize(20);
        assertThat(stale.calls).isEmpty();
    }

    @Test
    void skippedRecordsAreNamedInTheError() throws IOException {
        // one rejected row, one row without any value (skipped): still nothing indexed
        ports.objects.put(BUCKET + "/" + KEY, gzip(HEADER + "garbage,1,x,y\n,,,,\n"));

        LoadReport report = service(new ScriptedBulkTransport(id -> 201), null)
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error()).startsWith("no row indexed, 1 rejected, 1 skipped (first: line 2: ");
        assertThat(stale.calls).isEmpty();
    }

    /** Replaces the key's documents by nothing, as before: the way to empty a key on purpose. */
    @Test
    void aFileWithoutRecordsStillSucceedsAndRemovesTheOtherVersions() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzip(HEADER));

        LoadReport report = service(new ScriptedBulkTransport(id -> 201), null)
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.rowsRead()).isZero();
        assertThat(report.error()).isNull();
        assertThat(stale.calls).hasSize(1);
    }

    @Test
    void aFileOfOnlySkippedRecordsStillSucceeds() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, gzip(HEADER + ",,,,\n-,-,-,-,-\n"));

        LoadReport report = service(new ScriptedBulkTransport(id -> 201), null)
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.skipped()).isEqualTo(2);
        assertThat(stale.calls).hasSize(1);
    }

    /** The decision waits for the whole file: an invocation that read only rejects continues as usual. */
    @Test
    void nothingIndexedIsDecidedWhenTheWholeFileIsReadAcrossContinuations() throws IOException {
        // 3,000 bad rows: the first invocation reads 2 blocks (2,048 rejects) and continues
        ports.objects.put(BUCKET + "/" + KEY, csv(3_000, i -> true));
        LoadService service = service(new ScriptedBulkTransport(id -> 201), null);
        AtomicInteger checks = new AtomicInteger();
        Deadline runsOut = () -> checks.incrementAndGet() <= 3 ? 600_000 : 50_000;

        service.load(InMemoryPorts.event(BUCKET, KEY), runsOut);

        assertThat(ports.reports.get(0).status()).isEqualTo(LoadReport.Status.CONTINUING);
        LoadContinuation next = ports.continuations.get(0);
        assertThat(next.getIndexed()).isZero();
        assertThat(next.getRejected()).isEqualTo(2_048);

        LoadReport done = service.resume(next, Deadline.none());

        assertThat(done.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(done.error()).startsWith("no row indexed, all 3000 rejected (first: line 2: expected 5 columns");
        assertThat(done.invocations()).isEqualTo(2);
        assertThat(ports.rejects.get(KEY)).hasSize(3_000);
        assertThat(stale.calls).isEmpty();
        assertThat(logLines()).extracting(l -> l.get("message").asText())
                .containsExactly("load continuing", "load failed");
    }

    /** Rows indexed by an earlier invocation count: a continuation that only rejects still ends a success. */
    @Test
    void rowsIndexedByAnEarlierInvocationMakeTheFileASuccess() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(3_000, i -> i >= 5));
        LoadService service = service(new ScriptedBulkTransport(id -> 201), null);
        AtomicInteger checks = new AtomicInteger();
        Deadline runsOut = () -> checks.incrementAndGet() <= 3 ? 600_000 : 50_000;

        service.load(InMemoryPorts.event(BUCKET, KEY), runsOut);
        LoadReport done = service.resume(ports.continuations.get(0), Deadline.none());

        assertThat(done.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(done.indexed()).isEqualTo(5);
        assertThat(done.rejected()).isEqualTo(2_995);
        assertThat(stale.calls).hasSize(1);
    }

    /**
     * As for every final failure after records were read: when the key holds another version by then, the failure
     * is retried (the retry loads the current version and writes its report and rejects object again).
     */
    @Test
    void aFileWhoseRowsAreAllRejectedAndWhoseObjectWasReplacedMeanwhileIsRetried() throws IOException {
        byte[] newer = csv(10, i -> false);
        ports.objects.put(BUCKET + "/" + KEY, csv(40, i -> true));
        LoadService service = service(new ScriptedBulkTransport(id -> 201), null);
        // the newer version is written while the wrong one is read: its last reject replaces the object
        ports.rejectWritten = r -> {
            if (r.position() == 39) {
                ports.objects.put(BUCKET + "/" + KEY, newer);
            }
        };

        assertThatThrownBy(() -> service.load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class)
                .hasMessageContaining("no row indexed, all 40 rejected")
                .hasMessageContaining("meanwhile the object was replaced by a new version, which a retry loads");
        assertThat(logLines().get(0).get("retryable").asBoolean(false)).isTrue();
        assertThat(stale.calls).isEmpty();
    }

    /**
     * LOAD_MAX_REJECTS bounds lines, not bytes: a rejected line keeps up to 1 Mi characters, so 100,000 rejects could
     * be ~100 GB of rejects object from a small gzip. LOAD_MAX_REJECTS_BYTES stops such a file like the line budget.
     */
    @Test
    void aFileOfLongRejectedLinesStopsAtTheByteBudgetAndKeepsWhatFit() throws IOException {
        // a good line, then lines of 100,000 characters that are no JSON object: about 100 KB of rejects each
        StringBuilder sb = new StringBuilder("{\"a\":1}\n");
        for (int i = 0; i < 1_000; i++) {
            sb.append(i).append("x".repeat(100_000)).append('\n');
        }
        String key = "raw/long.ndjson.gz";
        ports.objects.put(BUCKET + "/" + key, gzip(sb.toString()));
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);

        List<LoadReport> reports = service(transport, null, "1000000")
                .load(InMemoryPorts.event(BUCKET, key), Deadline.none());
        // returned normally: not retried by Lambda

        LoadReport report = reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        // 9 lines of ~100 KB fit into 1,000,000 bytes, the 10th does not: reading stops there
        assertThat(report.error()).isEqualTo("more than 1000000 bytes of rejects (first: line 2: invalid JSON: Unexpected "
                + "character ('x' (code 120)): Expected space separating root-level values) — "
                + "not a file of this format (ndjson), or values the index maps otherwise? 11 records read; the rejects "
                + "object holds the first 9 rejects, at most 1000000 bytes (LOAD_MAX_REJECTS_BYTES)");
        assertThat(report.rowsRead()).isEqualTo(11);
        assertThat(report.indexed()).isEqualTo(1);
        assertThat(report.rejected()).isEqualTo(10);
        assertCountsAddUp(report);
        assertThat(ports.rejects.get(key)).hasSize(9).extracting(Reject::position).endsWith(9L);
        assertThat(ports.rejectsBytes(key)).isLessThanOrEqualTo(1_000_000).isGreaterThan(900_000);
        assertThat(stale.calls).as("the previous version's documents stay").isEmpty();
        JsonNode failed = logLines().get(0);
        assertThat(failed.get("retryable").asBoolean(true)).as("drives the load-failed alarm").isFalse();
    }

    @Test
    void theByteBudgetCountsTheRejectsCarriedOverFromEarlierInvocations() throws IOException {
        // every other row bad with a long field: 1,024 rejects of ~1.1 KB in the first invocation's 2 blocks
        StringBuilder sb = new StringBuilder(HEADER);
        for (int i = 0; i < 5_000; i++) {
            sb.append(i % 2 == 1 ? "garbage," + i + ",x," + "y".repeat(1_000) + "\n" : row(i));
        }
        ports.objects.put(BUCKET + "/" + KEY, gzip(sb.toString()));
        LoadService service = service(new ScriptedBulkTransport(id -> 201), null, "1500000");
        AtomicInteger checks = new AtomicInteger();
        Deadline runsOut = () -> checks.incrementAndGet() <= 3 ? 600_000 : 50_000;

        service.load(InMemoryPorts.event(BUCKET, KEY), runsOut);

        assertThat(ports.reports.get(0).status()).isEqualTo(LoadReport.Status.CONTINUING);
        long carried = ports.rejectsBytes(KEY);
        assertThat(carried).as("below the budget after the first invocation").isBetween(1_000_000L, 1_500_000L);

        LoadReport done = service.resume(ports.continuations.get(0), Deadline.none());

        assertThat(done.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(done.error()).startsWith("more than 1500000 bytes of rejects (first: line 3: expected 5 columns")
                .endsWith("(LOAD_MAX_REJECTS_BYTES)");
        long kept = ports.rejects.get(KEY).size();
        assertThat(done.error()).contains("the rejects object holds the first " + kept + " rejects");
        assertThat(done.rejected()).isEqualTo(kept + 1);
        assertThat(ports.rejectsBytes(KEY)).isLessThanOrEqualTo(1_500_000).isGreaterThan(1_500_000 - 2_000);
        assertThat(done.rowsRead()).as("read up to the reject that did not fit").isEqualTo(2 * kept + 2);
        assertCountsAddUp(done);
        assertThat(stale.calls).isEmpty();
        assertThat(ports.continuations).hasSize(1);
    }

    /**
     * {@link RejectSink#write}'s contract: false when nothing is written because the sink is full, now or later.
     * RejectBudget used to answer true for every reject, also those over a budget that it only counted.
     */
    @Test
    void theBudgetAnswersWhetherTheLineWasWritten() throws IOException {
        Reject small = new Reject("s3://b/k", 2, 1, "x", "short");
        List<Reject> written = new java.util.ArrayList<>();
        RejectSink lines = new RejectSink() {
            @Override
            public boolean write(Reject reject) {
                return written.add(reject);
            }

            @Override
            public void close() {
            }
        };
        RejectBudget byLines = new RejectBudget(lines, 2, Long.MAX_VALUE, 0, null);
        assertThat(byLines.write(small)).isTrue();
        assertThat(byLines.write(small)).isTrue();
        assertThat(byLines.exceeded()).isFalse();
        assertThat(byLines.write(small)).as("over LOAD_MAX_REJECTS: counted, not written").isFalse();
        assertThat(byLines.exceeded()).isTrue();
        assertThat(written).hasSize(2);

        RejectWriter writer = new InMemoryPorts();
        long oneLine = RejectLine.encode(small).length;
        RejectBudget byBytes = new RejectBudget(writer.open("b", "k", 0, 2 * oneLine), 0, 2 * oneLine, 0, null);
        assertThat(byBytes.write(small)).isTrue();
        assertThat(byBytes.write(small)).isTrue();
        assertThat(byBytes.write(small)).as("over LOAD_MAX_REJECTS_BYTES: refused by the sink").isFalse();
        assertThat(byBytes.exceeded()).isTrue();
        assertThat(byBytes.write(new Reject("s3://b/k", 9, 8, "", ""))).as("nothing later either").isFalse();
        byBytes.close();
    }

    /**
     * A rejects line larger than LOAD_MAX_REJECTS_BYTES on its own (possible below the 8 MiB floor only for an
     * OpenSearch refusal, whose line holds the whole document): nothing is written and the rejects object is
     * removed, so the report names none and says why — it named the deleted object and said it held "the first 0
     * rejects".
     */
    @Test
    void aFirstRejectLargerThanTheByteBudgetOnItsOwnIsReportedWithoutARejectsObject() throws IOException {
        String key = "raw/one-long.ndjson.gz";
        ports.objects.put(BUCKET + "/" + key, gzip("{\"a\":1}\n" + "x".repeat(100_000) + "\n{\"a\":2}\n"));
        ports.rejects.put(key, List.of(new Reject("s3://b/" + key, 1, 0, "an older version's", "old")));

        LoadReport report = service(new ScriptedBulkTransport(id -> 201), null, "50000")
                .load(InMemoryPorts.event(BUCKET, key), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error()).startsWith("more than 50000 bytes of rejects (first: line 2: ")
                .matches("(?s).*; the first reject alone is 1\\d{5} bytes as a rejects line, more than "
                        + "LOAD_MAX_REJECTS_BYTES \\(50000\\): no rejects object is saved$");
        assertThat(report.rejectsObject()).as("the object was removed, not saved").isNull();
        assertThat(ports.rejects.get(key)).as("the older version's rejects object is removed too").isNullOrEmpty();
        assertThat(report.rowsRead()).isEqualTo(2);
        assertThat(report.rejected()).isEqualTo(1);
        assertCountsAddUp(report);
        assertThat(stale.calls).isEmpty();
    }

    /**
     * The floor of LOAD_MAX_REJECTS_BYTES holds the largest line a reader's reject makes: a row of 1 Mi characters
     * that JSON escapes to 6 bytes each (control characters), under the longest key of control characters.
     */
    @Test
    void theLargestRejectsLineOfAReaderFitsUnderTheFloor() throws IOException {
        String controls = "\u0001".repeat(1024 * 1024);
        Reject largest = new Reject("s3://" + "b".repeat(63) + "/" + "\u0001".repeat(1024), Long.MAX_VALUE,
                Long.MAX_VALUE, controls, "r".repeat(4096));
        assertThat((long) RejectLine.encode(largest).length).isBetween(6_300_000L, LoadSettings.MIN_REJECTS_BYTES);

        // a CSV row is written again (quoted, quotes doubled): fields of a control character and a quote
        String key = "raw/controls.csv";
        StringBuilder row = new StringBuilder();
        while (row.length() < 1024 * 1024 - 200) {
            row.append(row.length() == 0 ? "" : ",").append("\u0001".repeat(98)).append('"');
        }
        ports.objects.put(BUCKET + "/" + key, (HEADER + row + "\n").getBytes(StandardCharsets.UTF_8));

        LoadReport report = service(new ScriptedBulkTransport(id -> 201), null)
                .load(InMemoryPorts.event(BUCKET, key), Deadline.none()).get(0);

        assertThat(report.rejected()).isEqualTo(1);
        assertThat(ports.rejects.get(key)).as("the line fits under the default bound").hasSize(1);
        assertThat(ports.rejectsBytes(key)).as("~6 bytes a character").isBetween(6_000_000L,
                LoadSettings.MIN_REJECTS_BYTES);
    }

    @Test
    void theDefaultByteBudgetIs256MiBAndBadValuesFailTheStart() {
        assertThat(LoadSettings.from(new Env(Map.of())).maxRejectsBytes()).isEqualTo(256L * 1024 * 1024);
        assertThat(LoadSettings.from(new Env(Map.of("LOAD_MAX_REJECTS_BYTES", "8388608"))).maxRejectsBytes())
                .as("the floor: one part of 8 MiB, more than a reader's largest rejects line").isEqualTo(8_388_608);
        assertThat(LoadSettings.from(new Env(Map.of("LOAD_MAX_REJECTS_BYTES", "83886080000"))).maxRejectsBytes())
                .as("10,000 parts of 8 MiB").isEqualTo(83_886_080_000L);
        for (String bad : List.of("0", "-1", "1048576", "8388607", "83886080001", "256MiB", "off")) {
            assertThatThrownBy(() -> LoadSettings.from(new Env(Map.of("LOAD_MAX_REJECTS_BYTES", bad))))
                    .as(bad).hasMessageContaining("LOAD_MAX_REJECTS_BYTES");
        }
        assertThatThrownBy(() -> LoadSettings.from(new Env(Map.of("LOAD_MAX_REJECTS_BYTES", "1048576"))))
                .hasMessage("LOAD_MAX_REJECTS_BYTES must be between 8388608 (8 MiB: one rejects line of a row of 1 Mi "
                        + "characters takes up to ~6.3 MB) and 83886080000 bytes (10,000 parts of 8 MiB, the most one "
                        + "rejects object can take), got 1048576");
    }

    @Test
    void theDefaultBudgetIs100000AndZeroOrOffMeanUnlimited() {
        assertThat(LoadSettings.from(new Env(Map.of())).maxRejects()).isEqualTo(100_000);
        assertThat(LoadSettings.from(new Env(Map.of("LOAD_MAX_REJECTS", "250"))).maxRejects()).isEqualTo(250);
        assertThat(LoadSettings.from(new Env(Map.of("LOAD_MAX_REJECTS", "0"))).maxRejects()).isZero();
        assertThat(LoadSettings.from(new Env(Map.of("LOAD_MAX_REJECTS", "OFF"))).maxRejects()).isZero();
        assertThatThrownBy(() -> LoadSettings.from(new Env(Map.of("LOAD_MAX_REJECTS", "-1"))))
                .hasMessageContaining("LOAD_MAX_REJECTS");
        assertThatThrownBy(() -> LoadSettings.from(new Env(Map.of("LOAD_MAX_REJECTS", "lots"))))
                .hasMessageContaining("LOAD_MAX_REJECTS");
    }
}
