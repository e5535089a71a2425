package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.QueryParserConstants;
import org.apache.lucene.queryparser.classic.Token;
import org.junit.jupiter.api.Test;

/**
 * A lower-case (or mixed-case) {@code and}, {@code or} or {@code not} is no operator in Lucene syntax: it is a term on
 * the default field ({@code host}), and a space means OR, so {@code srcIp:10.0.0.1 and dstPort:53} is
 * {@code srcIp:10.0.0.1 OR host:and OR dstPort:53} — a search silently widened about a hundredfold (newcomer9, 1).
 * The guard refuses such a bare term; a fielded, quoted, escaped or modified one, and one in a phrase, a range or a
 * regular expression, is left alone.
 */
class LowerCaseOperatorGuardTest {

    private final QueryGuard guard = new QueryGuard(4096);

    @Test
    void aBareLowerCaseOperatorIsRefusedSayingToWriteItInCapitals() {
        for (String q : List.of("srcIp:10.0.0.1 and dstPort:53", "host:google.com not dstPort:443",
                "dstPort:80 or dstPort:443", "srcIp:10.0.0.1 And dstPort:53", "a OR (b and c)", "not host:x",
                "host:(a and b)", "srcIp:(10.0.0.1 or 10.0.0.2)", "x aNd y", "srcIp:10.0.0.0/8 and dstPort:53",
                "and", "a and", "x and^2 y", "proto:udp\tor\tproto:tcp", "* and proto:udp", "Flow_Duration:1 or x")) {
            assertThatThrownBy(() -> guard.check(q)).as(q).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.code()).isEqualTo("bad_query");
            });
        }
        assertThatThrownBy(() -> guard.check("srcIp:10.0.0.1 and dstPort:53")).hasMessage("q has 'and' as a search"
                + " term: Lucene reads a lower-case and as the word on the default field host, not as an operator, and"
                + " a space means OR, so the search would find more, not fewer, documents. Operators must be upper case:"
                + " write AND, OR, NOT (or &&, ||, !). To search the word itself, quote it (\"and\") or give its field"
                + " (host:and)");
        assertThatThrownBy(() -> guard.check("a Not b")).hasMessageContaining("q has 'Not' as a search term")
                .hasMessageContaining("(\"Not\") or give its field (host:Not)");
    }

    /**
     * A lower-case or is no operator either, but the search's default operator is OR (a space means OR), so it does not
     * widen what the query finds the way and and not do: the message said "the search would find more, not fewer,
     * documents", written for and. It says what is true for or (the next test checks it against Lucene's parser).
     */
    @Test
    void theMessageForOrSaysItOnlyAddsTheWordAsAnAlternative() {
        assertThatThrownBy(() -> guard.check("dstPort:53 or dstPort:80")).hasMessage("q has 'or' as a search term:"
                + " Lucene reads a lower-case or as the word on the default field host, not as an operator; a space"
                + " already means OR here, so the search finds what OR would find and may also find documents whose"
                + " host is the word or. Operators must be upper case: write AND, OR, NOT (or &&, ||, !). To search the"
                + " word itself, quote it (\"or\") or give its field (host:or)");
        assertThatThrownBy(() -> guard.check("a Or b")).hasMessageContaining("may also find documents whose host is the"
                + " word or.");
        assertThatThrownBy(() -> guard.check("x not y")).hasMessageContaining("find more, not fewer, documents");
    }

    /**
     * Generated queries the parser reads, with the default operator OR (as the API sends them): where the guard refuses
     * a bare lower-case or (and no other such word), the query with those words in capitals reads as the typed one
     * without them, and each of them is an optional (SHOULD) term host:or — so the search finds what OR would find and
     * may also find documents whose host is "or", as the message says.
     */
    @Test
    void aLowerCaseOrReadsAsOrWithTheWordAsOneMoreAlternative() {
        String[] pieces = {" or ", " or ", " OR ", " AND ", " NOT ", " ", "a", "b", "host:x", "(a or b)", "(c AND d)",
                "(", ")", "+c", "-d", "^2", "\"x y\"", " dstPort:53 ", "*", "or"};
        // the default field under a name of its own, so that a typed host:or is not taken for the bare word; every
        // term as typed (no analysis: "or-" is not "or")
        QueryParser parser = new QueryParser(DEFAULT_FIELD, new StandardAnalyzer()) {
            @Override
            protected org.apache.lucene.search.Query getFieldQuery(String field, String text, boolean quoted) {
                return new org.apache.lucene.search.TermQuery(new org.apache.lucene.index.Term(field, text));
            }
        };
        parser.setDefaultOperator(QueryParser.Operator.OR);
        parser.setSplitOnWhitespace(true);
        int compared = 0;
        for (String q : LuceneOracle.randomQueries(53, pieces, 9, 200_000)) {
            String typed = q.strip();
            String refusal = null;
            try {
                guard.check(typed);
            } catch (ApiException e) {
                refusal = e.getMessage();
            }
            if (refusal == null || !refusal.startsWith("q has 'or' as a search term") || !LuceneOracle.parses(parser,
                    typed)) {
                continue;
            }
            List<Token> bare = bareOperatorWords(typed);
            if (bare.stream().anyMatch(t -> !t.image.equals("or"))) {
                continue; // another word too: its own sentence
            }
            // each bare or in capitals, and as a word of its own that the parser reads just as it reads or (a term) but
            // that no other or of the query is (+or, host:or)
            StringBuilder upper = new StringBuilder(typed);
            StringBuilder marked = new StringBuilder(typed);
            for (int k = bare.size() - 1; k >= 0; k--) {
                upper.replace(bare.get(k).beginColumn, bare.get(k).endColumn, "OR");
                marked.replace(bare.get(k).beginColumn, bare.get(k).endColumn, BARE_OR);
            }
            org.apache.lucene.search.Query meant;
            org.apache.lucene.search.Query read;
            try {
                meant = parser.parse(upper.toString());
                read = parser.parse(marked.toString());
            } catch (org.apache.lucene.queryparser.classic.ParseException e) {
                continue; // "OR" there is no operator the parser reads (a OR, OR a): nothing to compare
            }
            compared++;
            assertThat(withoutTheWordOr(read).toString()).as("[" + typed + "] as [" + upper + "]")
                    .isEqualTo(meant.toString());
        }
        System.out.printf("lower-case or oracle: %d compared%n", compared);
        assertThat(compared).isGreaterThan(2_000);
    }

    private static final String DEFAULT_FIELD = "theDefaultField";
    private static final String BARE_OR = "zqbareor";

    /** {@code q} without its clauses {@link #BARE_OR} on the default field, each of which must be optional (SHOULD). */
    private static org.apache.lucene.search.Query withoutTheWordOr(org.apache.lucene.search.Query q) {
        if (q instanceof org.apache.lucene.search.BoostQuery boosted) {
            return new org.apache.lucene.search.BoostQuery(withoutTheWordOr(boosted.getQuery()), boosted.getBoost());
        }
        if (!(q instanceof org.apache.lucene.search.BooleanQuery b)) {
            return q;
        }
        org.apache.lucene.search.BooleanQuery.Builder kept = new org.apache.lucene.search.BooleanQuery.Builder();
        for (org.apache.lucene.search.BooleanClause c : b.clauses()) {
            if (c.getQuery().toString().equals(DEFAULT_FIELD + ":" + BARE_OR)) {
                assertThat(c.getOccur()).as(q.toString()).isEqualTo(org.apache.lucene.search.BooleanClause.Occur.SHOULD);
                continue;
            }
            kept.add(withoutTheWordOr(c.getQuery()), c.getOccur());
        }
        return kept.build();
    }

    @Test
    void theWordFieldedQuotedEscapedOrInsideAnotherTokenIsLeftAlone() {
        for (String q : List.of("host:and", "host: and", "\"and\"", "host:\"and\"", "\\and", "a\\ and", "an\\d",
                "srcIp:10.0.0.1 AND dstPort:53", "a OR b", "NOT a", "a && b", "a || b", "!a", "+and", "-and x", "!and",
                "a NOT and", "sourceFile:[and TO or]", "host:/and.*/", "\"a and b\"", "and:x", "Or:1", "a~and",
                "andy OR or_ OR not-a OR nota OR band", "host:and.com", "host:www.and*", "and*", "an?")) {
            QueryGuard.Guarded g = guard.check(q);
            assertThat(g.query()).as(q).isEqualTo(q.strip());
        }
    }

    @Test
    void theShortcutForContractOnlyQueriesDoesNotSkipTheCheck() {
        // srcIp:10.0.0.1 and dstPort:53 names contract fields only and has no '/': the guard's shortcut that sends such
        // a query unread must not let the word through
        assertThatThrownBy(() -> guard.check("srcIp:10.0.0.1 or dstPort:53")).isInstanceOf(ApiException.class);
        assertThat(QueryGuard.mayHaveLowerCaseOperator("srcIp:10.0.0.1 AND dstPort:53")).isFalse();
        assertThat(QueryGuard.mayHaveLowerCaseOperator("host:andy.com OR host:notably.org")).isFalse();
        assertThat(QueryGuard.mayHaveLowerCaseOperator("x nOt y")).isTrue();
    }

    /**
     * Generated queries, compared with Lucene's own lexer: the guard refuses a query that parses exactly when the lexer
     * reads a term {@code and}, {@code or} or {@code not} in some case other than upper case (its text as written, so an
     * escaped one is not it) that is no field name (no colon after it), no field's value (no colon before it) and has
     * no modifier before it ({@code +}, {@code -}, {@code !}, {@code NOT}).
     */
    @Test
    void theGuardRefusesExactlyTheBareWordsLucenesLexerReadsAsTerms() {
        String[] pieces = {"and", "or", "not", "And", "OR", "AND", "NOT", "Not", " ", " ", " ", "a", "host", ":", "\"",
                "\\", "(", ")", "[", "]", " TO ", "+", "-", "!", "^2", "~", "*", "/", "\t", "&&", "srcIp:", "10.0.0.0/8"};
        QueryParser parser = new QueryParser("host", new StandardAnalyzer());
        parser.setAllowLeadingWildcard(true);
        int parsed = 0;
        int refused = 0;
        for (String q : LuceneOracle.randomQueries(29, pieces, 8, 100_000)) {
            String typed = q.strip();
            if (typed.isEmpty() || !LuceneOracle.parses(parser, typed)) {
                continue;
            }
            if (QueryGuard.read(typed).bareBlocks() > 0) {
                // 10.0.0.0/8 without a field is read as one block where Lucene reads a term and a regular expression
                // up to a later '/' (deliberately: BareIpTermTest)
                continue;
            }
            parsed++;
            String bare = bareOperatorWord(typed);
            String refusal = null;
            try {
                guard.check(typed);
            } catch (ApiException e) {
                if (e.getMessage().contains("as a search term")) {
                    refusal = e.getMessage();
                }
            }
            if (bare == null) {
                assertThat(refusal).as("[" + typed + "]").isNull();
            } else {
                refused++;
                assertThat(refusal).as("[" + typed + "]").startsWith("q has '" + bare + "' as a search term");
            }
        }
        assertThat(parsed).isGreaterThan(10_000);
        assertThat(refused).isGreaterThan(2_000);
    }

    private static final Set<Integer> MODIFIERS = Set.of(QueryParserConstants.PLUS, QueryParserConstants.MINUS,
            QueryParserConstants.NOT);

    /** The first term the lexer reads in q that is a bare lower- or mixed-case operator word (see above), or null. */
    private static String bareOperatorWord(String q) {
        List<Token> bare = bareOperatorWords(q);
        return bare.isEmpty() ? null : bare.get(0).image;
    }

    /** The terms the lexer reads in q that are bare lower- or mixed-case operator words (see above), in order. */
    private static List<Token> bareOperatorWords(String q) {
        List<Token> tokens = LuceneOracle.tokens(q);
        List<Token> bare = new ArrayList<>();
        if (tokens == null) {
            return bare;
        }
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.kind != QueryParserConstants.TERM || !isLowerOperator(t.image)) {
                continue;
            }
            Token before = k > 0 ? tokens.get(k - 1) : null;
            Token after = k + 1 < tokens.size() ? tokens.get(k + 1) : null;
            if (before != null && (before.kind == QueryParserConstants.COLON || MODIFIERS.contains(before.kind))) {
                continue;
            }
            if (after != null && after.kind == QueryParserConstants.COLON) {
                continue;
            }
            bare.add(t);
        }
        return bare;
    }

    private static boolean isLowerOperator(String word) {
        return (word.equalsIgnoreCase("and") || word.equalsIgnoreCase("or") || word.equalsIgnoreCase("not"))
                && !word.equals(word.toUpperCase(java.util.Locale.ROOT));
    }
}
