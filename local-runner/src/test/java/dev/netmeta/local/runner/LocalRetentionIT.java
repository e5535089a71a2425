package dev.netmeta.local.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner runs every scheduled function of the manifest: the sync as before, and the index retention at
 * start and on its own rate, with its days from {@code --index-retention-days}. Off (the manifest's default) it only
 * says so; on, its run at start deletes the daily indices past it, and the load counts records past it as expired.
 */
class LocalRetentionIT {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theRetentionRunsAtStartOffByDefaultAndOnWithTheOption() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String old = "metadata-2001.01.01";
        String recent = "metadata-" + day(today.minusDays(2));

        PipelineConsole off = new PipelineConsole();
        LocalPipeline first = LocalPipeline.start(options(), off.stream(), Map.of());
        try {
            RunnerClient client = new RunnerClient(first.baseUrl());
            JsonNode status = client.awaitIdle();
            assertThat(status.at("/scheduled/retention/runs").asInt()).isGreaterThanOrEqualTo(1);
            assertThat(status.at("/scheduled/retention/last/result").has("retentionDays")).as("absent when off")
                    .isFalse();
            assertThat(status.at("/scheduled/retention/last/result/enabled").isBoolean()).as(status.toPrettyString())
                    .isTrue();
            assertThat(status.at("/scheduled/retention/last/result/enabled").booleanValue()).isFalse();
            assertThat(status.at("/sync/runs").asInt()).as("the sync's schedule as before").isGreaterThanOrEqualTo(1);
            String openSearch = status.at("/servers/openSearch").asText();
            send("PUT", openSearch + "/" + old);
            send("PUT", openSearch + "/" + recent);
        } finally {
            off.stopAndShow(first, "");
        }
        assertThat(off.text()).contains("  schedule    sync now and every rate(2 hours); POST ")
                .contains("  schedule    retention now and every rate(1 day) (INDEX_RETENTION_DAYS=off,"
                        + " --index-retention-days)")
                .containsPattern("retention \\{\"indexPrefix\":\"metadata\",\"kept\":0,\"deleted\":\\[\\].*\\(schedule\\)");

        PipelineConsole on = new PipelineConsole();
        LocalDate beforeTheRun = LocalDate.now(ZoneOffset.UTC);
        LocalPipeline second = LocalPipeline.start(options("--index-retention-days", "30"), on.stream(), Map.of());
        try {
            RunnerClient client = new RunnerClient(second.baseUrl());
            JsonNode status = client.awaitIdle();
            LocalDate afterTheRun = LocalDate.now(ZoneOffset.UTC);
            JsonNode result = status.at("/scheduled/retention/last/result");
            assertThat(result.path("retentionDays").isInt()).as(status.toPrettyString()).isTrue();
            assertThat(result.path("retentionDays").intValue()).isEqualTo(30);
            assertThat(result.path("deleted")).extracting(JsonNode::asText).containsExactly(old);
            // the runner's retention reads the system clock: its today is the day it ran, either of these two should a
            // midnight (UTC) fall in the run (the same day, and only it, otherwise)
            assertThat(result.path("oldestDayKept").asText()).isIn(beforeTheRun.minusDays(30).toString(),
                    afterTheRun.minusDays(30).toString());
            String openSearch = status.at("/servers/openSearch").asText();
            assertThat(send("GET", openSearch + "/" + old).statusCode()).as("deleted at start").isEqualTo(404);
            assertThat(send("GET", openSearch + "/" + recent).statusCode()).as("kept").isEqualTo(200);

            // the load honours the same days: the 40-day-old rows are expired, today's indexed
            Path file = dir.resolve("mixed.csv.gz"); // *.csv.gz: one of the manifest's FTP_PATTERNS
            long oldSecond = today.minusDays(40).atTime(12, 0).toEpochSecond(ZoneOffset.UTC);
            long nowSecond = today.atStartOfDay().toEpochSecond(ZoneOffset.UTC) + 60;
            try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(("ts,Src IP,Dst IP,Dst Port,host\n"
                        + oldSecond + ",10.0.0.1,8.8.8.8,53,old.example\n"
                        + oldSecond + ",10.0.0.2,8.8.8.8,53,old.example\n"
                        + nowSecond + ",10.0.0.3,8.8.8.8,53,new.example\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            client.upload(file, "mixed.csv.gz");
            assertThat(client.sync().path("copied").asInt()).isEqualTo(1);
            JsonNode report = client.awaitLoaded("raw/mixed.csv.gz").at("/objects/raw~1mixed.csv.gz/report");
            assertThat(report.path("indexed").asInt()).as(report.toPrettyString()).isEqualTo(1);
            assertThat(report.path("expired").asInt()).isEqualTo(2);
            assertThat(report.path("rejected").asInt()).isZero();
            assertThat(send("GET", openSearch + "/metadata-" + day(today.minusDays(40))).statusCode())
                    .as("no index for the expired day").isEqualTo(404);
            assertThat(client.count("host:new.example")).isEqualTo(1);
        } finally {
            on.stopAndShow(second, "");
        }
        assertThat(on.text().lines().filter(l -> l.contains("ready in ")).findFirst().orElseThrow())
                .as("--ftp-root, no samples: every document is offered, not a word on samples past the retention")
                .contains("/metadata/search?q=*'").doesNotContain("no sample search");
        assertThat(on.text())
                .contains("  schedule    retention now and every rate(1 day) (INDEX_RETENTION_DAYS=30,")
                .contains("loaded   raw/mixed.csv.gz  3 rows: 1 indexed, 0 rejected, 2 expired (past INDEX_RETENTION_DAYS)")
                .containsPattern("retention \\{[^\\n]*\"deleted\":\\[\"" + old + "\"\\]");
    }

    /**
     * A restart with a retention that the sample data is past: the retention's run at start deletes the samples' index
     * (the ready line comes before that run ends), so the ready line offers no search of them but says why — the
     * search it used to offer then found nothing.
     */
    @Test
    void aRestartWithARetentionTheSamplesArePastOffersNoSearchOfThem() throws Exception {
        PipelineConsole first = new PipelineConsole();
        LocalPipeline loading = LocalPipeline.start(samples(), first.stream(), Map.of());
        try {
            RunnerClient client = new RunnerClient(loading.baseUrl());
            client.awaitIdle();
            assertThat(client.count("host:google.com")).as("the samples are loaded").isPositive();
        } finally {
            first.stopAndShow(loading, "");
        }

        PipelineConsole restart = new PipelineConsole();
        LocalPipeline second = LocalPipeline.start(samples("--index-retention-days", "30"), restart.stream(), Map.of());
        try {
            String ready = restart.text().lines().filter(l -> l.contains("ready in ")).findFirst().orElseThrow();
            assertThat(ready).doesNotContain("curl").contains("no sample search to try: the sample data (2018-05-09)"
                    + " is past INDEX_RETENTION_DAYS=30, whose run at start deletes its index; load data of the last 30"
                    + " days to search it   status: ");
            RunnerClient client = new RunnerClient(second.baseUrl());
            JsonNode status = client.awaitIdle();
            assertThat(status.at("/scheduled/retention/last/result/deleted")).extracting(JsonNode::asText)
                    .as(status.toPrettyString()).contains("metadata-2018.05.09");
            assertThat(client.count("host:google.com")).as("what the old ready line offered finds nothing")
                    .isZero();
        } finally {
            restart.stopAndShow(second, "");
        }
    }

    /** Two sample files (flows and a Zeek dns.log, whose queries host:google.com finds), into this test's data dir. */
    private RunnerOptions samples(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--data-dir", dir.resolve("data").toString(),
                "--port", "0", "--samples", "2", "--manifest", LocalRunnerIT.projectManifest().toString()));
        args.addAll(List.of(more));
        return RunnerOptions.parse(args.toArray(String[]::new), Map.of());
    }

    private RunnerOptions options(String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--data-dir", dir.resolve("data").toString(),
                "--ftp-root", dir.resolve("ftp").toString(), "--port", "0", "--samples", "0",
                "--manifest", LocalRunnerIT.projectManifest().toString()));
        args.addAll(List.of(more));
        return RunnerOptions.parse(args.toArray(String[]::new), Map.of());
    }

    private HttpResponse<String> send(String method, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String day(LocalDate day) {
        return String.format("%04d.%02d.%02d", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
    }
}
