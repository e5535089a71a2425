package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenSearchSearchBackendTest {

    private final ObjectMapper json = new ObjectMapper();

    /** A count: every match counted (track_total_hits), size 0, nothing sorted, resumed or fetched. */
    @Test
    void aCountAsksForTheExactTotalAndNoHits() throws Exception {
        OpenSearchSearchBackend backend = new OpenSearchSearchBackend(null, "metadata", json);
        BackendQuery q = new BackendQuery("host:google.com", 1000L, null, List.of(new SortField("ttl", true)),
                List.of(), 0, List.of("host"), 9000, true);
        JsonNode body = json.readTree(backend.requestBody(q, java.util.Map.of()));
        assertThat(body.path("track_total_hits").asBoolean()).isTrue();
        assertThat(body.path("size").asInt()).isZero();
        assertThat(body.at("/query/bool/must/0/query_string/query").asText()).isEqualTo("host:google.com");
        assertThat(body.at("/query/bool/filter/0/range/timestamp/gte").asLong()).isEqualTo(1000L);
        assertThat(body.path("timeout").asText()).isEqualTo("9000ms");
        assertThat(body.has("sort")).isFalse();
        assertThat(body.has("_source")).isFalse();
        // a page asks for no exact total (counting every match would make every broad query slower)
        assertThat(json.readTree(backend.requestBody(new BackendQuery("", null, null, List.of(), List.of(), 51,
                List.of(), 9000), java.util.Map.of())).has("track_total_hits")).isFalse();
    }

    @Test
    void queryIsGuardedFilteredSortedWithTiebreakerAndResumable() throws Exception {
        OpenSearchSearchBackend backend = new OpenSearchSearchBackend(null, "metadata", json);
        BackendQuery q = new BackendQuery("host:google.com", 1000L, 2000L,
                List.of(new SortField("bytesOut", false), new SortField("srcIp", true)),
                java.util.Arrays.asList(5L, "10.0.0.1", "raw/x.csv.gz", 17L), 51, List.of("host"), 9000);
        JsonNode body = json.readTree(backend.requestBody(q, java.util.Map.of()));

        JsonNode qs = body.at("/query/bool/must/0/query_string");
        assertThat(qs.path("query").asText()).isEqualTo("host:google.com");
        assertThat(qs.path("allow_leading_wildcard").asBoolean(true)).isFalse();
        assertThat(qs.path("lenient").asBoolean(true)).isFalse();
        assertThat(qs.path("default_field").asText()).isEqualTo("host");
        assertThat(qs.path("max_determinized_states").asInt()).isEqualTo(10_000);
        assertThat(qs.path("fuzzy_prefix_length").asInt()).as("fuzzy terms keep their first character").isEqualTo(1);
        JsonNode range = body.at("/query/bool/filter/0/range/timestamp");
        assertThat(range.path("gte").asLong()).isEqualTo(1000L);
        assertThat(range.path("lt").asLong()).isEqualTo(2000L);
        assertThat(body.at("/sort/0/bytesOut/order").asText()).isEqualTo("asc");
        assertThat(body.at("/sort/0/bytesOut/unmapped_type").asText()).isEqualTo("long");
        assertThat(body.at("/sort/1/srcIp/unmapped_type").asText()).isEqualTo("ip");
        assertThat(body.at("/sort/2/sourceFile/order").asText()).isEqualTo("asc");
        assertThat(body.at("/sort/2/sourceFile/missing").asText()).isEqualTo("_last");
        assertThat(body.at("/sort/2/sourceFile/unmapped_type").asText()).isEqualTo("keyword");
        assertThat(body.at("/sort/3/sourceRecord/order").asText()).isEqualTo("asc");
        assertThat(body.at("/sort/3/sourceRecord/missing").asText()).isEqualTo("_last");
        assertThat(body.at("/sort/3/sourceRecord/unmapped_type").asText()).isEqualTo("long");
        assertThat(body.path("sort")).hasSize(4);
        assertThat(body.toString()).as("_id is never sorted on").doesNotContain("\"_id\"");
        assertThat(backend.tiebreakerValues()).isEqualTo(2);
        assertThat(body.path("search_after").toString()).isEqualTo("[5,\"10.0.0.1\",\"raw/x.csv.gz\",17]");
        assertThat(body.path("size").asInt()).isEqualTo(51);
        assertThat(body.at("/_source/includes/0").asText()).isEqualTo("host");
    }

    @Test
    void aCursorWithoutAValueForANumberOrDateSortIsRefusedBeforeOpenSearchFailsOnIt() {
        // OpenSearch answers a null search_after value of a numeric or date sort with HTTP 500 (a NullPointerException),
        // which the API would pass on as a 502; it never returns one there (a missing number sorts as Long.MIN/MAX_VALUE)
        OpenSearchSearchBackend backend = new OpenSearchSearchBackend(null, "metadata-*", json);
        for (List<Object> values : List.of(java.util.Arrays.<Object>asList(null, "raw/x.csv.gz", 17L),
                java.util.Arrays.<Object>asList(5L, "raw/x.csv.gz", null))) {
            BackendQuery q = new BackendQuery("", null, null, SearchParametersParser.DEFAULT_SORT, values, 10, List.of(), 1000);
            assertThatThrownBy(() -> backend.requestBody(q, java.util.Map.of())).as(values.toString())
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_cursor"));
        }
        BackendQuery extra = new BackendQuery("", null, null, List.of(new SortField("duration", false)),
                java.util.Arrays.asList(null, "raw/x.csv.gz", 17L), 10, List.of(), 1000);
        assertThatThrownBy(() -> backend.requestBody(extra, java.util.Map.of("duration", new SortMapping("double", null))))
                .isInstanceOf(ApiException.class);
        // a keyword or an IP without a value is null in OpenSearch's own sort values: a cursor after it is fine
        BackendQuery keyword = new BackendQuery("", null, null, List.of(new SortField("host", false),
                new SortField("srcIp", false), new SortField("qtype_name", false)),
                java.util.Arrays.asList(null, null, null, null, 17L), 10, List.of(), 1000);
        assertThat(backend.requestBody(keyword, java.util.Map.of("qtype_name", new SortMapping("keyword", null)))).isNotEmpty();
    }

    @Test
    void emptyQueryWithoutRangeIsMatchAll() throws Exception {
        OpenSearchSearchBackend backend = new OpenSearchSearchBackend(null, "metadata", json);
        JsonNode body = json.readTree(backend.requestBody(new BackendQuery("", null, null,
                SearchParametersParser.DEFAULT_SORT, List.of(), 10, List.of(), 1000), java.util.Map.of()));
        assertThat(body.path("query").has("match_all")).isTrue();
        assertThat(body.has("search_after")).isFalse();
        assertThat(body.at("/sort/1/sourceFile/order").asText()).isEqualTo("asc");
        assertThat(body.at("/sort/2/sourceRecord/order").asText()).isEqualTo("asc");
    }

    @Test
    void transportFailuresMapToUnavailableOrTimeout() {
        assertThat(OpenSearchSearchBackend.fromTransport(new IOException("x", new ConnectException("refused"))).kind())
                .isEqualTo(SearchBackendException.Kind.UNAVAILABLE);
        assertThat(OpenSearchSearchBackend.fromTransport(new SocketTimeoutException("read timed out")))
                .satisfies(e -> assertThat(e.kind()).isEqualTo(SearchBackendException.Kind.TIMEOUT))
                // no number: the socket waits longer than the request's budget, which it once named as the wait
                .hasMessage("the search engine did not answer in time; narrow the query or the time range");
        assertThat(OpenSearchSearchBackend.fromTransport(new IOException("reset")).kind())
                .isEqualTo(SearchBackendException.Kind.UNAVAILABLE);
        assertThat(OpenSearchSearchBackend.fromTransport(new IllegalStateException("odd")).kind())
                .isEqualTo(SearchBackendException.Kind.FAILED);
    }

    @Test
    void messagesNeverCarryTheEngineAddress() {
        SearchBackendException e = OpenSearchSearchBackend.fromTransport(
                new IOException("Connection refused: http://10.1.2.3:9200", new ConnectException()));
        assertThat(e.getMessage()).doesNotContain("10.1.2.3").doesNotContain("9200");
    }

    @Test
    void errorStatusesMapToKinds() throws Exception {
        JsonNode error = json.readTree("{\"type\":\"query_shard_exception\",\"reason\":\"Failed to parse query [x:(]\"}");
        assertThat(OpenSearchSearchBackend.fromStatus(400, error).kind()).isEqualTo(SearchBackendException.Kind.BAD_QUERY);
        assertThat(OpenSearchSearchBackend.fromStatus(400, error).getMessage()).isEqualTo("Failed to parse query [x:(]");
        assertThat(OpenSearchSearchBackend.fromStatus(429, null).kind()).isEqualTo(SearchBackendException.Kind.UNAVAILABLE);
        assertThat(OpenSearchSearchBackend.fromStatus(503, error).kind()).isEqualTo(SearchBackendException.Kind.UNAVAILABLE);
        assertThat(OpenSearchSearchBackend.fromStatus(504, null).kind()).isEqualTo(SearchBackendException.Kind.TIMEOUT);
        assertThat(OpenSearchSearchBackend.fromStatus(403, null).kind()).isEqualTo(SearchBackendException.Kind.FAILED);
        assertThat(OpenSearchSearchBackend.fromStatus(403, null).getMessage()).contains("HTTP 403");
    }

    /**
     * 513 addresses on srcIp pass the parser (two engine clauses each) and fail the search with an HTTP 500 of type
     * too_many_nested_clauses, which was a 502 search_failed: the query is at fault, so it is a 400 bad_query saying to
     * search fewer values or a block. The Apache transport throws a 5xx as an exception whose message holds the body.
     */
    @Test
    void theClauseLimitCountedOverTheWholeQueryIsABadQueryNotAnEngineFailure() throws Exception {
        String body = "{\"error\":{\"root_cause\":[{\"type\":\"too_many_nested_clauses\",\"reason\":\"Query contains"
                + " too many nested clauses; maxClauseCount is set to 1024\"}],\"type\":\"search_phase_execution_exception\","
                + "\"reason\":\"all shards failed\",\"phase\":\"query\",\"grouped\":true,\"failed_shards\":[{\"shard\":0,"
                + "\"index\":\"metadata-2018.05.09\",\"node\":\"bnJ8_p6VREqy0A7jxAzFEQ\",\"reason\":{\"type\":"
                + "\"too_many_nested_clauses\",\"reason\":\"Query contains too many nested clauses; maxClauseCount is set"
                + " to 1024\"}}]},\"status\":500}";
        String message = "method [POST], host [http://127.0.0.1:9200], URI [/metadata/_search], status line [HTTP/1.1 500"
                + " Internal Server Error]\n" + body;
        JsonNode error = OpenSearchSearchBackend.errorOfMessage(message);
        assertThat(error).isEqualTo(json.readTree(body).path("error"));
        SearchBackendException e = OpenSearchSearchBackend.fromStatus(500, error);
        assertThat(e.kind()).isEqualTo(SearchBackendException.Kind.BAD_QUERY);
        assertThat(e.getMessage()).startsWith("q has more clauses than the search engine takes in one search (at most"
                + " 1024, counted over the whole query: each term, phrase and range is one, a term or CIDR block on srcIp"
                + " or dstIp two").contains("or a CIDR block (srcIp:10.0.0.0/24");
        // any other 500 stays the engine's failure, its reason in the log's detail only
        JsonNode other = json.readTree("{\"root_cause\":[{\"type\":\"null_pointer_exception\",\"reason\":\"x\"}],"
                + "\"type\":\"search_phase_execution_exception\",\"reason\":\"all shards failed\"}");
        assertThat(OpenSearchSearchBackend.fromStatus(500, other).kind()).isEqualTo(SearchBackendException.Kind.FAILED);
        assertThat(OpenSearchSearchBackend.fromStatus(500, null).kind()).isEqualTo(SearchBackendException.Kind.FAILED);
        assertThat(OpenSearchSearchBackend.errorOfMessage("status line [HTTP/1.1 500 Internal Server Error]")).isNull();
        assertThat(OpenSearchSearchBackend.errorOfMessage("line\n{not json")).isNull();
        assertThat(OpenSearchSearchBackend.errorOfMessage(null)).isNull();
    }

    @Test
    void rawResponseBecomesAPage() throws Exception {
        String answer = "{\"took\":3,\"timed_out\":false,\"_shards\":{\"total\":1},\"hits\":{\"total\":{\"value\":10000,"
                + "\"relation\":\"gte\"},\"max_score\":null,\"hits\":[{\"_index\":\"metadata-2018.05.09\",\"_id\":\"a\","
                + "\"_score\":null,\"_source\":{\"host\":\"google.com\",\"dstPort\":443},\"sort\":[1525860000000,\"a\"]},"
                + "{\"_index\":\"m\",\"_id\":\"ü\",\"_source\":{\"host\":\"ü \\\"x\\\"\",\"a\":[1,{\"b\":null}]},\"sort\":[-9223372036854775808,1.5,true,null]}]}}";
        SearchPage page = new SearchResponseReader()
                .read(answer.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(page.total()).isEqualTo(10000);
        assertThat(page.totalExact()).isFalse();
        assertThat(page.tookMs()).isEqualTo(3);
        assertThat(page.hits()).hasSize(2);
        assertThat(page.hits().get(0).index()).isEqualTo("metadata-2018.05.09");
        assertThat(page.hits().get(0).sourceJson()).isEqualTo("{\"host\":\"google.com\",\"dstPort\":443}");
        assertThat(page.hits().get(0).sortValues()).containsExactly(1525860000000L, "a");
        assertThat(page.hits().get(1).sourceJson()).isEqualTo("{\"host\":\"ü \\\"x\\\"\",\"a\":[1,{\"b\":null}]}");
        assertThat(page.hits().get(1).sortValues()).containsExactly(Long.MIN_VALUE, 1.5, true, null);
    }

    /**
     * The names a field check asks go into {@code _field_caps} GETs whose request line stays within
     * {@value OpenSearchSearchBackend#MAX_FIELD_CAPS_LINE} bytes as a client encodes it (OpenSearch refuses one over
     * 4 KB, and the whole check was skipped: review s9c, 3): 100 long names of {@code fields} with their variants make
     * several, in order and each name once; an ordinary request's names make one.
     */
    @Test
    void fieldCapsNamesAreSplitSoEveryRequestLineStaysWithinTheBound() {
        String endpoint = "/netmeta-metadata-prod/_field_caps";
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String name = "Fwd_Packet_Length_Mean_Über_" + i;
            names.add(name);
            names.add(name.toLowerCase(java.util.Locale.ROOT));
            names.add("&&" + name); // a character every client encodes
        }
        List<List<String>> batches = OpenSearchSearchBackend.fieldCapsBatches(endpoint, names);
        assertThat(batches.size()).isGreaterThan(1);
        assertThat(batches.stream().flatMap(List::stream).toList()).isEqualTo(names);
        for (int b = 0; b < batches.size(); b++) {
            List<String> batch = batches.get(b);
            String line = "GET " + endpoint + "?ignore_unavailable=true&allow_no_indices=true&fields="
                    + java.net.URLEncoder.encode(String.join(",", batch), java.nio.charset.StandardCharsets.UTF_8)
                    + " HTTP/1.1";
            assertThat(line.length()).isLessThanOrEqualTo(OpenSearchSearchBackend.MAX_FIELD_CAPS_LINE);
            if (b < batches.size() - 1) {
                assertThat(line.length()).as("batches are filled").isGreaterThan(OpenSearchSearchBackend.MAX_FIELD_CAPS_LINE - 200);
            }
        }
        assertThat(OpenSearchSearchBackend.fieldCapsBatches(endpoint, List.of("ttl", "TTL", "ttl_", "user_agent")))
                .containsExactly(List.of("ttl", "TTL", "ttl_", "user_agent"));
        String huge = "x".repeat(5_000); // longer than the bound alone: a batch of its own, not an endless loop
        assertThat(OpenSearchSearchBackend.fieldCapsBatches(endpoint, List.of("a", huge, "b")))
                .containsExactly(List.of("a"), List.of(huge), List.of("b"));
    }
}
