package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An unquoted IPv6 address on srcIp or dstIp ({@code srcIp:2001:db8:10::5}) was sent as typed: the parser reads its
 * first group as the value and then a colon, so OpenSearch answered "'2001' is not an IP string literal" (or, for
 * {@code srcIp:::1}, the parser's "Encountered ":"" at column 6), while an unquoted block there
 * ({@code srcIp:2001:db8::/32}) and an unquoted address without a field ({@code 2001:db8::1}) were quoted. It is sent
 * quoted, as the block is, where the block would be (after the field's colon, as a term of the field's group); an
 * unquoted address or block starting with a colon right after a term and a space in such a group
 * ({@code srcIp:(10.0.0.1 ::1)}: the parser reads {@code 10.0.0.1:} as a field) is a 400 naming the quoted form. The
 * Lucene-parser oracle over these forms is {@code BareIpTermTest}'s unquoted one (fielded pieces among its pieces).
 */
class FieldedIpv6AddressTest {

    private final QueryGuard guard = new QueryGuard(4096);

    @Test
    void anUnquotedIpv6AddressOnAnIpFieldIsSentQuoted() {
        assertThat(guard.check("srcIp:2001:db8:10::5")).isEqualTo(new QueryGuard.Guarded("srcIp:\"2001:db8:10::5\"",
                List.of(), List.of(QueryGuard.IPV6_QUOTED)));
        assertThat(guard.guard("dstIp:2001:4860:4860::8888 AND dstPort:53"))
                .isEqualTo("dstIp:\"2001:4860:4860::8888\" AND dstPort:53");
        assertThat(guard.guard("srcIp:::1")).isEqualTo("srcIp:\"::1\"");
        // whitespace around the colon, an escaped field name, a boost, an IPv4 tail, a first group that is a word
        // (after a field's colon it is the value, no field name)
        assertThat(guard.guard("srcIp: fe80::1 OR dstIp : ::1")).isEqualTo("srcIp: \"fe80::1\" OR dstIp : \"::1\"");
        assertThat(guard.guard("src\\Ip:::1")).isEqualTo("src\\Ip:\"::1\"");
        assertThat(guard.guard("srcIp:2001:db8::1^2")).isEqualTo("srcIp:\"2001:db8::1\"^2");
        assertThat(guard.guard("srcIp:::ffff:10.0.0.1")).isEqualTo("srcIp:\"::ffff:10.0.0.1\"");
        assertThat(guard.guard("NOT srcIp:dead:beef::1")).isEqualTo("NOT srcIp:\"dead:beef::1\"");
    }

    @Test
    void anUnquotedIpv6AddressThatIsATermOfAnIpFieldsGroupIsSentQuoted() {
        assertThat(guard.guard("srcIp:(2001:db8::1 OR ::1)")).isEqualTo("srcIp:(\"2001:db8::1\" OR \"::1\")");
        assertThat(guard.guard("dstIp:(-fe80::1 +::1^2)")).isEqualTo("dstIp:(-\"fe80::1\" +\"::1\"^2)");
        assertThat(guard.guard("srcIp:(10.0.0.1 OR (NOT ::1))")).isEqualTo("srcIp:(10.0.0.1 OR (NOT \"::1\"))");
        assertThat(guard.check("srcIp:(10.0.0.0/8 OR ::1) AND 10.0.0.1").rewrites()).containsExactly(
                QueryGuard.CIDRS_QUOTED, QueryGuard.IPV6_QUOTED, QueryGuard.BARE_IPS_ON_ADDRESS_FIELDS);
    }

    @Test
    void anUnquotedAddressRightAfterATermAndASpaceInAnIpFieldsGroupIsA400NamingTheQuotedForm() {
        assertThatThrownBy(() -> guard.guard("srcIp:(10.0.0.1 ::1)")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("bad_query");
            assertThat(e.getMessage()).isEqualTo("q has the IPv6 address ::1 without quotes right after '10.0.0.1'"
                    + " and a space: unquoted, the parser reads '10.0.0.1:' as a field name. Quote it: 10.0.0.1 \"::1\""
                    + " searches it on srcIp, the group's field");
        });
        assertThatThrownBy(() -> guard.guard("dstIp:(a ::1/128)")).hasMessage("q has the IPv6 CIDR block ::1/128"
                + " without quotes right after 'a' and a space: unquoted, the parser reads 'a:' as a field name. Quote"
                + " it: a \"::1/128\" searches it on dstIp, the group's field");
    }

    /**
     * {@code host:(2001:db8::1)}: in the group of a field other than srcIp/dstIp nothing is quoted, and the parser reads
     * the address's first group as a field name and then a second colon (or, for {@code ::1}, a colon that names no
     * field), which never parses. Before, the second-colon message said to search "db8::1 on 2001", and to quote the
     * text to search it "on host, the default field" — in {@code uri:(…)} the quoted text is searched on uri.
     */
    @Test
    void anUnquotedIpv6AddressInTheGroupOfAnotherFieldIsA400SayingToQuoteItForThatField() {
        assertThatThrownBy(() -> guard.guard("host:(2001:db8::1)")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("bad_query");
            assertThat(e.getMessage()).isEqualTo("q has the IPv6 address 2001:db8::1 without quotes in the group of"
                    + " host: unquoted, the parser reads '2001' as a field name. Quote it: \"2001:db8::1\" searches it"
                    + " on host, the group's field");
        });
        assertThatThrownBy(() -> guard.guard("uri:(a OR -fe80::1)")).hasMessage("q has the IPv6 address fe80::1"
                + " without quotes in the group of uri: unquoted, the parser reads 'fe80' as a field name. Quote it:"
                + " \"fe80::1\" searches it on uri, the group's field");
        assertThatThrownBy(() -> guard.guard("host:(::1)")).hasMessage("q has the IPv6 address ::1 without quotes in"
                + " the group of host: unquoted, the parser reads a colon that names no field. Quote it: \"::1\""
                + " searches it on host, the group's field");
        assertThatThrownBy(() -> guard.guard("host:(2001:db8::/32)")).hasMessageStartingWith("q has the IPv6 CIDR"
                + " block 2001:db8::/32 without quotes in the group of host");
        // none of them parses as typed
        org.apache.lucene.queryparser.classic.QueryParser parser = new org.apache.lucene.queryparser.classic.QueryParser(
                "host", new org.apache.lucene.analysis.standard.StandardAnalyzer());
        for (String q : List.of("host:(2001:db8::1)", "uri:(a OR -fe80::1)", "host:(::1)", "host:(2001:db8::/32)",
                "host:(dead:beef::1)", "uri:(::ffff:10.0.0.1)")) {
            assertThat(LuceneOracle.parses(parser, q)).as(q).isFalse();
            assertThatThrownBy(() -> guard.guard(q)).as(q).hasMessageContaining("without quotes in the group of");
        }
        // IPv4 needs no quotes there, and a fielded term in the group keeps the second-colon answer
        assertThat(guard.guard("host:(10.0.0.1)")).isEqualTo("host:(10.0.0.1)");
        assertThatThrownBy(() -> guard.guard("host:(x:2001:db8::1)")).hasMessageStartingWith("q has a second colon");
    }

    @Test
    void whatIsNoUnquotedIpv6AddressOnAnIpFieldIsLeftAlone() {
        for (String q : List.of("host:2001:db8::1", "x-srcIp:::1", "srcIp:\"2001:db8::1\"", "srcIp:2001\\:db8\\:\\:1",
                "srcIp:2001:db8::1~", "srcIp:2001:db8::1~1", "srcIp:2001:db8::1*", "srcIp:2001:db8::1:x",
                "srcIp:fe80::1%eth0", "srcIp:00:11:22:33:44:55", "srcIp:12:30", "srcIp:10.0.0.1", "srcIp:1:2:3",
                "uri:[srcIp:::1 TO z]", "host:\"srcIp:::1\"", "host:/srcIp:::1/", "host:(\"2001:db8::1\")",
                "uri:[a TO \"b] srcIp:::1")) {
            BareIpTermTest.assertSentAsTyped(guard, q);
        }
    }

    @Test
    void theShortcutReadsEveryFieldedIpv6Address() {
        for (String q : List.of("srcIp:2001:db8:10::5", "srcIp:::1", "dstIp:fe80::1", "srcIp:dead:beef::1",
                "srcIp:(::1)", "srcIp: ::1")) {
            assertThat(QueryGuard.needsNoReading(q)).as(q).isFalse();
        }
    }
}
