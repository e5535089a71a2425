package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.doc;
import static dev.netmeta.api.SearchIndexFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The api handler against the embedded OpenSearch node, with documents indexed by the test itself. */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiIT {

    private final ObjectMapper json = new ObjectMapper();
    private SearchIndexFixture fixture;
    private ApiHandler handler;
    private OpenSearchEndpoint openSearch;

    @BeforeAll
    void indexDocuments(OpenSearchEndpoint openSearch) throws Exception {
        this.openSearch = openSearch;
        fixture = new SearchIndexFixture(openSearch.uri(), "apiit-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        docs.put("match-1", doc("2018-05-09T10:00:00Z", "127.0.0.1", "142.250.1.1", 443, "google.com"));
        docs.put("match-2", doc("2018-05-10T11:00:00Z", "127.0.0.1", "142.250.1.2", 80, "google.com"));
        docs.put("other-host", doc("2018-05-09T10:05:00Z", "127.0.0.1", "93.184.216.34", 443, "example.com"));
        docs.put("other-ip", doc("2018-05-09T10:06:00Z", "10.1.2.3", "142.250.1.1", 443, "google.com"));
        docs.put("ten-net", doc("2018-05-11T09:00:00Z", "10.200.0.9", "192.168.1.1", 8080, "intranet.local"));
        docs.put("v6", doc("2018-05-11T09:30:00Z", "2001:db8::1", "2001:db8::2", 53, "dns.example"));
        fixture.index(docs);
        handler = new ApiHandler(env(fixture.prefix, openSearch.uri().toString()));
    }

    private static Map<String, String> env(String prefix, String url) {
        Map<String, String> env = new HashMap<>();
        env.put("OPENSEARCH_URL", url);
        env.put("OPENSEARCH_AUTH", "none");
        env.put("INDEX_PREFIX", prefix);
        env.put("CORS_ALLOW_ORIGIN", "*");
        return env;
    }

    private static APIGatewayProxyRequestEvent request(Map<String, String> params) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(params);
        event.setMultiValueQueryStringParameters(null);
        return event;
    }

    private static Map<String, String> params(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private APIGatewayProxyResponseEvent call(ApiHandler h, String... kv) {
        return h.handleRequest(request(params(kv)), null);
    }

    private JsonNode body(APIGatewayProxyResponseEvent r) throws IOException {
        return json.readTree(r.getBody());
    }

    @Test
    void theFixtureQueryReturnsExactlyTheMatchingDocumentsNewestFirst() throws Exception {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        APIGatewayProxyResponseEvent r = handler.handleRequest(event, null);
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(r.getHeaders()).containsEntry("Content-Type", "application/json; charset=utf-8")
                .containsEntry("Access-Control-Allow-Origin", "*");
        JsonNode body = body(r);
        assertThat(ids(body)).containsExactly("match-2", "match-1");
        assertThat(body.at("/total/value").asLong()).isEqualTo(2);
        assertThat(body.at("/total/relation").asText()).isEqualTo("eq");
        assertThat(body.path("next").isNull()).isTrue();
        JsonNode first = body.path("hits").get(0);
        assertThat(first.path("index").asText()).isEqualTo(fixture.prefix + "-2018.05.10");
        assertThat(first.at("/fields/host").asText()).isEqualTo("google.com");
        assertThat(first.at("/fields/dstPort").asInt()).isEqualTo(80);
    }

    @Test
    void cidrMatchesWithOrWithoutQuotes() throws Exception {
        for (String q : List.of("srcIp:10.0.0.0/8", "srcIp:\"10.0.0.0/8\"", "srcIp:10.0.0.0\\/8", "srcIp: 10.0.0.0/8",
                "srcIp : 10.0.0.0/8")) {
            APIGatewayProxyResponseEvent r = call(handler, "q", q);
            assertThat(r.getStatusCode()).as(q).isEqualTo(200);
            assertThat(ids(body(r))).as(q).containsExactlyInAnyOrder("ten-net", "other-ip");
        }
        assertThat(ids(body(call(handler, "q", "srcIp:2001:db8::/32")))).containsExactly("v6");
        assertThat(ids(body(call(handler, "q", "srcIp :\t2001:db8::/32")))).containsExactly("v6");
        assertThat(ids(body(call(handler, "q", "srcIp:(\"10.200.0.0/16\" OR \"2001:db8::/32\")"))))
                .containsExactlyInAnyOrder("ten-net", "v6");
        assertThat(ids(body(call(handler, "q", "dstIp:142.250.0.0/16 AND NOT srcIp:10.0.0.0/8"))))
                .containsExactlyInAnyOrder("match-1", "match-2");
        // in a group of an IP field too: the group finds what the OR of its single-block queries finds
        for (String[] c : new String[][]{
                {"srcIp:(10.0.0.0/8 OR 127.0.0.0/8)", "srcIp:10.0.0.0/8 OR srcIp:127.0.0.0/8"},
                {"srcIp:(10.200.0.0/16 2001:db8::/32)", "srcIp:10.200.0.0/16 OR srcIp:2001:db8::/32"}}) {
            List<String> either = ids(body(call(handler, "q", c[1])));
            APIGatewayProxyResponseEvent group = call(handler, "q", c[0]);
            assertThat(group.getStatusCode()).as(c[0] + " " + group.getBody()).isEqualTo(200);
            assertThat(ids(body(group))).as(c[0]).isNotEmpty().containsExactlyInAnyOrderElementsOf(either);
        }
        assertThat(ids(body(call(handler, "q", "srcIp:(10.0.0.0/8 OR 127.0.0.0/8)"))))
                .containsExactlyInAnyOrder("ten-net", "other-ip", "match-1", "match-2", "other-host");
        assertThat(ids(body(call(handler, "q", "srcIp:(10.0.0.0/8 AND NOT (10.200.0.0/16 OR 127.0.0.0/8))"))))
                .containsExactly("other-ip");
    }

    @Test
    void boostedBlocksIpv6BlocksEndingInAnIpv4AddressAndBlocksStartingWithAColonFindWhatTheQuotedFormFinds()
            throws Exception {
        // each unquoted form (which OpenSearch's parser cannot read) finds what the quoted one finds
        for (String[] c : new String[][]{
                {"srcIp:10.0.0.0/8^2", "srcIp:\"10.0.0.0/8\"^2", "ten-net", "other-ip"},
                {"srcIp:(10.0.0.0/8^2 OR 127.0.0.0/8)", "srcIp:(\"10.0.0.0/8\"^2 OR \"127.0.0.0/8\")", "ten-net",
                        "other-ip", "match-1", "match-2", "other-host"},
                {"srcIp:::/0", "srcIp:\"::/0\"", "ten-net", "other-ip", "match-1", "match-2", "other-host", "v6"},
                {"srcIp : ::/3", "srcIp : \"::/3\"", "ten-net", "other-ip", "match-1", "match-2", "other-host"},
                {"dstIp:2001:db8::0.0.0.2/128", "dstIp:\"2001:db8::0.0.0.2/128\"", "v6"},
                {"srcIp:(::/0)", "srcIp:(\"::/0\")", "ten-net", "other-ip", "match-1", "match-2", "other-host", "v6"},
                {"srcIp:(10.0.0.0/8 OR ::1/128)", "srcIp:(\"10.0.0.0/8\" OR \"::1/128\")", "ten-net", "other-ip"},
                {"srcIp:(::/3 AND NOT 10.0.0.0/8)", "srcIp:(\"::/3\" AND NOT \"10.0.0.0/8\")", "match-1", "match-2",
                        "other-host"},
                {"dstIp:(+::/0 -::/3)", "dstIp:(+\"::/0\" -\"::/3\")", "v6"}}) {
            APIGatewayProxyResponseEvent unquoted = call(handler, "q", c[0]);
            APIGatewayProxyResponseEvent quoted = call(handler, "q", c[1]);
            assertThat(unquoted.getStatusCode()).as(c[0] + " " + unquoted.getBody()).isEqualTo(200);
            assertThat(quoted.getStatusCode()).as(c[1] + " " + quoted.getBody()).isEqualTo(200);
            JsonNode u = body(unquoted);
            JsonNode q = body(quoted);
            assertThat(ids(u)).as(c[0]).containsExactlyInAnyOrder(Arrays.copyOfRange(c, 2, c.length))
                    .containsExactlyInAnyOrderElementsOf(ids(q));
            assertThat(u.at("/total/value").asLong()).as(c[0]).isEqualTo(c.length - 2)
                    .isEqualTo(q.at("/total/value").asLong());
        }
        // an IPv4-mapped block is refused by OpenSearch, quoted or not (it cannot tell a v4 from a v6 prefix length):
        // the guard says so before, with the IPv4 block to write, which finds what the mapped one means
        for (String q : List.of("srcIp:\"::ffff:10.0.0.0/104\"", "srcIp:::ffff:10.0.0.0/104",
                "srcIp:(::ffff:10.0.0.0/104)")) {
            APIGatewayProxyResponseEvent r = call(handler, "q", q);
            assertThat(r.getStatusCode()).as(q).isEqualTo(400);
            assertThat(body(r).path("message").asText()).as(q).startsWith("q has the IPv4-mapped block")
                    .endsWith("Write the IPv4 block, which matches the same addresses (the engine stores IPv4"
                            + " addresses IPv4-mapped): srcIp:10.0.0.0/8");
        }
        assertThat(body(call(handler, "q", "::ffff:10.0.0.0/104")).path("message").asText()).endsWith(": 10.0.0.0/8");
        assertThat(call(handler, "q", "srcIp:10.0.0.0/8").getStatusCode()).isEqualTo(200);
        // a fuzzy or proximity suffix means nothing on an IP block: left as written, whose slash starts a regular
        // expression nothing ends (the API names it)
        APIGatewayProxyResponseEvent fuzzy = call(handler, "q", "srcIp:10.0.0.0/8~1");
        assertThat(fuzzy.getStatusCode()).isEqualTo(400);
        assertThat(body(fuzzy).path("message").asText()).startsWith("q has a '/' at position 15 that starts a regular"
                + " expression no '/' ends");
    }

    @Test
    void hostAndProtoMatchInAnyCaseAsTheyAreStoredLowerCased() throws Exception {
        for (String q : List.of("host:google.com", "host:Google.COM", "Google.com", "host:GOOG*", "host:\"GOOGLE.COM\"")) {
            assertThat(ids(body(call(handler, "q", q)))).as(q).containsExactlyInAnyOrder("match-1", "match-2", "other-ip");
        }
        assertThat(body(call(handler, "q", "proto:TCP")).at("/total/value").asLong()).isEqualTo(6);
    }

    @Test
    void portRangesAndBooleans() throws Exception {
        assertThat(ids(body(call(handler, "q", "dstPort:[0 TO 1023]", "sort", "timestamp:asc"))))
                .containsExactly("match-1", "other-host", "other-ip", "match-2", "v6");
        assertThat(ids(body(call(handler, "q", "dstPort:>1023")))).containsExactly("ten-net");
        assertThat(ids(body(call(handler, "q", "google.com AND NOT dstPort:443")))).containsExactly("match-2");
        assertThat(ids(body(call(handler, "q", "host:goog*")))).hasSize(3);
    }

    @Test
    void timeRangeFiltersOnTimestampFromInclusiveToExclusive() throws Exception {
        assertThat(ids(body(call(handler, "from", "2018-05-09T10:05:00Z", "to", "2018-05-10T11:00:00Z"))))
                .containsExactly("other-ip", "other-host");
        long from = java.time.Instant.parse("2018-05-10T00:00:00Z").toEpochMilli();
        assertThat(ids(body(call(handler, "q", "host:google.com", "from", Long.toString(from)))))
                .containsExactly("match-2");
        assertThat(ids(body(call(handler, "q", "timestamp:[2018-05-10 TO 2018-05-11}")))).containsExactly("match-2");
    }

    @Test
    void sortAndFieldsSelection() throws Exception {
        JsonNode body = body(call(handler, "q", "host:google.com", "sort", "dstPort:asc,timestamp:desc",
                "fields", "host,dstPort"));
        assertThat(ids(body)).containsExactly("match-2", "other-ip", "match-1");
        // blanks around the field and the direction (before: "sort order must be asc or desc, not ' desc'")
        assertThat(ids(body(call(handler, "q", "host:google.com", "sort", " dstPort : asc, timestamp: desc"))))
                .containsExactly("match-2", "other-ip", "match-1");
        JsonNode fields = body.path("hits").get(0).path("fields");
        assertThat(fields.size()).isEqualTo(2);
        assertThat(fields.path("dstPort").asInt()).isEqualTo(80);
    }

    @Test
    void badSyntaxIs400WithTheParsersReason() throws Exception {
        // what is unclosed the API names itself (UnreadableQueryTest); before: "Encountered "<EOF>" … column 16"
        JsonNode group = body(call(handler, "q", "host:(google.com"));
        assertThat(group.path("error").asText()).isEqualTo("bad_query");
        assertThat(group.path("message").asText()).isEqualTo("q has a '(' at position 6 that no ')' closes: close each"
                + " group with ')' where it ends, e.g. host:(google.com)");
        // so does an operator with nothing after it (before: the parser's "Encountered "<EOF>"", QueryMistakesTest)
        assertThat(body(call(handler, "q", "host:google.com AND")).path("message").asText()).startsWith("q ends with"
                + " the operator AND (position 17), which has nothing after it");
        // anything else the parser cannot read keeps its reason, cleaned (a boost without its number)
        APIGatewayProxyResponseEvent r = call(handler, "q", "host:google.com AND dstPort:53^");
        assertThat(r.getStatusCode()).isEqualTo(400);
        JsonNode body = body(r);
        assertThat(body.path("error").asText()).isEqualTo("bad_query");
        assertThat(body.path("message").asText()).contains("Cannot parse").contains("host:google.com AND dstPort:53^")
                .doesNotContain("Was expecting").doesNotContain("Exception");
        System.out.println("bad syntax message: " + body.path("message").asText());
    }

    @Test
    void aRefusedQueryWhoseCidrBlocksTheApiQuotedSaysWhatWasSent() throws Exception {
        JsonNode body = body(call(handler, "q", "srcIp:10.0.0.0/8 AND x^"));
        assertThat(body.path("error").asText()).isEqualTo("bad_query");
        // the engine's message quotes the sent text, with quotes the user never typed: the message says why
        assertThat(body.path("message").asText()).contains("Cannot parse")
                .endsWith("(q was sent as srcIp:\"10.0.0.0/8\" AND x^: the API quotes CIDR blocks on srcIp/dstIp, and the"
                        + " positions above count those characters)"); // no star was rewritten: not named
        // a query the API sent as typed gets no such note, nor a refusal that does not quote the query
        assertThat(body(call(handler, "q", "host:google.com AND x^")).path("message").asText())
                .doesNotContain("was sent as");
        JsonNode sort = body(call(handler, "q", "srcIp:10.0.0.0/8", "sort", "nosuchfield"));
        assertThat(sort.path("message").asText()).startsWith("cannot sort by 'nosuchfield'").doesNotContain("was sent as");
    }

    @Test
    void leadingWildcardsAndValuesThatDoNotFitTheFieldAre400() throws Exception {
        JsonNode wildcard = body(call(handler, "q", "host:*oogle.com"));
        assertThat(wildcard.path("error").asText()).isEqualTo("bad_query");
        // refused by the api's guard, which says what to write instead, before OpenSearch names Lucene's WildcardQuery
        assertThat(wildcard.path("message").asText()).startsWith("the wildcard term *oogle.com must start with a literal"
                + " character").doesNotContain("WildcardQuery");
        JsonNode badIp = body(call(handler, "q", "srcIp:10.0.0.300"));
        assertThat(badIp.path("error").asText()).isEqualTo("bad_query");
        assertThat(badIp.path("message").asText()).contains("10.0.0.300");
        // values and characters the engine reports as codes come back as text
        assertThat(body(call(handler, "q", "dstPort:99999999999")).path("message").asText())
                .contains("'99999999999'").doesNotContain("[[");
        assertThat(body(call(handler, "q", "host:a^-1")).path("message").asText()).contains("'-'").doesNotContain("'45'");
        // the pattern * also matches the number fields, which refuse an address: the message names the pattern
        assertThat(body(call(handler, "q", "*:\"10.0.0.1\"")).path("message").asText())
                .startsWith("q's field pattern * searches '10.0.0.1' on every field it matches")
                .contains("Name the field meant instead of the pattern");
        System.out.println("leading wildcard: " + wildcard.path("message").asText());
        System.out.println("bad ip: " + badIp.path("message").asText());
    }

    @Test
    void parameterErrorsAre400AndOtherRoutes404Or405() throws Exception {
        APIGatewayProxyResponseEvent unknown = call(handler, "q", "x", "limit", "5");
        assertThat(unknown.getStatusCode()).isEqualTo(400);
        assertThat(body(unknown).path("error").asText()).isEqualTo("unknown_parameter");
        assertThat(call(handler, "size", "5000").getStatusCode()).isEqualTo(400);
        assertThat(call(handler, "from", "last tuesday").getStatusCode()).isEqualTo(400);
        assertThat(call(handler, "cursor", "garbage.cursor").getStatusCode()).isEqualTo(400);

        APIGatewayProxyRequestEvent other = request(params());
        other.setPath("/metadata/other");
        assertThat(handler.handleRequest(other, null).getStatusCode()).isEqualTo(404);
        APIGatewayProxyRequestEvent delete = request(params());
        delete.setHttpMethod("DELETE");
        assertThat(handler.handleRequest(delete, null).getStatusCode()).isEqualTo(405);
    }

    @Test
    void aPrefixWithoutIndicesGivesAnEmptyResult() throws Exception {
        ApiHandler empty = new ApiHandler(env("apiit-none-" + UUID.randomUUID().toString().substring(0, 8),
                openSearch.uri().toString()));
        APIGatewayProxyResponseEvent r = call(empty, "q", "host:google.com", "sort", "bytesOut:desc");
        assertThat(r.getStatusCode()).isEqualTo(200);
        assertThat(body(r).at("/total/value").asLong()).isZero();
        assertThat(body(r).path("hits").size()).isZero();
    }

    @Test
    void csvAndNdjsonExports() throws Exception {
        APIGatewayProxyResponseEvent csv = call(handler, "q", "host:google.com", "format", "csv",
                "fields", "timestamp,srcIp,host");
        assertThat(csv.getStatusCode()).isEqualTo(200);
        assertThat(csv.getHeaders()).containsEntry("Content-Type", "text/csv; charset=utf-8");
        String[] lines = csv.getBody().split("\r\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEqualTo("_id,_index,timestamp,srcIp,host");
        assertThat(lines[1]).startsWith("match-2," + fixture.prefix + "-2018.05.10,").endsWith(",127.0.0.1,google.com");

        APIGatewayProxyResponseEvent ndjson = call(handler, "q", "srcIp:10.0.0.0/8", "format", "ndjson");
        assertThat(ndjson.getHeaders()).containsEntry("Content-Type", "application/x-ndjson; charset=utf-8");
        List<String> ids = new ArrayList<>();
        for (String line : ndjson.getBody().split("\n")) {
            ids.add(json.readTree(line).path("id").asText());
        }
        assertThat(ids).containsExactly("ten-net", "other-ip");
    }

    @Test
    void unreachableOpenSearchIs503() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ApiHandler down = new ApiHandler(env(fixture.prefix, "http://127.0.0.1:" + closedPort));
        APIGatewayProxyResponseEvent r = call(down, "q", "host:google.com");
        assertThat(r.getStatusCode()).isEqualTo(503);
        JsonNode body = body(r);
        assertThat(body.path("error").asText()).isEqualTo("search_unavailable");
        assertThat(r.getBody()).doesNotContain(Integer.toString(closedPort)).doesNotContain("127.0.0.1");
    }

    @Test
    void anEngineThatDoesNotAnswerIs504() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> env = env(fixture.prefix, "http://127.0.0.1:" + silent.getLocalPort());
            env.put("SEARCH_TIMEOUT_MS", "200");
            APIGatewayProxyResponseEvent r = call(new ApiHandler(env), "q", "host:google.com");
            assertThat(r.getStatusCode()).isEqualTo(504);
            assertThat(body(r).path("error").asText()).isEqualTo("search_timeout");
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void snapStartPrimingRunsARealSearchAndToleratesAnUnreachableEngine() throws Exception {
        assertThat(ApiFactory.wire(env(fixture.prefix, openSearch.uri().toString())).priming().prime()).isTrue();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        assertThat(ApiFactory.wire(env(fixture.prefix, "http://127.0.0.1:" + closedPort)).priming().prime()).isFalse();
    }

    @Test
    void aValueThatDoesNotFitANumberFieldIs400NamingTheValue() throws Exception {
        JsonNode body = body(call(handler, "q", "dstPort:https"));
        assertThat(body.path("error").asText()).isEqualTo("bad_query");
        assertThat(body.path("message").asText()).contains("https");
        System.out.println("not a number: " + body.path("message").asText());
    }

    @Test
    void pagingBySortKeysOnWhichAllDocumentsTieStillReturnsEachOnce() throws Exception {
        // every fixture document has proto tcp and bytesOut 100: only the tiebreaker orders them (documents lacking
        // a sort key: sortingByAnExtraNumberFieldThatSomeDailyIndicesLackOrdersNumerically)
        for (String sort : List.of("proto:asc", "bytesOut:desc,proto:desc")) {
            Set<String> seen = new HashSet<>();
            String cursor = null;
            do {
                Map<String, String> params = new LinkedHashMap<>(Map.of("sort", sort, "size", "2"));
                if (cursor != null) {
                    params.put("cursor", cursor);
                }
                APIGatewayProxyResponseEvent r = handler.handleRequest(request(params), null);
                assertThat(r.getStatusCode()).as(sort + " " + r.getBody()).isEqualTo(200);
                JsonNode body = body(r);
                ids(body).forEach(id -> assertThat(seen.add(id)).as("repeated %s", id).isTrue());
                cursor = body.path("next").isNull() ? null : body.path("next").asText();
            } while (cursor != null);
            assertThat(seen).as(sort).hasSize(6);
        }
    }

    @Test
    void sortingByAnExtraNumberFieldThatSomeDailyIndicesLackOrdersNumerically() throws Exception {
        // an extra (non-canonical) column, e.g. a Zeek dns.log's TTL: mapped as long where it occurs, absent elsewhere
        SearchIndexFixture days = new SearchIndexFixture(openSearch.uri(), "apiit-extra-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        // rtt: a decimal one day (double), a whole number another (long); rcode: text one day, a number another
        docs.put("ttl-300", withExtra(doc("2018-05-09T10:00:00Z", "10.0.0.1", "10.0.0.2", 53, "a"), "ttl", 300L, "rtt", 0.5, "rcode", "NOERROR"));
        docs.put("ttl-60", withExtra(doc("2018-05-09T11:00:00Z", "10.0.0.1", "10.0.0.2", 53, "b"), "ttl", 60L, "rtt", 2.5));
        docs.put("no-ttl-1", doc("2018-05-10T10:00:00Z", "10.0.0.1", "10.0.0.2", 443, "c"));
        docs.put("no-ttl-2", doc("2018-05-10T11:00:00Z", "10.0.0.1", "10.0.0.2", 443, "d"));
        docs.put("ttl-3600", withExtra(doc("2018-05-11T10:00:00Z", "10.0.0.1", "10.0.0.2", 53, "e"), "ttl", 3600L, "rtt", 2L, "rcode", 3L));
        docs.put("ttl-5", withExtra(doc("2018-05-11T11:00:00Z", "10.0.0.1", "10.0.0.2", 53, "f"), "ttl", 5L));
        days.index(docs);
        ApiHandler h = new ApiHandler(env(days.prefix, openSearch.uri().toString()));

        for (String direction : List.of("desc", "asc")) {
            List<String> order = new ArrayList<>();
            String cursor = null;
            do {
                Map<String, String> params = new LinkedHashMap<>(Map.of("sort", "ttl:" + direction, "size", "2"));
                if (cursor != null) {
                    params.put("cursor", cursor);
                }
                APIGatewayProxyResponseEvent r = h.handleRequest(request(params), null);
                assertThat(r.getStatusCode()).as(direction + " " + r.getBody()).isEqualTo(200);
                JsonNode body = body(r);
                order.addAll(ids(body));
                cursor = body.path("next").isNull() ? null : body.path("next").asText();
            } while (cursor != null);
            List<String> withTtl = direction.equals("desc")
                    ? List.of("ttl-3600", "ttl-300", "ttl-60", "ttl-5") : List.of("ttl-5", "ttl-60", "ttl-300", "ttl-3600");
            assertThat(order).as(direction).hasSize(6).startsWith(withTtl.toArray(String[]::new))
                    .containsOnlyOnce("no-ttl-1", "no-ttl-2"); // documents without the field come last
        }

        // numbers of two types compare as numbers, also across pages: 0.5 < 2 < 2.5, then the documents without rtt
        List<String> byRtt = new ArrayList<>();
        String cursor = null;
        do {
            APIGatewayProxyResponseEvent r = cursor == null ? call(h, "sort", "rtt:asc", "size", "1")
                    : call(h, "sort", "rtt:asc", "size", "1", "cursor", cursor);
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
            byRtt.addAll(ids(body(r)));
            cursor = body(r).path("next").isNull() ? null : body(r).path("next").asText();
        } while (cursor != null);
        assertThat(byRtt).hasSize(6).startsWith("ttl-300", "ttl-3600", "ttl-60");
        // a field no daily index has is a typo, not a sort that silently falls back to the tiebreaker
        APIGatewayProxyResponseEvent typo = call(h, "sort", "TTL");
        assertThat(typo.getStatusCode()).isEqualTo(400);
        assertThat(body(typo).path("error").asText()).isEqualTo("unknown_field");
        assertThat(body(typo).path("message").asText())
                .isEqualTo("cannot sort by 'TTL': no daily index has this field; did you mean 'ttl'? (field names are"
                        + " case-sensitive)");
        // text in one day and numbers in another have no common order: a clear 400, not a wrong order or a 502
        APIGatewayProxyResponseEvent mixed = call(h, "sort", "rcode");
        assertThat(mixed.getStatusCode()).isEqualTo(400);
        assertThat(body(mixed).path("error").asText()).isEqualTo("bad_query");
        assertThat(body(mixed).path("message").asText()).isEqualTo("cannot sort by 'rcode': its values have different "
                + "types in different daily indices (keyword, long), so they have no common order");
    }

    private static Map<String, Object> withExtra(Map<String, Object> doc, Object... fieldsAndValues) {
        Map<String, Object> d = new LinkedHashMap<>(doc);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            d.put((String) fieldsAndValues[i], fieldsAndValues[i + 1]);
        }
        return d;
    }
}
