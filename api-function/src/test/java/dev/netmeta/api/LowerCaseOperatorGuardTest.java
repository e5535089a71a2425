package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.queryparser.charstream.FastCharStream;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.QueryParserConstants;
import org.apache.lucene.queryparser.classic.QueryParserTokenManager;
import org.apache.lucene.queryparser.classic.Token;
import org.apache.lucene.queryparser.classic.TokenMgrError;
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
        List<Token> tokens = new ArrayList<>();
        QueryParserTokenManager lexer = new QueryParserTokenManager(new FastCharStream(new StringReader(q)));
        try {
            for (Token t = lexer.getNextToken(); t.kind != QueryParserConstants.EOF; t = lexer.getNextToken()) {
                tokens.add(t);
            }
        } catch (TokenMgrError e) {
            return null;
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
            return t.image;
        }
        return null;
    }

    private static boolean isLowerOperator(String word) {
        return (word.equalsIgnoreCase("and") || word.equalsIgnoreCase("or") || word.equalsIgnoreCase("not"))
                && !word.equals(word.toUpperCase(java.util.Locale.ROOT));
    }
}
