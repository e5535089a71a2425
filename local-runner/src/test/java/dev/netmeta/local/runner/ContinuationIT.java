package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The load function's continuation runs locally as in AWS: with a short timeout in the manifest, load runs out of
 * time, invokes {@code loadContinue} asynchronously through the Lambda Invoke API (the runner's port, via
 * AWS_ENDPOINT_URL_LAMBDA), which carries on until the file is done — every row exactly once.
 */
class ContinuationIT {

    private static final int ROWS = 100_000;

    @TempDir
    Path dir;
    private LocalPipeline pipeline;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
        System.out.println(console.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLoadThatRunsOutOfTimeIsFinishedByItsContinuations() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode manifest = (ObjectNode) yaml.readTree(LocalRunnerIT.projectManifest().toFile());
        for (String function : new String[]{"load", "loadContinue"}) {
            ObjectNode f = manifest.withObjectProperty("functions").withObjectProperty(function);
            f.put("timeout", 20);
            f.withObjectProperty("environment").put("LOAD_TIME_MARGIN_MS", "15000"); // about 5 s of work per invocation
        }
        Path copy = dir.resolve("serverless.yml");
        yaml.writeValue(copy.toFile(), manifest);

        pipeline = LocalPipeline.start(RunnerOptions.parse(new String[]{"--data-dir", dir.resolve("data").toString(),
                        "--ftp-root", dir.resolve("ftp").toString(), "--port", "0", "--manifest", copy.toString()}, Map.of()),
                new PrintStream(console, true, StandardCharsets.UTF_8), Map.of());
        RunnerClient client = new RunnerClient(pipeline.baseUrl());
        client.upload(TestFiles.csv(dir.resolve("in"), "long.csv.gz", ROWS), "long.csv.gz");
        assertThat(client.sync().get("copied").asInt()).isEqualTo(1);
        JsonNode status = client.awaitIdle();

        assertThat(status.get("objects").size()).as("only the file itself, never a half-written object").isEqualTo(1);
        assertThat(status.get("failedEvents")).isEmpty();
        JsonNode report = status.at("/objects/raw~1long.csv.gz/report");
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("indexed").asLong()).isEqualTo(ROWS);
        assertThat(report.get("invocations").asInt()).as("load plus at least one loadContinue").isGreaterThan(1);
        assertThat(client.indexed("metadata")).isEqualTo(ROWS);
        assertThat(Path.of(dir.resolve("data/logs/loadContinue.log").toString())).content().contains("START RequestId");
    }
}
