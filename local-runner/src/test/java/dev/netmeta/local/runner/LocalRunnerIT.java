package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner as a user runs it, in-process on temp directories with the project's own serverless.yml: files put on
 * its FTP server are synced, loaded and searchable through its API with exact counts; a second sync copies nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalRunnerIT {

    @TempDir
    static Path dir;
    static LocalPipeline pipeline;
    static RunnerClient client;
    static final PipelineConsole console = new PipelineConsole();

    static Path projectManifest() {
        return Path.of(System.getProperty("netmeta.projectRoot", "..")).resolve("serverless.yml").toAbsolutePath().normalize();
    }

    @BeforeAll
    static void start() {
        RunnerOptions options = RunnerOptions.parse(new String[]{"--data-dir", dir.resolve("data").toString(),
                "--ftp-root", dir.resolve("ftp").toString(), "--port", "0", "--manifest", projectManifest().toString()}, Map.of());
        pipeline = LocalPipeline.start(options, console.stream(), Map.of());
        client = new RunnerClient(pipeline.baseUrl());
    }

    @AfterAll
    static void stop() {
        console.stopAndShow(pipeline, "");
    }

    @Test
    @Order(1)
    void isHealthyAndIdleWithAnEmptyFtpServer() throws Exception {
        assertThat(client.get("/_local/health").statusCode()).isEqualTo(200);
        JsonNode status = client.awaitIdle();
        assertThat(status.at("/sync/runs").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(status.get("objects").size()).isZero();
        assertThat(client.search("*").at("/total/value").asLong()).isZero();
        // the embedded servers' fixed keys, where a user looks for them (putObject below uses these)
        assertThat(status.at("/servers/s3Credentials/accessKeyId").asText()).isEqualTo("netmeta-local");
        assertThat(status.at("/servers/s3Credentials/secretAccessKey").asText()).isEqualTo("netmeta-local-secret");
        assertThat(status.at("/servers/s3Credentials/note").asText()).contains("not secrets");
        assertThat(status.at("/servers/ftp/password").asText()).isEqualTo("netmeta");
        assertThat(console.text()).contains(", access key 'netmeta-local', secret key 'netmeta-local-secret'), bucket ");
    }

    @Test
    @Order(2)
    void filesPutOnFtpBecomeSearchableWithExactCounts() throws Exception {
        client.upload(TestFiles.csv(dir.resolve("in"), "a.csv.gz", 3_000), "a.csv.gz");
        client.upload(TestFiles.csv(dir.resolve("in"), "b.csv.gz", 1_234), "2018/05/b.csv.gz");

        JsonNode summary = client.sync();
        assertThat(summary.get("copied").asInt()).isEqualTo(2);
        JsonNode status = client.awaitIdle();

        assertThat(status.at("/objects/raw~1a.csv.gz/state").asText()).isEqualTo("loaded");
        assertThat(status.at("/objects/raw~1a.csv.gz/report/indexed").asLong()).isEqualTo(3_000);
        assertThat(status.at("/objects/raw~12018~105~1b.csv.gz/report/indexed").asLong()).isEqualTo(1_234);
        assertThat(client.indexed("metadata")).isEqualTo(4_234);
        assertThat(client.count("host:google.com")).isEqualTo(TestFiles.googleRows(3_000) + TestFiles.googleRows(1_234));
        assertThat(client.count("host:google.com AND srcIp:\"10.1.0.0/16\" AND dstPort:443"))
                .isEqualTo(count(3_000) + count(1_234));
    }

    private static long count(int rows) {
        long n = 0;
        for (int i = 0; i < rows; i++) {
            if (i % 4 == 0 && i % 5 != 4) {
                n++;
            }
        }
        return n;
    }

    @Test
    @Order(3)
    void aSecondSyncCopiesNothingAndLoadsNothingAgain() throws Exception {
        JsonNode summary = client.sync();
        assertThat(summary.get("copied").asInt()).isZero();
        assertThat(summary.get("skippedPresent").asInt()).isEqualTo(2);
        client.awaitIdle();
        assertThat(client.indexed("metadata")).isEqualTo(4_234);
        assertThat(client.status().get("objects").size()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void aFileWhoseLoadFailsShowsAsFailedNotLoaded() throws Exception {
        java.nio.file.Path bad = dir.resolve("in").resolve("bad.csv.gz");
        java.nio.file.Files.createDirectories(bad.getParent());
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        junk[0] = 0x1f; // gzip magic, then garbage: a corrupt file
        junk[1] = (byte) 0x8b;
        java.nio.file.Files.write(bad, junk);
        java.nio.file.Files.setLastModifiedTime(bad, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minusSeconds(3600)));
        client.upload(bad, "bad.csv.gz");

        assertThat(client.sync().get("copied").asInt()).isEqualTo(1);
        JsonNode status = client.awaitIdle();

        assertThat(status.at("/objects/raw~1bad.csv.gz/state").asText()).isEqualTo("failed");
        assertThat(status.at("/objects/raw~1bad.csv.gz/report/status").asText()).isEqualTo("FAILED");
        assertThat(status.at("/objects/raw~1a.csv.gz/state").asText()).isEqualTo("loaded");
    }

    @Test
    @Order(5)
    void anObjectWithAKeyOf1020BytesShowsAsLoadedWithItsReport() throws Exception {
        // a key this long gets a shortened report name (dev.netmeta.load.OutputKeys): the runner must find it too. Put
        // with the keys the status shows, as a user's aws s3 cp would be
        StringBuilder key = new StringBuilder("raw/long");
        while (key.length() < 1020 - ".csv.gz".length()) {
            key.append(key.length() % 150 == 0 ? '/' : 'k');
        }
        key.append(".csv.gz");
        client.putObject(key.toString(), TestFiles.csv(dir.resolve("in"), "long.csv.gz", 10));

        JsonNode status = client.awaitLoaded(key.toString());

        JsonNode object = status.get("objects").get(key.toString());
        assertThat(object).as(status.get("objects").toString()).isNotNull();
        assertThat(object.get("state").asText()).isEqualTo("loaded");
        assertThat(object.at("/report/key").asText()).isEqualTo(key.toString());
        assertThat(object.at("/report/indexed").asLong()).isEqualTo(10);
    }

    @Test
    @Order(6)
    void answersOtherPathsLikeApiGateway() throws Exception {
        var response = client.get("/metadata");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("Missing Authentication Token");
        var badParameter = client.get("/metadata/search?colour=blue");
        assertThat(badParameter.statusCode()).as("the function's own answer passes through").isEqualTo(400);
        assertThat(badParameter.body()).contains("colour");
    }

    @Test
    @Order(7)
    void printsOneLinePerFileAndAReadyLine() {
        String out = console.text();
        assertThat(out).contains("ready in ").contains("synced  raw/a.csv.gz").contains("loaded   raw/a.csv.gz  3,000 rows");
        assertThat(out).as("no samples on their way: the ready line offers the search; with --ftp-root the data is the"
                + " user's own, so every document (*), not the samples' host:google.com").contains("ready in ")
                .containsPattern("ready in [0-9.]+ s: curl '" + java.util.regex.Pattern.quote(pipeline.baseUrl()
                        + "/metadata/search?q=*'   status: " + pipeline.baseUrl() + "/_local/status"));
        assertThat(out).as("no samples, and the first sync copied nothing: no line about its files")
                .doesNotContain("samples loaded").doesNotContain("first sync's files");
    }
}
