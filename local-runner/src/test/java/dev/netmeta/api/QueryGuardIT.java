package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.doc;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The leading-wildcard guard ({@code allow_leading_wildcard: false}: "host:*oogle.com is a 400 — it would scan every
 * term of the field") also holds for regular expressions with the same meaning: a Lucene regexp that does not start
 * with a literal enumerates every term of the field ({@code max_determinized_states} bounds the automaton, not the
 * term scan), and on {@code _id} (one term per document) it would be the most expensive term query there is. A
 * regular expression with a literal start still works against the real engine.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryGuardIT {

    private final ObjectMapper json = new ObjectMapper();
    private ApiHandler handler;

    @BeforeAll
    void indexDocuments(OpenSearchEndpoint openSearch) throws Exception {
        SearchIndexFixture fixture = new SearchIndexFixture(openSearch.uri(),
                "guard-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        docs.put("g1", doc("2018-05-09T10:00:00Z", "127.0.0.1", "142.250.1.1", 443, "google.com"));
        docs.put("g2", doc("2018-05-09T11:00:00Z", "127.0.0.1", "142.250.1.1", 443, "mail.google.com"));
        fixture.index(docs);
        Map<String, String> env = new HashMap<>();
        env.put("OPENSEARCH_URL", openSearch.uri().toString());
        env.put("INDEX_PREFIX", fixture.prefix);
        handler = new ApiHandler(env);
    }

    private APIGatewayProxyResponseEvent call(String q) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(Map.of("q", q));
        event.setMultiValueQueryStringParameters(null);
        return handler.handleRequest(event, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:*oogle.com", "host:/.*oogle\\.com/", "host:/.+/", "host:/[a-z]*oogle.com/",
            "_id:/.*1/", "google.com OR host:/(.*)oogle.com/", "host:(zzz/.*oogle\\.com/)", "host:(zzz||/.*oogle\\.com/)",
            "_id:(/1.*/)", "host:[a\" TO b] OR host:/.*oogle\\.com/ OR host:\"x\"", "host:/a\\\\/.*x/ OR _id:/1.*/",
            "\\_id:/1.*/", "_id :/1.*/", "host:/a|.*oogle\\.com/", "host:/g?.*oogle\\.com/", "host:/\\w+\\.google\\.com/",
            "\\u005fid:/1.*/"})
    void aTermThatScansEveryTermOfTheFieldIsRefusedWhateverItsSyntax(String q) throws Exception {
        APIGatewayProxyResponseEvent r = call(q);
        assertThat(r.getStatusCode()).as(q + " -> " + r.getBody()).isEqualTo(400);
        assertThat(json.readTree(r.getBody()).path("error").asText()).isEqualTo("bad_query");
    }

    @Test
    void aSlashOrAQuoteInARangeBoundStartsNothing() throws Exception {
        APIGatewayProxyResponseEvent r = call("host:[mail.google.com/.x TO mail.google.com/.y] OR host:[\"a TO b]");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
    }

    @Test
    void aRegularExpressionWithALiteralStartFindsItsHits() throws Exception {
        APIGatewayProxyResponseEvent r = call("host:/mail\\.goo.*/");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(json.readTree(r.getBody()).at("/total/value").asInt()).isEqualTo(1);
    }

    @Test
    void aFuzzyTermKeepsItsFirstCharacter() throws Exception {
        APIGatewayProxyResponseEvent typo = call("host:gogle.com~");
        assertThat(typo.getStatusCode()).as(typo.getBody()).isEqualTo(200);
        assertThat(json.readTree(typo.getBody()).at("/total/value").asInt()).as("google.com, one edit away").isEqualTo(1);
        APIGatewayProxyResponseEvent first = call("host:oogle.com~");
        assertThat(first.getStatusCode()).as(first.getBody()).isEqualTo(200);
        assertThat(json.readTree(first.getBody()).at("/total/value").asInt())
                .as("one edit away too, but at the first character: fuzzy_prefix_length 1").isZero();
    }
}
