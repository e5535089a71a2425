package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.load.format.Inputs;
import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A file that loads as junk is SUCCEEDED with {@code warnings} in its report, its log line and the handler's answer,
 * and one {@code "load warning"} line at WARN; a continuation carries the warnings to the final report.
 */
class LoadWarningsTest {

    private static final String BUCKET = "metadata-sync-files";
    private static final String KEY = "raw/conn.csv.gz";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final InMemoryPorts ports = new InMemoryPorts();
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    private LoadService service() {
        LoadSettings settings = LoadSettings.from(new dev.netmeta.model.Env(Map.of("BULK_MAX_DOCS", "500")));
        return new LoadService(settings, ports,
                new OpenSearchBulkIndexer(new ScriptedBulkTransport(id -> 201), 500, 1 << 20, 2, new Backoff(1, 2, 3)),
                ports, ports, ports, () -> { }, new FakeStaleDocuments(),
                new LoadLog(new PrintStream(logs, true, StandardCharsets.UTF_8)), Clock.systemUTC());
    }

    private static byte[] gzip(String text) {
        return Inputs.gzip(Inputs.utf8(text));
    }

    /** Loads {@code text} (gzipped) with time for two blocks of records: it continues from record 2048. */
    private LoadService loadRunningOutAfterTwoBlocks(String text) {
        ports.objects.put(BUCKET + "/" + KEY, gzip(text));
        LoadService service = service();
        AtomicInteger checks = new AtomicInteger();
        service.load(InMemoryPorts.event(BUCKET, KEY), () -> checks.incrementAndGet() <= 3 ? 600_000 : 50_000);
        return service;
    }

    private static String tsv(int rows) {
        StringBuilder sb = new StringBuilder("ts\tid.orig_h\tid.resp_h\tproto\n");
        for (int i = 0; i < rows; i++) {
            sb.append(1_525_876_221 + i).append("\t10.0.0.").append(i % 250).append("\t8.8.8.8\tudp\n");
        }
        return sb.toString();
    }

    private List<JsonNode> logLines() {
        return logs.toString(StandardCharsets.UTF_8).lines().map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError(line, e);
            }
        }).toList();
    }

    private List<JsonNode> warningLines() {
        return logLines().stream().filter(l -> l.path("message").asText().equals("load warning")).toList();
    }

    @Test
    void aTabSeparatedCsvSucceedsWithItsWarningInTheReportTheLogAndTheAnswer() {
        ports.objects.put(BUCKET + "/" + KEY, gzip(tsv(3)));

        List<LoadReport> reports = service().load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        LoadReport report = reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.indexed()).isEqualTo(3);
        assertThat(report.warnings()).singleElement().asString()
                .startsWith("CSV header \"ts\\tid.orig_h\\tid.resp_h\\tproto\" is one column holding TABs");
        JsonNode saved = JSON.valueToTree(ports.reports.get(ports.reports.size() - 1));
        assertThat(saved.path("warnings")).hasSize(1);
        assertThat(saved.path("warnings").get(0).asText()).isEqualTo(report.warnings().get(0));

        JsonNode reportLine = logLines().get(0);
        assertThat(reportLine.path("message").asText()).isEqualTo("load succeeded");
        assertThat(reportLine.path("warnings").get(0).asText()).isEqualTo(report.warnings().get(0));
        assertThat(warningLines()).singleElement().satisfies(line -> {
            assertThat(line.path("level").asText()).isEqualTo("WARN");
            assertThat(line.path("bucket").asText()).isEqualTo(BUCKET);
            assertThat(line.path("key").asText()).isEqualTo(KEY);
            assertThat(line.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(line.path("format").asText()).isEqualTo("csv");
            assertThat(line.path("warnings").get(0).asText()).isEqualTo(report.warnings().get(0));
        });
        assertThat(LoadSummary.of(reports)).isEqualTo("s3://" + BUCKET + "/" + KEY
                + " SUCCEEDED 3 indexed, 0 rejected, 0 skipped; warning: " + report.warnings().get(0));
    }

    @Test
    void aFileThatLooksRightHasNoWarningsInItsReportJsonAndNoWarningLine() {
        ports.objects.put(BUCKET + "/" + KEY, gzip(tsv(3).replace('\t', ',')));

        List<LoadReport> reports = service().load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        assertThat(reports.get(0).warnings()).isEmpty();
        assertThat(JSON.valueToTree(reports.get(0)).has("warnings")).as("absent, not []").isFalse();
        assertThat(logLines()).singleElement().satisfies(l -> assertThat(l.has("warnings")).isFalse());
        assertThat(LoadSummary.of(reports)).doesNotContain("warning");
    }

    @Test
    void aFileWithoutRecordsSucceedsWithTheNoRecordsWarning() {
        for (byte[] content : List.of(new byte[0], gzip(""), gzip("timestamp,srcIp,dstIp\n"), Inputs.utf8("\n\n"))) {
            ports.objects.put(BUCKET + "/" + KEY, content);

            List<LoadReport> reports = service().load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

            LoadReport report = reports.get(0);
            assertThat(report.status()).as("%d bytes", content.length).isEqualTo(LoadReport.Status.SUCCEEDED);
            assertThat(report.rowsRead()).isZero();
            assertThat(report.warnings()).as("%d bytes", content.length).containsExactly(LoadService.NO_RECORDS);
            assertThat(LoadSummary.of(reports)).endsWith(" SUCCEEDED 0 indexed, 0 rejected, 0 skipped; warning: "
                    + LoadService.NO_RECORDS);
        }
        assertThat(warningLines()).hasSize(4);
    }

    @Test
    void aFileOfSkippedRecordsOnlyHasNoNoRecordsWarning() {
        ports.objects.put(BUCKET + "/" + KEY, gzip("{\"timestamp\":\"2018-05-09T14:30:21Z\",\"event_type\":\"stats\"}\n"));

        LoadReport report = service().load(InMemoryPorts.event(BUCKET, KEY), Deadline.none()).get(0);

        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.skipped()).isEqualTo(1);
        assertThat(report.warnings()).isEmpty();
    }

    /**
     * NDJSON decides on its first 1,000 records, which a continuation (from record 2048) skips without reading: only
     * the payload brings the warning to the final report. The WARN line is printed once, with that report.
     */
    @Test
    void aContinuationCarriesTheWarningToTheFinalReport() {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            ndjson.append("{\"eventTime\":\"2018-05-09T14:30:21Z\",\"n\":").append(i).append("}\n");
        }
        LoadService service = loadRunningOutAfterTwoBlocks(ndjson.toString());

        LoadContinuation next = ports.continuations.get(0);
        assertThat(next.getNextPosition()).isEqualTo(2048);
        assertThat(next.getWarnings()).singleElement().asString().startsWith("none of the file's first 1000 JSON "
                + "records has a known field");
        LoadReport continuing = ports.reports.get(ports.reports.size() - 1);
        assertThat(continuing.status()).isEqualTo(LoadReport.Status.CONTINUING);
        assertThat(continuing.warnings()).isEqualTo(next.getWarnings());
        assertThat(warningLines()).as("not before the load has ended").isEmpty();

        LoadReport done = service.resume(next, Deadline.none());

        assertThat(done.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(done.indexed()).isEqualTo(5_000);
        assertThat(done.warnings()).as("once, from the payload").isEqualTo(next.getWarnings());
        assertThat(warningLines()).singleElement()
                .satisfies(l -> assertThat(l.path("warnings").get(0).asText()).isEqualTo(done.warnings().get(0)));
    }

    /** A CSV continuation reads the header again and finds the same warning: the report still has it once. */
    @Test
    void aWarningFoundAgainByAContinuationIsReportedOnce() {
        LoadService service = loadRunningOutAfterTwoBlocks(tsv(5_000));

        LoadReport done = service.resume(ports.continuations.get(0), Deadline.none());

        assertThat(done.warnings()).hasSize(1).isEqualTo(ports.continuations.get(0).getWarnings());
    }

    /** The warnings of a version replaced while it was continued do not reach the current version's report. */
    @Test
    void aContinuationThatLoadsTheReplacedObjectFromTheStartDropsTheOldVersionsWarnings() {
        LoadService service = loadRunningOutAfterTwoBlocks(tsv(5_000));
        LoadContinuation next = ports.continuations.get(0);
        assertThat(next.getWarnings()).hasSize(1);

        ports.objects.put(BUCKET + "/" + KEY, gzip(tsv(4_000).replace('\t', ','))); // fixed at its source
        LoadReport done = service.resume(next, Deadline.none());

        assertThat(done.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(done.rowsRead()).isEqualTo(4_000);
        assertThat(done.warnings()).isEmpty();
        assertThat(warningLines()).isEmpty();
    }

    @Test
    void theWarningLineFollowsAReportThatEndsTheLoadOnly() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoadLog log = new LoadLog(new PrintStream(out, true, StandardCharsets.UTF_8));
        List<String> warnings = List.of("CSV header \"a\\tb\" is one column holding TABs");
        for (LoadReport.Status status : LoadReport.Status.values()) {
            for (boolean retryable : new boolean[] {false, true}) {
                log.report(new LoadReport("b", "raw/x.csv.gz", "\"9f\"", null, status, "csv", 2, 2, 0, 0, 0, null,
                        "2026-01-01T00:00:00Z", null, 10, 1, null, null, null, null, null, warnings), retryable);
            }
        }
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.contains("\"message\":\"load warning\"")).toList();
        assertThat(lines).as("SUCCEEDED and FAILED for good; not CONTINUING, not a FAILED one Lambda retries")
                .hasSize(2).anySatisfy(l -> assertThat(l).contains("\"status\":\"SUCCEEDED\""))
                .anySatisfy(l -> assertThat(l).contains("\"status\":\"FAILED\""));
    }
}
