package dev.netmeta.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.api.ApiFactory;
import dev.netmeta.api.ApiHandler;
import dev.netmeta.deploy.OpenSearchGrants.Sent;
import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.JvmTrustStore;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.RecordingHttpsProxy;
import dev.netmeta.local.testing.RecordingHttpsProxy.Recorded;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.model.IndexTemplate;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least privilege for the api's OpenSearch access, measured instead of assumed (as LoadOpenSearchRequestsIT does for
 * the load): every api feature — a plain search, paging with a cursor, CSV and NDJSON exports over several batches,
 * {@code fields}, {@code from}/{@code to}, a sort by an extra column ({@code _field_caps}), a sort by a field no
 * index has, a query OpenSearch rejects, a query on an extra column and one on a field no index has (both checked
 * with {@code _field_caps}), the lookup of every field name that suggests the spelling meant ({@code _field_caps}
 * for {@code fields=*}, on the error path), and the SnapStart priming search — runs through the real handler with
 * {@code OPENSEARCH_AUTH=sigv4}, as in AWS, against a recording proxy in front of the embedded OpenSearch. Each
 * recorded request (method + path; the query string is not part of the IAM resource) must then be allowed by the
 * api's statements in the packaged CloudFormation template (OpenSearchGrants) — ApiRole's identity policy for both the created and the
 * existing domain, and the created domain's access policy — while requests the api never makes (writes, cluster
 * settings, other indices) must be allowed by neither.
 *
 * <p>The manifest is packaged with {@code --param=indexPrefix=<this test's prefix>}, so the resources are checked as
 * rendered for the prefix actually searched, not for a hard-coded {@code metadata}.
 */
@ExtendWith(TestServers.class)
class ApiOpenSearchRequestsIT {

    private static final int DOCS = 1_500; // an export of all of them takes two 1,000-hit batches

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyRequestOfEveryApiFeatureIsAllowedAndNothingElseIs(OpenSearchEndpoint openSearch, @TempDir Path dir)
            throws Exception {
        String prefix = "apireq-" + UUID.randomUUID().toString().substring(0, 8);
        index(openSearch.uri(), prefix);

        SelfSignedCertificate certificate = SelfSignedCertificate.generate(dir);
        Set<Sent> sent = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
        List<String> rawPaths = new ArrayList<>();
        try (RecordingHttpsProxy proxy = new RecordingHttpsProxy(certificate, openSearch.uri())) {
            Map<String, String> env = new HashMap<>();
            env.put("OPENSEARCH_URL", proxy.uri().toString());
            env.put("OPENSEARCH_AUTH", "sigv4");
            env.put("OPENSEARCH_SIGV4_SERVICE", "es");
            env.put("AWS_REGION", "us-east-1");
            env.put("AWS_ACCESS_KEY_ID", "ASIAQNETMETAROLEKEY1");
            env.put("AWS_SECRET_ACCESS_KEY", "secret");
            env.put("AWS_SESSION_TOKEN", "token");
            env.put("INDEX_PREFIX", prefix);
            ApiFactory.Wiring wiring = JvmTrustStore.whileBuilding(certificate, () -> ApiFactory.wire(env));
            assertThat(proxy.requests()).as("building the handler sends nothing").isEmpty();

            // SnapStart: what beforeCheckpoint runs when Lambda publishes a version
            assertThat(wiring.priming().prime()).as("the priming search reached the engine").isTrue();
            ApiHandler handler = new ApiHandler(wiring);

            JsonNode page1 = json.readTree(ok(handler, Map.of("q", "host:h1*", "size", "5")).getBody());
            String next = page1.path("next").asText();
            assertThat(next).as("a first page with a cursor").isNotEmpty();
            ok(handler, Map.of("q", "host:h1*", "size", "5", "cursor", next));
            ok(handler, Map.of("q", "*", "from", "2018-05-09T00:00:00Z", "to", "2018-05-10T00:00:00Z",
                    "fields", "src*,host"));
            assertThat(ok(handler, Map.of("format", "csv", "size", String.valueOf(DOCS))).getBody().lines())
                    .hasSize(DOCS + 1);
            assertThat(ok(handler, Map.of("format", "ndjson", "size", String.valueOf(DOCS))).getBody().lines())
                    .hasSize(DOCS);
            ok(handler, Map.of("sort", "ttl:desc", "size", "3"));
            assertThat(handler.handleRequest(event(Map.of("sort", "nosuchfield")), null).getStatusCode())
                    .as("a sort by a field no index has: 400 after _field_caps").isEqualTo(400);
            assertThat(handler.handleRequest(event(Map.of("q", "srcIp:not-an-ip")), null).getStatusCode())
                    .as("a query OpenSearch rejects").isEqualTo(400);
            ok(handler, Map.of("q", "ttl:>1", "size", "3")); // a field outside the contract: checked with _field_caps
            assertThat(handler.handleRequest(event(Map.of("q", "srcip:10.0.0.1")), null).getStatusCode())
                    .as("a field no index has: 400 unknown_field after _field_caps").isEqualTo(400);
            // unknown names whose suggestion needs every field name: _field_caps?fields=* on the error path
            assertThat(handler.handleRequest(event(Map.of("q", "Ttl_s:>1")), null).getStatusCode())
                    .as("a field no index has, nothing like it among the names asked").isEqualTo(400);
            assertThat(handler.handleRequest(event(Map.of("sort", "T tl")), null).getStatusCode())
                    .as("a sort key that is no field name").isEqualTo(400);
            assertThat(proxy.requests()).as("every field name was asked for")
                    .anySatisfy(r -> assertThat(r.rawQuery()).contains("fields=%2A"));

            for (Recorded request : proxy.requests()) {
                rawPaths.add(request.rawPath());
                sent.add(Sent.recorded(request.method(), request.rawPath()));
            }
        }
        System.out.println("api → OpenSearch requests (method, decoded path): " + sent);

        assertThat(sent).as("the api's requests: method and path, whatever the feature")
                .containsExactlyInAnyOrder(new Sent("POST", "/" + prefix + "/_search"),
                        new Sent("GET", "/" + prefix + "/_field_caps"));
        assertThat(rawPaths).as("the prefix needs no percent-encoding: the raw path is the one IAM is given")
                .allSatisfy(p -> assertThat(p).isEqualTo(OpenSearchGrants.percentDecode(p)));

        String daily = prefix + "-2026.11.27";
        List<Sent> neverSent = List.of(
                new Sent("POST", "/_bulk"),
                new Sent("POST", "/" + prefix + "/_delete_by_query"),
                new Sent("PUT", "/" + prefix),
                new Sent("POST", "/" + prefix + "/_close"),
                new Sent("GET", "/_cluster/settings"),
                new Sent("PUT", "/" + daily),
                new Sent("DELETE", "/" + daily),
                new Sent("POST", "/" + daily + "/_doc"),
                new Sent("POST", "/" + prefix + "/_update_by_query"),
                new Sent("PUT", "/_index_template/" + IndexTemplate.name(prefix)),
                new Sent("GET", "/" + prefix + "/_doc/some-id"),
                new Sent("GET", "/" + prefix + "/_mapping"),
                new Sent("POST", "/_search"),                        // every index of the domain
                new Sent("POST", "/_msearch"),
                new Sent("POST", "/other-stage/_search"),
                new Sent("POST", "/" + prefix + "-other/_search"),  // a stage whose prefix starts with this one
                new Sent("GET", "/_cat/indices"));
        assertThat(OpenSearchGrants.packagedWithIndexPrefix(prefix).problems("ApiRole", sent, neverSent))
                .as("every request the api sends is allowed (role for a created and an existing domain, the created "
                        + "domain's access policy), no request it never sends is").isEmpty();
    }

    private APIGatewayProxyResponseEvent ok(ApiHandler handler, Map<String, String> parameters) {
        APIGatewayProxyResponseEvent response = handler.handleRequest(event(parameters), null);
        assertThat(response.getStatusCode()).as("%s: %s", parameters, response.getBody()).isEqualTo(200);
        return response;
    }

    private static APIGatewayProxyRequestEvent event(Map<String, String> parameters) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(parameters);
        event.setMultiValueQueryStringParameters(null);
        return event;
    }

    /** The load's way in: index template, then daily indices of the prefix (one extra column, ttl), refreshed. */
    private void index(URI openSearch, String prefix) throws Exception {
        send(openSearch, "PUT", "/_index_template/" + IndexTemplate.name(prefix), IndexTemplate.json(prefix),
                "application/json");
        StringBuilder bulk = new StringBuilder();
        long start = java.time.Instant.parse("2018-05-09T10:00:00Z").toEpochMilli();
        for (int i = 0; i < DOCS; i++) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("timestamp", start + i * 1000L);
            doc.put("srcIp", "127.0.0.1");
            doc.put("dstIp", "10.0.0.1");
            doc.put("srcPort", 50000);
            doc.put("dstPort", 53);
            doc.put("proto", "udp");
            doc.put("host", "h" + i);
            doc.put("ttl", (long) i);
            doc.put("sourceFile", "fixture/" + prefix + ".csv");
            doc.put("sourceRecord", (long) i);
            bulk.append(json.writeValueAsString(Map.of("index", Map.of("_index", prefix + "-2018.05.09",
                    "_id", "d" + i)))).append('\n').append(json.writeValueAsString(doc)).append('\n');
        }
        JsonNode answer = json.readTree(send(openSearch, "POST", "/_bulk", bulk.toString(), "application/x-ndjson"));
        assertThat(answer.path("errors").asBoolean()).as("bulk").isFalse();
        send(openSearch, "POST", "/" + prefix + "-*/_refresh", "", "application/json");
    }

    private String send(URI openSearch, String method, String path, String body, String contentType)
            throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(openSearch.resolve(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", contentType)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s: %s", method, path, r.body()).isLessThan(300);
        return r.body();
    }
}
