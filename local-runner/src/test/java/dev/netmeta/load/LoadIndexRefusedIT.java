package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A daily index that takes no document (here: a write block, as an operator or an ISM {@code read_only} action
 * sets it): OpenSearch refuses each document of that day per item with 403 {@code cluster_block_exception}. The
 * file fails retryably, nothing is written to the rejects, and the previous version's documents stay; once the
 * block is lifted, the retry loads it — through the real handler, S3 (s3proxy) and OpenSearch.
 */
@ExtendWith(TestServers.class)
class LoadIndexRefusedIT {

    private static final String BUCKET = "load-it";

    private static byte[] csv(int rows, String tag) {
        StringBuilder sb = new StringBuilder("ts,Src IP,Dst IP,Dst Port,host,version\n");
        for (int i = 0; i < rows; i++) {
            sb.append(1_525_876_221L + i).append(",10.0.0.").append(i + 1).append(",8.8.8.8,53,h").append(i)
                    .append(".example,").append(tag).append('\n');
        }
        return gzip(sb.toString());
    }

    @Test
    void aWriteBlockedDailyIndexFailsTheFileRetryablyAndKeepsThePreviousVersion(S3Endpoint s3,
                                                                              OpenSearchEndpoint openSearch)
            throws IOException {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String key = "raw/" + servers.prefix + "/blocked.csv.gz";
        String day = servers.prefix + "-2018.05.09";
        servers.put(BUCKET, key, csv(10, "one"));
        new LoadHandler(servers.env()).handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());
        assertThat(servers.count("version:one")).isEqualTo(10);

        servers.openSearch.indices().putSettings(p -> p.index(day).settings(st -> st.blocksWrite(true)));
        try {
            servers.put(BUCKET, key, csv(5, "two"));
            assertThatThrownBy(() -> new LoadHandler(servers.env())
                    .handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime()))
                    .isInstanceOf(LoadFailedException.class)
                    .hasMessageContaining("because of their index (HTTP 403)")
                    .hasMessageContaining("cluster_block_exception");

            JsonNode failed = servers.report(BUCKET, key);
            assertThat(failed.get("status").asText()).isEqualTo("FAILED");
            assertThat(failed.get("rejected").asLong()).isZero();
            assertThat(failed.get("unsettled").asLong()).isEqualTo(5);
            assertThat(failed.get("rowsRead").asLong()).isEqualTo(5);
            assertThat(failed.has("staleRemoved")).isFalse();
            assertThat(servers.exists(BUCKET, "rejects/" + key + ".ndjson")).isFalse();
            assertThat(servers.count("version:one")).as("the previous version stays").isEqualTo(10);
        } finally {
            servers.openSearch.indices().putSettings(p -> p.index(day).settings(st -> st.blocksWrite(false)));
        }

        new LoadHandler(servers.env()).handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());

        JsonNode done = servers.report(BUCKET, key);
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("staleRemoved").asLong()).isEqualTo(5);
        assertThat(servers.count()).isEqualTo(5);
        assertThat(servers.count("version:two")).isEqualTo(5);
    }
}
