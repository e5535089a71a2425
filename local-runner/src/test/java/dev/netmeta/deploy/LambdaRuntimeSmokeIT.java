package dev.netmeta.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.model.IndexTemplate;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Each shaded jar, started exactly as AWS Lambda starts it (the real Java runtime interface client in its own JVM,
 * the jar in {@code <task>/lib/}, the handler string from serverless.yml), gets one of the event fixtures from a
 * local Runtime API and must do its real work against the embedded servers. This proves the handler strings, the
 * shading (nothing from the test class path reaches the function) and the event deserialization the way Lambda
 * does them.
 */
@ExtendWith(TestServers.class)
class LambdaRuntimeSmokeIT {

    private static final String ACCOUNT = "123456789012";
    /** A search hit for the apigw fixture's query {@code srcIp:127.0.0.1 AND host:google.com}, among others. */
    private static final String CSV = """
            ts,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,host,orig_bytes,resp_bytes
            1525876221.123456,127.0.0.1,50123,142.250.74.46,443,6,google.com,512,4096
            1525876222.5,10.1.2.3,50124,93.184.216.34,443,6,example.com,100,200
            1525876223.25,127.0.0.1,50125,140.82.121.4,443,tcp,github.com,300,400
            """;

    private static ServerlessManifest manifest;
    private static Path root;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void readManifest() throws IOException {
        root = ProjectRoot.get();
        manifest = ServerlessManifest.read(root);
    }

    @Test
    void syncJarCopiesANewFtpFileIntoTheRawPrefix(FtpEndpoint ftp, S3Endpoint s3, @TempDir Path tmp)
            throws Exception {
        String bucket = TestServers.uniqueName("smoke-sync");
        String dir = TestServers.uniqueName("smoke-sync");
        byte[] file = gzip(CSV);
        Path remote = Files.createDirectories(ftp.rootDir().resolve(dir)).resolve("2018-05-09-metadata.csv.gz");
        Files.write(remote, file);
        Files.setLastModifiedTime(remote, FileTime.from(Instant.now().minus(1, ChronoUnit.HOURS)));
        try (S3Client client = TestServers.s3Client(s3)) {
            client.createBucket(b -> b.bucket(bucket));

            Map<String, String> env = new HashMap<>(s3.env());
            env.putAll(ftp.ftpsEnv()); // FTPS, as serverless.yml defaults to: TLS must work inside the shaded jar
            env.put("FTP_REMOTE_DIR", "/" + dir);
            env.put("FTP_PATTERNS", "*.csv.gz");
            env.put("BUCKET", bucket);
            env.put("RAW_PREFIX", "raw/");
            env.put("SYNC_FANOUT_ENABLED", "false");

            Invocation result = invoke("sync", env, fixture("eventbridge_scheduled.json"), tmp);

            JsonNode summary = json.readTree(result.answer().body());
            assertThat(summary.path("copied").asInt()).as(result.output()).isEqualTo(1);
            assertThat(summary.path("failed").asInt()).isZero();
            byte[] copied = client.getObjectAsBytes(b -> b.bucket(bucket).key("raw/2018-05-09-metadata.csv.gz"))
                    .asByteArray();
            assertThat(copied).isEqualTo(file);
            JsonNode logged = jsonLogLines(result.output()).stream()
                    .filter(line -> line.path("message").asText().equals("sync summary")).findFirst()
                    .orElseThrow(() -> new AssertionError("no sync summary line in " + result.output())).path("summary");
            // one record: the runtime client's serializer (its own Jackson, blind to our annotations) writes the
            // returned summary with the log line's fields in the log line's order
            assertThat(fieldNames(summary)).as(result.answer().body()).containsExactlyElementsOf(fieldNames(logged))
                    .startsWith("mode", "listed", "notMatching", "new", "copied");
            assertThat(summary).isEqualTo(logged);
            // the deployed failed-files alarm counts exactly this line, as the jar prints it in Lambda's runtime
            JsonNode filter = manifest.resourceProperties("SyncFailedFilesMetricFilter");
            String pattern = filter.path("FilterPattern").asText();
            String value = filter.path("MetricTransformations").get(0).path("MetricValue").asText();
            List<JsonNode> counted = jsonLogLines(result.output()).stream()
                    .filter(line -> MetricFilterPattern.matches(pattern, line)).toList();
            assertThat(counted).as("lines matching %s in%n%s", pattern, result.output()).hasSize(1);
            assertThat(MetricFilterPattern.metricValue(value, counted.get(0))).isZero();
        }
    }

    /**
     * The sync writes its few JSON objects with Jackson's streaming API alone (sync-function's pom.xml,
     * docs/BENCHMARKS.md): neither data binding nor the annotations — which the runtime's own relocated Jackson would
     * not read anyway — ride along in the jar Lambda loads.
     */
    @Test
    void syncJarCarriesJacksonsStreamingApiOnly() throws IOException {
        Path jar = root.resolve(manifest.artifact("sync"));
        assertThat(jar).as("shaded jar of sync — build the jars first").isRegularFile();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            List<String> jackson = zip.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("com/fasterxml/jackson/") && name.endsWith(".class")).toList();
            String streaming = "com/fasterxml/jackson/core/";
            assertThat(jackson).as("Jackson's streaming API").anyMatch(name -> name.startsWith(streaming));
            assertThat(jackson).as("Jackson classes beyond the streaming API")
                    .allMatch(name -> name.startsWith(streaming));
        }
    }

    /**
     * A setting the sync refuses stops it in Lambda's own runtime client when the handler is built — before any FTP or
     * S3 request — and the init error names the setting and the value (docs/DEPLOY.md: ftpServerTimezone is checked
     * there, not by the deploy).
     */
    @Test
    void syncJarRefusesAnUnknownServerTimeZoneAtInitNamingTheSetting(@TempDir Path tmp) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "127.0.0.1", "FTP_PORT", "1", "FTP_USER", "u",
                "FTP_PASSWORD", "p", "BUCKET", "never-asked", "FTP_SERVER_TIMEZONE", "Europe/Atlantis"));

        Invocation result = run("sync", env, fixture("eventbridge_scheduled.json"), tmp);

        assertThat(result.answer().requestId()).as(result.output()).isEqualTo("init");
        assertThat(result.answer().error()).isTrue();
        assertThat(result.answer().body()).as("the runtime's init error").contains("FTP_SERVER_TIMEZONE")
                .contains("'Europe/Atlantis'");
    }

    @Test
    void loadJarIndexesTheObjectNamedInTheS3Event(S3Endpoint s3, OpenSearchEndpoint openSearch, @TempDir Path tmp)
            throws Exception {
        String bucket = TestServers.uniqueName("smoke-load");
        String prefix = TestServers.uniqueName("smoke-load");
        ObjectNode event = (ObjectNode) json.readTree(fixture("s3_put.json"));
        ObjectNode s3Entity = (ObjectNode) event.path("Records").get(0).path("s3");
        // The fixture's object, moved where the deployed notification delivers from (prefix raw/) and into this
        // test's own bucket; the event's shape stays the fixture's.
        String key = "raw/" + s3Entity.path("object").path("key").asText();
        ((ObjectNode) s3Entity.path("bucket")).put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
        byte[] file = gzip(CSV);
        ((ObjectNode) s3Entity.path("object")).put("key", key).put("size", file.length);

        try (S3Client client = TestServers.s3Client(s3)) {
            client.createBucket(b -> b.bucket(bucket));
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(file));

            Map<String, String> env = loadEnv(s3, openSearch, bucket, prefix);
            Invocation result = invoke("load", env, json.writeValueAsString(event), tmp);

            assertThat(result.answer().body()).as(result.output())
                    .contains("s3://" + bucket + "/" + key + " SUCCEEDED 3 indexed, 0 rejected");
            assertThat(count(openSearch, prefix, "*:*")).isEqualTo(3);
            assertThat(count(openSearch, prefix, "srcIp:127.0.0.1 AND host:google.com")).isEqualTo(1);
            JsonNode report = json.readTree(client.getObjectAsBytes(
                    b -> b.bucket(bucket).key("reports/" + key + ".json")).asByteArray());
            assertThat(report.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(report.path("indexed").asInt()).isEqualTo(3);
            assertThat(jsonLogLines(result.output())).anySatisfy(line ->
                    assertThat(line.path("status").asText()).isEqualTo("SUCCEEDED"));
        }
    }

    @Test
    void loadJarReportsACorruptFileAsAFinalFailureThatTheLoadAlarmCounts(S3Endpoint s3, OpenSearchEndpoint openSearch,
            @TempDir Path tmp) throws Exception {
        String bucket = TestServers.uniqueName("smoke-fail");
        String prefix = TestServers.uniqueName("smoke-fail");
        String key = "raw/2018-05-09-truncated.csv.gz";
        ObjectNode event = (ObjectNode) json.readTree(fixture("s3_put.json"));
        ObjectNode s3Entity = (ObjectNode) event.path("Records").get(0).path("s3");
        ((ObjectNode) s3Entity.path("bucket")).put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
        byte[] gzip = gzip(CSV);
        byte[] truncated = Arrays.copyOf(gzip, gzip.length / 2); // the same bytes fail the same way: not retried
        ((ObjectNode) s3Entity.path("object")).put("key", key).put("size", truncated.length);

        try (S3Client client = TestServers.s3Client(s3)) {
            client.createBucket(b -> b.bucket(bucket));
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(truncated));

            Invocation result = invoke("load", loadEnv(s3, openSearch, bucket, prefix), json.writeValueAsString(event),
                    tmp); // answers normally: a final failure is no invocation error
            assertThat(result.answer().body()).as(result.output()).contains("s3://" + bucket + "/" + key + " FAILED");

            for (String id : List.of("LoadFailedMetricFilter", "LoadContinueFailedMetricFilter")) {
                String pattern = manifest.resourceProperties(id).path("FilterPattern").asText();
                List<JsonNode> counted = jsonLogLines(result.output()).stream()
                        .filter(line -> MetricFilterPattern.matches(pattern, line)).toList();
                assertThat(counted).as("%s: lines matching %s in%n%s", id, pattern, result.output()).hasSize(1);
                assertThat(counted.get(0).path("key").asText()).isEqualTo(key);
            }
        }
    }

    @Test
    void loadContinueJarResumesAFileFromARecordPosition(S3Endpoint s3, OpenSearchEndpoint openSearch,
            @TempDir Path tmp) throws Exception {
        String bucket = TestServers.uniqueName("smoke-cont");
        String prefix = TestServers.uniqueName("smoke-cont");
        String key = "raw/2018-05-09-metadata.csv.gz";
        try (S3Client client = TestServers.s3Client(s3)) {
            client.createBucket(b -> b.bucket(bucket));
            client.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(gzip(CSV)));

            // What load hands over when its clock runs out after the first record.
            ObjectNode continuation = json.createObjectNode().put("bucket", bucket).put("key", key)
                    .put("nextPosition", 1).put("attempt", 1).put("startedAt", System.currentTimeMillis())
                    .put("rowsRead", 1).put("indexed", 1).put("rejected", 0).put("skipped", 0);
            Invocation result = invoke("loadContinue", loadEnv(s3, openSearch, bucket, prefix),
                    json.writeValueAsString(continuation), tmp);

            assertThat(result.answer().body()).as(result.output())
                    .contains("s3://" + bucket + "/" + key + " SUCCEEDED 3 indexed");
            assertThat(count(openSearch, prefix, "*:*")).as("records after the position only").isEqualTo(2);
            assertThat(count(openSearch, prefix, "host:google.com")).as("record 0 was the earlier invocation's")
                    .isZero();
        }
    }

    @Test
    void apiJarAnswersTheApiGatewayEventFromTheIndex(OpenSearchEndpoint openSearch, @TempDir Path tmp)
            throws Exception {
        String prefix = TestServers.uniqueName("smoke-api");
        send(openSearch, "PUT", "/_index_template/" + IndexTemplate.name(prefix), IndexTemplate.json(prefix));
        send(openSearch, "PUT", "/" + prefix + "-2018.05.09/_doc/hit?refresh=true", """
                {"timestamp":"2018-05-09T14:30:21.123Z","srcIp":"127.0.0.1","dstIp":"142.250.74.46",
                 "srcPort":50123,"dstPort":443,"proto":"tcp","host":"google.com"}""");
        send(openSearch, "PUT", "/" + prefix + "-2018.05.09/_doc/other?refresh=true", """
                {"timestamp":"2018-05-09T14:30:22Z","srcIp":"127.0.0.1","host":"github.com"}""");

        Map<String, String> env = new HashMap<>(openSearch.env());
        env.put("INDEX_PREFIX", prefix);
        env.put("CORS_ALLOW_ORIGIN", "*");
        Invocation result = invoke("api", env, fixture("apigw_search.json"), tmp);

        JsonNode response = json.readTree(result.answer().body());
        assertThat(response.path("statusCode").asInt()).as(result.output()).isEqualTo(200);
        JsonNode body = json.readTree(response.path("body").asText());
        assertThat(body.path("total").path("value").asInt()).isEqualTo(1);
        assertThat(body.path("hits").get(0).path("fields").path("host").asText()).isEqualTo("google.com");
        assertThat(body.path("hits").get(0).path("fields").path("srcIp").asText()).isEqualTo("127.0.0.1");
        assertThat(jsonLogLines(result.output())).anySatisfy(line ->
                assertThat(line.path("status").asInt()).isEqualTo(200));
    }

    @Test
    void retentionJarDeletesTheExpiredDailyIndexOnTheScheduledEvent(OpenSearchEndpoint openSearch, @TempDir Path tmp)
            throws Exception {
        String prefix = TestServers.uniqueName("smoke-ret");
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString().replace('-', '.');
        send(openSearch, "PUT", "/" + prefix + "-2001.01.01", "");
        send(openSearch, "PUT", "/" + prefix + "-" + today, "");
        send(openSearch, "PUT", "/" + prefix + "-dev-2001.01.01", "");

        Map<String, String> env = new HashMap<>(openSearch.env());
        env.put("INDEX_PREFIX", prefix);
        env.put("INDEX_RETENTION_DAYS", "30");
        Invocation result = invoke("retention", env, fixture("eventbridge_scheduled.json"), tmp);

        JsonNode summary = json.readTree(result.answer().body());
        assertThat(summary.path("retentionDays").asInt()).as(result.output()).isEqualTo(30);
        assertThat(summary.path("deleted")).extracting(JsonNode::asText).containsExactly(prefix + "-2001.01.01");
        assertThat(summary.path("kept").asInt()).isEqualTo(1);
        String left = send(openSearch, "GET", "/_cat/indices/" + prefix + "-*?h=index", "");
        assertThat(left.lines().map(String::strip).toList())
                .containsExactlyInAnyOrder(prefix + "-" + today, prefix + "-dev-2001.01.01");
        assertThat(jsonLogLines(result.output())).anySatisfy(line ->
                assertThat(line.path("message").asText()).isEqualTo("retention done"));
    }

    private record Invocation(LambdaRuntimeApiStandIn.Answer answer, String output) {
    }

    /** Starts the function's jar in the runtime client, hands it one event and returns its answer, not an error. */
    private Invocation invoke(String function, Map<String, String> env, String event, Path tmp) throws Exception {
        Invocation invocation = run(function, env, event, tmp);
        assertThat(invocation.answer().error()).as("%s answered with an error: %s%nruntime output:%n%s", function,
                invocation.answer().body(), invocation.output()).isFalse();
        return invocation;
    }

    /** Starts the function's jar in the runtime client, hands it one event and returns its answer or error. */
    private Invocation run(String function, Map<String, String> env, String event, Path tmp) throws Exception {
        Path jar = root.resolve(manifest.artifact(function));
        assertThat(jar).as("shaded jar of %s — build the jars first", function).isRegularFile();
        String name = "netmeta-smoke-" + function;
        long timeoutMs = manifest.function(function).path("timeout").asLong(6) * 1000;
        Path task = Files.createDirectories(tmp.resolve("task-" + function));
        try (LambdaRuntimeApiStandIn api = LambdaRuntimeApiStandIn.start(
                        "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + name);
                LambdaRuntimeProcess runtime = LambdaRuntimeProcess.start(jar, manifest.handler(function), name, env,
                        api.address(), task)) {
            // A hang guard only: the function's own timeout from serverless.yml plus the JVM's start.
            LambdaRuntimeApiStandIn.Answer answer = api.invoke(event, timeoutMs)
                    .get(timeoutMs + TimeUnit.MINUTES.toMillis(2), TimeUnit.MILLISECONDS);
            return new Invocation(answer, runtime.output());
        }
    }

    /** A JSON object's field names, in its order. */
    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The function's structured log lines (one JSON object per line on stdout, kept by Lambda's JSON log format). */
    private List<JsonNode> jsonLogLines(String output) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.split("\\R")) {
            if (line.startsWith("{")) {
                try {
                    lines.add(json.readTree(line));
                } catch (IOException notJson) {
                    // a line that merely starts with '{' is not a structured log line
                }
            }
        }
        return lines;
    }

    private static Map<String, String> loadEnv(S3Endpoint s3, OpenSearchEndpoint openSearch, String bucket,
            String prefix) {
        Map<String, String> env = new HashMap<>(s3.env());
        env.putAll(openSearch.env());
        env.put("BUCKET", bucket);
        env.put("RAW_PREFIX", "raw/");
        env.put("REJECTS_PREFIX", "rejects/");
        env.put("REPORTS_PREFIX", "reports/");
        env.put("INDEX_PREFIX", prefix);
        env.put("CONTINUATION_FUNCTION_NAME", "netmeta-smoke-loadContinue");
        return env;
    }

    private long count(OpenSearchEndpoint openSearch, String prefix, String query) throws Exception {
        send(openSearch, "POST", "/" + prefix + "-*/_refresh", "");
        String body = json.writeValueAsString(Map.of("query", Map.of("query_string", Map.of("query", query))));
        return json.readTree(send(openSearch, "POST", "/" + prefix + "-*/_count", body)).path("count").asLong();
    }

    private String send(OpenSearchEndpoint openSearch, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(openSearch.uri() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return response.body();
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = LambdaRuntimeSmokeIT.class.getResourceAsStream("/events/" + name)) {
            assertThat(in).as("fixture events/%s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
