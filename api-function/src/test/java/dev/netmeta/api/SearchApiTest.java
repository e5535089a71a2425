package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchApiTest {

    private final ObjectMapper json = new ObjectMapper();
    private final InMemorySearchBackend backend = new InMemorySearchBackend();
    private final SearchApi api = ApiFactory.create(backend, json, ApiSettings.from(Map.of(
            "OPENSEARCH_URL", "http://127.0.0.1:9", "CORS_ALLOW_ORIGIN", "https://app.example")));

    private static APIGatewayProxyRequestEvent get(String... kv) {
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            params.put(kv[i], kv[i + 1]);
        }
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/metadata/search")
                .withQueryStringParameters(params)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("req-1"));
    }

    private JsonNode body(APIGatewayProxyResponseEvent r) throws Exception {
        return json.readTree(r.getBody());
    }

    private void addDocs() {
        backend.add("a", Map.of("timestamp", 1000L, "srcIp", "127.0.0.1", "host", "google.com"));
        backend.add("b", Map.of("timestamp", 2000L, "srcIp", "10.0.0.1", "host", "say \"hi\", ok",
                "tags", List.of("x", "y")));
    }

    @Test
    void fixtureEventGetsAJsonPageWithTotalHitsAndNoNextOnTheLastPage() throws Exception {
        addDocs();
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        APIGatewayProxyResponseEvent r = api.handle(event);
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getHeaders()).containsEntry("Content-Type", "application/json; charset=utf-8")
                .containsEntry("Access-Control-Allow-Origin", "https://app.example");
        JsonNode body = body(r);
        assertThat(body.at("/total/value").asLong()).isEqualTo(2);
        assertThat(body.at("/total/relation").asText()).isEqualTo("eq");
        assertThat(body.path("hits").get(0).path("id").asText()).isEqualTo("b");
        assertThat(body.path("hits").get(0).path("index").asText()).isEqualTo("metadata-test");
        assertThat(body.path("hits").get(1).at("/fields/host").asText()).isEqualTo("google.com");
        assertThat(body.path("next").isNull()).isTrue();
        assertThat(backend.queries.get(0).query()).isEqualTo("srcIp:127.0.0.1 AND host:google.com");
    }

    @Test
    void nextCursorIsInTheBodyAndInAHeader() throws Exception {
        addDocs();
        APIGatewayProxyResponseEvent r = api.handle(get("size", "1"));
        String next = body(r).path("next").asText();
        assertThat(next).isNotEmpty();
        assertThat(r.getHeaders()).containsEntry("X-Next-Cursor", next);
        APIGatewayProxyResponseEvent second = api.handle(get("size", "1", "cursor", next));
        assertThat(body(second).path("hits").get(0).path("id").asText()).isEqualTo("a");
    }

    @Test
    void ndjsonExportHasOneHitPerLine() throws Exception {
        addDocs();
        APIGatewayProxyResponseEvent r = api.handle(get("format", "ndjson"));
        assertThat(r.getHeaders()).containsEntry("Content-Type", "application/x-ndjson; charset=utf-8");
        String[] lines = r.getBody().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(json.readTree(lines[1]).at("/fields/srcIp").asText()).isEqualTo("127.0.0.1");
        assertThat(r.getBody()).endsWith("\n");
    }

    @Test
    void csvExportQuotesValuesAndWritesNestedValuesAsJson() {
        addDocs();
        APIGatewayProxyResponseEvent r = api.handle(get("format", "csv"));
        assertThat(r.getHeaders()).containsEntry("Content-Type", "text/csv; charset=utf-8");
        String[] lines = r.getBody().split("\r\n");
        assertThat(lines[0]).startsWith("_id,_index,");
        assertThat(lines[0]).contains("timestamp", "srcIp", "host", "tags");
        assertThat(lines[1]).contains("\"say \"\"hi\"\", ok\"").contains("\"[\"\"x\"\",\"\"y\"\"]\"");
    }

    @Test
    void csvColumnsFollowTheRequestedFields() {
        addDocs();
        APIGatewayProxyResponseEvent r = api.handle(get("format", "csv", "fields", "host,srcIp"));
        assertThat(r.getBody().split("\r\n")[0]).isEqualTo("_id,_index,host,srcIp");
    }

    @Test
    void unknownParameterIs400WithCodeAndMessage() throws Exception {
        APIGatewayProxyResponseEvent r = api.handle(get("query", "x"));
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(r.getHeaders()).containsEntry("Content-Type", "application/json; charset=utf-8");
        JsonNode body = body(r);
        assertThat(body.path("error").asText()).isEqualTo("unknown_parameter");
        assertThat(body.path("message").asText()).contains("'query'");
        assertThat(body.path("requestId").asText()).isEqualTo("req-1");
    }

    @Test
    void otherPathsAre404AndOtherMethods405() throws Exception {
        APIGatewayProxyResponseEvent notFound = api.handle(get().withPath("/metadata/other"));
        assertThat(notFound.getStatusCode()).isEqualTo(404);
        assertThat(body(notFound).path("error").asText()).isEqualTo("not_found");
        APIGatewayProxyResponseEvent post = api.handle(get().withHttpMethod("POST"));
        assertThat(post.getStatusCode()).isEqualTo(405);
        assertThat(post.getHeaders()).containsEntry("Allow", "GET, OPTIONS");
        assertThat(api.handle(get().withPath("/prod/metadata/search/")).getStatusCode()).isEqualTo(200);
    }

    @Test
    void preflightGetsCorsHeaders() {
        APIGatewayProxyResponseEvent r = api.handle(get().withHttpMethod("OPTIONS"));
        assertThat(r.getStatusCode()).isEqualTo(204);
        assertThat(r.getHeaders()).containsEntry("Access-Control-Allow-Methods", "GET, OPTIONS")
                .containsEntry("Access-Control-Expose-Headers", "X-Next-Cursor");
    }

    @Test
    void engineFailuresMapToStatusesWithoutInternals() throws Exception {
        Map<SearchBackendException.Kind, Integer> expected = Map.of(
                SearchBackendException.Kind.BAD_QUERY, 400, SearchBackendException.Kind.UNAVAILABLE, 503,
                SearchBackendException.Kind.TIMEOUT, 504, SearchBackendException.Kind.FAILED, 502);
        for (Map.Entry<SearchBackendException.Kind, Integer> e : expected.entrySet()) {
            backend.override = q -> {
                throw new SearchBackendException(e.getKey(), "readable reason",
                        new java.net.ConnectException("http://secret-host:9200"));
            };
            APIGatewayProxyResponseEvent r = api.handle(get("q", "x"));
            assertThat(r.getStatusCode()).isEqualTo(e.getValue());
            assertThat(body(r).path("message").asText()).isEqualTo("readable reason");
            assertThat(r.getBody()).doesNotContain("secret-host").doesNotContain("Exception");
        }
    }

    @Test
    void unexpectedFailureIs500WithoutStackTrace() throws Exception {
        backend.override = q -> {
            throw new NullPointerException("boom");
        };
        APIGatewayProxyResponseEvent r = api.handle(get());
        assertThat(r.getStatusCode()).isEqualTo(500);
        assertThat(body(r).path("error").asText()).isEqualTo("internal_error");
        assertThat(r.getBody()).doesNotContain("NullPointer").doesNotContain("boom").contains("req-1");
    }

    @Test
    void repeatedParametersFromTheMultiValueMapAreRefused() throws Exception {
        APIGatewayProxyRequestEvent event = get().withMultiValueQueryStringParameters(
                Map.of("size", List.of("1", "2")));
        APIGatewayProxyResponseEvent r = api.handle(event);
        assertThat(r.getStatusCode()).isEqualTo(400);
        assertThat(body(r).path("error").asText()).isEqualTo("duplicate_parameter");
    }

    /**
     * A request refused before its q was read (the guard's 400, a bad from, an unknown parameter) logged no q, so an
     * operator could not see what users get wrong: its line carries q (stripped, truncated as a success's) and the
     * format, as a success's does.
     */
    @Test
    void aRefusedRequestsLogLineCarriesQAsASuccesssDoes() throws Exception {
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        SearchApi logging = ApiFactory.create(backend, json, ApiSettings.from(Map.of("OPENSEARCH_URL", "http://127.0.0.1:9")),
                new PrintStream(logged, true, StandardCharsets.UTF_8));
        addDocs();
        logging.handle(get("q", " host:google.com ", "format", "csv"));
        logging.handle(get("q", " host:(google.com ", "format", "csv"));
        logging.handle(get("q", "00:1a:2b:3c:4d:5e"));
        logging.handle(get("q", "host:x", "from", "yesterday"));
        logging.handle(get("q", "host:x", "fields", "Flow Duration")); // the field-name check asks the backend
        logging.handle(get("q", "host:x", "format", "xml"));
        logging.handle(get("q", "host:" + "a".repeat(400), "size", "-1"));
        logging.handle(get("from", "yesterday"));

        List<JsonNode> lines = new java.util.ArrayList<>();
        for (String line : logged.toString(StandardCharsets.UTF_8).lines().toList()) {
            lines.add(json.readTree(line));
        }
        assertThat(lines).hasSize(8);
        assertThat(lines.get(0).path("status").asInt()).isEqualTo(200);
        assertThat(lines.get(0).path("q").asText()).isEqualTo("host:google.com");
        assertThat(lines.get(0).path("format").asText()).isEqualTo("csv");
        JsonNode guard = lines.get(1);
        assertThat(guard.path("status").asInt()).isEqualTo(400);
        assertThat(guard.path("error").asText()).isEqualTo("bad_query");
        assertThat(guard.path("q").asText()).isEqualTo("host:(google.com");
        assertThat(guard.path("format").asText()).isEqualTo("csv");
        assertThat(lines.get(2).path("q").asText()).isEqualTo("00:1a:2b:3c:4d:5e");
        assertThat(lines.get(2).path("format").asText()).isEqualTo("json");
        assertThat(lines.get(3).path("error").asText()).isEqualTo("invalid_time");
        assertThat(lines.get(3).path("q").asText()).isEqualTo("host:x");
        assertThat(lines.get(4).path("error").asText()).isEqualTo("invalid_fields");
        assertThat(lines.get(4).path("q").asText()).isEqualTo("host:x");
        assertThat(lines.get(5).path("error").asText()).isEqualTo("invalid_parameter");
        assertThat(lines.get(5).path("q").asText()).isEqualTo("host:x");
        assertThat(lines.get(5).has("format")).as("no format to log: the request's own mistake").isFalse();
        assertThat(lines.get(6).path("error").asText()).isEqualTo("size_out_of_range");
        assertThat(lines.get(6).path("q").asText()).as("truncated as a success's").hasSize(303)
                .isEqualTo(("host:" + "a".repeat(400)).substring(0, 300) + "...");
        assertThat(lines.get(7).has("q")).as("no q sent, none logged").isFalse();
    }

    @Test
    void apiKeyIsLoggedOnlyAsAFingerprint() throws Exception {
        String fp = ApiKeys.fingerprint("my-secret-api-key-value");
        assertThat(fp).startsWith("sha256:").hasSize(23).doesNotContain("secret");
        assertThat(fp.substring(7)).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest("my-secret-api-key-value".getBytes(StandardCharsets.UTF_8)), 0, 8));
        assertThat(ApiKeys.fingerprint(null)).isNull();

        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        SearchApi logging = ApiFactory.create(backend, json, ApiSettings.from(Map.of("OPENSEARCH_URL", "http://127.0.0.1:9")),
                new PrintStream(logged, true, StandardCharsets.UTF_8));
        APIGatewayProxyRequestEvent event = get("q", "x");
        event.getRequestContext().setIdentity(new APIGatewayProxyRequestEvent.RequestIdentity()
                .withApiKey("my-secret-api-key-value"));
        addDocs();
        logging.handle(event);
        backend.override = q -> {
            throw new SearchBackendException(SearchBackendException.Kind.FAILED, "the search engine failed the search"
                    + " (HTTP 403: no permission for indices:data/read/search)");
        };
        logging.handle(event);

        List<String> lines = logged.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(logged.toString(StandardCharsets.UTF_8)).doesNotContain("my-secret-api-key-value");
        JsonNode ok = json.readTree(lines.get(0));
        assertThat(ok.path("apiKeyFingerprint").asText()).isEqualTo(fp);
        assertThat(ok.path("requestId").asText()).isEqualTo("req-1");
        assertThat(ok.path("status").asInt()).isEqualTo(200);
        JsonNode failed = json.readTree(lines.get(1));
        assertThat(failed.path("status").asInt()).isEqualTo(502);
        assertThat(failed.path("error").asText()).isEqualTo("search_failed");
        assertThat(failed.path("detail").asText()).as("the engine's reason reaches the log")
                .contains("HTTP 403: no permission");
    }
}
