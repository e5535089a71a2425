package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * LOAD_MAX_REJECTS against s3proxy and the embedded OpenSearch: a wrong file under a key of the service — here an
 * export with a title line above its header, so every row has 5 fields where the "header" has 1 — stops being read
 * at the budget, keeps a bounded rejects object, and ends FAILED for good with an error that says why; the previous
 * version's documents are not cleaned up for it.
 */
@ExtendWith(TestServers.class)
class LoadRejectsBudgetIT {

    private static final long MAY_9 = 1_525_876_221L;
    private static final String BUCKET = "load-it";
    /**
     * How the answer's warning about the wrong files' title line starts (its full text: LoadWarningsIT): CSV takes the
     * title for the header, which names no known field — why every row has the wrong column count (docs/LOAD.md,
     * "Files that load as junk").
     */
    private static final String TITLE_LINE_WARNING = "; warning: no column of the CSV header \"Flow export of sensor-7,"
            + "generated 2018-05-10\" is a known field (";

    private LoadTestEnvironment servers;

    @BeforeEach
    void setUp(S3Endpoint s3, OpenSearchEndpoint openSearch) {
        servers = new LoadTestEnvironment(s3, openSearch);
    }

    @Test
    void aFileOfOnlyBadRowsEndsFailedForGoodWithABoundedRejectsObject() throws Exception {
        String key = "raw/" + servers.prefix + "/flows.csv.gz";
        Map<String, String> env = servers.env();
        env.put("LOAD_MAX_REJECTS", "50");
        loadAGoodFirstVersion(key, env);

        // the wrong file: 20,000 rows below a title line, which CSV takes for a header of one column
        StringBuilder wrong = new StringBuilder("Flow export of sensor-7, generated 2018-05-10\n")
                .append("ts,Src IP,Dst IP,Dst Port,host\n");
        for (int i = 0; i < 20_000; i++) {
            wrong.append(MAY_9 + i).append(",10.0.1.").append(i % 250).append(",8.8.8.8,53,h").append(i).append('\n');
        }
        servers.put(BUCKET, key, gzip(wrong.toString()));

        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String returned;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LoadHandler handler = new LoadHandler(env); // logs to the stdout it finds at construction
            // returns normally: no Lambda retry, nothing in the dead-letter queue — a retry would fail the same way
            returned = handler.handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());
        } finally {
            System.setOut(original);
        }

        assertThat(returned).startsWith("s3://" + BUCKET + "/" + key + " FAILED 0 indexed, 51 rejected, 0 skipped"
                + TITLE_LINE_WARNING);
        JsonNode report = servers.report(BUCKET, key);
        assertThat(report.get("status").asText()).isEqualTo("FAILED");
        assertThat(report.get("error").asText()).isEqualTo("more than 50 rows rejected (first: line 2: expected 2 "
                + "columns (as in the header), found 5) — not a file of this format (csv), or values the index maps "
                + "otherwise? 51 records read; the rejects object holds the first 50 (LOAD_MAX_REJECTS)");
        assertThat(report.get("rowsRead").asLong()).as("the 19,949 rows after the 51st are not read").isEqualTo(51);
        assertThat(report.get("rejected").asLong()).isEqualTo(51);
        assertThat(report.get("indexed").asLong() + report.get("rejected").asLong() + report.get("skipped").asLong()
                + report.get("unsettled").asLong()).isEqualTo(report.get("rowsRead").asLong());
        assertThat(report.has("staleRemoved")).as("no cleanup after a failed load").isFalse();

        String rejectsKey = OutputKeys.rejects("rejects/", key);
        assertThat(report.get("rejectsObject").asText()).isEqualTo("s3://" + BUCKET + "/" + rejectsKey);
        String rejects = servers.text(BUCKET, rejectsKey);
        assertThat(rejects.split("\n")).as("the first 50 rejects, no more").hasSize(50);
        assertThat(rejects).contains("\"position\":0,").contains("\"position\":49,").doesNotContain("\"position\":50,");

        // the log line a user (and the load-failed alarm: message "load failed", retryable false) sees
        List<JsonNode> failed = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{") && line.contains("\"message\":\"load failed\"")) {
                failed.add(json.readTree(line));
            }
        }
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("retryable").isBoolean()).isTrue();
        assertThat(failed.get(0).get("retryable").asBoolean()).isFalse();
        assertThat(failed.get(0).get("error").asText()).startsWith("more than 50 rows rejected");

        // the first version's documents stay: a file that failed does not replace them
        assertThat(servers.count("sourceFile:\"" + key + "\"")).isEqualTo(3);
    }

    /**
     * The same wrong file with fewer rows than the budget: it used to end SUCCEEDED with 0 indexed, and its cleanup
     * deleted the previous version's documents — gone from search, no alarm. Now FAILED for good, nothing removed.
     */
    @Test
    void aSmallFileOfOnlyBadRowsEndsFailedForGoodAndKeepsThePreviousVersion() throws Exception {
        String key = "raw/" + servers.prefix + "/small.csv.gz";
        Map<String, String> env = servers.env();
        loadAGoodFirstVersion(key, env);

        StringBuilder wrong = new StringBuilder("Flow export of sensor-7, generated 2018-05-10\n")
                .append("ts,Src IP,Dst IP,Dst Port,host\n");
        for (int i = 0; i < 20; i++) {
            wrong.append(MAY_9 + i).append(",10.0.1.").append(i).append(",8.8.8.8,53,h").append(i).append('\n');
        }
        servers.put(BUCKET, key, gzip(wrong.toString()));

        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        String returned;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            returned = new LoadHandler(env).handleRequest(LoadFixtures.event(BUCKET, key),
                    TestLambdaContext.plentyOfTime());
        } finally {
            System.setOut(original);
        }

        assertThat(returned).startsWith("s3://" + BUCKET + "/" + key + " FAILED 0 indexed, 21 rejected, 0 skipped"
                + TITLE_LINE_WARNING);
        JsonNode report = servers.report(BUCKET, key);
        assertThat(report.get("status").asText()).isEqualTo("FAILED");
        assertThat(report.get("error").asText()).isEqualTo("no row indexed, all 21 rejected (first: line 2: expected 2 "
                + "columns (as in the header), found 5) — not a file of this format (csv), or values the index maps "
                + "otherwise? 21 records read; the documents of the key's other versions were not removed");
        assertThat(report.has("staleRemoved")).as("no cleanup after a failed load").isFalse();
        String rejectsKey = OutputKeys.rejects("rejects/", key);
        assertThat(report.get("rejectsObject").asText()).isEqualTo("s3://" + BUCKET + "/" + rejectsKey);
        assertThat(servers.text(BUCKET, rejectsKey).split("\n")).as("every reject, as usual").hasSize(21);

        List<JsonNode> failed = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("{") && line.contains("\"message\":\"load failed\"")) {
                failed.add(json.readTree(line));
            }
        }
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).get("retryable").isBoolean()).isTrue();
        assertThat(failed.get(0).get("retryable").asBoolean()).as("the load-failed alarm counts it").isFalse();

        // the previous version is still what search finds
        assertThat(servers.count("sourceFile:\"" + key + "\"")).isEqualTo(3);
        assertThat(servers.count("sourceFile:\"" + key + "\" AND srcIp:10.0.0.2")).isEqualTo(1);
    }

    /**
     * LOAD_MAX_REJECTS_BYTES: a wrong file of long rows (300,000 characters each, a gzip of a few hundred KB) rejects
     * few lines but many bytes — up to ~100 GB under the line budget alone. It stops where its rejects object would
     * cross the byte bound (here 20 MiB: a multipart upload of 3 parts), saves what fit, leaves no upload behind,
     * and ends FAILED for good, the previous version kept.
     */
    @Test
    void aFileOfLongBadRowsStopsAtTheByteBudget() throws Exception {
        String key = "raw/" + servers.prefix + "/long.csv.gz";
        long max = 20L * 1024 * 1024;
        Map<String, String> env = servers.env();
        env.put("LOAD_MAX_REJECTS_BYTES", Long.toString(max));
        loadAGoodFirstVersion(key, env);

        String filler = "y".repeat(300_000);
        StringBuilder wrong = new StringBuilder("Flow export of sensor-7, generated 2018-05-10\n")
                .append("ts,Src IP,Dst IP,Dst Port,host\n");
        for (int i = 0; i < 1_000; i++) {
            wrong.append(MAY_9 + i).append(",10.0.1.").append(i % 250).append(",8.8.8.8,53,").append(filler)
                    .append('\n');
        }
        servers.put(BUCKET, key, gzip(wrong.toString()));

        String returned = new LoadHandler(env).handleRequest(LoadFixtures.event(BUCKET, key),
                TestLambdaContext.plentyOfTime());

        JsonNode report = servers.report(BUCKET, key);
        assertThat(report.get("status").asText()).isEqualTo("FAILED");
        long rejected = report.get("rejected").asLong();
        assertThat(returned).startsWith("s3://" + BUCKET + "/" + key + " FAILED 0 indexed, " + rejected
                + " rejected, 0 skipped" + TITLE_LINE_WARNING);
        String rejectsKey = OutputKeys.rejects("rejects/", key);
        String rejects = servers.text(BUCKET, rejectsKey);
        long kept = rejects.split("\n").length;
        assertThat(kept).as("the lines that fit").isBetween(60L, 70L);
        assertThat(rejected).as("read up to the reject that did not fit").isEqualTo(kept + 1);
        assertThat(report.get("rowsRead").asLong()).isEqualTo(rejected);
        assertThat(report.get("error").asText()).isEqualTo("more than 20971520 bytes of rejects (first: line 2: "
                + "expected 2 columns (as in the header), found 5) — not a file of this format (csv), or values the "
                + "index maps otherwise? " + rejected + " records read; the rejects object holds the first " + kept
                + " rejects, at most 20971520 bytes (LOAD_MAX_REJECTS_BYTES)");
        assertThat(servers.s3.headObject(h -> h.bucket(BUCKET).key(rejectsKey)).contentLength())
                .isLessThanOrEqualTo(max).isGreaterThan(max - 400_000);
        assertThat(servers.s3.headObject(h -> h.bucket(BUCKET).key(rejectsKey)).eTag())
                .as("went up as a multipart upload").endsWith("-3\"");
        assertThat(servers.s3.listMultipartUploads(l -> l.bucket(BUCKET).prefix(rejectsKey)).uploads())
                .as("no upload left behind").isEmpty();
        assertThat(report.has("staleRemoved")).isFalse();
        assertThat(servers.count("sourceFile:\"" + key + "\"")).as("the previous version stays").isEqualTo(3);
    }

    /** A good first version of {@code key}, loaded: 3 documents, which a wrong second version must leave alone. */
    private void loadAGoodFirstVersion(String key, Map<String, String> env) throws Exception {
        servers.put(BUCKET, key, gzip("ts,Src IP,Dst IP,Dst Port,host\n" + MAY_9 + ",10.0.0.1,8.8.8.8,53,a\n"
                + (MAY_9 + 1) + ",10.0.0.2,8.8.8.8,53,b\n" + (MAY_9 + 2) + ",10.0.0.3,8.8.8.8,53,c\n"));
        new LoadHandler(env).handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());
        assertThat(servers.report(BUCKET, key).get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(servers.count("sourceFile:\"" + key + "\"")).isEqualTo(3);
    }
}
