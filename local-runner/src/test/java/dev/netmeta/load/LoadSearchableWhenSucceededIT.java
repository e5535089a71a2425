package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.api.ApiHandler;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.model.IndexNames;
import dev.netmeta.model.IndexTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A file's documents are searchable by the time its report says SUCCEEDED: the load's {@code POST <prefix>/_refresh}
 * after the indexing (docs/LOAD.md, the cleanup's step 1) makes them so, and the local runner's {@code samples loaded}
 * line (docs/LOCAL.md) counts on it. The daily indices are created beforehand with {@code refresh_interval: -1}, so
 * OpenSearch's own periodic refresh (every second by default) cannot make the search find them by chance: without
 * that request, or with it sent before the indexing, the search right after the handler returns finds nothing.
 */
@ExtendWith(TestServers.class)
class LoadSearchableWhenSucceededIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "load-searchable-it";
    private static final long MAY_9 = 1_525_876_221L; // 2018-05-09T14:30:21Z
    private static final int ROWS_PER_DAY = 150;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyRowIsFoundRightAfterTheHandlerReturnsThoughTheIndicesNeverRefreshByThemselves(S3Endpoint s3,
            OpenSearchEndpoint openSearch) throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String prefix = servers.prefix;
        // the template as the load installs it (same body: its own PUT changes nothing), so the indices created
        // here get the alias and the mappings a load's first document would give them
        send(openSearch, "PUT", "/_index_template/" + IndexTemplate.name(prefix), IndexTemplate.json(prefix));
        List<String> days = List.of(IndexNames.daily(prefix, MAY_9 * 1000),
                IndexNames.daily(prefix, (MAY_9 + 86_400) * 1000));
        for (String index : days) {
            send(openSearch, "PUT", "/" + index, "{\"settings\":{\"index\":{\"refresh_interval\":\"-1\"}}}");
        }
        StringBuilder csv = new StringBuilder("ts,Src IP,Dst IP,Dst Port,host\n");
        for (int i = 0; i < 2 * ROWS_PER_DAY; i++) {
            long ts = MAY_9 + (i < ROWS_PER_DAY ? 0 : 86_400) + i;
            csv.append(ts).append(",10.0.").append(i / 250).append('.').append(i % 250).append(",8.8.8.8,53,")
                    .append(i % 3 == 0 ? "google.com" : "example.org").append('\n');
        }
        String key = "raw/" + prefix + "/two-days.csv.gz";
        servers.put(BUCKET, key, gzip(csv.toString()));

        String summary = new LoadHandler(servers.env()).handleRequest(LoadFixtures.event(BUCKET, key),
                TestLambdaContext.plentyOfTime());

        assertThat(summary).isEqualTo("s3://" + BUCKET + "/" + key + " SUCCEEDED 300 indexed, 0 rejected, 0 skipped");
        JsonNode report = servers.report(BUCKET, key);
        assertThat(report.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.path("indexed").asLong()).isEqualTo(2 * ROWS_PER_DAY);
        // searched at once through the api, as a user would after reading the report
        assertThat(search(openSearch, prefix, null).at("/total/value").asLong()).as("every row, both days")
                .isEqualTo(2 * ROWS_PER_DAY);
        assertThat(search(openSearch, prefix, "host:google.com").at("/total/value").asLong()).isEqualTo(100);
        assertThat(search(openSearch, prefix, "timestamp:>=2018-05-10").at("/total/value").asLong())
                .isEqualTo(ROWS_PER_DAY);
        for (String index : days) {
            JsonNode settings = JSON.readTree(send(openSearch, "GET", "/" + index + "/_settings", ""));
            assertThat(settings.at("/" + index + "/settings/index/refresh_interval").asText())
                    .as("%s still refreshes only when asked", index).isEqualTo("-1");
        }
    }

    /** The api's answer for {@code q} (no q: every document). */
    private static JsonNode search(OpenSearchEndpoint openSearch, String prefix, String q) throws Exception {
        ApiHandler api = new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(), "INDEX_PREFIX", prefix));
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(q == null ? Map.of("size", "1") : Map.of("q", q, "size", "1"));
        APIGatewayProxyResponseEvent response = api.handleRequest(event, null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return JSON.readTree(response.getBody());
    }

    private String send(OpenSearchEndpoint openSearch, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(openSearch.uri() + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, path, response.body()).isBetween(200, 299);
        return response.body();
    }
}
