package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Edge cases of the load function against the embedded OpenSearch and s3proxy: two buckets, odd keys, wide rows, many stale documents. */
@ExtendWith(TestServers.class)
class LoadEdgeCasesIT {

    private static final long MAY_9 = 1_525_876_221L;

    private LoadTestEnvironment servers;

    @BeforeEach
    void setUp(S3Endpoint s3, OpenSearchEndpoint openSearch) {
        servers = new LoadTestEnvironment(s3, openSearch);
    }

    private static byte[] csv(int rows, String tag) {
        StringBuilder sb = new StringBuilder("ts,Src IP,Dst IP,Dst Port,version\n");
        for (int i = 0; i < rows; i++) {
            sb.append(MAY_9 + i).append(",10.0.").append(i / 250 % 250).append('.').append(i % 250)
                    .append(",8.8.8.8,53,").append(tag).append('\n');
        }
        return gzip(sb.toString());
    }

    private JsonNode load(String bucket, String key) {
        new LoadHandler(servers.env()).handleRequest(LoadFixtures.event(bucket, key), TestLambdaContext.plentyOfTime());
        return servers.report(bucket, key);
    }

    /**
     * Document ids include the bucket, but {@code sourceFile} holds the key only: loading the same key from a second
     * bucket (two sync targets, a staging bucket, a re-import) must not delete the first bucket's documents as "other
     * versions" of the key (the cleanup keeps to ids of its own bucket's object prefix).
     */
    @Test
    void theSameKeyInAnotherBucketIsNotAnotherVersionOfTheFile() {
        String key = "raw/" + servers.prefix + "/same-key.csv.gz";
        servers.put("load-it", key, csv(10, "first-bucket"));
        servers.put("load-it-two", key, csv(6, "second-bucket"));

        JsonNode first = load("load-it", key);
        assertThat(first.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode second = load("load-it-two", key);

        assertThat(second.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.get("staleRemoved").asLong()).as("documents of the other bucket removed").isZero();
        assertThat(servers.count("version:\"first-bucket\"")).as("the first bucket's documents").isEqualTo(10);
        assertThat(servers.count("version:\"second-bucket\"")).isEqualTo(6);
    }

    /** More stale documents than one cleanup page (1000): search_after over (sourceRecord, _index) on OpenSearch. */
    @Test
    void aReplacementRemovesMoreThanOnePageOfStaleDocuments() {
        String key = "raw/" + servers.prefix + "/big.csv.gz";
        servers.put("load-it", key, csv(2_600, "one"));
        assertThat(load("load-it", key).get("indexed").asLong()).isEqualTo(2_600);

        servers.put("load-it", key, csv(7, "two"));
        JsonNode second = load("load-it", key);

        assertThat(second.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.get("staleRemoved").asLong()).isEqualTo(2_593);
        assertThat(servers.count("sourceFile:\"" + key + "\"")).isEqualTo(7);
    }

    /** Keys as S3 sends them in the event (URL-encoded): '+', spaces, '%', unicode. */
    @Test
    void keysWithPlusSpacePercentAndUnicodeAreLoadedUnderTheirOwnName() {
        String key = "raw/" + servers.prefix + "/a+b c%20d é 日本.csv.gz";
        servers.put("load-it", key, csv(3, "odd-key"));

        JsonNode report = load("load-it", key);

        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("key").asText()).isEqualTo(key);
        assertThat(report.get("indexed").asLong()).isEqualTo(3);
        assertThat(servers.count("version:\"odd-key\"")).isEqualTo(3);
    }

    /**
     * S3 keys may be 1,024 bytes long, but the report's name adds REPORTS_PREFIX and ".json" to the key: over 1,024
     * bytes, S3 (and the embedded s3proxy, which enforces S3's limit) refuses it, so every attempt failed at its end
     * and the file's outcome was never recorded. Such names are shortened (OutputKeys); the content names the key.
     */
    @Test
    void aKeyOf1020BytesIsLoadedAndItsReportAndRejectsAreFoundUnderShortenedNames() {
        String key = longKey("raw/" + servers.prefix + "/é-", 1020);
        String v1 = "ts,Src IP,Dst IP,Dst Port,version\n" + MAY_9 + ",10.0.0.1,8.8.8.8,53,one\n"
                + (MAY_9 + 1) + ",not-an-ip,8.8.8.8,53,one\n" + (MAY_9 + 2) + ",10.0.0.3,8.8.8.8,53,one\n"
                + (MAY_9 + 86_400) + ",10.0.0.4,8.8.8.8,53,one\n";
        servers.put("load-it", key, v1.getBytes(StandardCharsets.UTF_8));

        JsonNode report = load("load-it", key);

        String reportKey = OutputKeys.report("reports/", key);
        String rejectsKey = OutputKeys.rejects("rejects/", key);
        assertThat(reportKey.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        assertThat(reportKey).startsWith("reports/raw/" + servers.prefix + "/é-").endsWith(".json");
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("key").asText()).as("the report names the full key").isEqualTo(key);
        assertThat(report.get("indexed").asLong()).isEqualTo(3);
        assertThat(report.get("rejected").asLong()).isEqualTo(1);
        assertThat(report.get("rejectsObject").asText()).isEqualTo("s3://load-it/" + rejectsKey);
        assertThat(servers.text("load-it", rejectsKey)).contains("\"source\":\"s3://load-it/" + key + "\"")
                .contains("not-an-ip");
        // the document ids hash the key, and sourceFile (keyword, no ignore_above) holds all of it
        assertThat(servers.count("sourceFile:\"" + key + "\"")).isEqualTo(3);

        // a new version of the object: the cleanup finds the old one's documents by the same 1,020-byte term
        servers.put("load-it", key, ("ts,Src IP,Dst IP,Dst Port,version\n" + MAY_9 + ",10.0.0.1,8.8.8.8,53,two\n")
                .getBytes(StandardCharsets.UTF_8));
        JsonNode second = load("load-it", key);

        assertThat(second.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.get("staleRemoved").asLong()).isEqualTo(2);
        assertThat(servers.count("sourceFile:\"" + key + "\"")).isEqualTo(1);
        assertThat(servers.exists("load-it", rejectsKey)).as("no rejects any more").isFalse();
    }

    /** {@code start} padded to exactly {@code bytes} UTF-8 bytes, in segments a file system takes (s3proxy's). */
    private static String longKey(String start, int bytes) {
        StringBuilder key = new StringBuilder(start);
        int segment = 0;
        while (key.toString().getBytes(StandardCharsets.UTF_8).length < bytes - ".csv".length()) {
            key.append(++segment % 150 == 0 ? '/' : 'k');
        }
        return key.append(".csv").toString();
    }

    /**
     * LOAD.md caps CSV records at 16000 fields (MAX_FIELDS) "below FastCSV's own 16384", which suggests rows up to
     * that width load; the daily indices keep OpenSearch's default index.mapping.total_fields.limit (1000), so every
     * row of a CSV with more than ~990 columns is refused by OpenSearch (rejected, none indexed). The same limit is
     * shared by every file of a day: NDJSON flattening of many event types can reach it too.
     */
    @Test
    void rowsWiderThanTheDailyIndexFieldLimitAreRejectedWithTheReason() throws Exception {
        String key = "raw/" + servers.prefix + "/wide.csv";
        int columns = 1_200;
        StringBuilder sb = new StringBuilder("ts");
        for (int c = 1; c < columns; c++) {
            sb.append(",c").append(c);
        }
        sb.append('\n');
        for (int r = 0; r < 3; r++) {
            sb.append(MAY_9 + r);
            for (int c = 1; c < columns; c++) {
                sb.append(',').append(c);
            }
            sb.append('\n');
        }
        servers.put("load-it", key, sb.toString().getBytes(StandardCharsets.UTF_8));

        JsonNode report = load("load-it", key);

        // a daily index takes OpenSearch's default of 1,000 fields (docs/LOAD.md): such rows are rejected, not lost;
        // with not one row indexed the file fails (and would not replace an earlier version's documents)
        assertThat(report.get("status").asText()).isEqualTo("FAILED");
        assertThat(report.get("error").asText()).startsWith("no row indexed, all 3 rejected (first: line ")
                .contains("Limit of total fields [1000]");
        assertThat(report.get("indexed").asLong()).isZero();
        assertThat(report.get("rejected").asLong()).isEqualTo(3);
        assertThat(servers.text("load-it", OutputKeys.rejects("rejects/", key))).contains("Limit of total fields [1000]");
    }
}
