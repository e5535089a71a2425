package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifest's wiring is what runs: a copy of serverless.yml whose s3 event has a suffix rule, whose FTP patterns
 * let another file through, and whose index prefix differs — only the matching object is loaded, into that prefix.
 */
class ManifestWiringIT {

    @TempDir
    Path dir;
    private LocalPipeline pipeline;
    private final PipelineConsole console = new PipelineConsole();
    private String report = "";

    @AfterEach
    void stop() {
        console.stopAndShow(pipeline, report);
    }

    @Test
    void aSuffixRuleInTheManifestIsHonoured() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode manifest = (ObjectNode) yaml.readTree(LocalRunnerIT.projectManifest().toFile());
        ObjectNode params = manifest.withObjectProperty("params").withObjectProperty("default");
        params.put("ftpPatterns", "*.gz");
        params.put("indexPrefix", "wired");
        ObjectNode s3 = (ObjectNode) manifest.at("/functions/load/events/0/s3");
        s3.putArray("rules").add(yaml.createObjectNode().put("prefix", "raw/"))
                .add(yaml.createObjectNode().put("suffix", ".csv.gz"));
        Path copy = dir.resolve("serverless.yml");
        yaml.writeValue(copy.toFile(), manifest);

        pipeline = LocalPipeline.start(RunnerOptions.parse(new String[]{"--data-dir", dir.resolve("data").toString(),
                        "--ftp-root", dir.resolve("ftp").toString(), "--port", "0", "--manifest", copy.toString()}, Map.of()),
                console.stream(), Map.of());
        RunnerClient client = new RunnerClient(pipeline.baseUrl());
        client.awaitIdle(); // the scheduled sync at start has run: the files are copied by the sync below, not by it
        client.upload(TestFiles.csv(dir.resolve("in"), "match.csv.gz", 500), "match.csv.gz");
        client.upload(TestFiles.csv(dir.resolve("in"), "other.tsv.gz", 700), "other.tsv.gz");

        assertThat(client.sync().get("copied").asInt()).as("both pass the manifest's FTP patterns").isEqualTo(2);
        JsonNode status = client.awaitIdle();

        assertThat(status.at("/objects/raw~1match.csv.gz/state").asText()).isEqualTo("loaded");
        assertThat(status.get("objects").size()).isEqualTo(1);
        assertThat(status.at("/objects/raw~1other.tsv.gz").isMissingNode()).as("not delivered").isTrue();
        assertThat(status.get("notMatchingRules").toString()).contains("raw/other.tsv.gz");
        assertThat(client.indexed("wired")).isEqualTo(500);
        assertThat(client.count("*")).as("the api searches the manifest's prefix too").isEqualTo(500);
    }
}
