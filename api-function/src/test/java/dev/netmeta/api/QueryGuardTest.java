package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.model.FieldType;
import dev.netmeta.model.Fields;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.charstream.FastCharStream;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.QueryParserConstants;
import org.apache.lucene.queryparser.classic.QueryParserTokenManager;
import org.apache.lucene.queryparser.classic.Token;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;

class QueryGuardTest {

    private static final StandardAnalyzer ANALYZER = new StandardAnalyzer();

    /** The values the rewrite quotes (see the class comment of {@link QueryGuard}), up to their terminator. */
    private static final Pattern CIDR_VALUE = Pattern.compile(
            "(?:(?:\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/\\d{1,3})(?=$|[\\s)])");

    @Test
    void quotesUnquotedIpv4CidrOnIpFields() {
        assertThat(QueryGuard.quoteCidrs("srcIp:10.0.0.0/8 AND dstPort:[0 TO 1023]"))
                .isEqualTo("srcIp:\"10.0.0.0/8\" AND dstPort:[0 TO 1023]");
        assertThat(QueryGuard.quoteCidrs("(dstIp:192.168.1.0/24 OR srcIp:172.16.0.0/12)"))
                .isEqualTo("(dstIp:\"192.168.1.0/24\" OR srcIp:\"172.16.0.0/12\")");
    }

    @Test
    void quotesUnquotedIpv6Cidr() {
        assertThat(QueryGuard.quoteCidrs("srcIp:2001:db8::/32")).isEqualTo("srcIp:\"2001:db8::/32\"");
    }

    @Test
    void leavesQuotedEscapedAndNonIpTermsAlone() {
        assertThat(QueryGuard.quoteCidrs("srcIp:\"10.0.0.0/8\"")).isEqualTo("srcIp:\"10.0.0.0/8\"");
        assertThat(QueryGuard.quoteCidrs("srcIp:10.0.0.0\\/8")).isEqualTo("srcIp:10.0.0.0\\/8");
        assertThat(QueryGuard.quoteCidrs("host:\"a srcIp:10.0.0.0/8\"")).isEqualTo("host:\"a srcIp:10.0.0.0/8\"");
        assertThat(QueryGuard.quoteCidrs("uri:10.0.0.0/8")).isEqualTo("uri:10.0.0.0/8");
        assertThat(QueryGuard.quoteCidrs("host:/goo.*/")).isEqualTo("host:/goo.*/");
    }

    @Test
    void refusesTooLongQueriesAndControlCharacters() {
        QueryGuard guard = new QueryGuard(10);
        assertThat(guard.guard("  host:a  ")).isEqualTo("host:a");
        assertThat(guard.guard(null)).isEmpty();
        assertThatThrownBy(() -> guard.guard("host:abcdefgh")).hasMessageContaining("maximum is 10");
        assertThatThrownBy(() -> guard.guard("host:a\u0000")).hasMessageContaining("control character");
    }

    @Test
    void theCidrRewriteReadsQAsLucenesParserDoes() {
        // a value of an IP field that the parser reads as a term and a regular expression is quoted, also after a
        // quote in a range bound or a regular expression, and when the field name is written with escapes
        for (String[] c : new String[][]{
                {"host:[a\" TO b] OR srcIp:10.0.0.0/8", "host:[a\" TO b] OR srcIp:\"10.0.0.0/8\""},
                {"host:/a[\"]b/ OR srcIp:10.0.0.0/8", "host:/a[\"]b/ OR srcIp:\"10.0.0.0/8\""},
                {"src\\Ip:10.0.0.0/8", "src\\Ip:\"10.0.0.0/8\""}}) {
            assertThat(QueryGuard.quoteCidrs(c[0])).as(c[0]).isEqualTo(c[1]);
            assertThat(luceneCidrPhrases(c[1])).as(c[1]).containsExactly("srcIp 10.0.0.0/8");
        }
        // and nothing inside a phrase, a range bound or a regular expression, nor the value of another field, nor
        // one with a space before or after the colon (documented: quote those)
        for (String q : new String[]{"host:[a\" TO b] OR uri:\"x srcIp:10.0.0.0/8 y\"", "uri:[srcIp:10.0.0.0/8 TO z]",
                "uri:{srcIp:10.0.0.0/8 TO z}", "host:/a srcIp:10.0.0.0/8 b", "a/srcIp:10.0.0.0/8", "x-srcIp:10.0.0.0/8",
                "a\\ srcIp:10.0.0.0/8", "x-srcIp:10.0.0.0/8 OR host:a/", "srcIp: 10.0.0.0/8", "srcIp :10.0.0.0/8"}) {
            assertThat(QueryGuard.quoteCidrs(q)).as(q).isEqualTo(q);
        }
    }

    @Test
    void theCidrRewriteQuotesExactlyWhatLucenesLexerReadsAsAnIpFieldsCidrValue() {
        Random random = new Random(42);
        String[] pieces = {"\"", "\"", "/", "/", "[", "]", "{", "}", " TO ", "\\", "\\\"", "\\/", "(", ")", "^2",
                "~", " ", " ", " OR ", "a\\ ", "x-", "a", ".", "_", "+", ":"};
        int compared = 0;
        int rewritten = 0;
        int parsed = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder q = new StringBuilder();
            for (int k = random.nextInt(6) + 1; k > 0; k--) {
                if (random.nextBoolean()) {
                    q.append(pieces[random.nextInt(pieces.length)]);
                    continue;
                }
                q.append(pick(random, "srcIp", "dstIp", "srcIp", "src\\Ip", "dst\\u0049p", "uri", "x_1", "9a", "", "Ip"))
                        .append(pick(random, ":", ":", ":", "::", "", " :", ": "))
                        .append(switch (random.nextInt(3)) {
                            case 0 -> runs(random, '.', "0123456789", 6, 4);
                            case 1 -> runs(random, ':', "0123456789abcdefABCDEFg", 10, 5);
                            default -> pick(random, "10.0.0.0", "192.168.1.0", "2001:db8::", "::", "fe80::1:");
                        })
                        .append(pick(random, "/", "/", "/", "", "."))
                        .append(runs(random, '.', "0123456789", 1, 4))
                        .append(pick(random, "", " ", ")", "x", "\n", "\t", "/", "\u2028", ".", ":", " AND "));
            }
            String query = q.toString();
            List<String> blocks = new ArrayList<>();
            String expected = luceneCidrRewrite(query, blocks);
            if (expected == null) {
                continue; // the lexer cannot read the rewritten query, nor can OpenSearch: not compared
            }
            compared++;
            rewritten += blocks.isEmpty() ? 0 : 1;
            assertThat(QueryGuard.quoteCidrs(query)).as(query).isEqualTo(expected);
            List<String> phrases = blocks.isEmpty() ? null : luceneCidrPhrases(expected);
            if (phrases != null) { // the parser reads every quoted block as a phrase on its IP field
                parsed++;
                assertThat(phrases).as(expected).containsAll(blocks);
            }
        }
        assertThat(compared).isGreaterThan(50_000);
        assertThat(rewritten).as("queries with a rewritten block").isGreaterThan(1_200);
        assertThat(parsed).as("of them, queries the parser reads").isGreaterThan(400);
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    /** Up to {@code maxRuns} runs of up to {@code maxLength} characters of {@code alphabet}, joined by {@code separator}. */
    private static String runs(Random random, char separator, String alphabet, int maxRuns, int maxLength) {
        StringBuilder b = new StringBuilder();
        for (int r = random.nextInt(maxRuns) + 1; r > 0; r--) {
            for (int k = random.nextInt(maxLength + 1); k > 0; k--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            if (r > 1) {
                b.append(separator);
            }
        }
        return b.toString();
    }

    /**
     * The rewrite of the class comment of {@link QueryGuard} in the tokens of Lucene's own lexer: a term, a colon
     * right after it and a CIDR value right after that ({@link #CIDR_VALUE}), where the term is an IP field as the
     * parser reads field names, is quoted; then the query is read again from the start. Null if the lexer cannot read
     * the result. {@code blocks} receives "field value" of each quoted block.
     */
    private static String luceneCidrRewrite(String query, List<String> blocks) {
        String q = query;
        rewrite:
        while (true) {
            QueryParserTokenManager lexer = new QueryParserTokenManager(new FastCharStream(new StringReader(q)));
            try {
                Token previous = null;
                for (Token t = lexer.getNextToken(); t.kind != QueryParserConstants.EOF; t = lexer.getNextToken()) {
                    if (t.kind == QueryParserConstants.COLON && previous != null
                            && previous.kind == QueryParserConstants.TERM
                            && previous.endColumn == t.beginColumn) { // FastCharStream's columns are offsets
                        Matcher m = CIDR_VALUE.matcher(q).region(t.endColumn, q.length());
                        String field = m.lookingAt() ? luceneField(previous.image) : null;
                        if (field != null && Fields.typeOf(field) == FieldType.IP) {
                            blocks.add(field + " " + m.group());
                            q = q.substring(0, m.start()) + "\"" + m.group() + "\"" + q.substring(m.end());
                            continue rewrite;
                        }
                    }
                    previous = t;
                }
                return q;
            } catch (TokenMgrError e) {
                return null;
            }
        }
    }

    /** The field a term names before a colon, as the parser reads it (escapes removed), or null if it cannot. */
    private static String luceneField(String term) {
        String[] name = new String[1];
        QueryParser parser = new QueryParser("\u0000default", ANALYZER) {
            @Override
            protected Query getFieldQuery(String f, String text, boolean quoted) {
                name[0] = f;
                return new TermQuery(new Term(f, text));
            }
        };
        try {
            parser.parse(term + ":a");
            return name[0];
        } catch (ParseException | TokenMgrError | RuntimeException e) {
            return null;
        }
    }

    /** "field value" of each phrase on an IP field the parser reads in q, or null if it cannot parse q. */
    private static List<String> luceneCidrPhrases(String query) {
        List<String> found = new ArrayList<>();
        QueryParser parser = new QueryParser("host", ANALYZER) {
            @Override
            protected Query getFieldQuery(String field, String text, boolean quoted) {
                if (quoted && Fields.typeOf(field) == FieldType.IP) {
                    found.add(field + " " + text);
                }
                return new TermQuery(new Term(field, text));
            }

            @Override
            protected Query getRegexpQuery(String field, String text) {
                return new TermQuery(new Term(field, text));
            }
        };
        parser.setAllowLeadingWildcard(true);
        try {
            parser.parse(query);
            return found;
        } catch (ParseException | TokenMgrError | RuntimeException e) {
            return null;
        }
    }

    @Test
    void aRegularExpressionThatScansEveryTermIsRefusedLikeALeadingWildcard() {
        for (String q : new String[]{"host:/.*oogle\\.com/", "host:/.+/", "host:/[a-z]*oogle.com/", "_id:/.*1/",
                "google.com OR host:/(.*)oogle.com/", "/.*x/", "host:(/.*x/)", "-host:/~x/", "host://",
                "host:(zzz/.*oogle\\.com/)", "host:(zzz||/.*oogle\\.com/)", "zzz/.*x/"}) {
            assertThatThrownBy(() -> new QueryGuard(4096).guard(q)).as(q)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_query"));
        }
        for (String q : new String[]{"_id:/abc.*/", "_id: /abc.*/", "_id:(/abc.*/)", "_id:(x OR /abc.*/)"}) {
            assertThatThrownBy(() -> new QueryGuard(4096).guard(q)).as(q).hasMessageContaining("on _id");
        }
        assertThatThrownBy(() -> new QueryGuard(4096).guard("host:/.*x/")).hasMessageContaining("literal character");
    }

    @Test
    void regularExpressionsWithALiteralStartAndSlashesElsewhereAreLeftAlone() {
        for (String q : new String[]{"host:/goo.*\\.com/", "host:/www\\.example\\.(com|net)/", "uri:\"/.*/\"",
                "uri:\\/index.html", "a/b", "host:/\\.hidden/", "uri:\"a\\\"/.*/\""}) {
            assertThat(new QueryGuard(4096).guard(q)).as(q).isEqualTo(q);
        }
        // the one rewrite guard() makes: an unquoted CIDR block on an IP field is quoted, not taken for a regexp
        assertThat(new QueryGuard(4096).guard("srcIp:10.0.0.0/8")).isEqualTo("srcIp:\"10.0.0.0/8\"");
    }

    @Test
    void theGuardReadsQAsOpenSearchsParserDoes() {
        // a quote inside a range bound starts no phrase; "\/" does not end a regular expression when a later "/"
        // does (the lexer's longest match); a field is a term, escapes removed, then ':' (spaces allowed before it)
        for (String q : new String[]{"host:[a\" TO b] OR host:/.*oogle\\.com/ OR host:\"x\"",
                "host:{a\" TO b} OR _id:/1.*/ OR host:\"x\"", "host:/a\\\\/.*x/ OR host:/.*oogle\\.com/",
                "host:/a\\\\/.*x/ OR _id:/1.*/", "_id :/1.*/", "\\_id:/1.*/", "_i\\d:/1.*/",
                "host:(x OR host:[a\" TO b] OR _id:(/1.*/))"}) {
            assertThatThrownBy(() -> new QueryGuard(4096).guard(q)).as(q)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_query"));
        }
        // and a slash inside a range bound starts no regular expression
        assertThat(new QueryGuard(4096).guard("sourceFile:[raw/.a TO raw/.b]")).isEqualTo("sourceFile:[raw/.a TO raw/.b]");
    }

    @Test
    void aFieldNameWrittenWithAUnicodeEscapeIsTheFieldItNames() {
        // the parser decodes \\uXXXX in field names (discardEscapeChar): \\u005fid is _id
        for (String q : new String[]{"\\u005fid:/1.*/", "\\u005Fid:(/1.*/)", "_\\u0069d:/1.*/"}) {
            assertThatThrownBy(() -> new QueryGuard(4096).guard(q)).as(q).hasMessageContaining("on _id");
        }
    }

    @Test
    void theGuardFindsTheRegularExpressionsAndFieldsLucenesParserFinds() {
        Random random = new Random(7);
        String[] pieces = {"host", "_id", "\\_id", "\\u005fid", "\\u005F", "\\u0", "a", "x", ".*", "1", ":", ":", " ", " ", "(", ")", "\"", "\"",
                "/", "/", "/", "\\", "\\/", "\\\"", "[", "]", "{", "}", " TO ", " OR ", "+", "-", "!", "^2", "~",
                "*", "?", "\t", "\u3000", "|", "&&", "a\\ b"};
        int compared = 0;
        int withRegexps = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder q = new StringBuilder();
            for (int k = random.nextInt(14) + 1; k > 0; k--) {
                q.append(pieces[random.nextInt(pieces.length)]);
            }
            String query = q.toString();
            List<String> expected = luceneRegexps(query);
            if (expected == null) {
                continue; // the parser refuses it: so does OpenSearch, whatever the guard read
            }
            compared++;
            withRegexps += expected.isEmpty() ? 0 : 1;
            List<String> found = new ArrayList<>();
            for (QueryGuard.Regexp r : QueryGuard.regexps(query)) {
                found.add(r.field() + " " + r.body());
            }
            assertThat(found).as(query).isEqualTo(expected);
        }
        assertThat(compared).isGreaterThan(5_000);
        assertThat(withRegexps).isGreaterThan(1_000);
    }

    @Test
    void aRegularExpressionWhoseFirstCharacterIsOptionalOrOneOfManyScansToo() {
        // each matches www.google.com: the literal first character is optional, an alternative, or a class
        for (String q : new String[]{"host:/a|.*oogle\\.com/", "host:/g?.*oogle\\.com/", "host:/g*.*oogle\\.com/",
                "host:/g{0,2}.*com/", "host:/g+?.*com/", "host:/g{0}.*com/", "host:/goo.*|.*oogle.*/",
                "host:/\\w+\\.google\\.com/", "host:/\\W.*/", "host:/\\d?.*/", "host:/a\"|\"b|.*x/", "host:/a(b|c)|[a-z]x/",
                "host:/a|/"}) {
            assertThatThrownBy(() -> new QueryGuard(4096).guard(q)).as(q)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_query"))
                    .hasMessageContaining("literal");
        }
        for (String q : new String[]{"host:/www\\.example\\.(com|net)/", "host:/goo.*|mail.*/", "host:/g+oogle.*/",
                "host:/g{1,2}.*/", "host:/\\.hidden/", "host:/a\"|\"b/", "host:/a[|]|b/", "host:/\\|x/", "host:/w&.*/",
                "host:/\uD83D\uDE00.*/"}) {
            assertThat(new QueryGuard(4096).guard(q)).as(q).isEqualTo(q);
        }
    }

    /** The regular expressions Lucene's classic parser (which query_string extends) reads in q, or null if it fails. */
    private static List<String> luceneRegexps(String query) {
        List<String> found = new ArrayList<>();
        String defaultField = "\u0000default"; // a name no query can write
        QueryParser parser = new QueryParser(defaultField, new StandardAnalyzer()) {
            @Override
            protected Query getRegexpQuery(String field, String termStr) {
                found.add((field.equals(defaultField) ? null : field) + " " + termStr);
                return new TermQuery(new Term(field, termStr));
            }
        };
        parser.setAllowLeadingWildcard(true);
        try {
            parser.parse(query);
            return found;
        } catch (ParseException | TokenMgrError | RuntimeException e) {
            return null;
        }
    }
}
