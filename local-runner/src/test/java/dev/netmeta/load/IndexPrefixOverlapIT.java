package dev.netmeta.load;

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
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Deployments sharing one OpenSearch cluster whose index prefixes start one another ({@code <p>},
 * {@code <p>-staging}, {@code <p>-2}), loading the same key of one bucket. The pattern {@code <p>-*} matched the
 * others' daily indices: OpenSearch refused the second template of equal priority (that deployment's loads failed),
 * and the api's search and the cleanup of other versions of {@code <p>} reached the others' documents. Now each
 * deployment's daily indices carry its own alias only, which its api and cleanup address.
 */
@ExtendWith(TestServers.class)
class IndexPrefixOverlapIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAY_9 = 1_525_876_221L;

    private static byte[] csv(int rows, String tag) {
        StringBuilder sb = new StringBuilder("ts,Src IP,Dst IP,Dst Port,version\n");
        for (int i = 0; i < rows; i++) {
            sb.append(MAY_9 + i * 3_600L).append(",10.0.0.").append(i + 1).append(",8.8.8.8,53,").append(tag)
                    .append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void deploymentsWhosePrefixesStartOneAnotherKeepToTheirOwnIndices(S3Endpoint s3, OpenSearchEndpoint openSearch)
            throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String prod = servers.prefix;
        Map<String, Integer> rows = new LinkedHashMap<>();
        rows.put(prod + "-staging", 5); // the longer prefixes load first: their templates are installed first
        rows.put(prod + "-2", 4);
        rows.put(prod, 3);              // then the one whose <prefix>-* matched all indices, cleanup included
        String key = "raw/" + servers.prefix + "/shared.csv";

        for (Map.Entry<String, Integer> deployment : rows.entrySet()) {
            // a new version of the object for each deployment: the cleanup of each removes "other versions"
            servers.put("load-it", key, csv(deployment.getValue(), deployment.getKey()));
            Map<String, String> env = new LinkedHashMap<>(servers.env());
            env.put("INDEX_PREFIX", deployment.getKey());
            new LoadHandler(env).handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime());
            JsonNode report = servers.report("load-it", key);
            assertThat(report.get("status").asText()).as(deployment.getKey()).isEqualTo("SUCCEEDED");
            assertThat(report.get("indexed").asLong()).isEqualTo(deployment.getValue().longValue());
            assertThat(report.get("staleRemoved").asLong()).as(deployment.getKey() + " removed others' documents")
                    .isZero();
        }

        for (Map.Entry<String, Integer> deployment : rows.entrySet()) {
            String prefix = deployment.getKey();
            JsonNode found = search(openSearch, prefix);
            assertThat(found.at("/total/value").asLong()).as(prefix + " searched by its api")
                    .isEqualTo(deployment.getValue().longValue());
            for (JsonNode hit : found.get("hits")) {
                assertThat(hit.get("index").asText()).as(prefix).startsWith(prefix + "-2018.05.");
                assertThat(hit.at("/fields/version").asText()).isEqualTo(prefix);
            }
            String daily = IndexNames.daily(prefix, MAY_9 * 1000);
            assertThat(servers.openSearch.indices().getAlias(a -> a.index(daily)).result().get(daily).aliases())
                    .as("aliases of " + daily).containsOnlyKeys(IndexNames.alias(prefix));
        }
    }

    /** All documents the api of the deployment with this prefix finds (no q: every document). */
    private static JsonNode search(OpenSearchEndpoint openSearch, String prefix) throws Exception {
        ApiHandler api = new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(), "INDEX_PREFIX", prefix));
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(Map.of("size", "100"));
        APIGatewayProxyResponseEvent response = api.handleRequest(event, null);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return JSON.readTree(response.getBody());
    }
}
