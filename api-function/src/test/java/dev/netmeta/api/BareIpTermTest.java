package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;

/**
 * An IPv4 address typed without a field ({@code q=10.0.0.1}) searched only {@code host}, the default field, and found
 * nothing (newcomer9, 3): it is sent as {@code (host:10.0.0.1 OR srcIp:10.0.0.1 OR dstIp:10.0.0.1)}. Only a term on the
 * default field; a fielded one, a field name, a fuzzy term, one right before a slash (10.0.0.0/8: a CIDR block on the
 * default field, left alone as before), a phrase, a range bound or a regular expression is left as it is.
 */
class BareIpTermTest {

    private static final String SENTINEL_FIELD = "theDefaultField"; // no generated query names it
    private static final StandardAnalyzer ANALYZER = new StandardAnalyzer();
    private final QueryGuard guard = new QueryGuard(4096);

    @Test
    void aBareIpv4AddressIsSearchedOnHostSrcIpAndDstIp() {
        assertThat(guard.guard("10.0.0.1")).isEqualTo("(host:10.0.0.1 OR srcIp:10.0.0.1 OR dstIp:10.0.0.1)");
        assertThat(guard.guard("8.8.8.8 AND dstPort:53"))
                .isEqualTo("(host:8.8.8.8 OR srcIp:8.8.8.8 OR dstIp:8.8.8.8) AND dstPort:53");
        assertThat(guard.guard("-10.0.0.1 (1.2.3.4^2 OR x)")).isEqualTo("-(host:10.0.0.1 OR srcIp:10.0.0.1 OR"
                + " dstIp:10.0.0.1) ((host:1.2.3.4 OR srcIp:1.2.3.4 OR dstIp:1.2.3.4)^2 OR x)");
        assertThat(guard.check("10.0.0.1").rewrites()).containsExactly(QueryGuard.BARE_IPS_ON_ADDRESS_FIELDS);
        assertThat(guard.check("srcIp:10.0.0.0/8 AND NOT 10.0.0.1 OR *")).isEqualTo(new QueryGuard.Guarded(
                "srcIp:\"10.0.0.0/8\" AND NOT (host:10.0.0.1 OR srcIp:10.0.0.1 OR dstIp:10.0.0.1) OR *:*", List.of(),
                List.of(QueryGuard.CIDRS_QUOTED, QueryGuard.STARS_AS_MATCH_ALL, QueryGuard.BARE_IPS_ON_ADDRESS_FIELDS)));
        assertThat(guard.guard("10\\.0.0.1")).isEqualTo("(host:10\\.0.0.1 OR srcIp:10\\.0.0.1 OR dstIp:10\\.0.0.1)");
        for (String q : List.of("srcIp:10.0.0.1", "host:10.0.0.1", "host:(10.0.0.1)", "\"10.0.0.1\"", "10.0.0.1~",
                "10.0.0.1^2~", "10.0.0.1 :x", "10.0.0.0/8", "10.0.0.1/x/", "10.0.0.*", "256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.5", "10.0.0.1a",
                "sourceFile:[1.2.3.4 TO 1.2.3.5]", "host:/1.2.3.4/", "google.com")) {
            QueryGuard.Guarded g = guard.check(q);
            assertThat(g.query()).as(q).isEqualTo(q);
            assertThat(g.rewrites()).as(q).isEmpty();
        }
        // the shortcut that sends a contract-fields query unread must not skip a bare address
        assertThat(QueryGuard.mayHaveBareIp("srcIp:10.0.0.1 AND dstIp: 8.8.8.8")).isFalse();
        assertThat(QueryGuard.mayHaveBareIp("dstPort:53 AND 10.0.0.1")).isTrue();
    }

    /**
     * Generated queries: what Lucene's classic parser builds from the sent query is what it builds from the typed one
     * when a term on the default field that is an IPv4 address means host, srcIp or dstIp — so nothing but those terms
     * changed, and every one of them did. A slash never follows a piece right away here: an address right before one
     * ({@code 10.0.0.0/8}) is deliberately left alone (the first test).
     */
    @Test
    void theSentQueryReadsAsTheTypedOneWithEveryDefaultFieldAddressOnTheThreeFields() {
        String[] pieces = {"10.0.0.1", "10.0.0.1", "1.2.3.4", " ", " ", "(", ")", "host", "srcIp", ":", "\"", "\\",
                "^2", "~", "+", "-", "!", " OR ", " AND ", " NOT ", "a", " /", "[", "]", " TO ", "\t", "256.1.1.1",
                ".5", "&&"};
        int compared = 0;
        int rewritten = 0;
        for (String typed : LuceneOracle.randomQueries(17, pieces, 8, 200_000)) {
            String expected = parsed(typed.strip(), true);
            if (expected == null) {
                continue;
            }
            String sent;
            try {
                sent = guard.guard(typed);
            } catch (ApiException refused) {
                continue;
            }
            if (sent.isEmpty()) {
                continue;
            }
            compared++;
            rewritten += sent.contains("srcIp:10.0.0.1 OR") || sent.contains("srcIp:1.2.3.4 OR") ? 1 : 0;
            assertThat(parsed(sent, false)).as("[" + typed.replace("\t", "\\t") + "] sent as [" + sent + "]")
                    .isEqualTo(expected);
        }
        assertThat(compared).isGreaterThan(5_000);
        assertThat(rewritten).isGreaterThan(1_000);
    }

    /**
     * How Lucene's classic parser reads {@code query} (null if it cannot), every term as one term (no analysis);
     * {@code typed}: the default field is {@code host}, and a term on it that is an IPv4 address is
     * {@code host:x srcIp:x dstIp:x}.
     */
    private static String parsed(String query, boolean typed) {
        QueryParser parser = new QueryParser(typed ? SENTINEL_FIELD : "host", ANALYZER) {
            @Override
            protected Query getFieldQuery(String field, String text, boolean quoted) {
                if (typed && field.equals(SENTINEL_FIELD) && !quoted && QueryGuard.isIpv4(text)) {
                    BooleanQuery.Builder b = new BooleanQuery.Builder();
                    for (String f : List.of("host", "srcIp", "dstIp")) {
                        b.add(new TermQuery(new Term(f, text)), BooleanClause.Occur.SHOULD);
                    }
                    return b.build();
                }
                return new TermQuery(new Term(field.equals(SENTINEL_FIELD) ? "host" : field, text));
            }
        };
        parser.setAllowLeadingWildcard(true);
        // each term on its own: Lucene's default joins consecutive bare terms of a field into one text to analyze
        // ("a 1.2.3.4"), which the analysis splits again into the same terms (SearchApiIT checks the answers)
        parser.setSplitOnWhitespace(true);
        try {
            return parser.parse(query).toString().replace(SENTINEL_FIELD + ":", "host:");
        } catch (ParseException | RuntimeException | TokenMgrError e) {
            return null;
        }
    }
}
