package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.model.FieldType;
import dev.netmeta.model.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;

class QueryGuardTest {

    /** The rule of the class comment of {@link QueryGuard}: which terms are rewritten. */
    private static final Pattern UNQUOTED_CIDR = Pattern.compile(
            "(?<![\\w.\\\\])([A-Za-z][\\w]*):((?:\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}"
                    + "|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/\\d{1,3})(?=$|[\\s)])");

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
    void theScanQuotesExactlyWhatThePatternFinds() {
        Random random = new Random(42);
        int quoted = 0;
        for (int n = 0; n < 100_000; n++) {
            StringBuilder q = new StringBuilder();
            for (int terms = random.nextInt(3) + 1; terms > 0; terms--) {
                q.append(pick(random, "", "", " ", "(", ".", "\\", "+", "a", "_"))
                        .append(pick(random, "srcIp", "dstIp", "uri", "x_1", "9a", "", "Ip"))
                        .append(pick(random, ":", ":", ":", "::", ""))
                        .append(random.nextBoolean() ? runs(random, '.', "0123456789", 6, 4)
                                : runs(random, ':', "0123456789abcdefABCDEFg", 10, 5))
                        .append(pick(random, "/", "/", "/", "", "."))
                        .append(runs(random, '.', "0123456789", 1, 4))
                        .append(pick(random, "", " ", ")", "x", "\n", "\t", "/", "\u2028", ".", ":", " AND "));
            }
            String query = q.toString();
            String expected = byPattern(query);
            quoted += expected.equals(query) ? 0 : 1;
            assertThat(QueryGuard.quoteCidrs(query)).as(query).isEqualTo(expected);
        }
        assertThat(quoted).as("queries the pattern rewrote").isGreaterThan(200);
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

    /** The rewrite as the pattern specifies it (queries without phrases). */
    private static String byPattern(String text) {
        Matcher m = UNQUOTED_CIDR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String field = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement(Fields.typeOf(field) == FieldType.IP
                    ? field + ":\"" + m.group(2) + "\"" : m.group()));
        }
        return m.appendTail(out).toString();
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
                "uri:\\/index.html", "a/b", "srcIp:10.0.0.0/8", "host:/\\.hidden/", "uri:\"a\\\"/.*/\""}) {
            assertThat(new QueryGuard(4096).guard(q)).as(q).isNotNull();
        }
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
        assertThat(new QueryGuard(4096).guard("sourceFile:[raw/.a TO raw/.b]")).isNotNull();
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
