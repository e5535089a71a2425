package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;

/**
 * docs/API.md promises that a space means OR, but OpenSearch's {@code query_string} does not split on whitespace: a
 * run of plain terms reached a keyword, IP or number field as one text ({@code google.com example.com} the keyword
 * "google.com example.com": 0 hits; {@code dstPort:(53 443)} "'53 443' is not a number"). The guard sends such runs
 * with {@code OR} between their terms, and nothing else.
 */
class SpaceAsOrTest {

    private final QueryGuard guard = new QueryGuard(4096);

    @Test
    void aRunOfPlainTermsIsSentWithOrBetweenThem() {
        assertThat(guard.guard("google.com example.com")).isEqualTo("google.com OR example.com");
        assertThat(guard.guard("host:(a b c)")).isEqualTo("host:(a OR b OR c)");
        assertThat(guard.guard("dstPort:(53 443)")).isEqualTo("dstPort:(53 OR 443)");
        assertThat(guard.guard("srcIp:(10.0.0.1 10.0.0.2)")).isEqualTo("srcIp:(10.0.0.1 OR 10.0.0.2)");
        assertThat(guard.guard("host:a b c")).isEqualTo("host:a b OR c"); // a is host's: b c is the run
        assertThat(guard.guard("+a b c")).isEqualTo("+a b OR c");
        assertThat(guard.guard("a -b c d")).isEqualTo("a -b c OR d");
        assertThat(guard.guard("NOT a b c")).isEqualTo("NOT a b OR c");
        assertThat(guard.guard("x AND a b c")).isEqualTo("x AND a b OR c");
        assertThat(guard.guard("a\tb\nc")).isEqualTo("a\tOR b\nOR c");
        assertThat(guard.guard("a b^2 c~ d e")).isEqualTo("a OR b^2 c~ d OR e"); // harmless before b^2 (see the class)
        assertThat(guard.guard("proto:(6 17)")).isEqualTo("proto:(tcp OR udp)");
        assertThat(guard.check("a b").rewrites()).containsExactly(QueryGuard.SPACES_AS_OR);
        // quoted blocks are phrases, which the parser never merges
        assertThat(guard.check("srcIp:(10.0.0.0/8 10.1.0.0/16)").rewrites()).containsExactly(QueryGuard.CIDRS_QUOTED);
        assertThat(guard.check("10.0.0.1 a b").rewrites()).containsExactly(
                QueryGuard.BARE_IPS_ON_ADDRESS_FIELDS, QueryGuard.SPACES_AS_OR);
        assertThat(guard.guard("10.0.0.1 a b")).isEqualTo("(host:10.0.0.1 OR srcIp:10.0.0.1 OR dstIp:10.0.0.1) a OR b");
        // not merged by the parser, or no plain term: left as typed
        for (String q : List.of("a", "a OR b", "a AND b", "+a +b", "a -b", "a goo*", "goo* a", "\"a b\" c", "a \"b c\"",
                "a (b)", "(a) b", "host:a b", "a b:c", "a b :c", "a\\ b", "dstPort:[1 TO 2] a", "a ^2", "a* b*",
                "a b*", "a /b/", "a NOT b", "a && b", "a || b", "a^2 b")) {
            QueryGuard.Guarded g = guard.check(q);
            assertThat(g.query()).as(q).isEqualTo(q.strip());
            assertThat(g.rewrites()).as(q).doesNotContain(QueryGuard.SPACES_AS_OR);
        }
    }

    @Test
    void theShortcutReadsEveryRunAndStillSkipsTheBenchmarksQueries() {
        for (String q : List.of("a b", "host:a b", "host:(a b)", "dstPort:(53 443)", "+a b c", "a b OR c")) {
            assertThat(QueryGuard.needsNoReading(q)).as(q).isFalse();
        }
        for (String q : List.of("srcIp:127.0.0.1 AND host:google.com", "host:google.com AND NOT dstPort:443",
                "dstPort:80 OR dstPort:443", "host:mail.goo*", "NOT host:a", "host:(a OR b)", "(a) b")) {
            assertThat(QueryGuard.needsNoReading(q)).as(q).isTrue();
        }
    }

    /**
     * Generated queries: what Lucene's classic parser builds from the sent query with {@code splitOnWhitespace} off and a
     * field that keeps a text as one term (as every field of the contract does, OpenSearch's setting) is what it builds
     * from the typed one when it splits on whitespace — the same query with OR between its plain terms. Before the
     * rewrite, about a third of them (6,345 of 20,448) read otherwise.
     */
    @Test
    void theSentQueryReadsAsTheTypedOneSplitOnWhitespace() {
        String[] pieces = {"a", "b", "53", "a b ", " c d", " 53 443", " ", " ", " ", " ", "\t", "(", ")", "host:", "dstPort:", "host:(",
                " OR ", " AND ", " NOT ", " || ", "+", "-", "!", "^2", "~", "goo*", "\"p q\"", "[1 TO 2]", "x:", "\\ ",
                " /r/ ", "*", "b*c", "proto:"};
        int compared = 0;
        int rewritten = 0;
        int differedAsTyped = 0;
        for (String typed : LuceneOracle.randomQueries(59, pieces, 8, 100_000)) {
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
            if (g.query().isEmpty() || g.rewrites().stream().anyMatch(r -> !r.equals(QueryGuard.SPACES_AS_OR))) {
                continue; // rewrites of their own tests
            }
            compared++;
            rewritten += g.rewrites().isEmpty() ? 0 : 1;
            differedAsTyped += expected.equals(parsed(typed.strip(), false)) ? 0 : 1;
            assertThat(parsed(g.query(), false)).as("[" + typed + "] sent as [" + g.query() + "]").isEqualTo(expected);
        }
        System.out.printf("space-as-OR oracle: %d compared, %d rewritten, %d read otherwise as typed%n", compared,
                rewritten, differedAsTyped);
        assertThat(compared).isGreaterThan(20_000);
        assertThat(rewritten).isGreaterThan(2_000);
        assertThat(differedAsTyped).isGreaterThan(1_000);
    }

    /**
     * How Lucene's classic parser reads {@code query} (null if it cannot) with every term kept as one
     * ({@code TermQuery} of the text, as a keyword field's analyzer does); {@code split}: on whitespace.
     */
    private static String parsed(String query, boolean split) {
        QueryParser parser = new QueryParser("host", new StandardAnalyzer()) {
            @Override
            protected Query getFieldQuery(String field, String text, boolean quoted) {
                return new TermQuery(new Term(field, text));
            }
        };
        parser.setAllowLeadingWildcard(true);
        parser.setSplitOnWhitespace(split);
        try {
            return parser.parse(query).toString();
        } catch (ParseException | RuntimeException | TokenMgrError e) {
            return null;
        }
    }
}
