package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.runner.invoke.ContextClock;
import dev.netmeta.local.runner.invoke.TestHandlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load function's continuation runs locally as in AWS: load runs out of time, invokes {@code loadContinue}
 * asynchronously through the Lambda Invoke API (the runner's port, via AWS_ENDPOINT_URL_LAMBDA), which carries on —
 * invoking itself again — until the file is done, every row exactly once.
 *
 * <p>Running out of time must not depend on how fast this machine is, so the load functions' {@code Context} reads a
 * clock that counts its readings instead of the wall clock: each invocation has its whole timeout for
 * {@link #CHECKS} readings, then just under the load margin. The load function reads the clock once before the file and then every 1,024
 * records, so each invocation loads exactly 2,048 records. Everything else is the real path: the project's manifest,
 * the handlers, the S3 event from the bucket watcher, the Invoke API and the asynchronous delivery.
 */
class ContinuationIT {

    private static final int ROWS = 5_000;
    private static final int CHECKS = 3;
    private static final int RECORDS_PER_INVOCATION = 2_048;
    private static final int INVOCATIONS = (ROWS + RECORDS_PER_INVOCATION - 1) / RECORDS_PER_INVOCATION; // 3

    @TempDir
    Path dir;
    private LocalPipeline pipeline;
    private final PipelineConsole console = new PipelineConsole();

    @AfterEach
    void stop() {
        console.stopAndShow(pipeline, "");
    }

    /** The load function's default {@code LOAD_TIME_MARGIN_MS} (the manifest does not change it). */
    private static final int LOAD_MARGIN_MILLIS = 60_000;

    /**
     * Load functions: the whole timeout for {@code checks} readings, then a little less than the load margin — the
     * reader stops there, while the requests in flight still have more than half the margin to settle (below that
     * the bulk session would abandon them, as it must close to a real deadline). Others: the wall clock.
     */
    private static ContextClock runningOutAfter(int checks) {
        return (function, deadlineMillis, timeoutMillis) -> {
            if (!function.startsWith("load")) {
                return ContextClock.WALL.remainingTime(function, deadlineMillis, timeoutMillis);
            }
            AtomicInteger readings = new AtomicInteger();
            return () -> readings.incrementAndGet() <= checks ? (int) timeoutMillis : LOAD_MARGIN_MILLIS - 1_000;
        };
    }

    @Test
    void aLoadThatRunsOutOfTimeIsFinishedByItsContinuations() throws Exception {
        pipeline = LocalPipeline.start(RunnerOptions.parse(new String[]{"--data-dir", dir.resolve("data").toString(),
                        "--ftp-root", dir.resolve("ftp").toString(), "--port", "0",
                        "--manifest", LocalRunnerIT.projectManifest().toString()}, Map.of()),
                console.stream(), Map.of(), runningOutAfter(CHECKS));
        RunnerClient client = new RunnerClient(pipeline.baseUrl());
        client.awaitIdle(); // the scheduled sync at start has run: the file is copied by the sync below, not by it
        client.upload(TestFiles.csv(dir.resolve("in"), "long.csv.gz", ROWS), "long.csv.gz");
        assertThat(client.sync().get("copied").asInt()).isEqualTo(1);
        JsonNode status = client.awaitIdle();

        assertThat(status.get("objects").size()).as("only the file itself, never a half-written object").isEqualTo(1);
        assertThat(status.get("failedEvents")).isEmpty();
        JsonNode report = status.at("/objects/raw~1long.csv.gz/report");
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("rowsRead").asLong()).isEqualTo(ROWS);
        assertThat(report.get("indexed").asLong()).isEqualTo(ROWS);
        assertThat(report.get("invocations").asInt()).as("load, then loadContinue twice").isEqualTo(INVOCATIONS);
        assertThat(client.indexed("metadata")).as("every row exactly once").isEqualTo(ROWS);
        assertThat(client.count("host:google.com")).isEqualTo(TestFiles.googleRows(ROWS));
        String continuations = Files.readString(dir.resolve("data/logs/loadContinue.log"));
        assertThat(Pattern.compile("START RequestId").matcher(continuations).results().count())
                .as("loadContinue ran through the Invoke API").isEqualTo(INVOCATIONS - 1);
    }

    /**
     * A load that fails for good in a continuation — here it gives up after LOAD_MAX_CONTINUATIONS = 1, a setting, not
     * the file — is not delivered again at a restart: the continuation's answer goes to no one, so its final report
     * ({@code "retryable": false}) decides, in the live watcher (failedForGood in the status) and at the next start. Once
     * the user has raised the setting, {@code POST /_local/load} loads it, and it succeeds.
     */
    @Test
    void aLoadThatFailsForGoodInAContinuationIsNotDeliveredAgainAtARestartButLoadsWhenAsked() throws Exception {
        pipeline = start(manifestWithMaxContinuations(1));
        RunnerClient client = new RunnerClient(pipeline.baseUrl());
        client.awaitIdle();
        client.upload(TestFiles.csv(dir.resolve("in"), "long.csv.gz", ROWS), "long.csv.gz");
        assertThat(client.sync().get("copied").asInt()).isEqualTo(1);
        JsonNode failed = client.awaitIdle().at("/objects/raw~1long.csv.gz");

        String gaveUp = "gave up after 2 invocations (LOAD_MAX_CONTINUATIONS)";
        assertThat(failed.path("state").asText()).as(failed.toString()).isEqualTo("failed");
        assertThat(failed.at("/report/invocations").asInt()).as("load, then one loadContinue").isEqualTo(2);
        assertThat(failed.at("/report/error").asText()).isEqualTo(gaveUp);
        assertThat(failed.at("/report/retryable").asBoolean(true)).isFalse();
        assertThat(failed.path("failedForGood").asBoolean()).as("marked by the continuation's report").isTrue();
        assertThat(console.text()).contains(String.format(Locale.ROOT, "FAILED   raw/long.csv.gz  %,d rows: %,d indexed",
                2 * RECORDS_PER_INVOCATION, 2 * RECORDS_PER_INVOCATION));
        String finishedAt = failed.at("/report/finishedAt").asText();
        pipeline.close();

        // the user raises the setting and starts the runner again on the same data directory
        int before = console.text().length();
        pipeline = start(manifestWithMaxContinuations(5));
        client = new RunnerClient(pipeline.baseUrl());
        JsonNode restarted = client.awaitIdle().at("/objects/raw~1long.csv.gz");

        String afterRestart = console.text().substring(before);
        assertThat(afterRestart).contains("failed   raw/long.csv.gz  (its last load FAILED: " + gaveUp
                        + "; not delivered again at a start")
                .contains("curl -X POST '" + pipeline.baseUrl() + "/_local/load?key=raw/long.csv.gz'")
                .as("neither delivered again nor its FAILED line repeated")
                .doesNotContain("retry   raw/long.csv.gz").doesNotContain("resume  raw/long.csv.gz")
                .doesNotContain("FAILED   raw/long.csv.gz");
        assertThat(restarted.path("failedForGood").asBoolean()).as(restarted.toString()).isTrue();
        assertThat(restarted.at("/report/finishedAt").asText()).as("the same report: no new load").isEqualTo(finishedAt);
        assertThat(starts("load")).as("the first run's one load invocation").isEqualTo(1);
        assertThat(starts("loadContinue")).isEqualTo(1);

        var again = client.post("/_local/load?key=raw/long.csv.gz");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        assertThat(Json.MAPPER.readTree(again.body()).path("previousFailedForGood").asBoolean()).isTrue();
        JsonNode reloaded = client.awaitIdle().at("/objects/raw~1long.csv.gz");
        assertThat(reloaded.path("state").asText()).as(reloaded.toString()).isEqualTo("loaded");
        assertThat(reloaded.has("failedForGood")).isFalse();
        assertThat(reloaded.at("/report/indexed").asLong()).isEqualTo(ROWS);
        assertThat(reloaded.at("/report/invocations").asInt()).isEqualTo(INVOCATIONS);
        assertThat(client.indexed("metadata")).as("every row exactly once").isEqualTo(ROWS);
        assertThat(console.text().substring(before)).contains("reload  raw/long.csv.gz")
                .contains(String.format(Locale.ROOT, "loaded   raw/long.csv.gz  %,d rows: %,d indexed", ROWS, ROWS));
    }

    /**
     * Starts the runner with loadContinue held at {@code gate} (never opened: the stop interrupts it), copies in a file
     * whose load runs out of time, and returns once its continuation runs: the load has saved a CONTINUING report.
     */
    private RunnerClient startWithItsContinuationHeld(String gate) throws Exception {
        CountDownLatch continuing = new CountDownLatch(1);
        TestHandlers.GatedContinuation.GATES.put(gate, new CountDownLatch(1));
        TestHandlers.GatedContinuation.STARTED.put(gate, continuing);
        pipeline = start(StopIT.gatedManifest(dir, "loadContinue", TestHandlers.GatedContinuation.class, gate));
        RunnerClient client = new RunnerClient(pipeline.baseUrl());
        client.awaitIdle();
        client.upload(TestFiles.csv(dir.resolve("in"), "long.csv.gz", ROWS), "long.csv.gz");
        assertThat(client.sync().get("copied").asInt()).isEqualTo(1);
        assertThat(continuing.await(60, TimeUnit.SECONDS)).as("the load ran out of time, its continuation runs").isTrue();
        return client;
    }

    /**
     * The stop cuts a load off in its continuation, after the load saved a CONTINUING report at row 2,048 (the
     * continuation is held at a gate until the stop interrupts it). While the chain runs, {@code POST /_local/load} of
     * the key is refused with a 409 that names the running load — it was delivered again (202) and both loaded the file
     * at once, the chain's later reports hiding the new load's, which left it {@code delivered} until the next start.
     * At the next start the load goes on from row 2,048 on loadContinue, as Lambda's continuation would have; it was
     * delivered again and loaded from its first row.
     */
    @Test
    void aRunningChainIsNotDeliveredAgainAndALoadTheStopCutOffGoesOnFromItsRowAtTheNextStart() throws Exception {
        String gate = UUID.randomUUID().toString();
        RunnerClient client = startWithItsContinuationHeld(gate);

        var refused = client.post("/_local/load?key=raw/long.csv.gz");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        JsonNode body = Json.MAPPER.readTree(refused.body());
        assertThat(body.path("error").asText()).isEqualTo("load_running");
        assertThat(body.at("/running/function").asText()).isEqualTo("loadContinue");
        assertThat(body.at("/running/started").asBoolean()).isTrue();
        assertThat(body.at("/running/continuingFrom").asLong()).isEqualTo(RECORDS_PER_INVOCATION);
        assertThat(body.path("message").asText()).startsWith("the load of 'raw/long.csv.gz' delivered at ")
                .contains(String.format(Locale.ROOT, "is running: loadContinue goes on from row %,d after 1 invocation;",
                        RECORDS_PER_INVOCATION));
        assertThat(client.status().at("/objects/raw~1long.csv.gz/state").asText()).isEqualTo("delivered");
        pipeline.close();
        assertThat(console.text()).contains(String.format(Locale.ROOT, "cut off  raw/long.csv.gz  %,d rows read, %,d "
                + "indexed  (its last report says CONTINUING", RECORDS_PER_INVOCATION, RECORDS_PER_INVOCATION));

        int before = console.text().length();
        pipeline = start(LocalRunnerIT.projectManifest());
        client = new RunnerClient(pipeline.baseUrl());
        JsonNode loaded = client.awaitIdle().at("/objects/raw~1long.csv.gz");

        String afterRestart = console.text().substring(before);
        assertThat(afterRestart).contains("resume  raw/long.csv.gz  ").contains(String.format(Locale.ROOT, "(the last stop cut its load off at row %,d: "
                + "loadContinue continues it from there, as in Lambda; the rows before it are indexed)",
                RECORDS_PER_INVOCATION))
                .contains(String.format(Locale.ROOT, "loaded   raw/long.csv.gz  %,d rows: %,d indexed, 0 rejected "
                        + "(continued from row %,d at this start)", ROWS, ROWS, RECORDS_PER_INVOCATION));
        assertThat(loaded.path("state").asText()).as(loaded.toString()).isEqualTo("loaded");
        assertThat(loaded.at("/report/indexed").asLong()).isEqualTo(ROWS);
        assertThat(loaded.at("/report/invocations").asInt()).as("the load, then two continuations at this start")
                .isEqualTo(INVOCATIONS);
        assertThat(client.indexed("metadata")).as("every row exactly once").isEqualTo(ROWS);
        assertThat(starts("load")).as("not loaded from its first row again").isEqualTo(1);
        assertThat(starts("loadContinue")).as("the one the stop cut off, the two of this start").isEqualTo(3);
    }


    /**
     * A load the stop cut off goes on at the next start from its row, and its continuation fails once in a way the
     * load function retries (OpenSearch unavailable): the FAILED line and the retry's loaded line both end
     * "(continued from row 2,048 at this start)" — the retry's line showed a rate over the load's first start, before
     * the stop (LOCAL.md, Restarts).
     */
    @Test
    void aRetryOfTheContinuationOfALoadContinuedAtStartShowsNoRateEither() throws Exception {
        String gate = UUID.randomUUID().toString();
        RunnerClient client = startWithItsContinuationHeld(gate);
        pipeline.close();

        int before = console.text().length();
        pipeline = start(StopIT.gatedManifest(dir, "loadContinue", TestHandlers.FailingOnceContinuation.class, gate));
        client = new RunnerClient(pipeline.baseUrl());
        JsonNode loaded = client.awaitIdle().at("/objects/raw~1long.csv.gz");
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!"loaded".equals(loaded.path("state").asText()) && System.nanoTime() < giveUp) {
            Thread.sleep(200); // the retry follows the FAILED report 2 s later
            loaded = client.awaitIdle().at("/objects/raw~1long.csv.gz");
        }

        String continued = String.format(Locale.ROOT, " (continued from row %,d at this start)", RECORDS_PER_INVOCATION);
        String afterRestart = console.text().substring(before);
        assertThat(TestHandlers.FailingOnceContinuation.FAILED).contains(gate);
        assertThat(afterRestart).contains("resume  raw/long.csv.gz  ")
                .containsPattern("FAILED   raw/long\\.csv\\.gz  [0-9,]+ rows?: [0-9,]+ indexed, 0 rejected"
                        + Pattern.quote(continued))
                .contains(String.format(Locale.ROOT, "loaded   raw/long.csv.gz  %,d rows: %,d indexed, 0 rejected%s",
                        ROWS, ROWS, continued))
                .doesNotContain("rows/s");
        assertThat(loaded.path("state").asText()).as(loaded.toString()).isEqualTo("loaded");
        assertThat(client.indexed("metadata")).as("every row exactly once").isEqualTo(ROWS);
    }

    private LocalPipeline start(Path manifest) {
        return LocalPipeline.start(RunnerOptions.parse(new String[]{"--data-dir", dir.resolve("data").toString(),
                        "--ftp-root", dir.resolve("ftp").toString(), "--port", "0", "--samples", "0",
                        "--manifest", manifest.toString()}, Map.of()),
                console.stream(), Map.of(), runningOutAfter(CHECKS));
    }

    /** The project's manifest with LOAD_MAX_CONTINUATIONS set for load and loadContinue. */
    private Path manifestWithMaxContinuations(int max) throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode manifest = (ObjectNode) yaml.readTree(LocalRunnerIT.projectManifest().toFile());
        for (String function : new String[]{"load", "loadContinue"}) {
            ((ObjectNode) manifest.at("/functions/" + function)).withObjectProperty("environment")
                    .put("LOAD_MAX_CONTINUATIONS", Integer.toString(max));
        }
        Path copy = dir.resolve("serverless-" + max + ".yml");
        yaml.writeValue(copy.toFile(), manifest);
        return copy;
    }

    /** How many invocations of {@code function} its log has (the log is kept across restarts). */
    private long starts(String function) throws Exception {
        return Pattern.compile("START RequestId").matcher(Files.readString(dir.resolve("data/logs/" + function + ".log")))
                .results().count();
    }
}
