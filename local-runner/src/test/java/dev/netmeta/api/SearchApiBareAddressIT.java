package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.doc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.model.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An IP address or CIDR block typed without a field finds what users mean, against the embedded OpenSearch
 * (docs/API.md, "a term without a field"). Before: {@code "10.0.0.1"} and {@code "2001:db8::1"} were phrases on
 * {@code host} (the flows with those addresses not found), {@code "10.0.0.0/8"} too (0 hits), {@code 10.0.0.0/8} a
 * lexical error (or, with a later '/', a term and a regular expression on host: {@code 10.0.0.0/8 OR 192.168.0.0/16}
 * answered 200 with 0 hits), {@code 2001:db8::1} and {@code fe80::1} an unknown field '2001'/'fe80', {@code ::1} the
 * parser's "Encountered ':'". Now an address searches host, srcIp and dstIp, a block srcIp and dstIp, and an unquoted
 * IPv6 address that may be meant with a field is a 400 saying what to type.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiBareAddressIT {

    private ApiCalls api;
    private ApiCalls longQueries;

    @BeforeAll
    void indexDocuments(OpenSearchEndpoint openSearch) throws Exception {
        SearchIndexFixture fixture = new SearchIndexFixture(openSearch.uri(),
                "bare-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        docs.put("flow-out", flow("2018-05-09T10:00:00Z", "10.0.0.1", "8.8.8.8"));
        docs.put("flow-in", flow("2018-05-09T10:01:00Z", "192.168.1.5", "10.0.0.1"));
        // a host that holds an address (a DNS answer, a Host header typed as an IP)
        docs.put("dns-answer", doc("2018-05-09T10:02:00Z", "192.168.1.9", "192.168.1.1", 53, "10.0.0.1"));
        docs.put("flow-v6-out", flow("2018-05-10T10:00:00Z", "2001:db8::1", "2001:db8:1::53"));
        docs.put("flow-v6-in", flow("2018-05-10T10:01:00Z", "fe80::1", "2001:db8::1"));
        docs.put("flow-loopback", flow("2018-05-10T10:02:00Z", "::1", "::1"));
        docs.put("web", doc("2018-05-10T10:03:00Z", "172.16.0.1", "172.16.0.2", 443, "example.com"));
        fixture.index(docs);
        api = new ApiCalls(new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(), "INDEX_PREFIX",
                fixture.prefix)));
        longQueries = new ApiCalls(new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(), "INDEX_PREFIX",
                fixture.prefix, "MAX_QUERY_LENGTH", "100000")));
    }

    /** A CICFlowMeter flow as the loader writes it: no host. */
    private static Map<String, Object> flow(String timestamp, String srcIp, String dstIp) {
        Map<String, Object> d = new LinkedHashMap<>(doc(timestamp, srcIp, dstIp, 53, "x"));
        d.remove(Fields.HOST);
        return d;
    }

    private List<String> found(String q) {
        return api.found(q);
    }

    private JsonNode refused(String q) {
        return api.refused(q);
    }

    @Test
    void aQuotedAddressFindsTheFlowsWithItAndTheHostsThatHoldIt() throws Exception {
        List<String> v4 = List.of("flow-out", "flow-in", "dns-answer");
        assertThat(found("\"10.0.0.1\"")).containsExactlyInAnyOrderElementsOf(v4); // before: dns-answer alone
        assertThat(found("10.0.0.1")).containsExactlyInAnyOrderElementsOf(v4);
        assertThat(found("\"2001:db8::1\"")).containsExactlyInAnyOrder("flow-v6-out", "flow-v6-in"); // before: none
        assertThat(found("\"10.0.0.1\" AND NOT dstIp:8.8.8.8")).containsExactlyInAnyOrder("flow-in", "dns-answer");
        // left alone: a phrase with more than the address, a fielded one
        assertThat(found("\"10.0.0.1 x\"")).isEmpty();
        assertThat(found("host:\"10.0.0.1\"")).containsExactly("dns-answer");
    }

    @Test
    void anUnquotedIpv6AddressFindsTheFlowsWithIt() throws Exception {
        assertThat(found("2001:db8::1")).containsExactlyInAnyOrder("flow-v6-out", "flow-v6-in"); // before: 400 '2001'
        assertThat(found("fe80::1")).containsExactly("flow-v6-in"); // before: 400 unknown field 'fe80'
        assertThat(found("::1")).containsExactly("flow-loopback"); // before: 400 "Encountered ':'"
        assertThat(found("(::1 OR fe80::1) AND dstPort:53")).containsExactlyInAnyOrder("flow-loopback", "flow-v6-in");
        assertThat(found("2001\\:db8\\:\\:1")).containsExactlyInAnyOrder("flow-v6-out", "flow-v6-in"); // before: none
    }

    @Test
    void aCidrBlockWithoutAFieldSearchesSrcIpAndDstIp() throws Exception {
        List<String> ten = List.of("flow-out", "flow-in"); // not dns-answer: a block matches no host
        assertThat(found("\"10.0.0.0/8\"")).containsExactlyInAnyOrderElementsOf(ten); // before: none
        assertThat(found("10.0.0.0/8")).containsExactlyInAnyOrderElementsOf(ten); // before: a lexical error
        // before: a term and a regular expression on host, 0 hits
        assertThat(found("10.0.0.0/8 OR 172.16.0.0/12")).containsExactlyInAnyOrder("flow-out", "flow-in", "web");
        assertThat(found("2001:db8::/32")).containsExactlyInAnyOrder("flow-v6-out", "flow-v6-in");
        assertThat(found("\"2001:db8::/32\" AND NOT fe80::/10")).containsExactly("flow-v6-out");
        assertThat(found("dstPort:53 AND NOT 10.0.0.0/8")).containsExactlyInAnyOrder("dns-answer", "flow-v6-out",
                "flow-v6-in", "flow-loopback");
    }

    @Test
    void anUnquotedIpv6AddressThatMayBeMeantWithAFieldIsA400SayingWhatToType() throws Exception {
        JsonNode word = refused("dead:beef::1");
        assertThat(word.path("error").asText()).isEqualTo("bad_query");
        assertThat(word.path("message").asText()).isEqualTo("q has the IPv6 address dead:beef::1 without quotes:"
                + " unquoted, the parser reads 'dead' as a field name. Quote it: \"dead:beef::1\" searches it on host,"
                + " srcIp and dstIp (srcIp:\"dead:beef::1\" on one field)");
        assertThat(refused("srcIp ::1").path("message").asText()).isEqualTo("q has the IPv6 address ::1 without quotes"
                + " right after 'srcIp' and a space: unquoted, the parser reads 'srcIp:' as a field name. Quote it:"
                + " srcIp \"::1\" searches it on host, srcIp and dstIp (srcIp:\"::1\" on the field srcIp)");
        // what the messages say to type
        assertThat(found("\"dead:beef::1\"")).isEmpty();
        assertThat(found("srcIp:\"::1\"")).containsExactly("flow-loopback");
    }

    /**
     * An unquoted IPv6 address on srcIp or dstIp: before, OpenSearch's "'2001' is not an IP string literal" (the parser
     * reads the first group as the value) or, for srcIp:::1, the parser's "Encountered ":"" at column 6; now quoted, as
     * an unquoted block there is.
     */
    @Test
    void anUnquotedIpv6AddressOnAnIpFieldFindsTheFlowsWithIt() throws Exception {
        assertThat(found("srcIp:2001:db8::1")).containsExactly("flow-v6-out");
        assertThat(found("dstIp:2001:db8::1 AND dstPort:53")).containsExactly("flow-v6-in");
        assertThat(found("srcIp:::1")).containsExactly("flow-loopback");
        assertThat(found("srcIp:(fe80::1 OR ::1)")).containsExactlyInAnyOrder("flow-v6-in", "flow-loopback");
        assertThat(found("dstIp: 2001:db8:1::53")).containsExactly("flow-v6-out");
        assertThat(refused("srcIp:(10.0.0.1 ::1)").path("message").asText()).isEqualTo("q has the IPv6 address ::1"
                + " without quotes right after '10.0.0.1' and a space: unquoted, the parser reads '10.0.0.1:' as a"
                + " field name. Quote it: 10.0.0.1 \"::1\" searches it on srcIp, the group's field");
        assertThat(found("srcIp:(10.0.0.1 \"::1\")")).containsExactlyInAnyOrder("flow-out", "flow-loopback");
        assertThat(refused("srcIp:2001:db8::1 AND dstPort:53 AND x^").path("message").asText()).contains("(q was sent as"
                + " srcIp:\"2001:db8::1\" AND dstPort:53 AND x^: the API quotes IPv6 addresses on srcIp/dstIp");
    }

    @Test
    void aRefusedQuerySaysWhatWasSentAndTheManyBlocksLimitCountsThem() throws Exception {
        assertThat(refused("\"2001:db8::1\" AND dstPort:53 AND x^").path("message").asText()).contains("(q was sent as"
                + " (host:\"2001:db8::1\" OR srcIp:\"2001:db8::1\" OR dstIp:\"2001:db8::1\") AND dstPort:53 AND x^:")
                .contains("searches an IP address without a field on host, srcIp and dstIp");
        assertThat(refused("10.0.0.0/8 AND dstPort:53 AND x^").path("message").asText()).contains("(q was sent as"
                + " (srcIp:\"10.0.0.0/8\" OR dstIp:\"10.0.0.0/8\") AND dstPort:53 AND x^:")
                .contains("searches a CIDR block without a field on srcIp and dstIp");
        // 256 blocks on srcIp and dstIp run on this node and 257 fail (an HTTP 500, a 502 here): at most 200 are let
        // through, more are a 400 that says what to write
        int most = QueryGuard.MAX_CLAUSES_WITH_BARE_IPS / QueryGuard.BARE_BLOCK_CLAUSES;
        assertThat(found(blocks(most))).containsExactlyInAnyOrder("flow-out", "flow-in");
        assertThat(refused(blocks(most + 1)).path("message").asText()).startsWith("q has 201 CIDR blocks without a"
                + " field").contains("Name the field of the blocks");
    }

    /**
     * What {@link QueryGuard#BARE_BLOCK_CLAUSES} rests on: this node counts a term on an IP field as two of its 1,024
     * clauses, so 256 blocks sent on srcIp and dstIp run and 257 fail, as do 513 blocks on srcIp alone (fielded: the
     * guard does not count them), with an HTTP 500 of type too_many_nested_clauses — a 502 here until the api read it
     * as the user's query being too big: a 400 saying to search fewer values or a block.
     */
    @Test
    void theEngineCountsTwoClausesForEachTermOnAnIpField() {
        String pair = "(srcIp:\"%1$s\" OR dstIp:\"%1$s\")";
        assertThat(engineStatus(blocks(256, pair))).isEqualTo(200);
        assertThat(engineStatus(blocks(257, pair))).isEqualTo(400);
        assertThat(engineStatus(blocks(512, "srcIp:\"%s\""))).isEqualTo(200);
        JsonNode refused = longQueries.refused(blocks(513, "srcIp:\"%s\""));
        assertThat(refused.path("error").asText()).isEqualTo("bad_query");
        assertThat(refused.path("message").asText()).startsWith("q has more clauses than the search engine takes in one"
                + " search (at most 1024, counted over the whole query");
    }

    /** The status of q through a handler whose q may be long enough (the guard counts no fielded block). */
    private int engineStatus(String q) {
        return longQueries.call(q).getStatusCode();
    }

    /** {@code n} blocks /24, 10.0.0.0/24 first, separated by spaces. */
    private static String blocks(int n) {
        return blocks(n, "%s");
    }

    /** {@code n} blocks /24, 10.0.0.0/24 first, each written {@code form} (%s: the block), separated by spaces. */
    private static String blocks(int n, String form) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? "" : " ").append(String.format(form, "10." + i / 256 + "." + i % 256 + ".0/24"));
        }
        return q.toString();
    }
}
