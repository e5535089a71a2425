package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.junit.jupiter.api.Test;

/**
 * A query the parser cannot read came back as the parser's own words: {@code host:(google.com} → "Encountered
 * "<EOF>" at line 1, column 16" (nothing says a ')' is missing), {@code host:"google.com} → "Lexical error … after
 * prefix "\"google.com" (in lexical state 2)"; {@code "10.0.0.0/33"} was a 200 with 0 hits (a phrase on host) and
 * {@code 10.0.0.0/33} a lexical error. The guard names what is unclosed and where (an unclosed quote, regular
 * expression, range or group, a ')' that closes nothing) and a prefix length no block has, and says what to type.
 */
class UnreadableQueryTest {

    private final QueryGuard guard = new QueryGuard(4096);

    private String refusal(String q) {
        try {
            guard.check(q);
        } catch (ApiException e) {
            assertThat(e.code()).as(q).isEqualTo("bad_query");
            return e.getMessage();
        }
        return null;
    }

    @Test
    void anUnclosedQuoteOrGroupIsNamedWithWhereItIs() {
        assertThat(refusal("host:\"google.com")).isEqualTo("q has a quote (\") at position 6 that no quote closes:"
                + " Lucene reads the rest of q as an unfinished phrase. End the phrase with a quote, e.g."
                + " host:\"google.com\", or escape a quote that is part of a value (\\\")");
        assertThat(refusal("host:(google.com")).isEqualTo("q has a '(' at position 6 that no ')' closes: close each"
                + " group with ')' where it ends, e.g. host:(google.com)");
        assertThat(refusal("(a OR (b AND (c")).isEqualTo("q has 3 '(' that no ')' closes (the first at position 1):"
                + " close each group with ')' where it ends, e.g. (a OR (b AND (c)))");
        assertThat(refusal("host:google.com) OR x")).isEqualTo("q has a ')' at position 16 that closes no '(': remove"
                + " it, or add the '(' where its group starts");
        assertThat(refusal("dstPort:1 TO 1023]")).isEqualTo("q has a ']' at position 18 that closes no range: remove"
                + " it, or add the '[' where the range starts (a range is [a TO b] or {a TO b}, e.g. dstPort:[1 TO"
                + " 1023])");
        assertThat(refusal("dstPort:[1 TO 1023")).isEqualTo("q has a range '[' at position 9 that no ']' or '}'"
                + " closes: a range is [a TO b] (bounds included) or {a TO b} (excluded), e.g. dstPort:[1 TO 1023]");
        assertThat(refusal("uri:/index.html")).startsWith("q has a '/' at position 5 that starts a regular expression"
                + " no '/' ends").contains("Quote a value that has a slash (uri:\"/index.html\") or escape the slash");
        // a block with a fuzzy suffix or a letter after it is no block: its slash starts a regular expression
        assertThat(refusal("10.0.0.0/8~")).startsWith("q has a '/' at position 9 that starts a regular expression");
        // positions count characters as people do: an emoji before is one
        assertThat(refusal("\uD83D\uDE00 \"x")).startsWith("q has a quote (\") at position 3 ");
        // the example is left out when q is too long to quote whole
        assertThat(refusal("host:(" + "a".repeat(100))).endsWith("close each group with ')' where it ends");
    }

    @Test
    void aPrefixLengthNoBlockHasIsNamedOnTheDefaultField() {
        String v4 = "q has 10.0.0.0/33, which is no CIDR block: the prefix length of an IPv4 block is 0-32, of an IPv6"
                + " block 0-128. Write a block such as 10.0.0.0/8 (it searches srcIp and dstIp), or give the text a"
                + " field (host:\"10.0.0.0/33\")";
        assertThat(refusal("\"10.0.0.0/33\"")).isEqualTo(v4); // was a phrase on host: 200, 0 hits
        assertThat(refusal("10.0.0.0/33")).isEqualTo(v4); // was a lexical error
        assertThat(refusal("dstPort:53 AND NOT 10.0.0.0\\/33")).isEqualTo(v4);
        assertThat(refusal("2001:db8::/129")).contains("such as 2001:db8::/32");
        // fielded, OpenSearch's own answer says it: "Illegal prefix length [33] in [10.0.0.0/33]. Must be 0-32 for
        // IPv4 ranges, 0-128 for IPv6 ranges"
        assertThat(refusal("srcIp:\"10.0.0.0/33\"")).isNull();
        assertThat(refusal("host:\"10.0.0.0/33\"")).isNull();
    }

    @Test
    void whatTheParserReadsIsLeftAlone() {
        for (String q : List.of("host:\"a\\\"b\"", "host:(a OR (b))", "host:\\(x", "host:\\\"x", "uri:\\/a", "a\\)",
                "host:[a\" TO b]", "uri:[\"a)\" TO \"b(\"]", "host:\"(\"", "host:/a(/", "dstPort:[1 TO 1023]",
                "sourceFile:[raw/a TO raw/b]", "\"10.0.0.0/32\"", "\"1.2.3.4/5 x\"", "10.0.0.0/8", "a^2", "a~2")) {
            assertThat(refusal(q)).as(q).isNull();
        }
    }

    /**
     * Generated queries: every one the guard refuses as unreadable (an unclosed quote, regular expression, range or
     * group, a ')' closing none) Lucene's parser refuses too; for an unclosed quote or regular expression its lexical
     * error reads the unfinished token from the position the message names.
     */
    @Test
    void whatTheGuardCallsUnreadableTheParserCannotRead() {
        String[] pieces = {"a", "host:", "(", ")", "(", ")", "\"", "\"", "/", "[", "]", "{", "}", " TO ", "\\", "\\\"",
                "\\(", " ", " ", " OR ", "^2", "~", "*", "-", "x:", "\t"};
        QueryParser parser = new QueryParser("host", new StandardAnalyzer());
        parser.setAllowLeadingWildcard(true);
        int refused = 0;
        int unreadable = 0;
        int named = 0;
        for (String q : LuceneOracle.randomQueries(43, pieces, 8, 200_000)) {
            String typed = q.strip();
            boolean parses = typed.isEmpty() || LuceneOracle.parses(parser, typed);
            unreadable += parses ? 0 : 1;
            QueryGuard.Reading r = QueryGuard.read(typed);
            if (r.unreadable() == null) {
                continue;
            }
            refused++;
            assertThat(parses).as("[" + typed + "] refused: " + r.unreadable()).isFalse();
            String prefix = lexicalErrorPrefix(typed);
            if ((r.unreadable().startsWith("q has a quote") || r.unreadable().startsWith("q has a '/'"))
                    && prefix != null) { // the lexer met the end of q in the token (not something before it)
                int position = Integer.parseInt(r.unreadable().replaceAll("^[^0-9]*(\\d+).*$", "$1"));
                // the lexer names no prefix for a token of one character: a quote or slash at the end of q
                assertThat(prefix.isEmpty() ? position == typed.codePointCount(0, typed.length())
                        : prefix.equals(typed.substring(position - 1))).as(typed + ": " + prefix).isTrue();
                named++;
            }
        }
        System.out.printf("unreadable oracle: %d the parser cannot read, %d of them named by the guard (%d with the"
                + " lexer's prefix checked: it met the end of q in the quote or regular expression named)%n",
                unreadable, refused, named);
        assertThat(refused).isGreaterThan(50_000);
        assertThat(named).isGreaterThan(10_000);
    }

    /**
     * The text after which the lexer met the end of {@code q} inside an unfinished token ("" when it names none: a token
     * of one character), or null when the parser failed otherwise (or read q).
     */
    private static String lexicalErrorPrefix(String q) {
        try {
            new QueryParser("host", new StandardAnalyzer()).parse(q);
            return null;
        } catch (Exception e) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("after prefix \"(.*)\"(?: \\(in lexical state"
                    + " \\d+\\))?$", java.util.regex.Pattern.DOTALL).matcher(e.getMessage());
            return m.find() ? unescapeLexer(m.group(1)) : e.getMessage().contains("Encountered: <EOF>") ? "" : null;
        }
    }

    /** The lexer's message escapes the prefix as a Java string literal does. */
    private static String unescapeLexer(String s) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\' && k + 1 < s.length()) {
                char e = s.charAt(++k);
                b.append(switch (e) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> e;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Test
    void theShortcutReadsEveryQueryWithAQuoteARangeOrAnUnclosedGroup() {
        for (String q : List.of("host:\"google.com", "host:(google.com", "host:google.com)", "dstPort:[1 TO 2",
                "host:\"google.com\"", ")(")) {
            assertThat(QueryGuard.needsNoReading(q)).as(q).isFalse();
        }
        assertThat(QueryGuard.needsNoReading("(host:a OR (dstPort:1))")).isTrue();
    }

    @Test
    void itComesAfterTheLimitsAndBeforeTheOtherRefusals() {
        assertThatThrownBy(() -> guard.check("(".repeat(21) + "a")).hasMessageStartingWith("q nests groups 21 deep");
        assertThat(refusal("a and (b")).startsWith("q has a '(' at position 7");
    }
}
