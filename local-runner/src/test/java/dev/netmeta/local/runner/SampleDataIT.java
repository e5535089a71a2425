package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A first run with the defaults (data directory only): the FTP root is seeded with the sample files, they are loaded,
 * and the three example queries of docs/LOCAL.md find rows.
 */
class SampleDataIT {

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
    void aFirstRunFindsTheSampleData() throws Exception {
        pipeline = LocalPipeline.start(RunnerOptions.parse(new String[]{"--data-dir", dir.resolve("data").toString(),
                        "--port", "0", "--manifest", LocalRunnerIT.projectManifest().toString()}, Map.of()),
                console.stream(), Map.of());
        // the ready line comes seconds before the samples are searchable: it offers no search that finds nothing yet
        String ready = console.text().lines().filter(l -> l.contains("ready in ")).findFirst().orElseThrow();
        assertThat(ready).contains(": syncing and loading the 4 sample files; a line follows when they are loaded   status: "
                + pipeline.baseUrl() + "/_local/status").doesNotContain("curl").doesNotContain("/metadata/search");
        RunnerClient client = new RunnerClient(pipeline.baseUrl());
        JsonNode status = client.awaitIdle();

        assertThat(status.get("objects").size()).isEqualTo(4);
        status.get("objects").forEach(o -> {
            assertThat(o.get("state").asText()).isEqualTo("loaded");
            assertThat(o.at("/report/rejected").asLong()).isZero();
            assertThat(o.get("report").has("warnings")).as("the samples look right: no warning").isFalse();
        });
        // one file of each format the loader reads, each read as that format
        Map<String, String> formats = new java.util.TreeMap<>();
        status.get("objects").properties().forEach(o -> formats.put(o.getKey(), o.getValue().at("/report/format").asText()));
        assertThat(formats).containsExactly(Map.entry("raw/2018-05-09-dns.log.gz", "zeek-tsv"),
                Map.entry("raw/2018-05-09-eve-tls.json.gz", "ndjson"),
                Map.entry("raw/2018-05-09-flows-cicflowmeter.csv.gz", "csv"), Map.entry("raw/2018-05-09-http.csv.gz", "csv"));
        JsonNode eve = status.at("/objects/raw~12018-05-09-eve-tls.json.gz/report");
        assertThat(eve.get("rowsRead").asLong()).isEqualTo(2_524);
        assertThat(eve.get("skipped").asLong()).as("its Suricata stats events").isEqualTo(24);
        assertThat(console.text()).contains("seeded 4 sample files (10000 rows to index, and 24 Suricata stats events"
                + " the load skips) into ").contains("loaded   raw/2018-05-09-eve-tls.json.gz  2,524 rows: 2,500 indexed,"
                + " 0 rejected, 24 skipped in ");
        assertThat(client.indexed("metadata")).isEqualTo(10_000);
        // the docs/LOCAL.md examples
        long google = client.count("host:google.com");
        long cidr = client.count("srcIp:10.0.0.0/24 AND dstPort:443"); // as README shows it: the API quotes the block
        long v6Dns = client.count("srcIp:\"2001:db8::/32\" AND proto:udp AND dstPort:53");
        // the counts README.md and docs/LOCAL.md print: the samples are generated the same way on every first run
        assertThat(google).isEqualTo(625);
        assertThat(cidr).isEqualTo(1609);
        assertThat(client.count("srcIp:\"10.0.0.0/24\" AND dstPort:443")).as("quoted by hand").isEqualTo(1609);
        assertThat(v6Dns).isEqualTo(749);
        assertThat(client.count("srcIp:10.0.0.1 AND host:google.com")).isEqualTo(7);
        // the console says when the samples are searchable: once, after the four loads, with a search to try
        String line = "samples loaded: 4 files, 10,000 rows indexed — try: curl -sG '" + pipeline.baseUrl()
                + "/metadata/search' --data-urlencode 'q=host:google.com'";
        // printed as the last report is read, around idle — on a busy machine seconds later: waited for, up to a
        // minute
        long deadline = System.currentTimeMillis() + 60_000;
        while (!console.text().contains(line) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        List<String> lines = console.text().lines().toList();
        int said = lines.indexOf(lines.stream().filter(l -> l.contains(line)).findFirst().orElse("(no such line)"));
        assertThat(said).as(console.text()).isPositive();
        assertThat(lines.subList(0, said).stream().filter(l -> l.contains("  loaded   raw/")).count())
                .as("after the four loaded lines").isEqualTo(4);
        assertThat(lines.stream().filter(l -> l.contains("samples loaded")).count()).isEqualTo(1);
        assertThat(console.text()).doesNotContain("WARNING");
        report = String.format("sample data: host:google.com=%d, 10.0.0.0/24 to 443=%d, IPv6 DNS=%d%n", google, cidr, v6Dns);
    }

    @Test
    void aManifestWhoseS3RulesDeliverNoneOfTheSamplesSaysSoInsteadOfBlamingTheSync() throws Exception {
        // the project's manifest with a suffix rule the samples (.csv.gz, .log.gz, .json.gz) do not match
        String yaml = java.nio.file.Files.readString(LocalRunnerIT.projectManifest());
        String rule = "            - prefix: raw/\n";
        assertThat(yaml).contains(rule);
        Path manifest = dir.resolve("serverless.yml");
        java.nio.file.Files.writeString(manifest, yaml.replace(rule, rule + "            - suffix: .ndjson\n"));
        pipeline = LocalPipeline.start(RunnerOptions.parse(new String[]{"--data-dir", dir.resolve("data").toString(),
                "--port", "0", "--manifest", manifest.toString()}, Map.of()), console.stream(), Map.of());
        assertThat(console.text()).contains("a line follows when they are loaded");

        String line = "samples: nothing to load, the first sync copied 4 files and none is delivered (the s3 rules of"
                + " load match none of them: prefix 'raw/' and suffix '.ndjson') — see " + pipeline.baseUrl()
                + "/_local/status";
        long deadline = System.currentTimeMillis() + 60_000;
        while (!console.text().contains(line) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(console.text()).contains(line).doesNotContain("copied none of them").doesNotContain("try: curl");
    }
}
