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
            // four files: neither sourceFile nor sourceRecord alone tells documents apart, only the pair does
            docs.put("doc-" + i, Map.of("timestamp", timestamps[i % 3], "srcIp", "10.0." + (i % 256) + ".1",
                    "dstPort", i % 1024, "host", "host" + (i % 7) + ".example", "bytesOut", (long) (i % 5),
                    "sourceFile", "raw/2018-05-09/part-" + (i % 4) + ".csv.gz", "sourceRecord", (long) (i / 4)));
        }
        fixture.index(docs);
        handler = new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(),
                "INDEX_PREFIX", fixture.prefix));
    }

    private APIGatewayProxyResponseEvent call(Map<String, String> params) {
        return call(handler, params);
    }

    private static APIGatewayProxyResponseEvent call(ApiHandler handler, Map<String, String> params) {
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

    /**
     * How many: q=* answered "total": {"value": 10000, "relation": "gte"} and size=0 was a 400, so a count meant paging
     * through everything. size=0 is the count alone, exact beyond 10,000; in CSV or NDJSON (pure data) a 400.
     */
    @Test
    void sizeZeroCountsEveryMatchExactlyWithoutHits() throws Exception {
        JsonNode count = json.readTree(call(Map.of("q", "*", "size", "0")).getBody());
        assertThat(count.at("/total/value").asLong()).isEqualTo(DOCS);
        assertThat(count.at("/total/relation").asText()).isEqualTo("eq");
        assertThat(count.path("hits")).isEmpty();
        assertThat(count.path("next").isNull()).isTrue();
        // a query and a time range count too: a third of the documents are of 2018-05-10
        JsonNode day = json.readTree(call(Map.of("q", "host:host*", "from", "2018-05-10", "size", "0")).getBody());
        assertThat(day.at("/total/value").asLong()).isEqualTo(DOCS / 3);
        assertThat(day.at("/total/relation").asText()).isEqualTo("eq");
        APIGatewayProxyResponseEvent csv = call(Map.of("size", "0", "format", "csv"));
        assertThat(csv.getStatusCode()).isEqualTo(400);
        assertThat(json.readTree(csv.getBody()).path("message").asText()).contains("answered in JSON");
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
        assertThat(rows[0]).isEqualTo("_id,_index,timestamp,host");
        assertThat(rows).hasSize(1 + DOCS - 6000);
        for (int i = 1; i < rows.length; i++) {
            assertThat(seen.add(rows[i].substring(0, rows[i].indexOf(',')))).isTrue();
        }
        assertThat(seen).hasSize(DOCS);
        assertThat(rest.getHeaders()).doesNotContainKey("X-Next-Cursor");
    }

    @Test
    void documentsWithoutProvenanceFromBeforeTheUpgradeArePagedToo(OpenSearchEndpoint openSearch) throws Exception {
        // a deployment upgraded in place: a daily index created before the provenance mapping existed, documents
        // without the fields in it, then the new template and loader (and one old document in a new index)
        SearchIndexFixture fixture = SearchIndexFixture.withoutTemplate(openSearch.uri(),
                "apiit-upgraded-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> old = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            old.put("old-" + i, SearchIndexFixture.doc("2018-05-08T10:0" + i + ":00Z", "10.0.0." + i, "8.8.8.8", 53,
                    "old.example"));
        }
        fixture.indexWithoutProvenance(old);
        fixture.installTemplate();
        Map<String, Map<String, Object>> loaded = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            loaded.put("new-" + i, SearchIndexFixture.doc(i < 3 ? "2018-05-09T10:00:00Z" : "2018-05-09T11:00:00Z",
                    "10.0.1." + i, "8.8.8.8", 53, "new.example"));
        }
        fixture.index(loaded);
        fixture.indexWithoutProvenance(Map.of("old-in-new-index",
                SearchIndexFixture.doc("2018-05-09T10:30:00Z", "10.0.2.1", "8.8.8.8", 53, "old.example")));
        ApiHandler upgraded = new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(),
                "INDEX_PREFIX", fixture.prefix));

        for (String sort : new String[] {"timestamp:desc", "timestamp:asc"}) {
            java.util.List<String> order = new java.util.ArrayList<>();
            String cursor = null;
            do {
                Map<String, String> params = new LinkedHashMap<>(Map.of("size", "1", "sort", sort));
                if (cursor != null) {
                    params.put("cursor", cursor);
                }
                APIGatewayProxyResponseEvent r = call(upgraded, params);
                assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
                JsonNode body = json.readTree(r.getBody());
                body.path("hits").forEach(h -> order.add(h.path("id").asText()));
                cursor = body.path("next").isNull() ? null : body.path("next").asText();
            } while (cursor != null && order.size() < 100);
            assertThat(order).as(sort).hasSize(11).doesNotHaveDuplicates();
            if (sort.equals("timestamp:desc")) {
                assertThat(order.subList(0, 3)).as("same timestamp: by file and record")
                        .containsExactly("new-3", "new-4", "new-5");
                assertThat(order.subList(3, 11)).containsExactly("old-in-new-index", "new-0", "new-1", "new-2",
                        "old-3", "old-2", "old-1", "old-0");
            }
        }
    }

    @Test
    void aCursorOfTheOlderVersionIsRefusedWithAClearMessage() throws Exception {
        // a cursor the previous version issued (sort values timestamp, _id), checksum intact
        String v1 = "eyJ2IjoxLCJmIjoiQUFBQUFBQUFBQUFBQUFBQSIsImEiOlsxNTI1ODYwMDAwMDAwLCJhVzVpYjNndk1qQXhPQzB3TlMweE1DNWpjM1l1WjNvLTE3Il19"
                + ".gfqjL_xkIvayJesA";
        APIGatewayProxyResponseEvent r = call(Map.of("size", "10", "cursor", v1));
        assertThat(r.getStatusCode()).isEqualTo(400);
        JsonNode body = json.readTree(r.getBody());
        assertThat(body.path("error").asText()).isEqualTo("invalid_cursor");
        assertThat(body.path("message").asText()).contains("cursor from an older version");
    }

    @Test
    void aCursorUsedWithAnotherQueryIsRefused() throws Exception {
        String next = json.readTree(call(Map.of("size", "10")).getBody()).path("next").asText();
        APIGatewayProxyResponseEvent r = call(Map.of("size", "10", "cursor", next, "q", "host:host1.example"));
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(json.readTree(r.getBody()).path("error").asText()).isEqualTo("invalid_cursor");
    }
}
