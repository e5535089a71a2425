package dev.netmeta.load;

import dev.netmeta.local.testing.TestLambdaContext;
import static dev.netmeta.load.LoadFixtures.flowsCsv;
import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestServers.class)
class LoadRetryIT {

    @Test
    void documentsRefusedWith429Or503AreRetriedUntilEveryRowIsIndexedOnce(S3Endpoint s3, OpenSearchEndpoint openSearch)
            throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String key = "raw/" + servers.prefix + "/busy.csv.gz";
        servers.put("load-it", key, gzip(flowsCsv(3_000)));

        try (FlakyOpenSearchProxy proxy = new FlakyOpenSearchProxy(openSearch.uri())) {
            Map<String, String> env = servers.env();
            env.put("OPENSEARCH_URL", proxy.uri().toString());
            new LoadHandler(env).handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime());

            assertThat(proxy.rejectedRequests.get()).isPositive();
            assertThat(proxy.rejectedItems.get()).isGreaterThan(500);
        }

        assertThat(servers.count()).isEqualTo(3_000);
        assertThat(servers.count("host:google.com")).isEqualTo(300);
        JsonNode report = servers.report("load-it", key);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("indexed").asLong()).isEqualTo(3_000);
        assertThat(report.get("rejected").asLong()).isZero();
    }
}
