package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class LoadServiceTest {

    private static final String BUCKET = "metadata-sync-files";
    private static final String KEY = "2018-05-09-metadata.csv.gz";

    private final InMemoryPorts ports = new InMemoryPorts();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final FakeStaleDocuments stale = new FakeStaleDocuments();

    private LoadService service(ScriptedBulkTransport transport) {
        return service(transport, 60_000, new Backoff(1, 2, 3));
    }

    private LoadService service(ScriptedBulkTransport transport, long marginMillis, Backoff backoff) {
        Map<String, String> env = new HashMap<>();
        env.put("BULK_MAX_DOCS", "500");
        env.put("LOAD_TIME_MARGIN_MS", String.valueOf(marginMillis));
        LoadSettings settings = LoadSettings.from(new dev.netmeta.model.Env(env));
        return new LoadService(settings, ports,
                new OpenSearchBulkIndexer(transport, 500, 1 << 20, 2, backoff),
                ports, ports, ports, () -> { }, stale, new LoadLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
                Clock.systemUTC());
    }

    private static byte[] gzipped(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] csv(int rows) throws IOException {
        StringBuilder sb = new StringBuilder("ts,Src IP,Dst IP,Dst Port,host\n");
        for (int i = 0; i < rows; i++) {
            sb.append(1_525_876_221 + i).append(",10.0.").append(i / 250 % 250).append('.').append(i % 250)
                    .append(",8.8.8.8,53,host").append(i).append(".example\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void loadingTheSameObjectTwiceProducesTheSameDocumentIds() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(1234));
        ScriptedBulkTransport first = new ScriptedBulkTransport(id -> 201);
        ScriptedBulkTransport second = new ScriptedBulkTransport(id -> 200);

        service(first).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());
        service(second).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        assertThat(first.stored).hasSize(1234);
        assertThat(second.stored.keySet()).isEqualTo(first.stored.keySet());
        assertThat(ports.reports).extracting(LoadReport::status, LoadReport::indexed, LoadReport::rowsRead)
                .containsOnly(org.assertj.core.groups.Tuple.tuple(LoadReport.Status.SUCCEEDED, 1234L, 1234L));
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"message\":\"load succeeded\"", "\"indexed\":1234");
        String version = "v" + ports.objects.get(BUCKET + "/" + KEY).length;
        assertThat(ports.reports).extracting(LoadReport::eTag).containsOnly(version);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"eTag\":\"" + version + "\"");
    }

    @Test
    void aContinuationFinishesTheFileWithoutLossOrDuplicate() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(5000));
        ScriptedBulkTransport straight = new ScriptedBulkTransport(id -> 201);
        service(straight).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        Map<String, AtomicInteger> deliveries = new java.util.concurrent.ConcurrentHashMap<>();
        ScriptedBulkTransport resumed = new ScriptedBulkTransport(id -> {
            deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            return 201;
        });
        LoadService service = service(resumed);
        AtomicInteger checks = new AtomicInteger();
        // plenty for two clock checks, then less than the margin but enough to flush the bulk requests in flight
        Deadline runsOut = () -> checks.incrementAndGet() <= 3 ? 600_000 : 50_000;
        service.load(InMemoryPorts.event(BUCKET, KEY), runsOut);

        assertThat(ports.continuations).hasSize(1);
        LoadContinuation next = ports.continuations.get(0);
        assertThat(next.getNextPosition()).isEqualTo(2048);
        assertThat(ports.reports.get(1).status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(ports.reports.get(1).nextPosition()).isEqualTo(2048L);
        assertThat(ports.reports.get(1).staleRemoved()).as("no cleanup while the file continues").isNull();
        assertThat(stale.calls).as("only the complete load of the first service cleaned up").hasSize(1);

        LoadReport done = service.resume(next, Deadline.none());
        assertThat(stale.calls).as("the continuation that completes the file cleans up").hasSize(2);
        assertThat(done.staleRemoved()).isZero();

        assertThat(done.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(done.rowsRead()).isEqualTo(5000);
        assertThat(done.indexed()).isEqualTo(5000);
        assertThat(done.invocations()).isEqualTo(2);
        assertThat(resumed.stored.keySet()).isEqualTo(straight.stored.keySet());
        // the provenance of a continued load is the same as of a load in one go (stable positions)
        assertThat(resumed.stored).allSatisfy((id, doc) -> {
            assertThat(doc.get("sourceFile").asText()).isEqualTo(KEY);
            assertThat(doc.get("sourceRecord")).isEqualTo(straight.stored.get(id).get("sourceRecord"));
            assertThat(id).endsWith("-" + doc.get("sourceRecord").asLong());
        });
        assertThat(deliveries.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    }

    @Test
    void whenRetriesOutlastTheDeadlineTheFileContinuesFromTheLowestUnsettledRecordWithExactCounts()
            throws IOException {
        byte[] file = csv(5000);
        String text = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(file))
                .readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = new java.util.ArrayList<>(Arrays.asList(text.split("\n")));
        lines.set(101, "garbage");   // record 100: rejected by the reader in the first invocation
        lines.set(3001, "garbage");  // record 3000: read by the first invocation, again by the continuation
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ports.objects.put(BUCKET + "/" + KEY, gz.toByteArray());
        String prefix = dev.netmeta.model.DocumentIds.objectPrefix(BUCKET, KEY);
        Map<String, Integer> positions = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            positions.put(dev.netmeta.model.DocumentIds.of(prefix, i), i);
        }
        // record 1100 has a mapping error; from record 1500 on OpenSearch answers 429 until the time runs out
        ScriptedBulkTransport busy = new ScriptedBulkTransport(id -> positions.get(id) == 1100 ? 400
                : positions.get(id) >= 1500 ? 429 : 201);
        long margin = 2_000;
        // A real clock from the start. Not RealClock.startingWhen(the first 429): the load reads the invocation's
        // clock only in its reading loop (ObservedDeadline), and a main thread already waiting for a request slot
        // when the first 429 came never read it again — the clock stayed at 15 minutes (a clean-clone CI run hung).
        long end = System.nanoTime() + (margin + 1_500) * 1_000_000;
        Deadline realTime = () -> (end - System.nanoTime()) / 1_000_000;

        service(busy, margin, new Backoff(20, 50, 1_000_000)).load(InMemoryPorts.event(BUCKET, KEY), realTime);

        LoadReport continuing = ports.reports.get(0);
        assertThat(continuing.status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(continuing.nextPosition()).isEqualTo(1024L); // the block start at or below record 1500
        assertThat(continuing.rowsRead()).isEqualTo(1024);
        assertThat(continuing.rejected()).isEqualTo(1);
        assertThat(continuing.indexed()).isEqualTo(1023);
        LoadContinuation next = ports.continuations.get(0);
        assertThat(next.getNextPosition()).isEqualTo(1024);

        ScriptedBulkTransport healthy = new ScriptedBulkTransport(id -> positions.get(id) == 1100 ? 400 : 201);
        LoadReport done = service(healthy).resume(next, Deadline.none());

        assertThat(done.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(done.rowsRead()).isEqualTo(5000);
        assertThat(done.rejected()).isEqualTo(3);
        assertThat(done.indexed()).isEqualTo(4997);
        assertThat(ports.rejects.get(KEY)).extracting(Reject::position).containsExactlyInAnyOrder(100L, 1100L, 3000L);
        Map<String, Object> all = new HashMap<>(busy.stored);
        all.putAll(healthy.stored);
        assertThat(all).hasSize(4997);
    }

    @Test
    void aTimestampNoDailyIndexCanHoldRejectsThatRecordOnly() throws IOException {
        String text = "ts,Src IP,Dst IP,Dst Port,host\n"
                + "1525876221,10.0.0.1,8.8.8.8,53,a.example\n"
                + "+10000-01-01T00:00:00Z,10.0.0.2,8.8.8.8,53,b.example\n"
                + "9999-12-31T23:00:00-05:00,10.0.0.3,8.8.8.8,53,c.example\n"
                + "1525876224,10.0.0.4,8.8.8.8,53,d.example\n";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        ports.objects.put(BUCKET + "/" + KEY, gz.toByteArray());
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);

        service(transport).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        LoadReport report = ports.reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.rowsRead()).isEqualTo(4);
        assertThat(report.indexed()).isEqualTo(2);
        assertThat(report.rejected()).isEqualTo(2);
        assertThat(ports.rejects.get(KEY)).extracting(Reject::position).containsExactly(1L, 2L);
        assertThat(transport.stored).hasSize(2);
    }

    @Test
    void aPassThatStopsOnAFailedS3CallReportsWhatItIndexedAndIsRetried() throws IOException {
        byte[] file = csv(3000);
        String text = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(file))
                .readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = new java.util.ArrayList<>(Arrays.asList(text.split("\n")));
        lines.set(2001, "garbage"); // record 2000: its reject cannot be written
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        ports.objects.put(BUCKET + "/" + KEY, gz.toByteArray());
        ports.rejectsUnwritable = true;
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);

        LoadService service = service(transport);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> service.load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class);

        LoadReport report = ports.reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error()).contains("writing the rejects object failed");
        assertThat(report.indexed()).as("what reached OpenSearch before the failure").isEqualTo(transport.stored.size())
                .isGreaterThanOrEqualTo(2000);
        assertThat(report.rejected()).as("record 2000's reject line was never written").isZero();
        assertThat(report.rowsRead()).isEqualTo(report.indexed() + report.rejected() + report.unsettled());
    }

    /**
     * A bulk request fails for good: the reader's next document is refused by the session ("stop reading") — it was
     * read, but neither indexed, rejected nor unsettled, so the FAILED report's counts did not add up. It is not
     * counted as read (the retry reads it again like every other record).
     */
    @Test
    void aPassStoppedByAFailedBulkRequestCountsEveryRecordReadOnce() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(3000));

        assertThatThrownBy(() -> service(new ScriptedBulkTransport(id -> 503) /* retries run out */)
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class);

        LoadReport report = ports.reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.rowsRead()).as("%s", report)
                .isEqualTo(report.indexed() + report.rejected() + report.skipped() + report.unsettled());
    }

    @Test
    void ignoresItsOwnOutputPrefixes() throws IOException {
        ports.objects.put(BUCKET + "/reports/" + KEY + ".json", "{}".getBytes(StandardCharsets.UTF_8));
        List<LoadReport> reports = service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, "reports/" + KEY + ".json", "rejects/" + KEY + ".ndjson"),
                        Deadline.none());

        assertThat(reports).isEmpty();
        assertThat(ports.reports).isEmpty();
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("load ignored");
    }

    /**
     * LOAD.md: keys outside RAW_PREFIX (when it is set, as serverless.yml sets it) and folder markers are ignored —
     * the guard in code besides the manifest's prefix rule. The sync keeps its state object in the same bucket; read
     * as data it would be one NDJSON document in the index.
     */
    @Test
    void withRawPrefixSetKeysOutsideItAndFolderMarkersAreIgnored() throws IOException {
        Map<String, String> env = new HashMap<>(Map.of("RAW_PREFIX", "raw/"));
        LoadService service = new LoadService(LoadSettings.from(new dev.netmeta.model.Env(env)), ports,
                new OpenSearchBulkIndexer(new ScriptedBulkTransport(id -> 201), 500, 1 << 20, 2, new Backoff(1, 2, 3)),
                ports, ports, ports, () -> { }, stale, new LoadLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
                Clock.systemUTC());
        ports.objects.put(BUCKET + "/state/sync-throughput.json",
                "{\"bytesPerSecond\":1.2E8,\"updated\":\"2026-11-27T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8));
        ports.objects.put(BUCKET + "/raw/2018/", new byte[0]);
        ports.objects.put(BUCKET + "/raw/2018/" + KEY, csv(3));

        List<LoadReport> reports = service.load(InMemoryPorts.event(BUCKET, "state/sync-throughput.json", "raw/2018/",
                "raw/2018/" + KEY), Deadline.none());

        assertThat(reports).extracting(LoadReport::key).containsExactly("raw/2018/" + KEY);
        assertThat(ports.reports).extracting(LoadReport::key).containsExactly("raw/2018/" + KEY);
        assertThat(logs.toString(StandardCharsets.UTF_8))
                .contains("the key is outside RAW_PREFIX raw/").contains("the key is a folder marker");
    }

    @Test
    void aTruncatedGzipIndexesTheRowsBeforeTheBreakAndReportsTheOffset() throws IOException {
        byte[] full = csv(50_000);
        ports.objects.put(BUCKET + "/" + KEY, Arrays.copyOf(full, full.length / 2));
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);

        List<LoadReport> reports = service(transport).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        LoadReport report = reports.get(0);
        long complete = completeRows(Arrays.copyOf(full, full.length / 2));
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error()).isEqualTo("corrupt or truncated input after " + complete
                + " records: Unexpected end of ZLIB input stream");
        assertThat(report.failedAtByte()).isEqualTo((long) full.length / 2);
        assertThat(report.indexed()).isEqualTo(report.rowsRead()).isEqualTo(complete).isGreaterThan(10_000);
        assertThat(transport.stored).hasSize((int) report.indexed());
    }

    /**
     * The newcomer's case (finding 8): a small gzip cut in half indexed 0 rows — the text inflated before the break
     * (under 64 KiB here) was lost with the decoder's EOFException — and the report said "after 0 records". Now
     * every row whose line ended before the break is indexed (the cut row is not), and the failure is reported as
     * before: FAILED, returned normally (not retried), failedAtByte, the decoder's message.
     */
    @Test
    void aSmallTruncatedGzipIndexesEveryRowWholeBeforeTheBreak() throws IOException {
        for (int rows : new int[] {150, 3_000}) {
            byte[] full = csv(rows);
            byte[] cut = Arrays.copyOf(full, full.length / 2);
            ports.objects.put(BUCKET + "/" + KEY, cut);
            ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);

            LoadReport report = service(transport).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

            long complete = completeRows(cut);
            assertThat(complete).as("%d rows", rows).isGreaterThan(rows / 3);
            assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
            assertThat(report.error()).isEqualTo("corrupt or truncated input after " + complete
                    + " records: Unexpected end of ZLIB input stream");
            assertThat(report.failedAtByte()).isEqualTo(cut.length);
            assertThat(report.rowsRead()).isEqualTo(complete);
            assertThat(report.indexed()).isEqualTo(complete);
            assertThat(report.rejected()).isZero();
            assertThat(report.rejectsObject()).isNull();
            assertThat(transport.stored.values()).hasSize((int) complete)
                    .anySatisfy(doc -> assertThat(doc.get("host").asText()).isEqualTo("host" + (complete - 1) + ".example"))
                    .noneSatisfy(doc -> assertThat(doc.get("host").asText()).isEqualTo("host" + complete + ".example"));
        }
    }

    /** The rows of {@link #csv(int)} whose line ended in the text the JDK's decoder gives before the break. */
    private static long completeRows(byte[] truncatedGzip) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        byte[] buf = new byte[100];
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(truncatedGzip))) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                text.write(buf, 0, n);
            }
        } catch (IOException expected) {
            // the break
        }
        long lineEnds = 0;
        for (byte b : text.toByteArray()) {
            if (b == '\n') {
                lineEnds++;
            }
        }
        return lineEnds - 1; // the header row
    }

    @Test
    void aFileOfOnlyTheGzipMagicBytesFailsWithAReadableReason() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, new byte[] {0x1f, (byte) 0x8b});

        List<LoadReport> reports = service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        LoadReport report = reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error())
                .isEqualTo("corrupt or truncated input after 0 records: unexpected end of the compressed data");
        assertThat(report.failedAtByte()).isEqualTo(2L);
    }

    /** {@code rows} rows as {@link #csv(int)}, the records at {@code garbage} replaced by a line the reader rejects. */
    private static byte[] csvWithGarbageAt(int rows, int... garbage) throws IOException {
        String text = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(csv(rows)))
                .readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = new java.util.ArrayList<>(Arrays.asList(text.split("\n")));
        for (int position : garbage) {
            lines.set(position + 1, "garbage");
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return gz.toByteArray();
    }

    /**
     * Two versions of one key loading at once: the older version's first invocation (its GetObject stream still
     * delivers the old bytes) overwrites documents the newer version's complete load had indexed at the same ids,
     * and writes its own (empty) rejects object over the newer version's. Its continuation then finds the object
     * replaced. Failing there left the newer version's documents 0-2047 with the old content, its rejects object
     * without the line of its rejected record, and a FAILED report of the old version as the key's report — while
     * the newer version's load had said SUCCEEDED. The continuation loads the current version instead.
     */
    @Test
    void aContinuationOfAReplacedObjectLoadsTheCurrentVersionAndRepairsWhatTheOldOneOverwrote() throws IOException {
        ScriptedBulkTransport opensearch = new ScriptedBulkTransport(id -> 201);
        stale.stored = opensearch.stored;
        byte[] older = csv(3000);
        byte[] newer = csvWithGarbageAt(4000, 50);
        String newVersion = "v" + newer.length;
        LoadService service = service(opensearch);

        ports.objects.put(BUCKET + "/" + KEY, newer);
        service.load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()); // the newer version's own event, quick
        assertThat(ports.reports).last().extracting(LoadReport::status).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(ports.rejects.get(KEY)).extracting(Reject::position).containsExactly(50L);

        ports.objects.put(BUCKET + "/" + KEY, older); // what the older version's still running load reads
        AtomicInteger checks = new AtomicInteger();
        service.load(InMemoryPorts.event(BUCKET, KEY), () -> checks.incrementAndGet() <= 3 ? 600_000 : 50_000);
        LoadContinuation next = ports.continuations.get(0);
        assertThat(next.getNextPosition()).isEqualTo(2048);

        ports.objects.put(BUCKET + "/" + KEY, newer);
        LoadReport report = service.resume(next, Deadline.none());

        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.eTag()).isEqualTo(newVersion);
        assertThat(report.rowsRead()).isEqualTo(4000);
        assertThat(report.indexed()).isEqualTo(3999);
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(ports.reports).last().isEqualTo(report);
        assertThat(ports.rejects.get(KEY)).extracting(Reject::position).containsExactly(50L);
        assertThat(opensearch.stored).hasSize(3999)
                .allSatisfy((id, doc) -> assertThat(doc.get("sourceVersion").asText()).isEqualTo(newVersion));
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"message\":\"load restarted\"");
    }

    /**
     * The older version's load ends FAILED for a reason a retry of the same bytes could not help (here: a truncated
     * gzip) — but the object was replaced while it ran, so the documents it indexed may have overwritten the newer
     * version's. It is retried: the retry loads the current version. (It returned normally, leaving them wrong.)
     */
    @Test
    void anOlderVersionThatFailsForGoodAfterTheObjectWasReplacedIsRetried() throws IOException {
        ScriptedBulkTransport opensearch = new ScriptedBulkTransport(id -> 201);
        stale.stored = opensearch.stored;
        byte[] newer = csv(20_000);
        byte[] full = csv(50_000);
        byte[] olderTruncated = Arrays.copyOf(full, full.length / 2);
        ports.objects.put(BUCKET + "/" + KEY, newer);
        service(opensearch).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        ports.objects.put(BUCKET + "/" + KEY, olderTruncated);
        ScriptedBulkTransport racing = new ScriptedBulkTransport(id -> {
            ports.objects.put(BUCKET + "/" + KEY, newer); // the newer version is the object while the old one loads
            return 201;
        });
        racing.stored.putAll(opensearch.stored);
        stale.stored = racing.stored;

        assertThatThrownBy(() -> service(racing).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class).hasMessageContaining("truncated")
                .hasMessageContaining("replaced");
        assertThat(racing.stored.values()).anySatisfy(doc ->
                assertThat(doc.get("sourceVersion").asText()).isEqualTo("v" + olderTruncated.length));

        service(racing).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()); // Lambda's retry of the event
        assertThat(ports.reports).last().extracting(LoadReport::status, LoadReport::eTag)
                .containsExactly(LoadReport.Status.SUCCEEDED, "v" + newer.length);
        assertThat(racing.stored).hasSize(20_000).allSatisfy((id, doc) ->
                assertThat(doc.get("sourceVersion").asText()).isEqualTo("v" + newer.length));
    }

    @Test
    void aContinuationOfADeletedObjectFailsWithoutBeingRetriedAndLeavesItsRejectsAlone() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csvWithGarbageAt(3000, 100));
        LoadService service = service(new ScriptedBulkTransport(id -> 201));
        AtomicInteger checks = new AtomicInteger();
        service.load(InMemoryPorts.event(BUCKET, KEY), () -> checks.incrementAndGet() <= 2 ? 600_000 : 50_000);
        LoadContinuation next = ports.continuations.get(0);
        List<Reject> rejectsBefore = ports.rejects.get(KEY);

        ports.objects.remove(BUCKET + "/" + KEY);
        LoadReport report = service.resume(next, Deadline.none());

        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error()).contains("no longer exists");
        assertThat(report.indexed()).isEqualTo(1023);
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(ports.rejects.get(KEY)).as("not rewritten").isSameAs(rejectsBefore);
    }

    @Test
    void aMalformedZeekHeaderFailsTheFileWithoutARetry() {
        ports.objects.put(BUCKET + "/conn.log", ("#separator \\xZZ\n#fields\tts\tid.orig_h\n1525876221.1\t10.0.0.1\n")
                .getBytes(StandardCharsets.UTF_8));

        List<LoadReport> reports = service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, "conn.log"), Deadline.none()); // returns: nothing to retry

        LoadReport report = reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error()).isEqualTo("malformed zeek-tsv input after 0 records, line 1: invalid escape \\xZZ"
                + " in the Zeek #separator header (expected two hex digits, e.g. \\x09)");
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"message\":\"load failed\"");
    }

    /**
     * The deployed alarm on final load failures (serverless.yml, LoadFailedMetricFilter) counts the lines
     * {@code "message":"load failed","retryable":false}: the flag must be false exactly when the invocation returns
     * normally (no Lambda retry, nothing in the dead-letter queue) and true when it throws.
     */
    @Test
    void aFailedLinesRetryableFlagSaysWhetherTheInvocationFailsForLambdaToRetry() throws IOException {
        ports.objects.put(BUCKET + "/conn.log", ("#separator \\xZZ\n#fields\tts\tid.orig_h\n1525876221.1\t10.0.0.1\n")
                .getBytes(StandardCharsets.UTF_8));
        service(new ScriptedBulkTransport(id -> 201)).load(InMemoryPorts.event(BUCKET, "conn.log"), Deadline.none());
        JsonNode finalFailure = lastLogLine();
        assertThat(finalFailure.path("message").asText()).isEqualTo("load failed");
        assertThat(finalFailure.path("status").asText()).isEqualTo("FAILED");
        assertThat(finalFailure.path("retryable").isBoolean()).isTrue();
        assertThat(finalFailure.path("retryable").booleanValue()).as("returned normally: final").isFalse();

        ports.objects.put(BUCKET + "/" + KEY, csv(100));
        assertThatThrownBy(() -> service(new ScriptedBulkTransport(id -> 503)) // bulk retries exhausted
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class);
        JsonNode retried = lastLogLine();
        assertThat(retried.path("message").asText()).isEqualTo("load failed");
        assertThat(retried.path("retryable").booleanValue()).as("thrown: Lambda retries it").isTrue();

        service(new ScriptedBulkTransport(id -> 201)).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());
        JsonNode succeeded = lastLogLine();
        assertThat(succeeded.path("message").asText()).isEqualTo("load succeeded");
        assertThat(succeeded.has("retryable")).as("only FAILED lines carry the flag").isFalse();
    }

    /**
     * The saved report of a failed load says what its log line says ({@code retryable}), so that a reader of the
     * reports — the local runner, which never sees a continuation's answer — can tell a continuation's final failure
     * from one Lambda retries. Only failed reports have the field; without it (a report of an older loader) it is
     * not known.
     */
    @Test
    void aFailedReportSavesWhetherItIsRetriedAsItsLogLineSays() throws IOException {
        ObjectMapper json = new ObjectMapper();
        ports.objects.put(BUCKET + "/conn.log", ("#separator \\xZZ\n#fields\tts\tid.orig_h\n1525876221.1\t10.0.0.1\n")
                .getBytes(StandardCharsets.UTF_8));
        service(new ScriptedBulkTransport(id -> 201)).load(InMemoryPorts.event(BUCKET, "conn.log"), Deadline.none());
        LoadReport malformed = ports.reports.get(ports.reports.size() - 1);
        assertThat(malformed.retryable()).as("returned normally: final").isFalse();
        assertThat(json.valueToTree(malformed).path("retryable").isBoolean()).as("in the saved JSON").isTrue();
        assertThat(lastLogLine().path("retryable").booleanValue()).isFalse();

        // a continuation that fails retryably (OpenSearch unavailable): thrown, and its report says so
        ports.objects.put(BUCKET + "/" + KEY, csv(3000));
        AtomicInteger checks = new AtomicInteger();
        service(new ScriptedBulkTransport(id -> 201)).load(InMemoryPorts.event(BUCKET, KEY),
                () -> checks.incrementAndGet() <= 2 ? 600_000 : 50_000);
        LoadReport continuing = ports.reports.get(ports.reports.size() - 1);
        assertThat(continuing.status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(continuing.retryable()).isNull();
        assertThat(json.valueToTree(continuing).has("retryable")).as("only failed reports have it").isFalse();
        LoadContinuation next = ports.continuations.get(0);
        assertThatThrownBy(() -> service(new ScriptedBulkTransport(id -> 503)).resume(next, Deadline.none()))
                .isInstanceOf(LoadFailedException.class);
        LoadReport retried = ports.reports.get(ports.reports.size() - 1);
        assertThat(retried.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(retried.retryable()).as("thrown: Lambda retries it").isTrue();
        assertThat(lastLogLine().path("retryable").booleanValue()).isTrue();

        LoadReport done = service(new ScriptedBulkTransport(id -> 201)).resume(next, Deadline.none());
        assertThat(done.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(done.retryable()).isNull();
        assertThat(json.valueToTree(done).has("retryable")).isFalse();
    }

    private JsonNode lastLogLine() throws IOException {
        List<String> lines = logs.toString(StandardCharsets.UTF_8).lines().toList();
        return new ObjectMapper().readTree(lines.get(lines.size() - 1));
    }

    @Test
    void aDownloadCutShortIsRetriedNotReportedAsACorruptFile() throws IOException {
        byte[] full = csv(50_000);
        ports.objects.put(BUCKET + "/" + KEY, full);
        ports.cutAfter.put(BUCKET + "/" + KEY, full.length / 2);

        assertThatThrownBy(() -> service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class)
                .hasMessageContaining("ended after " + full.length / 2 + " of " + full.length + " bytes");
        assertThat(ports.reports.get(0).status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(ports.reports.get(0).failedAtByte()).isNull();
    }

    @Test
    void aDownloadThatCouldNotBeResumedFailsRetryablyWithTheStreamsWords() throws IOException {
        byte[] full = csv(50_000);
        ports.objects.put(BUCKET + "/" + KEY, full);
        ports.cutAfter.put(BUCKET + "/" + KEY, full.length / 2);
        String words = "the download of s3://" + BUCKET + "/" + KEY + " ended after " + full.length / 2 + " of "
                + full.length + " bytes, resumed 2 times: 3 attempts in a row to resume it at byte " + full.length / 2
                + " brought no byte (last break: Connection reset)";
        ports.breakWith.put(BUCKET + "/" + KEY, new DownloadBrokenException(words, null));

        assertThatThrownBy(() -> service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class)
                .hasMessageContaining(words);
        LoadReport report = ports.reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error()).isEqualTo(words);
        assertThat(report.retryable()).isTrue();
        assertThat(report.failedAtByte()).as("not a corrupt file").isNull();
    }

    /**
     * Two gzip members (files joined with cat), the download given up a few bytes into the second member's header: the
     * JDK's gzip reader swallows an I/O error there and reports the end of the data, which read as a whole file of the
     * first member's rows — SUCCEEDED with the second member's rows missing. The stream's failure is asked for at the
     * reader's end.
     */
    @Test
    void aDownloadGivenUpInsideTheNextGzipMembersHeaderIsNoEndOfTheFile() throws IOException {
        byte[] first = csv(300);
        byte[] second = gzipped("1525880000,10.9.0.1,8.8.8.8,53,late.example\n");
        byte[] joined = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        ports.objects.put(BUCKET + "/" + KEY, joined);
        ports.cutAfter.put(BUCKET + "/" + KEY, first.length + 3); // 1f 8b 08 of the next member's header
        ports.trickle.add(BUCKET + "/" + KEY); // the gzip reader asks for the next member's header byte by byte
        ports.breakWith.put(BUCKET + "/" + KEY, new DownloadBrokenException("the download of s3://" + BUCKET + "/" + KEY
                + " ended after " + (first.length + 3) + " of " + joined.length + " bytes, resumed 0 times: 3 attempts"
                + " in a row to resume it brought no byte (last break: Connection reset)", null));

        assertThatThrownBy(() -> service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class).hasMessageContaining("resumed 0 times");
        LoadReport report = ports.reports.get(0);
        assertThat(report.status()).as("not SUCCEEDED with 300 of 301 rows").isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.retryable()).isTrue();
    }

    @Test
    void anObjectReplacedBeforeABrokenDownloadCouldBeResumedIsRetriedAndADeletedOneIsNot() throws IOException {
        byte[] full = csv(50_000);
        ports.objects.put(BUCKET + "/" + KEY, full);
        ports.cutAfter.put(BUCKET + "/" + KEY, full.length / 2);
        ports.breakWith.put(BUCKET + "/" + KEY, new ObjectGoneException("s3://" + BUCKET + "/" + KEY
                + " was replaced by a new version while it was loaded", true));

        assertThatThrownBy(() -> service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .as("the retry loads the current version").isInstanceOf(LoadFailedException.class);
        assertThat(ports.reports.get(0).error())
                .isEqualTo("s3://" + BUCKET + "/" + KEY + " was replaced by a new version while it was loaded");
        assertThat(ports.reports.get(0).retryable()).isTrue();

        ports.breakWith.put(BUCKET + "/" + KEY, new ObjectGoneException("s3://" + BUCKET + "/" + KEY
                + " no longer exists"));
        List<LoadReport> deleted = service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());
        assertThat(deleted.get(0).status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(deleted.get(0).error()).isEqualTo("s3://" + BUCKET + "/" + KEY + " no longer exists");
        assertThat(deleted.get(0).retryable()).as("final: nothing left to read").isFalse();
    }

    @Test
    void theSourceMayResumeADownloadOnlyWithinTheReadingTimeBeforeTheMargin() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(10));
        service(new ScriptedBulkTransport(id -> 201)).load(InMemoryPorts.event(BUCKET, KEY), () -> 100_000);
        assertThat(ports.readingTimeAtOpen).hasSize(1);
        assertThat(ports.readingTimeAtOpen.get(0)).as("100 s left less the 60 s margin").isBetween(39_000L, 40_000L);
    }

    private String version() {
        return "v" + ports.objects.get(BUCKET + "/" + KEY).length;
    }

    @Test
    void aReplacedObjectKeepsOnlyTheDocumentsOfItsNewVersion() throws IOException {
        ScriptedBulkTransport opensearch = new ScriptedBulkTransport(id -> 201);
        stale.stored = opensearch.stored;
        ports.objects.put(BUCKET + "/" + KEY, csv(10));
        service(opensearch).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());
        String first = version();
        assertThat(opensearch.stored).hasSize(10)
                .allSatisfy((id, doc) -> assertThat(doc.get("sourceVersion").asText()).isEqualTo(first));
        assertThat(ports.reports.get(0).staleRemoved()).isZero();

        ports.objects.put(BUCKET + "/" + KEY, csv(5) /* same key, new content: fewer records */);
        service(opensearch).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        String second = version();
        assertThat(second).isNotEqualTo(first);
        assertThat(stale.calls).last().isEqualTo(new FakeStaleDocuments.Call(KEY, second));
        assertThat(opensearch.stored).as("records 5-9 of the old version are gone").hasSize(5)
                .allSatisfy((id, doc) -> assertThat(doc.get("sourceVersion").asText()).isEqualTo(second));
        LoadReport report = ports.reports.get(1);
        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.indexed()).isEqualTo(5);
        assertThat(report.staleRemoved()).isEqualTo(5);
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"staleRemoved\":5");
    }

    @Test
    void aFailedLoadRemovesNothing() throws IOException {
        byte[] full = csv(50_000);
        ports.objects.put(BUCKET + "/" + KEY, Arrays.copyOf(full, full.length / 2)); // truncated: FAILED, no retry
        List<LoadReport> reports = service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());
        assertThat(reports.get(0).status()).isEqualTo(LoadReport.Status.FAILED);

        ports.objects.put(BUCKET + "/" + KEY, csv(100));
        assertThatThrownBy(() -> service(new ScriptedBulkTransport(id -> 503)) // bulk retries exhausted: retried
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class);

        assertThat(stale.calls).isEmpty();
        assertThat(ports.reports).extracting(LoadReport::staleRemoved).containsOnlyNulls();
    }

    @Test
    void aFailedCleanupFailsTheInvocationRetryablyAndSaysHowManyWereRemoved() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(100));
        stale.failAfter = 3L;

        assertThatThrownBy(() -> service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class)
                .hasMessageContaining("removing the documents of other versions");

        LoadReport report = ports.reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.indexed()).isEqualTo(100);
        assertThat(report.staleRemoved()).isEqualTo(3);
        assertThat(report.error()).contains("after 3 documents", "HTTP 503");
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"message\":\"load failed\"",
                "\"staleRemoved\":3");
    }

    @Test
    void aFailedCleanupOfAContinuationIsRetriedToo() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(3000));
        LoadService service = service(new ScriptedBulkTransport(id -> 201));
        AtomicInteger checks = new AtomicInteger();
        service.load(InMemoryPorts.event(BUCKET, KEY), () -> checks.incrementAndGet() <= 2 ? 600_000 : 50_000);
        assertThat(stale.calls).isEmpty();
        stale.failAfter = 0L;

        LoadContinuation next = ports.continuations.get(0);
        assertThatThrownBy(() -> service.resume(next, Deadline.none())).isInstanceOf(LoadFailedException.class);
        assertThat(stale.calls).hasSize(1);
    }

    @Test
    void anObjectReplacedWhileItWasLoadedIsNotCleanedUpForTheOlderVersionAndIsRetried() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(100));
        byte[] newer = csv(60);
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> {
            ports.objects.put(BUCKET + "/" + KEY, newer); // written while the old version is being indexed
            return 201;
        });

        assertThatThrownBy(() -> service(transport).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class).hasMessageContaining("replaced");

        assertThat(stale.calls).as("the older version must not remove the newer one's documents").isEmpty();
        assertThat(ports.reports.get(0).status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(ports.reports.get(0).staleRemoved()).isNull();
    }

    @Test
    void anObjectReplacedDuringTheCleanupIsRetried() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(100));
        byte[] newer = csv(60);
        stale.during = call -> ports.objects.put(BUCKET + "/" + KEY, newer);

        assertThatThrownBy(() -> service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class).hasMessageContaining("during the cleanup");
        assertThat(stale.calls).hasSize(1);

        // the retry loads the current version and cleans up for it
        stale.during = call -> { };
        service(new ScriptedBulkTransport(id -> 201)).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());
        assertThat(stale.calls).last().isEqualTo(new FakeStaleDocuments.Call(KEY, "v" + newer.length));
        assertThat(ports.reports).last().extracting(LoadReport::status).isEqualTo(LoadReport.Status.SUCCEEDED);
    }

    /**
     * A copy of the same content (an object copied onto itself to load it again) has the same ETag but another
     * last-modified time — the day its records without a timestamp go to. The cleanup keeps such records of the
     * version only in that day's index; a copy written while the earlier copy loads is another version all the
     * same: no cleanup for the earlier copy (it would remove the copy's records of its own day), and a retry.
     */
    @Test
    void aCopyOfTheSameContentWrittenWhileTheObjectLoadedIsNotCleanedUpForAndIsRetried() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(100));
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> {
            ports.lastModified.put(BUCKET + "/" + KEY, 1_525_876_221_000L + 86_400_000L); // copied the next day
            return 201;
        });

        assertThatThrownBy(() -> service(transport).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class).hasMessageContaining("replaced");
        assertThat(stale.calls).isEmpty();

        service(transport).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()); // the retry loads the copy
        assertThat(ports.reports).last().extracting(LoadReport::status).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(stale.keepIndices).containsExactly("metadata-2018.05.10");
    }

    @Test
    void aContinuationOfAnObjectCopiedOntoItselfLoadsTheCopyFromTheStart() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(3000));
        LoadService service = service(new ScriptedBulkTransport(id -> 201));
        AtomicInteger checks = new AtomicInteger();
        service.load(InMemoryPorts.event(BUCKET, KEY), () -> checks.incrementAndGet() <= 2 ? 600_000 : 50_000);
        LoadContinuation next = ports.continuations.get(0);
        assertThat(next.getLastModified()).isEqualTo(1_525_876_221_000L);

        ports.lastModified.put(BUCKET + "/" + KEY, 1_525_876_221_000L + 86_400_000L); // same bytes, same ETag
        LoadReport report = service.resume(next, Deadline.none());

        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.invocations()).as("a load of the copy from the start, counting on from the chain's first")
                .isEqualTo(2);
        assertThat(report.rowsRead()).isEqualTo(3000);
        assertThat(stale.keepIndices).containsExactly("metadata-2018.05.10");
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("\"message\":\"load restarted\"",
                "copy of the same content");
    }

    /**
     * The ports' objects as a store that gives no ETag (the loader tolerates that: "no version to keep", no cleanup).
     * A version without an ETag was never the same as itself: every continuation found its object "replaced",
     * loaded it again from record 0 and handed on the same payload — a chain that never ends, since the restart
     * counts its invocations from 1 — and a failure for good became a retryable "replaced meanwhile".
     */
    private final ObjectSource withoutETags = new ObjectSource() {
        @Override
        public SourceObject open(String bucket, String key, String eTag, Deadline readingTime) throws IOException {
            SourceObject inner = ports.open(bucket, key, null, readingTime);
            return new ForwardingSourceObject(inner) {
                @Override
                public String eTag() {
                    return null;
                }
            };
        }

        @Override
        public ObjectVersion currentVersion(String bucket, String key) {
            ObjectVersion v = ports.currentVersion(bucket, key);
            return v == null ? null : new ObjectVersion(null, v.lastModifiedMillis());
        }
    };

    private LoadService service(ObjectSource source, ScriptedBulkTransport transport) {
        Map<String, String> env = new HashMap<>();
        env.put("BULK_MAX_DOCS", "500");
        env.put("LOAD_TIME_MARGIN_MS", "60000");
        return new LoadService(LoadSettings.from(new dev.netmeta.model.Env(env)), source,
                new OpenSearchBulkIndexer(transport, 500, 1 << 20, 2, new Backoff(1, 2, 3)),
                ports, ports, ports, () -> { }, stale, new LoadLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
                Clock.systemUTC());
    }

    @Test
    void aContinuationOfAnObjectWithoutAnETagGoesOnWhereItStopped() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(5000));
        LoadService service = service(withoutETags, new ScriptedBulkTransport(id -> 201));
        AtomicInteger checks = new AtomicInteger();
        service.load(InMemoryPorts.event(BUCKET, KEY), () -> checks.incrementAndGet() <= 3 ? 600_000 : 50_000);
        LoadContinuation first = ports.continuations.get(0);
        assertThat(first.getEtag()).isNull();
        assertThat(first.getNextPosition()).isEqualTo(2048);

        checks.set(0);
        service.resume(first, () -> checks.incrementAndGet() <= 3 ? 600_000 : 50_000);

        LoadContinuation second = ports.continuations.get(1);
        assertThat(second.getNextPosition()).as("not back to record 0").isEqualTo(4096);
        assertThat(second.getAttempt()).isEqualTo(2);
        assertThat(logs.toString(StandardCharsets.UTF_8)).doesNotContain("load restarted");
    }

    @Test
    void aFailureForGoodOfAnObjectWithoutAnETagIsNotMistakenForAReplacement() throws IOException {
        byte[] full = csv(50_000);
        ports.objects.put(BUCKET + "/" + KEY, Arrays.copyOf(full, full.length / 2));

        List<LoadReport> reports = service(withoutETags, new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        assertThat(reports.get(0).status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(reports.get(0).error()).contains("truncated").doesNotContain("replaced");
    }

    /**
     * The load a continuation restarts for the replaced object is a fresh load in every respect: when its own time
     * runs out it hands on a continuation of the current version (its ETag and last-modified time; the count of
     * invocations goes on from the chain's), which finishes it.
     */
    @Test
    void theLoadARestartedContinuationStartsHandsOnItsOwnContinuation() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(3000));
        LoadService service = service(new ScriptedBulkTransport(id -> 201));
        AtomicInteger checks = new AtomicInteger();
        service.load(InMemoryPorts.event(BUCKET, KEY), () -> checks.incrementAndGet() <= 2 ? 600_000 : 50_000);
        LoadContinuation old = ports.continuations.get(0);
        byte[] newer = csv(5000);
        ports.objects.put(BUCKET + "/" + KEY, newer);
        ports.lastModified.put(BUCKET + "/" + KEY, 1_525_876_221_000L + 3_600_000L);

        checks.set(0);
        LoadReport continuing = service.resume(old, () -> checks.incrementAndGet() <= 4 ? 600_000 : 50_000);

        assertThat(continuing.status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(continuing.eTag()).isEqualTo("v" + newer.length);
        LoadContinuation next = ports.continuations.get(1);
        assertThat(next.getEtag()).isEqualTo("v" + newer.length);
        assertThat(next.getLastModified()).isEqualTo(1_525_876_221_000L + 3_600_000L);
        assertThat(next.getAttempt()).isEqualTo(2);
        assertThat(next.getNextPosition()).isPositive();
        assertThat(next.getRowsRead()).isEqualTo(next.getNextPosition());

        LoadReport done = service.resume(next, Deadline.none());
        assertThat(done.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(done.rowsRead()).isEqualTo(5000);
        assertThat(done.indexed()).isEqualTo(5000);
        assertThat(done.invocations()).isEqualTo(3);
        assertThat(stale.calls).as("no cleanup for the old version, one for the new").hasSize(1);
    }

    /**
     * The index the cleanup keeps the version's records without a timestamp in is exactly the one DailyIndex put
     * them into, in every invocation of the file — also for a last-modified time in the last millisecond of a UTC day.
     */
    @Test
    void theCleanupKeepsRecordsWithoutATimestampInTheIndexTheyWereWrittenTo() throws IOException {
        StringBuilder text = new StringBuilder("Src IP,Dst IP,Dst Port,host\n");
        for (int i = 0; i < 3000; i++) {
            text.append("10.0.0.").append(i % 250).append(",8.8.8.8,53,h").append(i).append(".example\n");
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        ports.objects.put(BUCKET + "/" + KEY, gz.toByteArray());
        ports.lastModified.put(BUCKET + "/" + KEY, 1_525_910_399_999L); // 2018-05-09T23:59:59.999Z
        java.util.Set<String> indices = java.util.concurrent.ConcurrentHashMap.newKeySet();
        ScriptedBulkTransport scripted = new ScriptedBulkTransport(id -> 201);
        dev.netmeta.load.index.BulkTransport recording = (body, length) -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"_index\":\"([^\"]+)\"")
                    .matcher(new String(body, 0, length, StandardCharsets.UTF_8));
            while (m.find()) {
                indices.add(m.group(1));
            }
            return scripted.post(body, length);
        };
        Map<String, String> env = new HashMap<>(Map.of("BULK_MAX_DOCS", "500", "LOAD_TIME_MARGIN_MS", "60000"));
        LoadService service = new LoadService(LoadSettings.from(new dev.netmeta.model.Env(env)), ports,
                new OpenSearchBulkIndexer(recording, 500, 1 << 20, 2, new Backoff(1, 2, 3)), ports, ports, ports,
                () -> { }, stale, new LoadLog(new PrintStream(logs, true, StandardCharsets.UTF_8)), Clock.systemUTC());
        AtomicInteger checks = new AtomicInteger();
        service.load(InMemoryPorts.event(BUCKET, KEY), () -> checks.incrementAndGet() <= 2 ? 600_000 : 50_000);

        LoadReport done = service.resume(ports.continuations.get(0), Deadline.none());

        assertThat(done.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(done.invocations()).isEqualTo(2);
        assertThat(indices).containsExactly("metadata-2018.05.09");
        assertThat(stale.keepIndices).containsExactly("metadata-2018.05.09");
    }

    /**
     * When the load a continuation restarted for the replaced object fails retryably, the exception (what the
     * failure destination keeps) says that the current version was loaded, not only which continuation came in.
     */
    @Test
    void aRestartedContinuationThatFailsSaysItLoadedTheCurrentVersion() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(3000));
        AtomicInteger checks = new AtomicInteger();
        service(new ScriptedBulkTransport(id -> 201))
                .load(InMemoryPorts.event(BUCKET, KEY), () -> checks.incrementAndGet() <= 2 ? 600_000 : 50_000);
        ports.objects.put(BUCKET + "/" + KEY, csv(3001));

        assertThatThrownBy(() -> service(new ScriptedBulkTransport(id -> 503)).resume(ports.continuations.get(0),
                Deadline.none()))
                .isInstanceOf(LoadFailedException.class)
                .hasMessageContaining("from record 1024")
                .hasMessageContaining("its object was replaced: the current version was loaded from the start");
        assertThat(ports.reports).last().extracting(LoadReport::eTag).isEqualTo("v" + csv(3001).length);
    }

    /**
     * Documents refused because of their index fail the file retryably: nothing goes to the rejects, the counts
     * still add up ({@code rowsRead = indexed + rejected + skipped + unsettled}), and no cleanup runs.
     */
    @Test
    void documentsRefusedBecauseOfTheirIndexFailTheFileRetryablyWithoutRejectsOrCleanup() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(3000));
        String prefix = dev.netmeta.model.DocumentIds.objectPrefix(BUCKET, KEY);
        ScriptedBulkTransport blocked = new ScriptedBulkTransport(id ->
                Long.parseLong(id.substring(prefix.length() + 1)) >= 1200 ? 403 : 201);

        assertThatThrownBy(() -> service(blocked).load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()))
                .isInstanceOf(LoadFailedException.class).hasMessageContaining("because of their index (HTTP 403)");

        LoadReport report = ports.reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.rejected()).isZero();
        assertThat(report.unsettled()).isPositive();
        assertThat(report.indexed()).isEqualTo(blocked.stored.size());
        assertThat(report.rowsRead()).as("%s", report)
                .isEqualTo(report.indexed() + report.rejected() + report.skipped() + report.unsettled());
        assertThat(ports.rejects.getOrDefault(KEY, List.of())).isEmpty();
        assertThat(stale.calls).isEmpty();
    }

    /**
     * A FAILED report adds up ({@code rowsRead = indexed + rejected + skipped + unsettled}) also when the session's
     * time ran out while a bulk worker was still settling an answer: records 0-499 fail the file (HTTP 403), and
     * the worker of records 500-999 is writing the reject of record 700 — a write that does not end on an
     * interrupt — when finish() gives up. It had counted the batch's 499 acknowledged documents as indexed while
     * the batch was still among the unsettled ones, and the report said 499 indexed + 1000 unsettled of 1000 rows.
     */
    @Test
    void aBulkWorkerAbandonedWhileSettlingAnAnswerLeavesAFailedReportThatAddsUp() throws IOException {
        ports.objects.put(BUCKET + "/" + KEY, csv(1000));
        String prefix = dev.netmeta.model.DocumentIds.objectPrefix(BUCKET, KEY);
        java.util.concurrent.CountDownLatch recording = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ScriptedBulkTransport items = new ScriptedBulkTransport(id -> id.equals(prefix + "-700") ? 400 : 201);
        dev.netmeta.load.index.BulkTransport transport = (body, length) -> {
            if (new String(body, 0, length, StandardCharsets.UTF_8).contains("\"" + prefix + "-0\"")) {
                Uninterruptibly.await(recording); // answered once the other request is being settled
                return new dev.netmeta.load.index.BulkTransport.BulkReply(403, "{\"message\":\"no\"}".getBytes());
            }
            return items.post(body, length);
        };
        RejectWriter slowRejects = new RejectWriter() {
            @Override
            public RejectSink open(String bucket, String key, long carryOverBelow, long maxBytes) {
                RejectSink sink = ports.open(bucket, key, carryOverBelow, maxBytes);
                return new RejectSink() {
                    @Override
                    public boolean write(Reject reject) {
                        if (reject.position() == 700) {
                            recording.countDown();
                            Uninterruptibly.await(release);
                        }
                        return sink.write(reject);
                    }

                    @Override
                    public void close() throws IOException {
                        sink.close();
                    }
                };
            }

            @Override
            public String location(String bucket, String key) {
                return ports.location(bucket, key);
            }
        };
        Map<String, String> env = new HashMap<>();
        env.put("LOAD_TIME_MARGIN_MS", "1000");
        LoadService service = new LoadService(LoadSettings.from(new dev.netmeta.model.Env(env)), ports,
                new OpenSearchBulkIndexer(transport, 500, 1 << 20, 2, new Backoff(1, 2, 3)), slowRejects, ports,
                ports, () -> { }, stale, new LoadLog(new PrintStream(logs, true, StandardCharsets.UTF_8)),
                Clock.systemUTC());
        try {
            // 1.5 s left when reading starts: the bulk session stops waiting a quarter of the margin before the end
            assertThatThrownBy(() -> service.load(InMemoryPorts.event(BUCKET, KEY), () -> 1_500))
                    .isInstanceOf(LoadFailedException.class).hasMessageContaining("HTTP 403");
        } finally {
            release.countDown();
        }

        LoadReport report = ports.reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.rowsRead()).isEqualTo(1000);
        assertThat(report.rowsRead()).as("%s", report)
                .isEqualTo(report.indexed() + report.rejected() + report.skipped() + report.unsettled());
        assertThat(report.unsettled()).isEqualTo(1000);
        assertThat(stale.calls).isEmpty();
    }


    @Test
    void theSourceVersionIsTheETagWithoutItsQuotes() {
        assertThat(LoadService.sourceVersion("\"9f0e8d7c\"")).isEqualTo("9f0e8d7c");
        assertThat(LoadService.sourceVersion("\"9f0e8d7c-3\"")).isEqualTo("9f0e8d7c-3");
        assertThat(LoadService.sourceVersion("9f0e8d7c")).isEqualTo("9f0e8d7c");
        assertThat(LoadService.sourceVersion(null)).isNull();
    }
}
