package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.doc;
import static dev.netmeta.api.SearchIndexFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.JvmTrustStore;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.RecordingHttpsProxy;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.model.Fields;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A field name in {@code q} that no daily index has is a 400 {@code unknown_field} naming it (docs/API.md), against the
 * embedded OpenSearch: {@code srcip:…} (lower-case i) used to be a 200 with 0 hits, {@code srcIp:"…"&&dstPort:53}
 * (no spaces: Lucene reads the field {@code &&dstPort}) a 200 that silently dropped the AND. An extra column a loaded
 * CSV brings is found in the indices; contract-only queries cost no {@code _field_caps} request.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiUnknownFieldIT {

    @TempDir
    static Path tlsDir;
    /** The name the loader gives a CSV column {@code user_agent} (not an alias: kept under its safe name). */
    private static final String USER_AGENT = Fields.canonicalName("user_agent");
    /** The name the loader gives CICFlowMeter's column "Flow Duration". */
    private static final String FLOW_DURATION = Fields.canonicalName("Flow Duration");
    private final ObjectMapper json = new ObjectMapper();
    private SearchIndexFixture fixture;
    private OpenSearchEndpoint openSearch;
    private ApiHandler handler;
    private SelfSignedCertificate certificate;
    private RecordingHttpsProxy proxy;

    @BeforeAll
    void indexDocuments(OpenSearchEndpoint openSearch) throws Exception {
        this.openSearch = openSearch;
        fixture = new SearchIndexFixture(openSearch.uri(), "unknown-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        docs.put("dns-10", withAgent(doc("2018-05-09T10:00:00Z", "10.0.0.1", "10.0.0.53", 53, "a.example"), null));
        docs.put("dns-10b", withAgent(doc("2018-05-09T10:01:00Z", "10.0.0.2", "10.0.0.53", 53, "b.example"), null));
        docs.put("web-10", withAgent(doc("2018-05-09T10:02:00Z", "10.0.0.3", "93.184.216.34", 443, "example.com"), "curl/8.0"));
        docs.put("dns-192", withAgent(doc("2018-05-10T10:00:00Z", "192.168.0.1", "10.0.0.53", 53, "c.example"), null));
        docs.put("web-192", withAgent(doc("2018-05-10T10:01:00Z", "192.168.0.2", "93.184.216.34", 80, "example.com"), "Wget"));
        docs.put("flow-1", flow("2018-05-09T10:03:00Z", 5000));
        docs.put("flow-2", flow("2018-05-10T10:02:00Z", 2));
        fixture.index(docs);
        handler = new ApiHandler(env(fixture.prefix, openSearch.uri().toString()));
        certificate = SelfSignedCertificate.generate(tlsDir);
        proxy = new RecordingHttpsProxy(certificate, openSearch.uri());
    }

    @AfterAll
    void stop() throws Exception {
        proxy.close();
    }

    private static Map<String, Object> withAgent(Map<String, Object> doc, String agent) {
        Map<String, Object> d = new LinkedHashMap<>(doc);
        if (agent != null) {
            d.put(USER_AGENT, agent);
        }
        return d;
    }

    /** A CICFlowMeter flow as the loader writes it: no host, the column "Flow Duration" under its safe name. */
    private static Map<String, Object> flow(String timestamp, long duration) {
        Map<String, Object> d = new LinkedHashMap<>(doc(timestamp, "192.168.0.9", "10.0.0.53", 53, "x"));
        d.remove(Fields.HOST);
        d.put(Fields.PROTO, "udp"); // DNS flows: proto:17 has something to find
        d.put(FLOW_DURATION, duration);
        return d;
    }

    private static Map<String, String> env(String prefix, String url) {
        Map<String, String> env = new HashMap<>();
        env.put("OPENSEARCH_URL", url);
        env.put("INDEX_PREFIX", prefix);
        return env;
    }

    private static APIGatewayProxyResponseEvent call(ApiHandler h, String q) {
        return call(h, Map.of("q", q));
    }

    private static APIGatewayProxyResponseEvent call(ApiHandler h, Map<String, String> parameters) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(parameters);
        event.setMultiValueQueryStringParameters(null);
        return h.handleRequest(event, null);
    }

    /**
     * The status and hit count of {@code q} sent straight to the engine in the api's own request body (as the guard would
     * send it, without the guard), for what the engine alone answers.
     */
    private String engineHits(String q) throws Exception {
        byte[] request = new OpenSearchSearchBackend(null, fixture.prefix, json).requestBody(new BackendQuery(q, null,
                null, SearchParametersParser.DEFAULT_SORT, List.of(), 50, List.of(), 10_000), Map.of());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(openSearch.uri().resolve("/"
                        + fixture.prefix + "/_search")).POST(HttpRequest.BodyPublishers.ofByteArray(request))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + (r.statusCode() == 200 ? json.readTree(r.body()).at("/hits/total/value").asText()
                + " hits" : r.body());
    }

    private JsonNode body(APIGatewayProxyResponseEvent r) throws Exception {
        return json.readTree(r.getBody());
    }

    @Test
    void aFieldNameInTheWrongCaseIs400SuggestingTheRightSpelling() throws Exception {
        APIGatewayProxyResponseEvent r = call(handler, "srcip:10.0.0.1");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
        assertThat(body(r).path("error").asText()).isEqualTo("unknown_field");
        assertThat(body(r).path("message").asText()).isEqualTo("field 'srcip' does not exist in any index; did you"
                + " mean 'srcIp'? (field names are case-sensitive)");
        assertThat(ids(body(call(handler, "srcIp:10.0.0.1")))).containsExactly("dns-10");
        // a near spelling: the case is not the mistake, so the message does not say it is
        assertThat(body(call(handler, "scrIp:10.0.0.1")).path("message").asText()).isEqualTo("field 'scrIp' does not"
                + " exist in any index; did you mean 'srcIp'?");
        assertThat(body(call(handler, Map.of("sort", "timestmap"))).path("message").asText()).isEqualTo("cannot sort"
                + " by 'timestmap': no daily index has this field; did you mean 'timestamp'?");
        // nothing near: sort names the fields every index has, as q and fields do
        String everyIndexHas = " (field names are case-sensitive; every index has timestamp, srcIp, dstIp, srcPort,"
                + " dstPort, proto, host, bytesOut, bytesIn, sourceFile, sourceRecord, sourceVersion)";
        APIGatewayProxyResponseEvent sortNothingNear = call(handler, Map.of("sort", "nosuchfield:desc"));
        assertThat(sortNothingNear.getStatusCode()).as(sortNothingNear.getBody()).isEqualTo(400);
        assertThat(body(sortNothingNear).path("error").asText()).isEqualTo("unknown_field");
        assertThat(body(sortNothingNear).path("message").asText()).isEqualTo("cannot sort by 'nosuchfield': no daily"
                + " index has this field" + everyIndexHas);
        assertThat(body(call(handler, "nosuchfield:1")).path("message").asText()).isEqualTo("field 'nosuchfield' does"
                + " not exist in any index" + everyIndexHas);
        assertThat(body(call(handler, Map.of("fields", "nosuchfield"))).path("message").asText()).isEqualTo("fields"
                + " names 'nosuchfield', which no daily index has" + everyIndexHas);
        // an extra column in the wrong case: its spelling is found in the indices
        APIGatewayProxyResponseEvent agent = call(handler, "User_Agent:curl*");
        assertThat(agent.getStatusCode()).as(agent.getBody()).isEqualTo(400);
        assertThat(body(agent).path("message").asText()).contains("did you mean '" + USER_AGENT + "'");
    }

    @Test
    void anExtraColumnInAnotherCaseOrWrittenWithASpaceIs400SuggestingTheColumnOfTheIndices() throws Exception {
        assertThat(FLOW_DURATION).isEqualTo("Flow_Duration");
        assertThat(body(call(handler, FLOW_DURATION + ":>5")).at("/total/value").asLong()).isEqualTo(1);
        for (String typed : List.of("flow_duration", "flow_Duration")) {
            APIGatewayProxyResponseEvent r = call(handler, typed + ":>5");
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
            assertThat(body(r).path("error").asText()).isEqualTo("unknown_field");
            assertThat(body(r).path("message").asText()).isEqualTo("field '" + typed + "' does not exist in any index;"
                    + " did you mean 'Flow_Duration'? (field names are case-sensitive)");
        }
        // a space ends the name: the parser reads the term Flow and the field Duration
        APIGatewayProxyResponseEvent spaced = call(handler, "Flow Duration:5");
        assertThat(spaced.getStatusCode()).as(spaced.getBody()).isEqualTo(400);
        assertThat(body(spaced).path("message").asText()).isEqualTo("field 'Duration' does not exist in any index; did"
                + " you mean 'Flow_Duration'? (a space ends a field name in q: the loader writes the column"
                + " 'Flow Duration' as Flow_Duration)");
        // and in sort: a key that is no field name, and one no index has
        APIGatewayProxyResponseEvent sort = call(handler, Map.of("sort", "Flow Duration"));
        assertThat(sort.getStatusCode()).as(sort.getBody()).isEqualTo(400);
        assertThat(body(sort).path("error").asText()).isEqualTo("invalid_sort");
        assertThat(body(sort).path("message").asText()).isEqualTo("sort takes field[:asc|:desc] items separated by"
                + " commas; 'Flow Duration' is not a valid field name; did you mean 'Flow_Duration'? (the loader writes"
                + " a space or any other character of a column name that is not a letter, a digit, _ or - as _)");
        APIGatewayProxyResponseEvent sortCase = call(handler, Map.of("sort", "flow_duration:desc"));
        assertThat(sortCase.getStatusCode()).as(sortCase.getBody()).isEqualTo(400);
        assertThat(body(sortCase).path("error").asText()).isEqualTo("unknown_field"); // as in q and fields
        assertThat(body(sortCase).path("message").asText()).isEqualTo("cannot sort by 'flow_duration': no daily index"
                + " has this field; did you mean 'Flow_Duration'? (field names are case-sensitive)");
        assertThat(ids(body(call(handler, Map.of("q", "_exists_:" + FLOW_DURATION, "sort", FLOW_DURATION + ":desc")))))
                .containsExactly("flow-1", "flow-2");
        // a sign for the direction, as other search APIs take it: the answer gives the direction to write
        APIGatewayProxyResponseEvent signed = call(handler, Map.of("q", "_exists_:" + FLOW_DURATION, "sort", "-"
                + FLOW_DURATION));
        assertThat(signed.getStatusCode()).as(signed.getBody()).isEqualTo(400);
        assertThat(body(signed).path("error").asText()).isEqualTo("invalid_sort");
        assertThat(body(signed).path("message").asText()).isEqualTo("sort takes field[:asc|:desc] items separated by"
                + " commas; '-Flow_Duration' is not a valid field name: a sign does not give the direction here, write"
                + " Flow_Duration:desc to sort by Flow_Duration in descending order");
    }

    @Test
    void everyFieldNameIsAskedForOnceOnTheErrorPathAndOnlyWithTimeLeft() throws Exception {
        Map<String, String> env = env(fixture.prefix, proxy.uri().toString());
        env.put("OPENSEARCH_AUTH", "sigv4");
        env.put("AWS_ACCESS_KEY_ID", "AKIAQNETMETALOCAL001");
        env.put("AWS_SECRET_ACCESS_KEY", "secret");
        ApiHandler viaProxy = JvmTrustStore.whileBuilding(certificate, () -> new ApiHandler(env));
        proxy.clear();
        assertThat(body(call(viaProxy, "flow_duration:>5")).path("message").asText())
                .contains("did you mean 'Flow_Duration'?");
        // the names of q and their variants, then every name (GET <alias>/_field_caps?fields=*): no search
        assertThat(proxy.requests()).extracting(r -> r.method() + " " + r.rawPath())
                .containsExactly("GET /" + fixture.prefix + "/_field_caps", "GET /" + fixture.prefix + "/_field_caps");
        assertThat(proxy.requests().get(1).rawQuery()).contains("fields=%2A");
        // within the minute, the answers are reused: sort=flow_duration sends nothing (its per-field answer and every
        // name are cached); flow_Duration:>5 sends one per-field _field_caps for flow_Duration alone, the one name not
        // asked before (its variant flow_duration is cached), and no second fields=*
        proxy.clear();
        assertThat(body(call(viaProxy, Map.of("sort", "flow_duration"))).path("message").asText())
                .contains("did you mean 'Flow_Duration'?");
        assertThat(proxy.requests()).isEmpty();
        assertThat(body(call(viaProxy, "flow_Duration:>5")).path("message").asText())
                .contains("did you mean 'Flow_Duration'?");
        assertThat(proxy.requests()).extracting(r -> r.method() + " " + r.rawPath())
                .containsExactly("GET /" + fixture.prefix + "/_field_caps");
        assertThat(proxy.requests().get(0).rawQuery()).contains("fields=flow_Duration").doesNotContain("%2A")
                .doesNotContain("flow_duration");

        // no time left (SEARCH_TIMEOUT_MS at its minimum, 100 ms: below the 200 ms a lookup of every name needs): the
        // same 400, without the suggestion, and no second request
        Map<String, String> hurried = env(fixture.prefix, proxy.uri().toString());
        hurried.putAll(env);
        hurried.put("SEARCH_TIMEOUT_MS", "100");
        ApiHandler noTime = JvmTrustStore.whileBuilding(certificate, () -> new ApiHandler(hurried));
        proxy.clear();
        APIGatewayProxyResponseEvent r = call(noTime, "flow_duration:>5");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
        assertThat(body(r).path("error").asText()).isEqualTo("unknown_field");
        assertThat(body(r).path("message").asText()).startsWith("field 'flow_duration' does not exist in any index"
                + " (field names are case-sensitive; every index has");
        assertThat(proxy.requests()).hasSize(1);
        assertThat(proxy.requests().get(0).rawQuery()).doesNotContain("fields=%2A");
    }

    @Test
    void anOperatorGluedToAFieldNameIs400InsteadOfASilentlyDroppedAnd() throws Exception {
        APIGatewayProxyResponseEvent glued = call(handler, "srcIp:\"10.0.0.0/8\"&&dstPort:53");
        assertThat(glued.getStatusCode()).as(glued.getBody()).isEqualTo(400);
        assertThat(body(glued).path("error").asText()).isEqualTo("unknown_field");
        assertThat(body(glued).path("message").asText()).isEqualTo("field '&&dstPort' does not exist in any index: '&&'"
                + " glued to a field name is read as part of the name; write `&& dstPort` with spaces around the operator");
        // written with spaces, the AND holds: fewer hits than either side alone
        assertThat(ids(body(call(handler, "srcIp:\"10.0.0.0/8\" && dstPort:53")))).containsExactlyInAnyOrder("dns-10",
                "dns-10b");
        assertThat(call(handler, "srcIp:\"10.0.0.0/8\"||dstPort:53").getStatusCode()).isEqualTo(400);
    }

    /** A lower-case and/or/not is a word on host, not an operator: refused, not a silently widened search (newcomer9, 1). */
    @Test
    void aLowerCaseOperatorIs400InsteadOfASilentlyWidenedSearch() throws Exception {
        for (String q : List.of("srcIp:\"10.0.0.0/8\" and dstPort:53", "srcIp:\"10.0.0.0/8\" Or dstPort:53",
                "dstPort:53 not srcIp:\"10.0.0.0/8\"")) {
            APIGatewayProxyResponseEvent r = call(handler, q);
            assertThat(r.getStatusCode()).as(q + " " + r.getBody()).isEqualTo(400);
            assertThat(body(r).path("error").asText()).isEqualTo("bad_query");
            assertThat(body(r).path("message").asText()).contains("Operators must be upper case: write AND, OR, NOT")
                    .contains(q.contains(" Or ") ? "a space already means OR here, so the search finds what OR would"
                            + " find and may also find documents whose host is the word or" : "more, not fewer");
        }
        assertThat(ids(body(call(handler, "srcIp:\"10.0.0.0/8\" AND dstPort:53")))).containsExactlyInAnyOrder("dns-10",
                "dns-10b");
        for (String q : List.of("host:and", "\"and\"", "srcIp:\"10.0.0.0/8\" AND -not")) {
            APIGatewayProxyResponseEvent ok = call(handler, q);
            assertThat(ok.getStatusCode()).as(q + " " + ok.getBody()).isEqualTo(200);
        }
    }

    /** A wildcard on an IP field: the engine's refusal, made a hint to use a CIDR block (newcomer9, 10a). */
    @Test
    void aWildcardOnAnIpFieldSaysToUseACidrBlock() throws Exception {
        for (String q : List.of("srcIp:10.0.0.*", "dstIp:10.0.?.1", "dstPort:53 AND srcIp:10.*")) {
            APIGatewayProxyResponseEvent r = call(handler, q);
            assertThat(r.getStatusCode()).as(q + " " + r.getBody()).isEqualTo(400);
            assertThat(body(r).path("error").asText()).isEqualTo("bad_query");
            assertThat(body(r).path("message").asText()).as(q).contains(" is an IP field: wildcard, regular-expression"
                    + " and fuzzy terms do not work on it").contains("search a CIDR block, e.g. ");
        }
        assertThat(ids(body(call(handler, "srcIp:10.0.0.0/8 AND dstPort:53")))).containsExactlyInAnyOrder("dns-10",
                "dns-10b");
    }

    /**
     * A regular expression on an IP, number or date field of the contract is no error in OpenSearch but matches nothing
     * (a 200 with 0 hits, shown here with the guard bypassed): the api answers a 400 with what to search instead, and
     * what it suggests finds what was meant. Without a field a regular expression searches host, as before.
     */
    @Test
    void aRegularExpressionOnAnIpNumberOrDateFieldIs400InsteadOfZeroHits() throws Exception {
        assertThat(engineHits("host:/exa.*/")).as("the engine, a keyword's regexp").isEqualTo("200 2 hits");
        Map<String, String> said = new LinkedHashMap<>();
        said.put("srcIp:/10\\..*/", "srcIp is an IP field");
        said.put("dstPort:/5.*/", "dstPort is an integer field");
        said.put("timestamp:/2018.*/", "timestamp is a date field");
        said.put("dstPort:(/5.*/ OR 80)", "dstPort is an integer field");
        said.put("host:example.com AND NOT bytesIn:/1.*/", "bytesIn is a long field");
        for (Map.Entry<String, String> e : said.entrySet()) {
            String q = e.getKey();
            if (!q.contains("NOT") && !q.contains(" OR 80")) { // the engine alone: no error, nothing found
                assertThat(engineHits(q)).as(q).isEqualTo("200 0 hits");
            }
            APIGatewayProxyResponseEvent r = call(handler, q);
            assertThat(r.getStatusCode()).as(q + " " + r.getBody()).isEqualTo(400);
            assertThat(body(r).path("error").asText()).isEqualTo("bad_query");
            assertThat(body(r).path("message").asText()).as(q).startsWith(e.getValue() + ": wildcard,"
                    + " regular-expression and fuzzy terms do not work on it (the regular expression /")
                    .contains("would match nothing there, without an error); to match ");
        }
        assertThat(body(call(handler, "srcIp:/10\\..*/")).path("message").asText()).endsWith("search a CIDR block,"
                + " e.g. srcIp:10.0.0.0/24 for srcIp:10.0.0.*");
        // what the messages suggest finds what the regular expressions meant
        assertThat(ids(body(call(handler, "srcIp:10.0.0.0/8")))).containsExactlyInAnyOrder("dns-10", "dns-10b",
                "web-10");
        assertThat(ids(body(call(handler, "dstPort:[50 TO 59]")))).containsExactlyInAnyOrder("dns-10", "dns-10b",
                "dns-192", "flow-1", "flow-2");
        assertThat(ids(body(call(handler, "timestamp:[2018-01-01 TO 2019-01-01}")))).hasSize(7);
        // without a field a regular expression searches host (a keyword), as before: found, not refused
        assertThat(ids(body(call(handler, "/a\\.example/")))).containsExactly("dns-10");
        assertThat(ids(body(call(handler, "host:/exa.*/")))).containsExactlyInAnyOrder("web-10", "web-192");
    }

    /**
     * An extra column that is a number in the daily indices (Flow_Duration, a long): a wildcard is the engine's
     * refusal made a hint to search a range, as on dstPort; a regular expression, silently empty in the engine, is a
     * 400 with the same hint, from the types the unknown-field check's _field_caps answer holds; the range finds the
     * flow.
     */
    @Test
    void aWildcardOrRegularExpressionOnAnExtraNumberColumnSaysToSearchARange() throws Exception {
        for (String q : List.of(FLOW_DURATION + ":50*", FLOW_DURATION + ":/50.*/", "host:x OR " + FLOW_DURATION
                + ":(/5.*/)")) {
            APIGatewayProxyResponseEvent r = call(handler, q);
            assertThat(r.getStatusCode()).as(q + " " + r.getBody()).isEqualTo(400);
            assertThat(body(r).path("error").asText()).isEqualTo("bad_query");
            assertThat(body(r).path("message").asText()).as(q).startsWith(FLOW_DURATION + " is a long field: wildcard,"
                    + " regular-expression and fuzzy terms do not work on it (").endsWith("; to match several numbers,"
                    + " search a range, e.g. " + FLOW_DURATION + ":[1 TO 1023] or " + FLOW_DURATION + ":>1023");
        }
        assertThat(engineHits(FLOW_DURATION + ":/50.*/")).as("the engine alone").isEqualTo("200 0 hits");
        assertThat(body(call(handler, FLOW_DURATION + ":50*")).path("message").asText()).contains("(Can only use"
                + " prefix queries on keyword");
        assertThat(ids(body(call(handler, FLOW_DURATION + ":[5000 TO 5099]")))).containsExactly("flow-1");
        // a regular expression on a keyword extra column still searches it
        assertThat(ids(body(call(handler, USER_AGENT + ":/cu.*/")))).containsExactly("web-10");
    }

    /**
     * A wildcard or fuzzy term on a number or date field of the contract ({@code dstPort:5*}): the engine's refusal,
     * made a hint to search a range — the engine's words said only that such queries work on keyword and text fields.
     */
    @Test
    void aWildcardOnANumberOrDateFieldSaysToSearchARange() throws Exception {
        Map<String, String> said = Map.of("dstPort:5*", "dstPort is an integer field", "srcPort:5000?",
                "srcPort is an integer field", "bytesIn:2*", "bytesIn is a long field", "dstPort:53~",
                "dstPort is an integer field", "host:a.example AND timestamp:2018-05-09*", "timestamp is a date field");
        for (Map.Entry<String, String> e : said.entrySet()) {
            APIGatewayProxyResponseEvent r = call(handler, e.getKey());
            assertThat(r.getStatusCode()).as(e.getKey() + " " + r.getBody()).isEqualTo(400);
            assertThat(body(r).path("error").asText()).isEqualTo("bad_query");
            assertThat(body(r).path("message").asText()).as(e.getKey()).startsWith(e.getValue() + ": wildcard,"
                    + " regular-expression and fuzzy terms do not work on it (Can only use ").contains("search a range,"
                    + " e.g. ");
        }
        // the ranges the messages suggest find what was meant
        assertThat(ids(body(call(handler, "dstPort:[1 TO 100]")))).containsExactlyInAnyOrder("dns-10", "dns-10b",
                "dns-192", "web-192", "flow-1", "flow-2");
        assertThat(ids(body(call(handler, "timestamp:[2018-05-09 TO 2018-05-10}")))).containsExactlyInAnyOrder(
                "dns-10", "dns-10b", "web-10", "flow-1");
    }

    /**
     * An IPv4 address without a field searches host, srcIp and dstIp, not only host (newcomer9, 3); quoted, IPv6
     * and CIDR forms: SearchApiBareAddressIT.
     */
    @Test
    void aBareIpAddressIsSearchedOnTheAddressFieldsToo() throws Exception {
        assertThat(ids(body(call(handler, "10.0.0.1")))).containsExactly("dns-10");
        assertThat(ids(body(call(handler, "93.184.216.34 AND dstPort:443")))).containsExactly("web-10");
        assertThat(ids(body(call(handler, "10.0.0.1 example.com")))).containsExactlyInAnyOrder("dns-10", "web-10",
                "web-192");
        assertThat(ids(body(call(handler, "dstPort:53 AND NOT 10.0.0.53")))).isEmpty(); // every one has it as dstIp
        assertThat(ids(body(call(handler, "dstPort:53 AND NOT 10.0.0.1")))).containsExactlyInAnyOrder("dns-10b",
                "dns-192", "flow-1", "flow-2");
        // a refused query's message says what was sent
        APIGatewayProxyResponseEvent bad = call(handler, "10.0.0.1 AND dstPort:53 AND x^");
        assertThat(bad.getStatusCode()).isEqualTo(400);
        assertThat(body(bad).path("message").asText()).contains("(q was sent as (host:10.0.0.1 OR srcIp:10.0.0.1 OR"
                + " dstIp:10.0.0.1) AND dstPort:53 AND x^:").contains("searches an IP address without a field on host,"
                + " srcIp and dstIp");
    }

    /**
     * The loader stores proto as the IANA name, so proto:6 found nothing, silently: a protocol number on proto is
     * sent as its name, and finds what the name finds.
     */
    @Test
    void aProtocolNumberFindsWhatItsNameFinds() throws Exception {
        List<String> tcp = ids(body(call(handler, "proto:tcp")));
        assertThat(tcp).containsExactlyInAnyOrder("dns-10", "dns-10b", "web-10", "dns-192", "web-192");
        assertThat(ids(body(call(handler, "proto:6")))).containsExactlyInAnyOrderElementsOf(tcp);
        assertThat(ids(body(call(handler, "proto:17 AND dstPort:53")))).containsExactlyInAnyOrder("flow-1", "flow-2");
        assertThat(ids(body(call(handler, "proto:(6 OR 17)")))).hasSize(7);
        assertThat(ids(body(call(handler, "proto:200")))).isEmpty(); // no name: left as it is
        APIGatewayProxyResponseEvent bad = call(handler, "proto:6 AND dstPort:53 AND x^");
        assertThat(bad.getStatusCode()).isEqualTo(400);
        assertThat(body(bad).path("message").asText()).contains("(q was sent as proto:tcp AND dstPort:53 AND x^:")
                .contains("sends a protocol number on proto as its name");
    }

    /**
     * Each bare address is sent on three fields, and the engine refuses a query of more than 1,024 clauses with an
     * HTTP 500, a 502 here: 342 of them (3,550 characters) failed so (review s9c, 2), and on this node 205 ran and 206
     * failed (a term on an IP field is two clauses: 513 srcIp:x terms or blocks alone fail too,
     * SearchApiBareAddressIT). The guard refuses such a query with a 400 saying what to write, and the most it allows
     * run.
     */
    @Test
    void tooManyBareAddressesAreA400NotAnEngineFailure() throws Exception {
        APIGatewayProxyResponseEvent refused = call(handler, addresses(342));
        assertThat(refused.getStatusCode()).as(refused.getBody()).isEqualTo(400);
        assertThat(body(refused).path("error").asText()).isEqualTo("bad_query");
        assertThat(body(refused).path("message").asText()).startsWith("q has 342 IP addresses without a field")
                .contains("Name the field of the addresses");
        APIGatewayProxyResponseEvent most = call(handler,
                addresses(QueryGuard.MAX_CLAUSES_WITH_BARE_IPS / QueryGuard.BARE_IP_CLAUSES));
        assertThat(most.getStatusCode()).as(most.getBody()).isEqualTo(200);
        assertThat(ids(body(most))).contains("dns-10");
        APIGatewayProxyResponseEvent fielded = call(handler, "srcIp:(" + addresses(200).replace(" ", " OR ") + ")");
        assertThat(fielded.getStatusCode()).as(fielded.getBody()).isEqualTo(200);
        assertThat(ids(body(fielded))).contains("dns-10");
    }

    /**
     * 513 short IPv6 addresses on srcIp (the list that fits the default MAX_QUERY_LENGTH) pass the parser, and the
     * engine fails the search with an HTTP 500 too_many_nested_clauses (a term on an IP field is two of its 1,024
     * clauses), which the api answered as a 502 search_failed — "our fault" for a query that is too big: now a 400
     * bad_query that says so and what to write, found on that error path (valid queries cost nothing more). The CIDR
     * block it suggests runs.
     */
    @Test
    void aListOfAddressesOverTheEnginesClauseLimitIs400NotA502() throws Exception {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < 513; i++) {
            list.append(i == 0 ? "" : " ").append("::").append(Integer.toHexString(i));
        }
        String q = "srcIp:(" + list + ")";
        assertThat(engineHits(q.replaceAll("(::[0-9a-f]+)", "\"$1\""))).as("the engine alone").startsWith("500 ")
                .contains("\"type\":\"too_many_nested_clauses\"");
        APIGatewayProxyResponseEvent r = call(handler, q);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
        assertThat(body(r).path("error").asText()).isEqualTo("bad_query");
        assertThat(body(r).path("message").asText()).isEqualTo("q has more clauses than the search engine takes in one"
                + " search (at most 1024, counted over the whole query: each term, phrase and range is one, a term or"
                + " CIDR block on srcIp or dstIp two, so about 500 addresses on srcIp are too many). Search fewer values"
                + " at once, or a CIDR block (srcIp:10.0.0.0/24, srcIp:\"2001:db8::/120\") or a range (dstPort:[1 TO"
                + " 1023]) instead of a list of values");
        assertThat(call(handler, "srcIp:\"::/119\"").getStatusCode()).isEqualTo(200);
    }

    /**
     * A pattern of field names (docs/API.md, "Field name patterns"). Unescaped (dst*:…) it does not parse, and the
     * engine's "Encountered ":" … column 4" becomes the advice to escape the star. Escaped, the engine searches the term
     * on every field the pattern matches: a prefix is refused for the first number or IP field among them, which q does
     * not name, and the message names the pattern; a regular expression on a pattern that matches a keyword finds
     * through it (one on a pattern of only number and IP fields: the test below).
     */
    @Test
    void aFieldNamePatternIsNamedInTheRefusalsItCauses() throws Exception {
        assertThat(engineHits("dst*:/5.*/")).as("the engine alone").startsWith("400 ").contains("Encountered");
        APIGatewayProxyResponseEvent unescaped = call(handler, "dst*:/5.*/");
        assertThat(unescaped.getStatusCode()).as(unescaped.getBody()).isEqualTo(400);
        assertThat(body(unescaped).path("message").asText()).startsWith("q has the field name dst* with an unescaped *:"
                + " Lucene reads dst* as a wildcard term").contains("dst\\*:… searches every field whose name matches");
        assertThat(body(call(handler, "*Port:5*")).path("message").asText()).startsWith("q has the field name *Port"
                + " with an unescaped *");

        assertThat(engineHits("s\\*:exa*")).as("the engine alone").startsWith("400 ").contains("Can only use prefix"
                + " queries");
        APIGatewayProxyResponseEvent prefix = call(handler, "s\\*:exa*");
        assertThat(prefix.getStatusCode()).as(prefix.getBody()).isEqualTo(400);
        assertThat(body(prefix).path("message").asText()).startsWith("q's field pattern s* matches s").contains(", and a"
                + " pattern searches its term on every field it matches: ").endsWith("name the keyword fields meant"
                + " instead of the pattern (e.g. host:goo* OR uri:goo*)");

        // a ? makes no pattern of a field name (OpenSearch expands * alone): dst\?ort is one name, which no index has
        assertThat(engineHits("dst\\?ort:5")).as("the engine alone").isEqualTo("200 0 hits");
        APIGatewayProxyResponseEvent question = call(handler, "dst\\?ort:5");
        assertThat(question.getStatusCode()).as(question.getBody()).isEqualTo(400);
        assertThat(body(question).path("error").asText()).isEqualTo("unknown_field");
        assertThat(body(question).path("message").asText()).contains("dst?ort");

        assertThat(ids(body(call(handler, "ho\\*:/exa.*/")))).containsExactlyInAnyOrder("web-10", "web-192");
    }

    /**
     * A regular expression on a field name pattern that matches only IP, number or date fields finds nothing, without an
     * error (the engine builds it on each matched field's indexed terms, and those fields index none): a 400 that names
     * the pattern, the fields it matched with their types and what to search instead. A pattern that matches a keyword
     * — a contract field, or an extra column the daily indices map as one — keeps its regular expression, and one that
     * matches no field is left to the engine.
     */
    @Test
    void aRegularExpressionOnAPatternOfOnlyNumberAndIpFieldsIsRefusedNamingThem() throws Exception {
        for (String q : List.of("dst\\*:/5.*/", "\\*Port:/44.*/", "Flow\\*:/5.*/", "dst\\*:(/5.*/ OR /9.*/)")) {
            assertThat(engineHits(q)).as("the engine alone: " + q).startsWith("200 ");
        }
        assertThat(engineHits("dst\\*:/5.*/")).as("dstIp and dstPort hold no terms").isEqualTo("200 0 hits");
        assertThat(engineHits("Flow\\*:/5.*/")).as("neither does the long column").isEqualTo("200 0 hits");

        APIGatewayProxyResponseEvent r = call(handler, "dst\\*:/5.*/");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
        assertThat(body(r).path("error").asText()).isEqualTo("bad_query");
        assertThat(body(r).path("message").asText()).isEqualTo("q's field pattern dst* matches only fields that hold no"
                + " text — dstIp (ip), dstPort (integer) — and a regular expression matches nothing on an IP, number or"
                + " date field, without an error: /5.*/ would find nothing there. To match a range of addresses, search"
                + " a CIDR block (dstIp:10.0.0.0/24); to match several numbers, a range (dstPort:[1 TO 1023]); for a"
                + " regular expression, name a keyword field (host:/5.*/)");
        assertThat(body(call(handler, "\\*Port:/44.*/")).path("message").asText()).startsWith("q's field pattern *Port"
                + " matches only fields that hold no text — dstPort (integer), srcPort (integer) —");
        APIGatewayProxyResponseEvent extra = call(handler, "Flow\\*:/5.*/");
        assertThat(extra.getStatusCode()).as(extra.getBody()).isEqualTo(400);
        assertThat(body(extra).path("message").asText()).startsWith("q's field pattern Flow* matches only fields that"
                + " hold no text — " + FLOW_DURATION + " (long) —").contains("(" + FLOW_DURATION + ":[1 TO 1023])");
        assertThat(call(handler, "dst\\*:(/5.*/ OR /9.*/)").getStatusCode()).isEqualTo(400);
        // written with other escapes, the name is the same pattern to the engine (Lucene's parser removes the escapes:
        // d\st\* is dst*, and so is dst with the unicode escape of *), so the same regular expression gets the same 400; the guard looked for the
        // text dst\*: and searched these (200, 0 hits)
        assertThat(engineHits("h\\o\\*:/exa.*/")).as("the engine expands an escaped name as a pattern")
                .isEqualTo(engineHits("ho\\*:/exa.*/")).isNotEqualTo("200 0 hits");
        assertThat(engineHits("ho\\u002a:/exa.*/")).isEqualTo(engineHits("ho\\*:/exa.*/"));
        for (String q : List.of("d\\st\\*:/5.*/", "dst\\u002a:/5.*/", "\\d\\s\\t\\*:(/5.*/ OR /9.*/)")) {
            assertThat(engineHits(q)).as("the engine alone: " + q).isEqualTo("200 0 hits");
            APIGatewayProxyResponseEvent same = call(handler, q);
            assertThat(same.getStatusCode()).as(q + ": " + same.getBody()).isEqualTo(400);
            assertThat(body(same).path("message").asText()).as(q).startsWith("q's field pattern dst* matches only"
                    + " fields that hold no text — dstIp (ip), dstPort (integer) —");
        }
        assertThat(body(call(handler, "d\\st\\*:/5.*/")).path("message").asText())
                .isEqualTo(body(r).path("message").asText());
        // what the message says finds the records
        assertThat(ids(body(call(handler, "dstPort:[1 TO 1023] AND dstIp:10.0.0.0/24")))).contains("dns-10", "dns-192");

        // a pattern that matches a keyword keeps its regular expression: a contract field, an extra keyword column
        assertThat(ids(body(call(handler, "\\*_\\*:/cu.*/")))).as("user_agent, a keyword; Flow_Duration, a long")
                .containsExactly("web-10");
        assertThat(ids(body(call(handler, "s\\*:/fixture.*/")))).as("sourceFile").hasSize(7);
        // one that matches no field is the engine's (as a field name pattern without a regular expression)
        APIGatewayProxyResponseEvent none = call(handler, "zzz\\*:/5.*/");
        assertThat(none.getStatusCode()).as(none.getBody()).isEqualTo(200);
    }

    /**
     * Answers that misled: a reversed range and a fraction on an extra whole-number column were 200s with 0 hits (the
     * engine alone still answers so); a value the engine refuses named neither its field nor, on a field name pattern,
     * the pattern. Now 400s that name them, and what they say to write finds the records.
     */
    @Test
    void aReversedRangeAFractionOnAWholeNumberColumnAndARefusedValueAreNamed() throws Exception {
        for (String q : List.of("dstPort:[443 TO 80]", "srcIp:[10.0.0.3 TO 10.0.0.1]",
                "timestamp:[2018-05-10 TO 2018-05-09]", FLOW_DURATION + ":[5000 TO 2]", FLOW_DURATION + ":2.5")) {
            assertThat(engineHits(q)).as("the engine alone: " + q).isEqualTo("200 0 hits");
        }
        assertThat(body(call(handler, "dstPort:[443 TO 80]")).path("message").asText()).endsWith("Write it the other"
                + " way round: dstPort:[80 TO 443]");
        assertThat(ids(body(call(handler, "dstPort:[80 TO 443]")))).containsExactlyInAnyOrder("web-10", "web-192");
        assertThat(body(call(handler, "srcIp:[10.0.0.3 TO 10.0.0.1]")).path("message").asText())
                .endsWith("srcIp:[10.0.0.1 TO 10.0.0.3]");
        assertThat(ids(body(call(handler, "srcIp:[10.0.0.1 TO 10.0.0.3]")))).containsExactlyInAnyOrder("dns-10",
                "dns-10b", "web-10");
        assertThat(body(call(handler, "timestamp:[2018-05-10 TO 2018-05-09]")).path("message").asText())
                .endsWith("timestamp:[2018-05-09 TO 2018-05-10]");
        APIGatewayProxyResponseEvent range = call(handler, FLOW_DURATION + ":[5000 TO 2]");
        assertThat(range.getStatusCode()).as(range.getBody()).isEqualTo(400);
        assertThat(body(range).path("message").asText()).endsWith(FLOW_DURATION + ":[2 TO 5000]");
        assertThat(ids(body(call(handler, FLOW_DURATION + ":[2 TO 5000]")))).containsExactlyInAnyOrder("flow-1",
                "flow-2");
        APIGatewayProxyResponseEvent fraction = call(handler, FLOW_DURATION + ":2.5");
        assertThat(fraction.getStatusCode()).as(fraction.getBody()).isEqualTo(400);
        assertThat(body(fraction).path("message").asText()).isEqualTo(FLOW_DURATION + " is a long field in every daily"
                + " index: '2.5' is not a whole number, so it would match nothing (every " + FLOW_DURATION + " is one)."
                + " Search a whole number (" + FLOW_DURATION + ":2) or a range (" + FLOW_DURATION + ":[2 TO 3])");
        assertThat(ids(body(call(handler, FLOW_DURATION + ":[2 TO 3]")))).containsExactly("flow-2");

        assertThat(engineHits(FLOW_DURATION + ":\"OK\"")).as("the engine alone").startsWith("400 ")
                .contains("For input string: \\\"OK\\\"");
        assertThat(body(call(handler, FLOW_DURATION + ":\"OK\"")).path("message").asText()).isEqualTo(FLOW_DURATION
                + " is a long field in every daily index: 'OK' is not a number. Search a number (" + FLOW_DURATION
                + ":5) or a range (" + FLOW_DURATION + ":[1 TO 1023])");
        assertThat(body(call(handler, "srcIp:abc")).path("message").asText()).startsWith("srcIp is an IP field: 'abc'"
                + " is not an IP address");
        assertThat(body(call(handler, "dst\\*:53")).path("message").asText()).startsWith("q's field pattern dst*"
                + " searches '53' on every field it matches, and dstIp, an IP field, takes no such value")
                .endsWith("(dstPort:53)");
        assertThat(body(call(handler, "dst\\*:10.0.0.53")).path("message").asText()).contains("dstPort, a number"
                + " field, takes no such value").endsWith("(dstIp:10.0.0.53)");
        assertThat(ids(body(call(handler, "dstIp:10.0.0.53")))).contains("dns-10", "dns-192");
        assertThat(body(call(handler, "*:example.com")).path("message").asText()).startsWith("q's field pattern *"
                + " searches 'example.com' on every field it matches").endsWith("(host:example.com)");
        assertThat(ids(body(call(handler, "host:example.com")))).containsExactlyInAnyOrder("web-10", "web-192");
    }

    /**
     * The refusals of a value on an extra column show values of the column's type: a decimal column (the template maps a
     * JSON number with a fraction as a double: Zeek's rtt) got "search a number (rtt:5) or a range (rtt:[1 TO 1023])",
     * ports' examples; now fractions, and what the message says to write finds the record.
     */
    @Test
    void aRefusalOnADecimalColumnShowsDecimalValues() throws Exception {
        SearchIndexFixture decimals = new SearchIndexFixture(openSearch.uri(), "unknown-rtt-"
                + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Object> dns = new LinkedHashMap<>(doc("2018-05-09T10:00:00Z", "10.0.0.1", "10.0.0.53", 53, "a.example"));
        dns.put("rtt", 0.25);
        decimals.index(Map.of("dns-rtt", dns));
        ApiHandler h = new ApiHandler(env(decimals.prefix, openSearch.uri().toString()));

        APIGatewayProxyResponseEvent word = call(h, "rtt:\"slow\"");
        assertThat(word.getStatusCode()).as(word.getBody()).isEqualTo(400);
        assertThat(body(word).path("message").asText()).isEqualTo("rtt is a double field in every daily index: 'slow'"
                + " is not a number. Search a number (rtt:0.5) or a range (rtt:[0.1 TO 0.5])");
        APIGatewayProxyResponseEvent regexp = call(h, "rtt:/0\\.2.*/");
        assertThat(regexp.getStatusCode()).as(regexp.getBody()).isEqualTo(400);
        assertThat(body(regexp).path("message").asText()).startsWith("rtt is a double field: wildcard,")
                .endsWith("search a range, e.g. rtt:[0.1 TO 0.5] or rtt:>0.5");
        assertThat(ids(body(call(h, "rtt:[0.1 TO 0.5]")))).containsExactly("dns-rtt");
        assertThat(ids(body(call(h, "rtt:>0.1")))).containsExactly("dns-rtt");
    }

    /**
     * Reversed ranges the API used to leave to the engine, which answers them 200 with 0 hits as any reversed range:
     * epoch milliseconds on timestamp (also against an ISO-8601 bound), and an IPv4 address against an IPv6 one, which
     * the engine orders as IPv4-mapped IPv6 (::1 before 10.0.0.2 before 2001:db8::). Now the same 400 as the others,
     * and what it says to write finds the records; date math stays the engine's.
     */
    @Test
    void aReversedRangeInEpochMillisOrAcrossAddressFamiliesIsRefused() throws Exception {
        Map<String, String> reversed = new LinkedHashMap<>();
        reversed.put("timestamp:[1525946520000 TO 1525860000000]", "timestamp:[1525860000000 TO 1525946520000]");
        reversed.put("timestamp:[1525946520000 TO 2018-05-09]", "timestamp:[2018-05-09 TO 1525946520000]");
        reversed.put("srcIp:[10.0.0.2 TO ::1]", "srcIp:[::1 TO 10.0.0.2]");
        reversed.put("srcIp:[\"2001:db8::1\" TO 10.0.0.2]", "srcIp:[10.0.0.2 TO 2001:db8::1]");
        for (Map.Entry<String, String> e : reversed.entrySet()) {
            assertThat(engineHits(e.getKey())).as("the engine alone: " + e.getKey()).isEqualTo("200 0 hits");
            APIGatewayProxyResponseEvent r = call(handler, e.getKey());
            assertThat(r.getStatusCode()).as(e.getKey() + " " + r.getBody()).isEqualTo(400);
            assertThat(body(r).path("error").asText()).isEqualTo("bad_query");
            assertThat(body(r).path("message").asText()).as(e.getKey()).endsWith("Write it the other way round: "
                    + e.getValue());
        }
        assertThat(body(call(handler, "timestamp:[1525946520000 TO 1525860000000]")).path("message").asText())
                .contains("its first time is after its last (2018-05-10T10:02:00Z TO 2018-05-09T10:00:00Z in UTC)");
        assertThat(body(call(handler, "srcIp:[10.0.0.2 TO ::1]")).path("message").asText()).contains("(the search"
                + " engine orders an IPv4 address as its IPv4-mapped IPv6 address, 10.0.0.2 as ::ffff:10.0.0.2: after"
                + " ::1, before 2001:db8::)");
        assertThat(ids(body(call(handler, "timestamp:[1525860000000 TO 1525946520000]")))).hasSize(7);
        assertThat(ids(body(call(handler, "srcIp:[::1 TO 10.0.0.2]")))).containsExactlyInAnyOrder("dns-10", "dns-10b");
        assertThat(ids(body(call(handler, "srcIp:[10.0.0.2 TO 2001:db8::1]")))).contains("dns-10b", "web-10",
                "dns-192");
        // date math, a year and a keyword range stay the engine's
        for (String q : List.of("timestamp:[now TO now-1d]", "timestamp:[1525946520000 TO 2017]", "host:[z TO a]")) {
            APIGatewayProxyResponseEvent r = call(handler, q);
            assertThat(r.getStatusCode()).as(q + " " + r.getBody()).isEqualTo(200);
        }
    }

    /** {@code n} IPv4 addresses, 10.0.0.1 first, separated by spaces. */
    private static String addresses(int n) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? "" : " ").append("10.").append(i / 256).append('.').append(i % 256).append(".1");
        }
        return q.toString();
    }

    /** A source's own column name suggests the field the loader maps it to (newcomer9, 2). */
    @Test
    void aSourceColumnNameSuggestsItsContractField() throws Exception {
        APIGatewayProxyResponseEvent r = call(handler, "id.orig_h:10.0.0.1");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(400);
        assertThat(body(r).path("message").asText()).isEqualTo("field 'id.orig_h' does not exist in any index; did you"
                + " mean 'srcIp'? (the loader maps the column 'id.orig_h' to the field srcIp)");
        assertThat(body(call(handler, "query:google.com")).path("message").asText()).contains("did you mean 'host'?");
    }

    @Test
    void anExtraColumnOfALoadedFileIsAFieldLikeAnyOther() throws Exception {
        assertThat(USER_AGENT).isEqualTo("user_agent");
        APIGatewayProxyResponseEvent r = call(handler, USER_AGENT + ":curl* OR " + USER_AGENT + ":Wget");
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(ids(body(r))).containsExactlyInAnyOrder("web-10", "web-192");
        // patterns and metadata fields are not looked up: OpenSearch expands or knows them
        for (String q : List.of("_exists_:" + USER_AGENT, "user\\*:curl*", "*:*", "_id:dns-10")) {
            APIGatewayProxyResponseEvent ok = call(handler, q);
            assertThat(ok.getStatusCode()).as(q + " " + ok.getBody()).isEqualTo(200);
        }
    }

    @Test
    void withoutAnyIndexOrWhenTheLookupFailsTheSearchRunsUnchecked() throws Exception {
        ApiHandler empty = new ApiHandler(env("unknown-none-" + UUID.randomUUID().toString().substring(0, 8),
                openSearch.uri().toString()));
        APIGatewayProxyResponseEvent none = call(empty, "srcip:10.0.0.1");
        assertThat(none.getStatusCode()).as(none.getBody()).isEqualTo(200);
        assertThat(body(none).at("/total/value").asLong()).isZero();
        // a name so long that OpenSearch refuses the _field_caps request line that asks it alone (4 KB): the check
        // cannot run, so the search runs as before
        String longName = "Ab".repeat(2040);
        APIGatewayProxyResponseEvent unchecked = call(handler, longName + ":x");
        assertThat(unchecked.getStatusCode()).as(unchecked.getBody()).isEqualTo(200);
        assertThat(body(unchecked).at("/total/value").asLong()).isZero();
        // one that fits alone but not with its lower-cased variant is asked in two requests now, and checked (it was
        // unchecked while both went into one request line: review s9c, 3)
        APIGatewayProxyResponseEvent checked = call(handler, "Ab".repeat(1200) + ":x");
        assertThat(checked.getStatusCode()).as(checked.getBody()).isEqualTo(400);
        assertThat(body(checked).path("error").asText()).isEqualTo("unknown_field");
    }

    @Test
    void onlyQueriesWithNamesOutsideTheContractAskTheIndicesAndTheAnswerIsReused() throws Exception {
        Map<String, String> env = env(fixture.prefix, proxy.uri().toString());
        env.put("OPENSEARCH_AUTH", "sigv4");
        env.put("AWS_ACCESS_KEY_ID", "AKIAQNETMETALOCAL001");
        env.put("AWS_SECRET_ACCESS_KEY", "secret");
        ApiHandler viaProxy = JvmTrustStore.whileBuilding(certificate, () -> new ApiHandler(env));
        proxy.clear();
        // the api benchmark's queries and other contract-only ones: no _field_caps request
        for (String q : List.of("srcIp:127.0.0.1 AND host:google.com", "srcIp:10.0.0.0/8 AND dstPort:[0 TO 1023]",
                "host:mail.goo*", "sourceFile:\"x\" OR *:*", "_exists_:" + USER_AGENT)) {
            assertThat(call(viaProxy, q).getStatusCode()).as(q).isEqualTo(200);
        }
        assertThat(proxy.requests()).filteredOn(q -> q.rawPath().endsWith("/_field_caps")).isEmpty();
        // a regular expression on a field name pattern that matches a keyword contract field: decided without a request
        for (String q : List.of("s\\*:/fixture.*/", "ho\\*:/exa.*/", "*:/exa.*/", "\\*Port:53 AND host:/exa.*/")) {
            APIGatewayProxyResponseEvent r = call(viaProxy, q);
            assertThat(r.getStatusCode()).as(q + " " + r.getBody()).isEqualTo(200);
        }
        assertThat(proxy.requests()).filteredOn(q -> q.rawPath().endsWith("/_field_caps")).isEmpty();
        // one on a pattern that matches no keyword contract field: one request for the pattern, its answer reused
        for (int k = 0; k < 3; k++) {
            assertThat(call(viaProxy, "dst\\*:/5.*/").getStatusCode()).isEqualTo(400);
            assertThat(call(viaProxy, "\\*_\\*:/cu.*/").getStatusCode()).isEqualTo(200);
        }
        assertThat(proxy.requests()).filteredOn(q -> q.rawPath().endsWith("/_field_caps")).hasSize(2);
        proxy.clear();
        // an extra column: one request, reused for the same names
        for (int k = 0; k < 3; k++) {
            assertThat(call(viaProxy, USER_AGENT + ":curl* AND srcIp:10.0.0.0/8").getStatusCode()).isEqualTo(200);
        }
        assertThat(proxy.requests()).filteredOn(q -> q.rawPath().endsWith("/_field_caps")).hasSize(1);
        // an unknown name: one request asks for it and its spelling variants together, and no search is sent
        proxy.clear();
        assertThat(call(viaProxy, "&&User_Agent:curl").getStatusCode()).isEqualTo(400);
        assertThat(proxy.requests()).hasSize(1);
        assertThat(proxy.requests().get(0).rawPath()).endsWith("/_field_caps");
    }

    @Test
    void aLeadingWildcardIsRefusedByTheApiSayingWhatToWriteInstead() throws Exception {
        for (String q : List.of("host:*oogle.com", "host:?oogle.com")) {
            APIGatewayProxyResponseEvent r = call(handler, q);
            assertThat(r.getStatusCode()).as(q).isEqualTo(400);
            assertThat(body(r).path("error").asText()).isEqualTo("bad_query");
            assertThat(body(r).path("message").asText()).as(q).startsWith("the wildcard term " + q.substring(5)
                    + " must start with a literal character").contains("trailing wildcard such as goog*")
                    .doesNotContain("WildcardQuery");
        }
        assertThat(call(handler, "host:exam*").getStatusCode()).isEqualTo(200);
        assertThat(call(handler, "host:*").getStatusCode()).isEqualTo(200);
    }
}
