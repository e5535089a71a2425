package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.doc;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code q=*} is every document, as in Kibana (docs/API.md, "`*` alone is every document"), against the embedded
 * OpenSearch: a flow without {@code host} (CICFlowMeter's) used to be left out, since a term without a field searches
 * {@code host} and {@code *} there means "has a host". {@code host:*} keeps that meaning.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiMatchAllStarIT {

    private final ObjectMapper json = new ObjectMapper();
    private ApiHandler handler;

    @BeforeAll
    void indexDocuments(OpenSearchEndpoint openSearch) throws Exception {
        SearchIndexFixture fixture = new SearchIndexFixture(openSearch.uri(),
                "star-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        docs.put("dns-1", doc("2018-05-09T10:00:00Z", "10.0.0.1", "10.0.0.53", 53, "a.example"));
        docs.put("web-1", doc("2018-05-09T10:01:00Z", "10.0.0.2", "93.184.216.34", 443, "example.com"));
        docs.put("web-2", doc("2018-05-10T10:00:00Z", "10.0.0.3", "93.184.216.34", 80, "example.com"));
        docs.put("flow-tcp", flow("2018-05-09T10:02:00Z", "tcp"));
        docs.put("flow-udp", flow("2018-05-10T10:01:00Z", "udp"));
        fixture.index(docs);
        handler = new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(), "INDEX_PREFIX", fixture.prefix));
    }

    /** A CICFlowMeter flow as the loader writes it: no host, an extra column. */
    private static Map<String, Object> flow(String timestamp, String proto) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("timestamp", Instant.parse(timestamp).toEpochMilli());
        d.put("srcIp", "192.168.0.9");
        d.put("dstIp", "10.0.0.53");
        d.put("srcPort", 40000);
        d.put("dstPort", 53);
        d.put("proto", proto);
        d.put("Flow_Duration", 5000);
        return d;
    }

    private JsonNode search(String q) throws Exception {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(Map.of("q", q));
        event.setMultiValueQueryStringParameters(null);
        APIGatewayProxyResponseEvent r = handler.handleRequest(event, null);
        assertThat(r.getStatusCode()).as(q + ": " + r.getBody()).isEqualTo(200);
        return json.readTree(r.getBody());
    }

    private long total(String q) throws Exception {
        return search(q).at("/total/value").asLong();
    }

    @Test
    void aStarAloneFindsEveryDocumentAlsoThoseWithoutAHost() throws Exception {
        assertThat(total("*:*")).isEqualTo(5);
        assertThat(total("*")).isEqualTo(5);
        assertThat(total(" * ")).isEqualTo(5);
        assertThat(total("* AND proto:udp")).isEqualTo(1);
        // Lucene's NOT excludes from the rest: every document but example.com's, the flows among them (1 before:
        // dns-1, the only other document with a host)
        assertThat(SearchIndexFixture.ids(search("NOT host:example.com OR *")))
                .containsExactlyInAnyOrder("dns-1", "flow-tcp", "flow-udp");
        assertThat(total("(*) AND NOT _exists_:host")).isEqualTo(2);
        assertThat(total("srcIp:10.0.0.0/8 AND *")).isEqualTo(3);
    }

    @Test
    void aStarWithAFieldStillMeansTheDocumentsThatHaveTheField() throws Exception {
        assertThat(total("host:*")).isEqualTo(3);
        assertThat(total("host:(* OR zzz)")).isEqualTo(3);
        assertThat(total("Flow_Duration:*")).isEqualTo(2);
        assertThat(total("host:exa*")).isEqualTo(2);
        assertThat(total("dstPort:[* TO 100]")).isEqualTo(4);
    }
}
