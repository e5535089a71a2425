package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.flowsCsv;
import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Wrong files that load without a reject as junk (README's former known gap): on the embedded OpenSearch and s3proxy
 * they still end SUCCEEDED, and what the user sees — the saved report, the function's answer — says what is wrong
 * and what to do; a file that looks right has no {@code warnings} in its report at all.
 */
@ExtendWith(TestServers.class)
class LoadWarningsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How the Lambda runtime turns the async payload into the handler's input. */
    private static final PojoSerializer<LoadContinuation> RUNTIME = JacksonFactory.getInstance()
            .getSerializer(LoadContinuation.class);
    private static final String NO_TIMESTAMP = ": no record can have a timestamp, so any record indexed went to the "
            + "daily index of the file's last-modified day. If the file is meant so, name a column as the data contract "
            + "does (e.g. timestamp); if not, replace it at its source";

    private LoadTestEnvironment servers;

    @BeforeEach
    void setUp(S3Endpoint s3, OpenSearchEndpoint openSearch) {
        servers = new LoadTestEnvironment(s3, openSearch);
    }

    private String load(String key) {
        return new LoadHandler(servers.env()).handleRequest(LoadFixtures.event("load-it", key),
                TestLambdaContext.plentyOfTime());
    }

    @Test
    void aGzipOfPlainTextLoadsWithAWarningThatItHasNoKnownField() {
        String key = "raw/" + servers.prefix + "/notes.csv.gz";
        servers.put("load-it", key, gzip("Meeting notes of May 9\nthe sensor in rack 4 was down\n"
                + "restarted at noon\nall good since\n"));

        String answer = load(key);

        String warning = "no column of the CSV header \"Meeting notes of May 9\" (one column: a text file rather "
                + "than CSV?) is a known field (timestamp, srcIp, dstIp, srcPort, dstPort, proto, host, bytesOut, "
                + "bytesIn or an alias of one)" + NO_TIMESTAMP;
        JsonNode report = servers.report("load-it", key);
        assertThat(report.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.path("rowsRead").asLong()).isEqualTo(3);
        assertThat(report.path("indexed").asLong()).isEqualTo(3);
        assertThat(report.path("rejected").asLong()).isZero();
        assertThat(report.path("warnings")).hasSize(1);
        assertThat(report.path("warnings").get(0).asText()).isEqualTo(warning);
        assertThat(answer).isEqualTo("s3://load-it/" + key + " SUCCEEDED 3 indexed, 0 rejected, 0 skipped; warning: "
                + warning);
        assertThat(servers.count("_exists_:Meeting_notes_of_May_9")).as("the junk: one field a line").isEqualTo(3);
        assertThat(servers.count("_exists_:timestamp")).isZero();
    }

    /**
     * A Zeek conn.log saved without its # lines under a .csv.gz name: the header is one column holding TABs, each
     * row one field; a row with a comma (a Zeek set) is rejected, as two columns.
     */
    @Test
    void aTabSeparatedCsvGzLoadsWithAWarningToConvertIt() {
        String key = "raw/" + servers.prefix + "/conn.csv.gz";
        servers.put("load-it", key, gzip("ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\n"
                + "1525876221.123456\tCHhAvVGS1DHFjwGM9\t10.0.0.1\t51000\t93.184.216.34\t443\ttcp\tssl\n"
                + "1525876222.5\tC4J4Th3PJpwUYZZ6gc\t10.0.0.2\t51001\t8.8.8.8\t53\tudp\tdns\n"
                + "1525876223.25\tCUM0KZ3MLUfNB0cl11\t10.0.0.3\t51002\t8.8.4.4\t53\tudp\tdns,ssl\n"));

        String answer = load(key);

        String warning = "CSV header \"ts\\tuid\\tid.orig_h\\tid.orig_p\\tid.resp_h\\tid.resp_p\\tproto\\tservice\" is "
                + "one column holding TABs: a tab-separated file? CSV input must be comma-separated, so each row "
                + "became one field, without a timestamp. Convert it to comma-separated CSV at its source; the "
                + "corrected copy is loaded again";
        JsonNode report = servers.report("load-it", key);
        assertThat(report.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.path("format").asText()).isEqualTo("csv");
        assertThat(report.path("rowsRead").asLong()).isEqualTo(3);
        assertThat(report.path("indexed").asLong()).isEqualTo(2);
        assertThat(report.path("rejected").asLong()).isEqualTo(1);
        assertThat(report.path("warnings")).hasSize(1);
        assertThat(report.path("warnings").get(0).asText()).isEqualTo(warning);
        assertThat(answer).endsWith(" SUCCEEDED 2 indexed, 1 rejected, 0 skipped; warning: " + warning);
        assertThat(servers.count("_exists_:timestamp")).isZero();
        assertThat(servers.count()).isEqualTo(2);
    }

    @Test
    void aFileThatLooksRightHasNoWarningsInItsReport() {
        String key = "raw/" + servers.prefix + "/flows.csv.gz";
        servers.put("load-it", key, gzip(flowsCsv(10)));

        String answer = load(key);

        JsonNode report = servers.report("load-it", key);
        assertThat(report.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.path("indexed").asLong()).isEqualTo(10);
        assertThat(report.has("warnings")).as("absent, not an empty list").isFalse();
        assertThat(answer).isEqualTo("s3://load-it/" + key + " SUCCEEDED 10 indexed, 0 rejected, 0 skipped");
    }

    /**
     * NDJSON decides on its first 1,000 records; the continuations (from record 2048, through the Lambda runtime's
     * own serializer) skip them unread, so only the payload brings the warning to the final report.
     */
    @Test
    void aContinuationCarriesTheWarningOfAnNdjsonFileToTheFinalReport() throws Exception {
        String key = "raw/" + servers.prefix + "/audit.ndjson.gz";
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            ndjson.append("{\"eventTime\":\"2018-05-09T14:30:21Z\",\"eventName\":\"GetObject\",\"n\":").append(i)
                    .append("}\n");
        }
        servers.put("load-it", key, gzip(ndjson.toString()));

        try (LambdaInvokeStandIn lambda = new LambdaInvokeStandIn()) {
            Map<String, String> env = servers.env(lambda);
            new LoadHandler(env).handleRequest(LoadFixtures.event("load-it", key),
                    TestLambdaContext.runningOutAfter(3, LoadTestEnvironment.RUN_OUT_MILLIS));
            JsonNode continuing = servers.report("load-it", key);
            assertThat(continuing.path("status").asText()).isEqualTo("CONTINUING");
            assertThat(continuing.path("warnings")).hasSize(1);

            LambdaInvokeStandIn.Invocation next;
            int invocations = 1;
            String last = null;
            while ((next = lambda.invocations.poll()) != null && invocations < 10) {
                assertThat(JSON.readTree(next.payload()).path("warnings")).as("in the payload").hasSize(1);
                last = new LoadContinuationHandler(env).handleRequest(RUNTIME.fromJson(next.payload()),
                        TestLambdaContext.runningOutAfter(3, LoadTestEnvironment.RUN_OUT_MILLIS));
                invocations++;
            }
            assertThat(invocations).isEqualTo(3);

            JsonNode report = servers.report("load-it", key);
            assertThat(report.path("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(report.path("invocations").asInt()).isEqualTo(3);
            assertThat(report.path("indexed").asLong()).isEqualTo(5_000);
            assertThat(report.path("warnings")).hasSize(1);
            assertThat(report.path("warnings").get(0).asText()).isEqualTo(continuing.path("warnings").get(0).asText())
                    .startsWith("none of the file's first 1000 JSON records has a known field (")
                    .contains("(the first one's fields: \"eventTime, eventName, n\")" + NO_TIMESTAMP);
            assertThat(last).contains(" SUCCEEDED 5000 indexed, 0 rejected, 0 skipped; warning: none of the file's");
        }
    }
}
