package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.runner.invoke.ContextClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
}
