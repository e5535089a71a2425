package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Deep paging past OpenSearch's 10,000-hit window, through JSON pages and through exports. */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiPagingIT {

    private static final int DOCS = 10_500;

    private final ObjectMapper json = new ObjectMapper();
    private ApiHandler handler;

    @BeforeAll
    void indexManyDocumentsWithFewDistinctTimestamps(OpenSearchEndpoint openSearch) throws Exception {
        SearchIndexFixture fixture = new SearchIndexFixture(openSearch.uri(),
                "apiit-paging-" + UUID.randomUUID().toString().substring(0, 8));
        long[] timestamps = {Instant.parse("2018-05-09T10:00:00Z").toEpochMilli(),
            Instant.parse("2018-05-09T23:59:59.999Z").toEpochMilli(), Instant.parse("2018-05-10T00:00:00Z").toEpochMilli()};
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        for (int i = 0; i < DOCS; i++) {
            docs.put("doc-" + i, Map.of("timestamp", timestamps[i % 3], "srcIp", "10.0." + (i % 256) + ".1",
                    "dstPort", i % 1024, "host", "host" + (i % 7) + ".example", "bytesOut", (long) (i % 5)));
        }
        fixture.index(docs);
        handler = new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(),
                "INDEX_PREFIX", fixture.prefix));
    }

    private APIGatewayProxyResponseEvent call(Map<String, String> params) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(params);
        return handler.handleRequest(event, null);
    }

    @Test
    void pagingThroughMoreThan10000HitsReturnsEachDocumentExactlyOnce() throws Exception {
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, String> params = new LinkedHashMap<>(Map.of("q", "host:host*", "size", "1000"));
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            APIGatewayProxyResponseEvent r = call(params);
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
            JsonNode body = json.readTree(r.getBody());
            if (pages == 0) {
                assertThat(body.at("/total/value").asLong()).isEqualTo(10_000);
                assertThat(body.at("/total/relation").asText()).isEqualTo("gte");
            }
            for (JsonNode hit : body.path("hits")) {
                assertThat(seen.add(hit.path("id").asText())).as("repeated %s", hit.path("id").asText()).isTrue();
            }
            cursor = body.path("next").isNull() ? null : body.path("next").asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(DOCS);
        assertThat(pages).isEqualTo(11);
    }

    @Test
    void pagingBySecondarySortKeysAlsoCoversEverything() throws Exception {
        Set<String> seen = new HashSet<>();
        String cursor = null;
        do {
            Map<String, String> params = new LinkedHashMap<>(Map.of("sort", "bytesOut:desc,srcIp:asc", "size", "1000",
                    "fields", "bytesOut"));
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            JsonNode body = json.readTree(call(params).getBody());
            body.path("hits").forEach(h -> assertThat(seen.add(h.path("id").asText())).isTrue());
            cursor = body.path("next").isNull() ? null : body.path("next").asText();
        } while (cursor != null);
        assertThat(seen).hasSize(DOCS);
    }

    @Test
    void exportsPageThroughTheEngineAndContinueWithTheCursorHeader() throws Exception {
        APIGatewayProxyResponseEvent first = call(Map.of("format", "ndjson", "size", "6000"));
        assertThat(first.getStatusCode()).isEqualTo(200);
        String[] lines = first.getBody().split("\n");
        assertThat(lines).hasSize(6000);
        Set<String> seen = new HashSet<>();
        for (String line : lines) {
            assertThat(seen.add(json.readTree(line).path("id").asText())).isTrue();
        }
        String next = first.getHeaders().get("X-Next-Cursor");
        assertThat(next).isNotNull();

        APIGatewayProxyResponseEvent rest = call(Map.of("format", "csv", "size", "6000", "cursor", next,
                "fields", "timestamp,host"));
        String[] rows = rest.getBody().split("\r\n");
        assertThat(rows[0]).isEqualTo("id,index,timestamp,host");
        assertThat(rows).hasSize(1 + DOCS - 6000);
        for (int i = 1; i < rows.length; i++) {
            assertThat(seen.add(rows[i].substring(0, rows[i].indexOf(',')))).isTrue();
        }
        assertThat(seen).hasSize(DOCS);
        assertThat(rest.getHeaders()).doesNotContainKey("X-Next-Cursor");
    }

    @Test
    void aCursorUsedWithAnotherQueryIsRefused() throws Exception {
        String next = json.readTree(call(Map.of("size", "10")).getBody()).path("next").asText();
        APIGatewayProxyResponseEvent r = call(Map.of("size", "10", "cursor", next, "q", "host:host1.example"));
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(json.readTree(r.getBody()).path("error").asText()).isEqualTo("invalid_cursor");
    }
}
