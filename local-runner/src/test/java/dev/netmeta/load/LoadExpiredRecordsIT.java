package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With an index retention the load does not create again the indices the retention deletes: a file with records of
 * old and recent days loads the recent ones, counts the old ones as expired (not rejected, not a failure) and creates
 * no index for an expired day.
 */
@ExtendWith(TestServers.class)
class LoadExpiredRecordsIT {

    private static final String BUCKET = "load-expired-it";

    @Test
    void recordsPastTheRetentionAreCountedExpiredAndCreateNoIndex(S3Endpoint s3, OpenSearchEndpoint openSearch)
            throws IOException {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate old = today.minusDays(40);
        LocalDate edge = today.minusDays(30); // exactly N days old: kept
        StringBuilder csv = new StringBuilder("ts,Src IP,Dst IP,Dst Port,host\n");
        for (int i = 0; i < 5; i++) {
            csv.append(noon(old) + i).append(",10.0.0.").append(i).append(",8.8.8.8,53,old.example\n");
            csv.append(noon(edge) + i).append(",10.0.1.").append(i).append(",8.8.8.8,53,edge.example\n");
            csv.append(noon(today) - 3600 * 11 + i).append(",10.0.2.").append(i).append(",8.8.8.8,53,new.example\n");
        }
        String key = "raw/" + servers.prefix + "/mixed.csv.gz";
        servers.put(BUCKET, key, gzip(csv.toString()));
        Map<String, String> env = servers.env();
        env.put("INDEX_RETENTION_DAYS", "30");

        // the load's today is the test's, whenever a midnight (UTC) comes
        String summary = new LoadHandler(LoadFactory.create(env, NoonClock.of(today))).handleRequest(
                LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());

        assertThat(summary).isEqualTo("s3://" + BUCKET + "/" + key + " SUCCEEDED 10 indexed, 0 rejected, 0 skipped,"
                + " 5 expired (past INDEX_RETENTION_DAYS)");
        JsonNode report = servers.report(BUCKET, key);
        assertThat(report.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.path("rowsRead").asLong()).isEqualTo(15);
        assertThat(report.path("indexed").asLong()).isEqualTo(10);
        assertThat(report.path("expired").asLong()).isEqualTo(5);
        assertThat(report.path("rejected").asLong()).isZero();
        assertThat(report.has("rejectsObject")).isFalse();
        assertThat(servers.exists(BUCKET, OutputKeys.rejects("rejects/", key))).as("no rejects object").isFalse();

        assertThat(exists(servers, servers.prefix + "-" + day(old))).as("no index for the expired day").isFalse();
        assertThat(exists(servers, servers.prefix + "-" + day(edge))).isTrue();
        assertThat(exists(servers, servers.prefix + "-" + day(today))).isTrue();
        assertThat(servers.count("host:old.example")).isZero();
        assertThat(servers.count("host:edge.example")).isEqualTo(5);
        assertThat(servers.count("host:new.example")).isEqualTo(5);
    }

    private static boolean exists(LoadTestEnvironment servers, String index) throws IOException {
        return servers.openSearch.indices().exists(e -> e.index(index)).value();
    }

    private static long noon(LocalDate day) {
        return day.atTime(12, 0).toEpochSecond(ZoneOffset.UTC);
    }

    private static String day(LocalDate day) {
        return String.format("%04d.%02d.%02d", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
    }
}
