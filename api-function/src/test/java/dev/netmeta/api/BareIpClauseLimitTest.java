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
 * Each IP address without a field is sent as {@code (host:x OR srcIp:x OR dstIp:x)}, three clauses for one, each CIDR
 * block without a field as {@code (srcIp:"x/n" OR dstIp:"x/n")}, and OpenSearch refuses a query of more than 1,024
 * clauses ({@code indices.query.bool.max_clause_count}, which Lucene counts over the whole query): 342 such addresses,
 * 3,550 characters within the length limit, failed the search with an unexplained 502, where before the rewrite it
 * ran. More than {@value QueryGuard#MAX_CLAUSES_WITH_BARE_IPS} clauses in a query with such addresses or blocks are a
 * 400 that says to name the field or search a (larger) CIDR block.
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
            assertThat(e.getMessage()).isEqualTo("q has 342 IP addresses without a field, each searched on host,"
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
                e -> assertThat(e.getMessage()).startsWith("q has 100 IP addresses without a field, each searched"
                        + " on host, srcIp and dstIp (5 clauses of the search engine's) and 301 other terms: about 801"
                        + " clauses; at most 800 "));
    }

    /** {@code n} CIDR blocks /24, {@code 10.0.0.0/24} first, written {@code form} (%s: the block). */
    private static String blocks(int n, String form) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? "" : " ").append(String.format(form, "10." + i / 256 + "." + i % 256 + ".0/24"));
        }
        return q.toString();
    }

    @Test
    void blocksAndQuotedOrIpv6AddressesWithoutAFieldCountToo() {
        int most = QueryGuard.MAX_CLAUSES_WITH_BARE_IPS / QueryGuard.BARE_BLOCK_CLAUSES;
        assertThat(most).isEqualTo(200); // 256 ran on the embedded OpenSearch, 257 failed
        assertThat(guard.check(blocks(most, "%s")).rewrites()).containsExactly(QueryGuard.BARE_BLOCKS_ON_ADDRESS_FIELDS);
        assertThat(guard.check(blocks(most, "\"%s\"")).rewrites())
                .containsExactly(QueryGuard.BARE_BLOCKS_ON_ADDRESS_FIELDS);
        assertThatThrownBy(() -> guard.guard(blocks(most + 1, "%s"))).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).isEqualTo("q has 201 CIDR blocks without a field, each searched on"
                        + " srcIp and dstIp (4 clauses of the search engine's): about 804 clauses; at most 800 are"
                        + " allowed with such blocks (the search engine refuses more than 1,024). Name the field of the"
                        + " blocks, e.g. srcIp:(10.0.0.0/24 OR 10.0.1.0/24 …) (fewer clauses each), or search a larger"
                        + " block, e.g. srcIp:10.0.0.0/16"));
        assertThatThrownBy(() -> guard.guard(blocks(100, "\"%s\"") + " " + addresses(81, " ") + " x"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).startsWith("q has 81 IP"
                        + " addresses without a field, each searched on host, srcIp and dstIp (5 clauses of the search"
                        + " engine's), 100 CIDR blocks without a field, each searched on srcIp and dstIp (4 clauses) and 1"
                        + " other term: about 806 clauses; at most 800 are allowed with such addresses and blocks"));
        // quoted, IPv6 or unquoted IPv6 addresses count as the IPv4 ones do
        List<String> forms = List.of("\"2001:db8::%x\"", "2001:db8::%x", "\"10.0.0.%d\"");
        StringBuilder v6 = new StringBuilder();
        for (int i = 0; i <= 160; i++) {
            v6.append(i == 0 ? "" : " ").append(String.format(forms.get(i % 3), i));
        }
        assertThatThrownBy(() -> guard.guard(v6.toString())).hasMessageStartingWith("q has 161 IP addresses without");
        guard.guard(v6.substring(0, v6.lastIndexOf(" ")));
    }

    @Test
    void addressesWithAFieldAndQueriesWithoutBareAddressesAreNotCounted() {
        String fielded = "srcIp:(" + addresses(342, " ") + ")"; // one clause each
        assertThat(guard.guard(fielded)).isEqualTo(fielded.replace(" ", " OR ")); // QueryGuard.SPACES_AS_OR
        String terms = hosts(950).strip(); // not counted: no clause is added (the engine's own limit applies)
        assertThat(guard.guard(terms)).isEqualTo(terms.replace(" ", " OR ")); // QueryGuard.SPACES_AS_OR
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
                "+", "-", "!", " OR ", " AND ", " NOT ", "a", " /", "[", "]", " TO ", "*", "10.0.0.0/8", "&&", "||",
                "\"10.0.0.0/8\"", "2001:db8::1", "\"::1\"", " ::1", "2001:db8::/32", "10.0.0.0\\/8"};
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
        System.out.printf("clause count oracle: %d compared, %d equal%n", compared, equal);
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
