package dev.netmeta.load;

import dev.netmeta.local.testing.TestLambdaContext;
import static dev.netmeta.load.LoadFixtures.flowsCsv;
import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestServers.class)
class LoadContinuationIT {

    /** How the Lambda runtime turns the async payload into the handler's input. */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final PojoSerializer<LoadContinuation> RUNTIME = JacksonFactory.getInstance()
            .getSerializer(LoadContinuation.class);

    @Test
    void whenTheClockRunsOutAContinuationFinishesTheFileWithoutLossOrDuplicate(S3Endpoint s3,
                                                                               OpenSearchEndpoint openSearch)
            throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String key = "raw/" + servers.prefix + "/long.csv.gz";
        List<String> lines = new ArrayList<>(Arrays.asList(flowsCsv(5_000).split("\r\n")));
        lines.set(101, "garbage");        // record 100, read by the first invocation
        lines.set(4_001, "more,garbage"); // record 4000, read by the last one
        servers.put("load-it", key, gzip(String.join("\r\n", lines) + "\r\n"));

        try (LambdaInvokeStandIn lambda = new LambdaInvokeStandIn()) {
            Map<String, String> env = servers.env(lambda);

            // each invocation has time for three clock checks (one before the file, then every 1024 records): 2048 records
            String first = new LoadHandler(env)
                    .handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.runningOutAfter(3, LoadTestEnvironment.RUN_OUT_MILLIS));
            assertThat(first).contains("CONTINUING");
            JsonNode continuing = servers.report("load-it", key);
            assertThat(continuing.get("status").asText()).isEqualTo("CONTINUING");
            assertThat(continuing.get("nextPosition").asLong()).isEqualTo(2_048);

            LoadContinuationHandler continueHandler = new LoadContinuationHandler(env);
            int invocations = 1;
            LambdaInvokeStandIn.Invocation next;
            while ((next = lambda.invocations.poll()) != null && invocations < 10) {
                assertThat(next.function()).isEqualTo("netmeta-dev-loadContinue");
                assertThat(next.invocationType()).isEqualTo("Event");
                continueHandler.handleRequest(RUNTIME.fromJson(next.payload()), TestLambdaContext.runningOutAfter(3, LoadTestEnvironment.RUN_OUT_MILLIS));
                invocations++;
            }
            assertThat(invocations).isEqualTo(3);
        }

        assertThat(servers.count()).isEqualTo(4_998);
        assertThat(servers.count("host:google.com")).isEqualTo(498); // records 100 and 4000 were google.com rows
        JsonNode report = servers.report("load-it", key);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("invocations").asInt()).isEqualTo(3);
        assertThat(report.get("rowsRead").asLong()).isEqualTo(5_000);
        assertThat(report.get("indexed").asLong()).isEqualTo(4_998);
        assertThat(report.get("rejected").asLong()).isEqualTo(2);
        String rejects = servers.text("load-it", "rejects/" + key + ".ndjson");
        assertThat(rejects.split("\n")).hasSize(2);
        assertThat(rejects).contains("\"line\":102", "\"raw\":\"garbage\"", "\"line\":4002", "more,garbage");
    }

    /**
     * The object is replaced while its load continues: the continuation's GetObject with {@code If-Match} answers 412
     * (s3proxy as S3), and the continuation loads the current version from the start instead — its documents only,
     * its own report.
     */
    @Test
    void aContinuationWhoseObjectWasReplacedLoadsTheCurrentVersionFromTheStart(S3Endpoint s3,
                                                                              OpenSearchEndpoint openSearch)
            throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String key = "raw/" + servers.prefix + "/replaced.csv.gz";
        servers.put("load-it", key, gzip(flowsCsv(3_000)));

        try (LambdaInvokeStandIn lambda = new LambdaInvokeStandIn()) {
            Map<String, String> env = servers.env(lambda);
            new LoadHandler(env).handleRequest(LoadFixtures.event("load-it", key),
                    TestLambdaContext.runningOutAfter(3, LoadTestEnvironment.RUN_OUT_MILLIS));
            LoadContinuation next = RUNTIME.fromJson(lambda.invocations.poll().payload());
            assertThat(next.getNextPosition()).isEqualTo(2_048);
            assertThat(next.getLastModified()).isPositive();

            servers.put("load-it", key, gzip(flowsCsv(2_500)));
            String eTag = servers.s3.headObject(b -> b.bucket("load-it").key(key)).eTag();
            new LoadContinuationHandler(env).handleRequest(next, TestLambdaContext.plentyOfTime());
            assertThat(lambda.invocations).as("no continuation of its own").isEmpty();

            JsonNode report = servers.report("load-it", key);
            assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(report.get("eTag").asText()).isEqualTo(eTag);
            assertThat(report.get("invocations").asInt()).as("the chain's two").isEqualTo(2);
            assertThat(report.get("rowsRead").asLong()).isEqualTo(2_500);
            assertThat(report.get("staleRemoved").asLong()).as("the old version's records 0-2047 were overwritten")
                    .isZero();
            assertThat(servers.count()).isEqualTo(2_500);
            assertThat(servers.count("sourceVersion:\"" + eTag.substring(1, eTag.length() - 1) + "\""))
                    .isEqualTo(2_500);
        }
    }

    /** A payload of the release before {@code lastModified} existed reads as 0: not compared, the file goes on. */
    @Test
    void aPayloadWithoutLastModifiedFromAnEarlierReleaseIsContinued(S3Endpoint s3, OpenSearchEndpoint openSearch)
            throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String key = "raw/" + servers.prefix + "/earlier.csv.gz";
        servers.put("load-it", key, gzip(flowsCsv(3_000)));

        try (LambdaInvokeStandIn lambda = new LambdaInvokeStandIn()) {
            Map<String, String> env = servers.env(lambda);
            new LoadHandler(env).handleRequest(LoadFixtures.event("load-it", key),
                    TestLambdaContext.runningOutAfter(3, LoadTestEnvironment.RUN_OUT_MILLIS));
            com.fasterxml.jackson.databind.node.ObjectNode payload =
                    (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(lambda.invocations.poll().payload());
            assertThat(payload.remove("lastModified")).isNotNull();
            LoadContinuation next = RUNTIME.fromJson(JSON.writeValueAsString(payload));
            assertThat(next.getLastModified()).isZero();

            new LoadContinuationHandler(env).handleRequest(next, TestLambdaContext.plentyOfTime());
        }

        JsonNode report = servers.report("load-it", key);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("invocations").asInt()).isEqualTo(2);
        assertThat(report.get("rowsRead").asLong()).isEqualTo(3_000);
        assertThat(servers.count()).isEqualTo(3_000);
    }

    @Test
    void aRetriedContinuationDoesNotWriteItsRejectsTwice(S3Endpoint s3, OpenSearchEndpoint openSearch) throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String key = "raw/" + servers.prefix + "/retried.csv.gz";
        List<String> lines = new ArrayList<>(Arrays.asList(flowsCsv(3_000).split("\r\n")));
        lines.set(101, "garbage");   // record 100, read by the first invocation
        lines.set(2_101, "garbage"); // record 2100, read by the continuation (before its first bulk request)
        servers.put("load-it", key, gzip(String.join("\r\n", lines) + "\r\n"));

        try (LambdaInvokeStandIn lambda = new LambdaInvokeStandIn();
             FlakyOpenSearchProxy refusing = FlakyOpenSearchProxy.refusingEveryBulk(openSearch.uri(), 403)) {
            Map<String, String> env = servers.env(lambda);
            new LoadHandler(env).handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.runningOutAfter(3, LoadTestEnvironment.RUN_OUT_MILLIS));
            LoadContinuation continuation = RUNTIME.fromJson(lambda.invocations.poll().payload());
            assertThat(continuation.getNextPosition()).isEqualTo(2_048);
            assertThat(continuation.getRejected()).isEqualTo(1);

            // the continuation fails once (OpenSearch refuses the bulk requests): Lambda delivers the same payload again
            Map<String, String> failing = new java.util.HashMap<>(env);
            failing.put("OPENSEARCH_URL", refusing.uri().toString());
            failing.put("BULK_MAX_ATTEMPTS", "1");
            assertThatThrownBy(() -> new LoadContinuationHandler(failing)
                    .handleRequest(continuation, TestLambdaContext.plentyOfTime()))
                    .isInstanceOf(LoadFailedException.class);
            assertThat(servers.text("load-it", "rejects/" + key + ".ndjson").split("\n")).hasSize(2);

            new LoadContinuationHandler(env).handleRequest(RUNTIME.fromJson(JSON.writeValueAsString(continuation)),
                    TestLambdaContext.plentyOfTime());
        }

        JsonNode report = servers.report("load-it", key);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("rejected").asLong()).isEqualTo(2);
        assertThat(report.get("indexed").asLong()).isEqualTo(2_998);
        assertThat(servers.count()).isEqualTo(2_998);
        String rejects = servers.text("load-it", "rejects/" + key + ".ndjson");
        assertThat(rejects.split("\n")).hasSize(2);
        assertThat(rejects).contains("\"position\":100", "\"position\":2100");
    }

    @Test
    void whenOpenSearchStallsTheInvocationReturnsBeforeItsDeadlineAndTheContinuationLoadsEveryRowOnce(
            S3Endpoint s3, OpenSearchEndpoint openSearch) throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String key = "raw/" + servers.prefix + "/stalled.csv.gz";
        servers.put("load-it", key, gzip(flowsCsv(3_000)));

        try (LambdaInvokeStandIn lambda = new LambdaInvokeStandIn();
             FlakyOpenSearchProxy stalling = FlakyOpenSearchProxy.refusingEveryBulk(openSearch.uri(),
                     FlakyOpenSearchProxy.STALL)) {
            Map<String, String> env = servers.env(lambda);
            Map<String, String> stalled = new java.util.HashMap<>(env);
            stalled.put("OPENSEARCH_URL", stalling.uri().toString());
            // requests time out after 2 s, retries stop at 4 s left, the session stops waiting with 2 s left: that
            // much for saving the report and starting the continuation (the 4 s margin left 1 s, tight on a busy
            // machine); everything the load times scales with the margin, so a load that overruns it still overruns
            stalled.put("LOAD_TIME_MARGIN_MS", "8000");

            // a real clock with 12 s left: the bulk requests never get an answer
            TestLambdaContext context = TestLambdaContext.realTime(12_000);
            String first = new LoadHandler(stalled).handleRequest(LoadFixtures.event("load-it", key), context);

            assertThat(first).contains("CONTINUING");
            assertThat(context.getRemainingTimeInMillis()).as("returned before the deadline").isPositive();
            JsonNode continuing = servers.report("load-it", key);
            assertThat(continuing.get("nextPosition").asLong()).isZero(); // nothing was acknowledged
            assertThat(continuing.get("indexed").asLong()).isZero();

            LoadContinuation next = RUNTIME.fromJson(lambda.invocations.poll().payload());
            new LoadContinuationHandler(env).handleRequest(next, TestLambdaContext.plentyOfTime());
        }

        assertThat(servers.count()).isEqualTo(3_000);
        JsonNode report = servers.report("load-it", key);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("rowsRead").asLong()).isEqualTo(3_000);
        assertThat(report.get("indexed").asLong()).isEqualTo(3_000);
        assertThat(report.get("invocations").asInt()).isEqualTo(2);
    }

    /**
     * A corrupt gzip found late in a pass, with no reading time left to read the rest for its CRC32C: a retry would start
     * where the pass started and run out at the same byte (twice, then the dead-letter queue, no final report), so the
     * file continues from the break, and the continuation — which skips to it with a fresh clock — reads the rest, finds
     * the checksum matching and ends the file FAILED for good, saying that the bytes were checked.
     */
    @Test
    void aCorruptGzipFoundTooLateToCompareItsChecksumIsToldByItsContinuation(S3Endpoint s3,
                                                                            OpenSearchEndpoint openSearch)
            throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String key = "raw/" + servers.prefix + "/corrupt.csv.gz";
        byte[] member = gzip(flowsCsv(3_000));
        member[member.length - 8] ^= 0x01; // the trailer's CRC-32: the decoder fails after all 3,000 rows
        byte[] rest = new byte[256 * 1024]; // past the decoder's 64 KiB buffer: never read by it
        new java.util.Random(17).nextBytes(rest);
        byte[] file = Arrays.copyOf(member, member.length + rest.length);
        System.arraycopy(rest, 0, file, member.length, rest.length);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(file);
        String crc32c = java.util.Base64.getEncoder().encodeToString(
                java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        servers.bucket("load-it");
        servers.s3.putObject(b -> b.bucket("load-it").key(key).checksumCRC32C(crc32c),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(file));

        try (LambdaInvokeStandIn lambda = new LambdaInvokeStandIn()) {
            Map<String, String> env = servers.env(lambda);
            // the whole timeout for three clock checks (before the file, at records 0 and 1024), then exactly the margin
            // (60 s) from the check at record 2048 on: reading goes on to the break, no reading time is left after it
            String first = new LoadHandler(env).handleRequest(LoadFixtures.event("load-it", key),
                    TestLambdaContext.runningOutAfter(3, 60_000));

            assertThat(first).as("not thrown: no retry of Lambda's").contains("CONTINUING");
            JsonNode continuing = servers.report("load-it", key);
            assertThat(continuing.get("status").asText()).isEqualTo("CONTINUING");
            assertThat(continuing.get("nextPosition").asLong()).as("the break").isEqualTo(3_000);
            assertThat(continuing.get("indexed").asLong()).isEqualTo(3_000);
            LoadContinuation next = RUNTIME.fromJson(lambda.invocations.poll().payload());
            assertThat(next.getNextPosition()).isEqualTo(3_000);

            String last = new LoadContinuationHandler(env).handleRequest(next, TestLambdaContext.plentyOfTime());

            assertThat(last).contains("FAILED");
            assertThat(lambda.invocations).as("no continuation of its own").isEmpty();
        }

        JsonNode report = servers.report("load-it", key);
        assertThat(report.get("status").asText()).isEqualTo("FAILED");
        assertThat(report.get("retryable").asBoolean()).isFalse();
        assertThat(report.get("error").asText()).isEqualTo("corrupt or truncated input after 3000 records: Corrupt GZIP"
                + " trailer; the object's CRC32C matches every byte read: the object itself is corrupt");
        assertThat(report.get("failedAtByte").asLong()).as("where the decoder gave up, before the rest's end")
                .isBetween(1L, (long) file.length - 1);
        assertThat(report.get("invocations").asInt()).isEqualTo(2);
        assertThat(report.get("rowsRead").asLong()).isEqualTo(3_000);
        assertThat(servers.count()).as("the rows before the break, once").isEqualTo(3_000);
    }
}
