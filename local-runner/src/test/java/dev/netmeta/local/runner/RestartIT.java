package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Restarts lose nothing, even after kill -9": the runner runs as its own process (java … LocalRunner, as the README
 * starts it), is killed with SIGKILL while a large file is loading, and started again on the same data directory —
 * the file ends up indexed exactly once, and nothing is copied again. And a runner started the way a background job is
 * (SIGINT ignored) stops as docs/LOCAL.md says: with SIGTERM.
 *
 * <p>The child process binds an ephemeral port ({@code --port 0}) and the test reads the real URL from its ready line,
 * so no other process can take the port in between.
 */
class RestartIT {

    private static final int ROWS = 250_000;
    /**
     * The child's heap: the embedded OpenSearch node, S3 and FTP servers and the load function at work. Measured with
     * -Xlog:gc: at most 89 MB live after a collection, 150 MB committed, up to the kill; 384 MB leaves room for a
     * slower machine without taking a gigabyte beside the test JVM's own OpenSearch.
     */
    private static final String CHILD_HEAP = "-Xmx384m";
    /** Guards against hanging forever; not a timing claim. */
    private static final long GIVE_UP_MINUTES = 5;
    private static final Pattern READY_LINE = Pattern.compile("ready in .*status: (http://[^/\\s]+)/_local/status");

    @TempDir
    Path dir;
    private Process process;
    private Thread output;
    private LocalPipeline pipeline;
    private final PipelineConsole console = new PipelineConsole();
    private final CompletableFuture<String> firstRunUrl = new CompletableFuture<>();
    private String report = "";

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(60, TimeUnit.SECONDS);
        }
        if (output != null) {
            output.join(10_000);
        }
        console.stopAndShow(pipeline, report);
    }

    private List<String> args(int port) {
        return List.of("--data-dir", dir.resolve("data").toString(), "--ftp-root", dir.resolve("ftp").toString(),
                "--port", Integer.toString(port), "--manifest", LocalRunnerIT.projectManifest().toString());
    }

    @Test
    void aLoadKilledWithSigkillFinishesAfterARestartWithExactCounts() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                CHILD_HEAP, "-cp", System.getProperty("java.class.path"), "dev.netmeta.local.LocalRunner"));
        command.addAll(args(0));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        output = pumpOutput(process, dir.resolve("first-run.log"));
        RunnerClient first = new RunnerClient(awaitReadyLine());
        assertThat(first.get("/_local/health").statusCode()).as("healthy once the ready line is out").isEqualTo(200);
        first.awaitIdle(); // the scheduled sync at start has run: the file is copied by the sync below, not by it

        // a corrupt file whose load fails for good: not delivered again after the restart
        Path bad = dir.resolve("in").resolve("bad.csv.gz");
        Files.createDirectories(bad.getParent());
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        junk[0] = 0x1f; // gzip magic, then garbage
        junk[1] = (byte) 0x8b;
        Files.write(bad, junk);
        first.upload(bad, "bad.csv.gz");
        assertThat(first.sync().get("copied").asInt()).isEqualTo(1);
        JsonNode failed = first.awaitIdle().at("/objects/raw~1bad.csv.gz");
        assertThat(failed.path("state").asText()).isEqualTo("failed");
        assertThat(failed.path("failedForGood").asBoolean()).as(failed.toString()).isTrue();

        first.upload(TestFiles.csv(dir.resolve("in"), "big.csv.gz", ROWS), "big.csv.gz");
        assertThat(first.sync().get("copied").asInt()).isEqualTo(1);
        JsonNode delivered = awaitDelivery(first, "raw/big.csv.gz");
        assertThat(delivered.path("state").asText()).as("still loading").isEqualTo("delivered");
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of anything
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        pipeline = LocalPipeline.start(RunnerOptions.parse(args(0).toArray(String[]::new), Map.of()),
                console.stream(), Map.of());
        RunnerClient second = new RunnerClient(pipeline.baseUrl());
        JsonNode after = second.awaitIdle();

        assertThat(after.at("/objects/raw~1big.csv.gz/state").asText()).isEqualTo("loaded");
        assertThat(after.at("/objects/raw~1big.csv.gz/report/indexed").asLong()).isEqualTo(ROWS);
        assertThat(second.indexed("metadata")).as("every row exactly once").isEqualTo(ROWS);
        assertThat(second.sync().get("copied").asInt()).as("nothing copied again").isZero();
        second.awaitIdle();
        assertThat(second.indexed("metadata")).isEqualTo(ROWS);
        assertThat(console.text()).contains("resume  raw/big.csv.gz")
                .contains("failed   raw/bad.csv.gz  (its last load FAILED: corrupt or truncated input")
                .as("a file that failed for good is neither announced again nor delivered again")
                .doesNotContain("FAILED   raw/bad.csv.gz").doesNotContain("resume  raw/bad.csv.gz")
                .doesNotContain("retry   raw/bad.csv.gz");
        assertThat(after.at("/objects/raw~1bad.csv.gz/failedForGood").asBoolean()).isTrue();
        assertThat(console.text()).as("the line says how to load it again")
                .contains("curl -X POST '" + pipeline.baseUrl() + "/_local/load?key=raw/bad.csv.gz'");

        // a user who fixed a setting loads the same bytes again: delivered through the normal path, the mark cleared
        // until this load's answer (the corrupt bytes fail the same way, so it is marked again)
        var again = second.post("/_local/load?key=raw/bad.csv.gz");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        assertThat(second.post("/_local/load?key=raw/none.csv.gz").statusCode()).isEqualTo(404);
        JsonNode reloaded = second.awaitIdle().at("/objects/raw~1bad.csv.gz");
        assertThat(reloaded.path("state").asText()).isEqualTo("failed");
        assertThat(reloaded.path("failedForGood").asBoolean()).as(reloaded.toString()).isTrue();
        assertThat(console.text()).contains("reload  raw/bad.csv.gz  4.0 KB  (POST /_local/load: delivered again; its "
                + "last load FAILED").contains("FAILED   raw/bad.csv.gz");
        pipeline.close();
        assertThat(console.text()).as("the summary counts this run's load of the file once, and the asked reload")
                .contains("1 file loaded (" + String.format(java.util.Locale.ROOT, "%,d", ROWS) + " rows indexed, "
                        + "0 rejected), 1 file FAILED to load");
        output.join(10_000);
        report = Files.readString(dir.resolve("first-run.log")) + "\n--- killed; after the restart ---\n";
    }

    /**
     * docs/LOCAL.md's way to stop a runner in the background: started from a shell without job control (a script,
     * {@code nohup java -jar … &}) it has SIGINT ignored — inherited, and the JVM keeps it so — and {@code kill -INT}
     * does nothing; {@code kill <pid>} (SIGTERM) runs the same shutdown as Ctrl-C: "stopping ..." and the summary, and
     * the data directory is free for the next runner.
     */
    @Test
    void aRunnerInTheBackgroundIgnoresSigintAndStopsCleanlyOnSigterm() throws Exception {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                CHILD_HEAP, "-cp", System.getProperty("java.class.path"), "dev.netmeta.local.LocalRunner"));
        java.addAll(args(0));
        StringBuilder command = new StringBuilder("trap '' INT; exec");
        java.forEach(a -> command.append(" '").append(a.replace("'", "'\\''")).append('\''));
        process = new ProcessBuilder("sh", "-c", command.toString()).redirectErrorStream(true).start();
        output = pumpOutput(process, dir.resolve("first-run.log"));
        RunnerClient client = new RunnerClient(awaitReadyLine());
        client.awaitIdle();
        assertThat(Files.readString(dir.resolve("data/runner.lock")).strip()).as("the pid the doc tells to kill")
                .isEqualTo(Long.toString(process.pid()));

        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor()).isZero();
        assertThat(process.waitFor(3, TimeUnit.SECONDS)).as("SIGINT is ignored").isFalse();
        assertThat(client.get("/_local/health").statusCode()).isEqualTo(200);

        // kill <pid>, as the doc says (Process.destroy() sends SIGTERM too, but closes the pipe of the output first)
        assertThat(new ProcessBuilder("kill", Long.toString(process.pid())).start().waitFor()).isZero();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
        assertThat(process.exitValue()).as("128 + SIGTERM").isEqualTo(143);
        output.join(10_000);
        String log = Files.readString(dir.resolve("first-run.log"));
        assertThat(log).contains("stopping ...").containsPattern("stopped after [0-9]+ s: 1 sync run");
        pipeline = LocalPipeline.start(RunnerOptions.parse(args(0).toArray(String[]::new), Map.of()),
                console.stream(), Map.of());
        assertThat(pipeline.baseUrl()).as("the data directory is free again").isNotNull();
        report = log + "\n--- stopped with SIGTERM; started again ---\n";
    }

    /** Copies the child's output to {@code log} and completes {@link #firstRunUrl} with the URL of its ready line. */
    private Thread pumpOutput(Process child, Path log) {
        Thread pump = new Thread(() -> {
            try (BufferedReader in = child.inputReader(StandardCharsets.UTF_8);
                 Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                    out.flush();
                    Matcher ready = READY_LINE.matcher(line);
                    if (ready.find()) {
                        firstRunUrl.complete(ready.group(1));
                    }
                }
            } catch (IOException e) {
                firstRunUrl.completeExceptionally(e);
            }
            firstRunUrl.completeExceptionally(new IllegalStateException("the runner's output ended without a ready line"));
        }, "restart-it-first-run-output");
        pump.setDaemon(true);
        pump.start();
        return pump;
    }

    private String awaitReadyLine() throws Exception {
        try {
            return firstRunUrl.get(GIVE_UP_MINUTES, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no ready line from the runner (" + e.getMessage() + "); its output:\n"
                    + Files.readString(dir.resolve("first-run.log")), e);
        }
    }

    /** Polls the status until the watcher has delivered {@code key} (recorded before the event is sent). */
    private JsonNode awaitDelivery(RunnerClient client, String key) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(GIVE_UP_MINUTES);
        String pointer = "/objects/" + key.replace("~", "~0").replace("/", "~1");
        JsonNode status = client.status();
        while (status.at(pointer).isMissingNode()) {
            if (System.nanoTime() > giveUp || !process.isAlive()) {
                throw new IllegalStateException(key + " was not delivered: " + status.toPrettyString()
                        + "\nthe runner's output:\n" + Files.readString(dir.resolve("first-run.log")));
            }
            Thread.sleep(100);
            status = client.status();
        }
        return status.at(pointer);
    }
}
