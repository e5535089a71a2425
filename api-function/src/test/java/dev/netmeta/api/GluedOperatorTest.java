package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.QueryParserConstants;
import org.apache.lucene.queryparser.classic.Token;
import org.junit.jupiter.api.Test;

/**
 * {@code &&} or {@code ||} glued to a term is part of that term for Lucene's lexer: {@code srcIp:10.0.0.1&&dstPort:53}
 * answered "'10.0.0.1&&dstPort' is not an IP string literal", {@code srcIp:10.0.0.0/8&&dstPort:53} a lexical error
 * (the block read as a term and a regular expression), {@code host:google.com&& dstPort:53} a 200 that searched the
 * host {@code google.com&&} or any dstPort 53. Only {@code srcIp:"10.0.0.0/8"&&dstPort:53} got a message saying what to
 * type (the unknown-field check's, for the field {@code &&dstPort}). The guard now names every other such term and
 * says to put spaces around the operator; a block or IPv6 address right before one is quoted (so the field after it
 * gets the unknown-field check's message, as the quoted form does).
 */
class GluedOperatorTest {

    private final QueryGuard guard = new QueryGuard(4096);

    @Test
    void anOperatorGluedToATermIsA400SayingToPutSpacesAroundIt() {
        assertThatThrownBy(() -> guard.check("srcIp:10.0.0.1&&dstPort:53")).isInstanceOfSatisfying(ApiException.class,
                e -> {
                    assertThat(e.code()).isEqualTo("bad_query");
                    assertThat(e.getMessage()).isEqualTo("q has '&&' glued to a term: Lucene reads"
                            + " '10.0.0.1&&dstPort' as one term, not as an operator between two. Put spaces around the"
                            + " operator: 10.0.0.1 && dstPort (or write AND); to search the characters themselves, quote"
                            + " the value (\"10.0.0.1&&dstPort\"), or escape them (10.0.0.1\\&\\&dstPort) in a wildcard"
                            + " term, which quotes would make a phrase");
                });
        assertThatThrownBy(() -> guard.check("host:google.com&& dstPort:53")).hasMessageContaining("Lucene reads"
                + " 'google.com&&' as one term").hasMessageContaining("Put spaces around the operator: google.com &&");
        assertThatThrownBy(() -> guard.check("dstPort:53|| proto:udp")).hasMessageContaining("q has '||' glued")
                .hasMessageContaining("operator: 53 || (or write OR)");
        assertThatThrownBy(() -> guard.check("google.com&&proto:udp")).hasMessageContaining("'google.com&&proto'");
        assertThatThrownBy(() -> guard.check("a&&b||c")).hasMessageContaining("Put spaces around the operator: a && b"
                + " || c");
    }

    @Test
    void aBlockOrIpv6AddressRightBeforeOneIsQuotedSoTheFieldAfterItIsNamed() {
        // before: a lexical error (the block a term and a regular expression), or '2001' is not an IP string literal
        QueryGuard.Guarded g = guard.check("srcIp:10.0.0.0/8&&dstPort:53");
        assertThat(g.query()).isEqualTo("srcIp:\"10.0.0.0/8\"&&dstPort:53");
        assertThat(g.fieldsToCheck()).containsExactly("&&dstPort"); // the unknown-field check's "write `&& dstPort`"
        assertThat(guard.check("srcIp:2001:db8::1||dstPort:53").query()).isEqualTo("srcIp:\"2001:db8::1\"||dstPort:53");
        assertThat(guard.check("10.0.0.0/8&&dstPort:53").query())
                .isEqualTo("(srcIp:\"10.0.0.0/8\" OR dstIp:\"10.0.0.0/8\")&&dstPort:53");
        assertThatThrownBy(() -> guard.check("srcIp:10.0.0.0/8&&x")).hasMessageContaining("'&&x'");
    }

    @Test
    void anOperatorAloneEscapedQuotedOrInARangeOrRegularExpressionIsLeftAlone() {
        for (String q : List.of("a && b", "a && (b)", "(a)&&(b)", "a || b", "a\\&&b", "a&\\&b", "\"a&&b\"",
                "uri:[a&&b TO c]", "host:/a&&b/", "a&b", "a|b")) {
            QueryGuard.Guarded g = guard.check(q);
            assertThat(g.query()).as(q).isEqualTo(q);
        }
        // a single '&' is a term of its own: sent with OR around it, as any term a space separates (SPACES_AS_OR)
        assertThat(guard.guard("a & b")).isEqualTo("a OR & OR b");
        // a field name starting with the operator is the unknown-field check's (code unknown_field, as before)
        assertThat(guard.check("srcIp:\"10.0.0.0/8\"&&dstPort:53").fieldsToCheck()).containsExactly("&&dstPort");
    }

    /**
     * Generated queries that Lucene's parser reads, compared with its own lexer: the guard names a glued operator
     * exactly when the lexer reads a term (plain, prefix or wildcard) longer than the operator with an unescaped
     * {@code &&} or {@code ||} in it, other than a field name that starts with one (a term followed by a colon), and it
     * names the first such term. (Of the queries the parser cannot read, a field's value followed by a colon,
     * {@code srcIp:10.0.0.1&&dstPort:53}, is named too: the examples above.)
     */
    @Test
    void theGuardNamesExactlyTheTermsLucenesLexerReadsWithAnOperatorInThem() {
        String[] pieces = {"&&", "&&", "||", "&", "a", "b", "host", ":", " ", " ", " ", "(", ")", "\"", "\\", "[", "]",
                " TO ", "/", "*", "^2", "~", "+", "-", "!", "\t", "10.0.0.1"};
        QueryParser parser = new QueryParser("host", new StandardAnalyzer());
        parser.setAllowLeadingWildcard(true);
        int compared = 0;
        int named = 0;
        for (String q : LuceneOracle.randomQueries(47, pieces, 8, 200_000)) {
            String typed = q.strip();
            List<Token> tokens = LuceneOracle.tokens(typed);
            if (typed.isEmpty() || tokens == null || !LuceneOracle.parses(parser, typed)) {
                continue;
            }
            int glued = firstGluedTerm(tokens);
            String expected = glued < 0 ? null : tokens.get(glued).image;
            String refusal = null;
            try {
                guard.check(typed);
            } catch (ApiException e) {
                if (!e.getMessage().contains("' glued to a ")) {
                    continue; // refused for something checked first
                }
                refusal = e.getMessage();
            }
            compared++;
            if (expected == null) {
                assertThat(refusal).as("[" + typed + "]").isNull();
            } else {
                named++;
                // a field name (a&&b:c) is called one, a value a term
                assertThat(refusal).as("[" + typed + "]").contains("Lucene reads '" + expected + "' as one "
                        + (glued + 1 < tokens.size() && tokens.get(glued + 1).kind == QueryParserConstants.COLON
                        ? "field name" : "term"));
            }
        }
        System.out.printf("glued oracle: %d compared, %d with a glued operator named%n", compared, named);
        assertThat(compared).isGreaterThan(20_000);
        assertThat(named).isGreaterThan(5_000);
    }

    private static final Set<Integer> TERMS = Set.of(QueryParserConstants.TERM, QueryParserConstants.PREFIXTERM,
            QueryParserConstants.WILDTERM);

    /** Where the first term of {@code tokens} with an operator glued in it (see above) is, or -1. */
    private static int firstGluedTerm(List<Token> tokens) {
        for (int k = 0; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            // an escaped character (\x) is no operator's: each one as a character that is none
            String unescaped = t.image.replaceAll("\\\\.", "\u0000");
            if (!TERMS.contains(t.kind) || !unescaped.contains("&&") && !unescaped.contains("||")) {
                continue;
            }
            boolean fieldName = k + 1 < tokens.size() && tokens.get(k + 1).kind == QueryParserConstants.COLON;
            if (fieldName && (t.image.startsWith("&&") || t.image.startsWith("||"))) {
                continue;
            }
            return k;
        }
        return -1;
    }
}
