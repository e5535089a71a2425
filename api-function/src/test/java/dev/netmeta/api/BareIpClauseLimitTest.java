package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.automaton.ByteRunAutomaton;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Each IPv4 address without a field is sent as {@code (host:x OR srcIp:x OR dstIp:x)}, three clauses for one, and
 * OpenSearch refuses a query of more than 1,024 clauses ({@code indices.query.bool.max_clause_count}, which Lucene
 * counts over the whole query): 342 such addresses, 3,550 characters within the length limit, failed the search
 * with an unexplained 502, where before the rewrite it ran. More than {@value QueryGuard#MAX_CLAUSES_WITH_BARE_IPS}
 * clauses in a query with such addresses are a 400 that says to name the field or search a CIDR block.
 */
class BareIpClauseLimitTest {

    private final QueryGuard guard = new QueryGuard(4096);

    private static String addresses(int n, String separator) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? "" : separator).append("10.").append(i / 256).append('.').append(i % 256).append(".1");
        }
        return q.toString();
    }

    private static String hosts(int n) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < n; i++) {
            q.append(" x").append(Integer.toString(i, 36));
        }
        return q.toString();
    }

    @Test
    void tooManyAddressesWithoutAFieldAreRefusedSayingWhatToWrite() {
        String q = addresses(342, " "); // the review's query: 1,026 clauses once sent on the three fields
        assertThat(q.length()).isLessThan(4096);
        assertThatThrownBy(() -> guard.guard(q)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("bad_query");
            assertThat(e.getMessage()).isEqualTo("q has 342 IPv4 addresses without a field, each searched on host,"
                    + " srcIp and dstIp (5 clauses of the search engine's): about 1710 clauses; at most 800 are"
                    + " allowed with such addresses (the search engine refuses more than 1,024). Name the field of the"
                    + " addresses, e.g. srcIp:(10.0.0.1 OR 10.0.0.2 …) (fewer clauses each), or search a CIDR block,"
                    + " e.g. srcIp:10.0.0.0/24");
        });
        int most = QueryGuard.MAX_CLAUSES_WITH_BARE_IPS / QueryGuard.BARE_IP_CLAUSES;
        assertThat(most).isEqualTo(160); // 205 ran on the embedded OpenSearch, 206 failed (SearchApiUnknownFieldIT)
        assertThat(guard.guard(addresses(most, " OR "))).startsWith("(host:10.0.0.1 OR srcIp:10.0.0.1 OR");
        assertThatThrownBy(() -> guard.guard(addresses(most + 1, " OR "))).isInstanceOf(ApiException.class);
        // the other terms count too: an indicator list of addresses and names
        String mixed = addresses(100, " ") + hosts(QueryGuard.MAX_CLAUSES_WITH_BARE_IPS - 500);
        guard.guard(mixed);
        assertThatThrownBy(() -> guard.guard(mixed + " x")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).startsWith("q has 100 IPv4 addresses without a field, each searched"
                        + " on host, srcIp and dstIp (5 clauses of the search engine's) and 301 other terms: about 801"
                        + " clauses; at most 800 "));
    }

    @Test
    void addressesWithAFieldAndQueriesWithoutBareAddressesAreNotCounted() {
        String fielded = "srcIp:(" + addresses(342, " ") + ")"; // one clause each
        assertThat(guard.guard(fielded)).isEqualTo(fielded);
        String terms = hosts(950).strip(); // as before: the rewrite adds nothing (the engine's own limit applies)
        assertThat(guard.guard(terms)).isEqualTo(terms);
        String blocks = "srcIp:(" + addresses(300, "/32 ") + "/32)"; // quoted, one clause each
        assertThat(guard.check(blocks).rewrites()).containsExactly(QueryGuard.CIDRS_QUOTED);
    }

    /**
     * The reading's count of the sent query's clauses (a bare address three) is Lucene's count of its leaf queries (what
     * {@code max_clause_count} bounds, counted as {@code IndexSearcher} counts them: every leaf, also under NOT), on
     * generated queries, never fewer.
     */
    @Test
    void theCountIsLucenesCountOfLeafQueries() {
        String[] pieces = {"10.0.0.1", "1.2.3.4", " ", " ", "(", ")", "host", "srcIp", ":", "\"", "\\", "^2", "~",
                "+", "-", "!", " OR ", " AND ", " NOT ", "a", " /", "[", "]", " TO ", "*", "10.0.0.0/8", "&&", "||"};
        int compared = 0;
        int equal = 0;
        for (String typed : LuceneOracle.randomQueries(23, pieces, 8, 100_000)) {
            QueryGuard.Reading reading = QueryGuard.read(typed.strip());
            Integer leaves = leaves(reading.query());
            if (leaves == null) {
                continue;
            }
            compared++;
            equal += leaves == reading.terms() ? 1 : 0;
            assertThat(reading.terms()).as("[" + typed + "] sent as [" + reading.query() + "]")
                    .isGreaterThanOrEqualTo(leaves);
        }
        assertThat(compared).isGreaterThan(10_000);
        assertThat(equal).isGreaterThan(compared * 95 / 100);
    }

    /** The leaf queries of {@code query} as Lucene's classic parser builds it, every term as one term; null: no parse. */
    private static Integer leaves(String query) {
        QueryParser parser = new QueryParser("host", new StandardAnalyzer()) {
            @Override
            protected Query getFieldQuery(String field, String text, boolean quoted) {
                return new TermQuery(new Term(field, text));
            }
        };
        parser.setAllowLeadingWildcard(true);
        parser.setSplitOnWhitespace(true);
        Query parsed;
        try {
            parsed = parser.parse(query);
        } catch (ParseException | RuntimeException | TokenMgrError e) {
            return null;
        }
        int[] count = {0};
        parsed.visit(new QueryVisitor() {
            @Override
            public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
                return this;
            }

            @Override
            public void visitLeaf(Query q) {
                count[0]++;
            }

            @Override
            public void consumeTerms(Query q, Term... terms) {
                count[0]++;
            }

            @Override
            public void consumeTermsMatching(Query q, String field, Supplier<ByteRunAutomaton> automaton) {
                count[0]++;
            }
        });
        return count[0];
    }
}
