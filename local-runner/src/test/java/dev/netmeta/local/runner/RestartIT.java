package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Restarts lose nothing, even after kill -9": the runner runs as its own process (java … LocalRunner, as the README
 * starts it), is killed with SIGKILL while a large file is loading, and started again on the same data directory —
 * the file ends up indexed exactly once, and nothing is copied again.
 */
class RestartIT {

    private static final int ROWS = 250_000;

    @TempDir
    Path dir;
    private Process process;
    private LocalPipeline pipeline;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private String report = "";

    @AfterEach
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
        if (pipeline != null) {
            pipeline.close();
        }
        // after close: while the runner runs, System.out goes to its output.log
        System.out.println(report + console.toString(StandardCharsets.UTF_8));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private List<String> args(int port) {
        return List.of("--data-dir", dir.resolve("data").toString(), "--ftp-root", dir.resolve("ftp").toString(),
                "--port", Integer.toString(port), "--manifest", LocalRunnerIT.projectManifest().toString());
    }

    @Test
    void aLoadKilledWithSigkillFinishesAfterARestartWithExactCounts() throws Exception {
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), "dev.netmeta.local.LocalRunner"));
        command.addAll(args(port));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("first-run.log").toFile()).start();
        RunnerClient first = new RunnerClient("http://127.0.0.1:" + port);
        awaitHealthy(first);

        first.upload(TestFiles.csv(dir.resolve("in"), "big.csv.gz", ROWS), "big.csv.gz");
        assertThat(first.sync().get("copied").asInt()).isEqualTo(1);
        JsonNode status = first.status();
        while (status.at("/objects/raw~1big.csv.gz").isMissingNode()) {
            Thread.sleep(200);
            status = first.status();
        }
        assertThat(status.at("/objects/raw~1big.csv.gz/state").asText()).as("still loading").isEqualTo("delivered");
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of anything
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

        pipeline = LocalPipeline.start(RunnerOptions.parse(args(0).toArray(String[]::new), Map.of()),
                new PrintStream(console, true, StandardCharsets.UTF_8), Map.of());
        RunnerClient second = new RunnerClient(pipeline.baseUrl());
        JsonNode after = second.awaitIdle();

        assertThat(after.at("/objects/raw~1big.csv.gz/state").asText()).isEqualTo("loaded");
        assertThat(after.at("/objects/raw~1big.csv.gz/report/indexed").asLong()).isEqualTo(ROWS);
        assertThat(second.indexed("metadata")).as("every row exactly once").isEqualTo(ROWS);
        assertThat(second.sync().get("copied").asInt()).as("nothing copied again").isZero();
        second.awaitIdle();
        assertThat(second.indexed("metadata")).isEqualTo(ROWS);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("resume  raw/big.csv.gz");
        report = Files.readString(dir.resolve("first-run.log")) + "\n--- killed; after the restart ---\n";
    }

    private void awaitHealthy(RunnerClient client) throws Exception {
        long giveUp = System.currentTimeMillis() + 5 * 60_000;
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the runner exited: " + Files.readString(dir.resolve("first-run.log")));
            }
            try {
                if (client.get("/_local/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.currentTimeMillis() > giveUp) {
                throw new IllegalStateException("no health: " + Files.readString(dir.resolve("first-run.log")));
            }
            Thread.sleep(500);
        }
    }
}
