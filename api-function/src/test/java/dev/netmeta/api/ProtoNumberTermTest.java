package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;

/**
 * The loader stores {@code proto} as the IANA keyword ({@code 6} → {@code tcp}), so {@code q=proto:6} found nothing,
 * silently: a term on {@code proto} (also in a {@code proto:( … )} group) that is a protocol number with a name is sent
 * as that name. A number without a name (stored as the number), a range, a phrase, a wildcard, a fuzzy term, a
 * regular expression, an escaped number or a number on another field is left as it is.
 */
class ProtoNumberTermTest {

    private final QueryGuard guard = new QueryGuard(4096);

    @Test
    void aProtocolNumberOnProtoIsSentAsItsName() {
        assertThat(guard.guard("proto:6")).isEqualTo("proto:tcp");
        assertThat(guard.guard("proto:17 AND dstPort:53")).isEqualTo("proto:udp AND dstPort:53");
        assertThat(guard.guard("proto:(6 OR 17)")).isEqualTo("proto:(tcp OR udp)");
        assertThat(guard.guard("proto:(6 OR (NOT 1))")).isEqualTo("proto:(tcp OR (NOT icmp))");
        assertThat(guard.guard("proto : 6^2 OR -proto:43")).isEqualTo("proto : tcp^2 OR -proto:ipv6-route");
        assertThat(guard.guard("proto:(200 OR 006 OR 0)")).isEqualTo("proto:(200 OR tcp OR hopopt)");
        assertThat(guard.check("proto:6").rewrites()).containsExactly(QueryGuard.PROTO_NUMBERS_AS_NAMES);
        assertThat(guard.check("10.0.0.1 AND proto:17 OR *")).isEqualTo(new QueryGuard.Guarded(
                "(host:10.0.0.1 OR srcIp:10.0.0.1 OR dstIp:10.0.0.1) AND proto:udp OR *:*", List.of(),
                List.of(QueryGuard.STARS_AS_MATCH_ALL, QueryGuard.BARE_IPS_ON_ADDRESS_FIELDS,
                        QueryGuard.PROTO_NUMBERS_AS_NAMES)));
        for (String q : List.of("proto:200", "proto:256", "proto:1000", "proto:\"6\"", "proto:6*", "proto:6?",
                "proto:6~", "proto:6^2~", "proto:/6/", "proto:[6 TO 17]", "proto:{1 TO 17}", "proto:\\6",
                "proto:6.0", "proto:tcp", "dstPort:6", "6", "proto:(host:6)", "protocol:6", "xproto:6 OR 6",
                "proto:(dstPort:17 OR \"6\")")) {
            QueryGuard.Guarded g = guard.check(q);
            assertThat(g.query()).as(q).isEqualTo(q);
            assertThat(g.rewrites()).as(q).isEmpty();
        }
        // the contract-fields shortcut must read a proto number, and may still skip the api benchmark's queries
        assertThat(QueryGuard.mayHaveProtoNumber("proto:6")).isTrue();
        assertThat(QueryGuard.mayHaveProtoNumber("a OR proto :\t(17)")).isTrue();
        for (String q : List.of("srcIp:127.0.0.1 AND host:google.com", "srcIp:10.0.0.0/8 AND dstPort:[0 TO 1023]",
                "timestamp:[2024-01-01 TO 2024-01-02}", "host:mail.goo*", "proto:udp")) {
            assertThat(QueryGuard.mayHaveProtoNumber(q)).as(q).isFalse();
        }
    }

    /**
     * Generated queries: what Lucene's classic parser builds from the sent query is what it builds from the typed one
     * when a plain term on {@code proto} that is 6, 17 or 1 means tcp, udp or icmp — so nothing else changed, and every
     * such term did.
     */
    @Test
    void theSentQueryReadsAsTheTypedOneWithEveryProtoNumberAsItsName() {
        String[] pieces = {"6", "17", "1", "200", "6", "17", " ", " ", " ", "(", ")", "proto:", "proto:", "proto:(",
                "proto", "host:", ":", "\"", "^2", "~", "+", "-", " OR ", " AND ", " NOT ", "a", " /", "[", "]", " TO ",
                "*", "10.0.0.1"};
        int compared = 0;
        int rewritten = 0;
        for (String typed : LuceneOracle.randomQueries(23, pieces, 8, 200_000)) {
            String expected = parsed(typed.strip(), true);
            if (expected == null) {
                continue;
            }
            QueryGuard.Guarded g;
            try {
                g = guard.check(typed);
            } catch (ApiException refused) {
                continue;
            }
            if (g.query().isEmpty() || g.rewrites().contains(QueryGuard.STARS_AS_MATCH_ALL)
                    || g.rewrites().contains(QueryGuard.BARE_IPS_ON_ADDRESS_FIELDS)) {
                continue; // rewrites of their own tests
            }
            compared++;
            rewritten += g.rewrites().contains(QueryGuard.PROTO_NUMBERS_AS_NAMES) ? 1 : 0;
            assertThat(parsed(g.query(), false)).as("[" + typed + "] sent as [" + g.query() + "]").isEqualTo(expected);
        }
        assertThat(compared).isGreaterThan(20_000); // 26,374
        assertThat(rewritten).isGreaterThan(500); // 619
    }

    private static final Map<String, String> NAMES = Map.of("6", "tcp", "17", "udp", "1", "icmp");

    /** How Lucene's classic parser reads {@code query} (null if it cannot); {@code typed}: proto's numbers as names. */
    private static String parsed(String query, boolean typed) {
        QueryParser parser = new QueryParser("host", new StandardAnalyzer()) {
            @Override
            protected Query getFieldQuery(String field, String text, boolean quoted) {
                String name = typed && field.equals("proto") && !quoted ? NAMES.get(text) : null;
                return new TermQuery(new Term(field, name != null ? name : text));
            }
        };
        parser.setAllowLeadingWildcard(true);
        parser.setSplitOnWhitespace(true);
        try {
            return parser.parse(query).toString();
        } catch (ParseException | RuntimeException | TokenMgrError e) {
            return null;
        }
    }
}
