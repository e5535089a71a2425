package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.model.FieldType;
import dev.netmeta.model.Fields;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.charstream.FastCharStream;
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

    /**
     * The values the rewrite quotes (see the class comment of {@link QueryGuard}), up to their terminator, maybe after
     * a boost.
     */
    private static final Pattern CIDR_VALUE = Pattern.compile("(?:(?:\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}"
            + "|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/\\d{1,3}"
            + "|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){1,5}:(?:\\d{1,3}\\.){3}\\d{1,3}/\\d{1,3})"
            + "(?=(?:\\^\\d+(?:\\.\\d+)?)?(?:$|[\\s)]|&&|\\|\\|))");

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
        // quote in a range bound or a regular expression, when the field name is written with escapes, and with
        // whitespace before or after the colon (the parser skips it: srcIp : 10.0.0.0/8 is srcIp:10.0.0.0/8)
        for (String[] c : new String[][]{
                {"host:[a\" TO b] OR srcIp:10.0.0.0/8", "host:[a\" TO b] OR srcIp:\"10.0.0.0/8\""},
                {"host:/a[\"]b/ OR srcIp:10.0.0.0/8", "host:/a[\"]b/ OR srcIp:\"10.0.0.0/8\""},
                {"src\\Ip:10.0.0.0/8", "src\\Ip:\"10.0.0.0/8\""},
                {"srcIp: 10.0.0.0/8", "srcIp: \"10.0.0.0/8\""},
                {"srcIp :10.0.0.0/8", "srcIp :\"10.0.0.0/8\""},
                {"srcIp : 10.0.0.0/8 AND host:x", "srcIp : \"10.0.0.0/8\" AND host:x"},
                {"(srcIp:\t\n\u300010.0.0.0/8)", "(srcIp:\t\n\u3000\"10.0.0.0/8\")"}}) {
            assertThat(QueryGuard.quoteCidrs(c[0])).as(c[0]).isEqualTo(c[1]);
            assertThat(luceneCidrPhrases(c[1])).as(c[1]).containsExactly("srcIp 10.0.0.0/8");
        }
        assertThat(QueryGuard.quoteCidrs("dstIp : 2001:db8::/32")).isEqualTo("dstIp : \"2001:db8::/32\"");
        assertThat(luceneCidrPhrases("dstIp : \"2001:db8::/32\"")).containsExactly("dstIp 2001:db8::/32");
        // and nothing inside a phrase, a range bound or a regular expression, nor the value of another field
        for (String q : new String[]{"host:[a\" TO b] OR uri:\"x srcIp:10.0.0.0/8 y\"", "uri:[srcIp:10.0.0.0/8 TO z]",
                "uri:{srcIp:10.0.0.0/8 TO z}", "host:/a srcIp:10.0.0.0/8 b", "a/srcIp:10.0.0.0/8", "x-srcIp:10.0.0.0/8",
                "a\\ srcIp:10.0.0.0/8", "x-srcIp:10.0.0.0/8 OR host:a/", "uri: 10.0.0.0/8", "x-srcIp : 10.0.0.0/8"}) {
            assertThat(QueryGuard.quoteCidrs(q)).as(q).isEqualTo(q);
        }
    }

    @Test
    void aBlockThatIsATermOfAnIpFieldsGroupIsQuotedToo() {
        // the parser gives a group's field to its bare terms, also in nested groups, after NOT and + - !, and with
        // spaces around the group's colon
        for (String[] c : new String[][]{
                {"srcIp:(10.0.0.0/8 OR 192.168.0.0/16)", "srcIp:(\"10.0.0.0/8\" OR \"192.168.0.0/16\")",
                        "srcIp 10.0.0.0/8", "srcIp 192.168.0.0/16"},
                {"dstIp:(2001:db8::/32)", "dstIp:(\"2001:db8::/32\")", "dstIp 2001:db8::/32"},
                {"srcIp:(10.0.0.0/8 OR (172.16.0.0/12 AND NOT 172.16.1.0/24))",
                        "srcIp:(\"10.0.0.0/8\" OR (\"172.16.0.0/12\" AND NOT \"172.16.1.0/24\"))",
                        "srcIp 10.0.0.0/8", "srcIp 172.16.0.0/12", "srcIp 172.16.1.0/24"},
                {"srcIp:(-10.0.0.0/8 +192.168.0.0/16 !172.16.0.0/12)",
                        "srcIp:(-\"10.0.0.0/8\" +\"192.168.0.0/16\" !\"172.16.0.0/12\")",
                        "srcIp 10.0.0.0/8", "srcIp 192.168.0.0/16", "srcIp 172.16.0.0/12"},
                {"host:x AND (srcIp :( 10.0.0.0/8) OR dstIp: (2001:db8::/32 10.0.0.0/8)^2)",
                        "host:x AND (srcIp :( \"10.0.0.0/8\") OR dstIp: (\"2001:db8::/32\" \"10.0.0.0/8\")^2)",
                        "srcIp 10.0.0.0/8", "dstIp 2001:db8::/32", "dstIp 10.0.0.0/8"},
                {"host:(a OR srcIp:(\"x\"10.0.0.0/8 host:y 10.1.0.0/16))",
                        "host:(a OR srcIp:(\"x\"\"10.0.0.0/8\" host:y \"10.1.0.0/16\"))",
                        "srcIp x", "srcIp 10.0.0.0/8", "srcIp 10.1.0.0/16"},
                {"src\\Ip:(10.0.0.0/8 OR dstIp:10.1.0.0/16)", "src\\Ip:(\"10.0.0.0/8\" OR dstIp:\"10.1.0.0/16\")",
                        "srcIp 10.0.0.0/8", "dstIp 10.1.0.0/16"}}) {
            assertThat(QueryGuard.quoteCidrs(c[0])).as(c[0]).isEqualTo(c[1]);
            assertThat(luceneCidrPhrases(c[1])).as(c[1]).containsExactly(Arrays.copyOfRange(c, 2, c.length));
        }
        // and nothing else: a block on the default field or in its group, after a field inside the group, inside a
        // phrase, a range bound or a regular expression, or one that is part of a longer term
        for (String q : new String[]{"10.0.0.0/8", "(10.0.0.0/8 OR 192.168.0.0/16)", "srcIp:(a) 10.0.0.0/8",
                "srcIp:(host:10.0.0.0/8)", "srcIp:(host: 10.0.0.0/8)", "srcIp:(host:x/y 10.0.0.0/8/)",
                "srcIp:(uri:(10.0.0.0/8))", "srcIp:(\"a 10.0.0.0/8\")", "srcIp:([10.0.0.0/8 TO 10.0.0.9/8])",
                "srcIp:(x-10.0.0.0/8)", "srcIp:(a\\ 10.0.0.0/8)", "srcIp:(10.0.0.0\\/8)", "x-srcIp:(10.0.0.0/8)"}) {
            assertThat(QueryGuard.quoteCidrs(q)).as(q).isEqualTo(q);
        }
        // a block inside the group's regular expression is not quoted, one after it is
        assertThat(QueryGuard.quoteCidrs("srcIp:(/x 10.0.0.0/8 OR 2001:db8::/32)"))
                .isEqualTo("srcIp:(/x 10.0.0.0/8 OR \"2001:db8::/32\")");
    }

    @Test
    void aBoostedBlockIsQuotedWithItsBoostAfterTheQuote() {
        // srcIp:10.0.0.0/8^2 is the term 10.0.0.0 and a regular expression /8^2…/ as much as srcIp:10.0.0.0/8 is;
        // quoted, the boost applies to the phrase (the parser reads <QUOTED> ^ <NUMBER>)
        for (String[] c : new String[][]{
                {"srcIp:10.0.0.0/8^2", "srcIp:\"10.0.0.0/8\"^2", "srcIp 10.0.0.0/8"},
                {"srcIp : 10.0.0.0/8^1.5 AND host:x", "srcIp : \"10.0.0.0/8\"^1.5 AND host:x", "srcIp 10.0.0.0/8"},
                {"dstIp:2001:db8::/32^3", "dstIp:\"2001:db8::/32\"^3", "dstIp 2001:db8::/32"},
                {"srcIp:(10.0.0.0/8^2 OR 192.168.0.0/16)", "srcIp:(\"10.0.0.0/8\"^2 OR \"192.168.0.0/16\")",
                        "srcIp 10.0.0.0/8", "srcIp 192.168.0.0/16"},
                {"srcIp:(10.0.0.0/8^2)^3", "srcIp:(\"10.0.0.0/8\"^2)^3", "srcIp 10.0.0.0/8"}}) {
            assertThat(QueryGuard.quoteCidrs(c[0])).as(c[0]).isEqualTo(c[1]);
            assertThat(luceneCidrPhrases(c[1])).as(c[1]).containsExactly(Arrays.copyOfRange(c, 2, c.length));
        }
        // not a fuzzy or proximity suffix (it means nothing on an IP term: OpenSearch reports the unquoted form as
        // it stands), nor a boost without a number or with more after it than the parser's <NUMBER>
        for (String q : new String[]{"srcIp:10.0.0.0/8~", "srcIp:10.0.0.0/8~2", "srcIp:10.0.0.0/8^2~1",
                "srcIp:(10.0.0.0/8~1)", "srcIp:10.0.0.0/8^", "srcIp:10.0.0.0/8^x", "srcIp:10.0.0.0/8^2x",
                "srcIp:10.0.0.0/8^2.", "srcIp:10.0.0.0/8^ 2", "srcIp:10.0.0.0/8^2^3", "uri:10.0.0.0/8^2"}) {
            assertThat(QueryGuard.quoteCidrs(q)).as(q).isEqualTo(q);
        }
    }

    @Test
    void anIpv6BlockEndingInAnIpv4AddressIsQuotedToo() {
        // after the field's colon the parser reads a second colon (srcIp:::ffff:…) or the address's first group as
        // the value and then a colon (dstIp:64:ff9b::…): a query it cannot parse, whatever follows
        for (String q : new String[]{"srcIp:::ffff:10.0.0.0/104", "srcIp:::ffff:10.0.0.0/104 OR x/",
                "dstIp:64:ff9b::10.0.0.0/120 OR x/", "srcIp:::/0 OR x/", "srcIp:::1/128 OR x/"}) {
            assertThat(luceneCidrPhrases(q)).as(q).isNull();
        }
        for (String[] c : new String[][]{
                {"srcIp:::ffff:10.0.0.0/104", "srcIp:\"::ffff:10.0.0.0/104\"", "srcIp ::ffff:10.0.0.0/104"},
                {"dstIp: 64:ff9b::192.168.0.0/112", "dstIp: \"64:ff9b::192.168.0.0/112\"",
                        "dstIp 64:ff9b::192.168.0.0/112"},
                {"srcIp:::10.0.0.0/104^2", "srcIp:\"::10.0.0.0/104\"^2", "srcIp ::10.0.0.0/104"},
                {"srcIp:1:2:3:4:5:6:10.0.0.1/128", "srcIp:\"1:2:3:4:5:6:10.0.0.1/128\"",
                        "srcIp 1:2:3:4:5:6:10.0.0.1/128"},
                {"dstIp:(64:ff9b::10.0.0.0/120)", "dstIp:(\"64:ff9b::10.0.0.0/120\")", "dstIp 64:ff9b::10.0.0.0/120"},
                // already quoted before: a block of hex groups only, also one starting with ':'
                {"srcIp:::/0", "srcIp:\"::/0\"", "srcIp ::/0"},
                {"srcIp: ::1/128", "srcIp: \"::1/128\"", "srcIp ::1/128"}}) {
            assertThat(QueryGuard.quoteCidrs(c[0])).as(c[0]).isEqualTo(c[1]);
            assertThat(luceneCidrPhrases(c[1])).as(c[1]).containsExactly(c[2]);
        }
        // not what is no such block: too many groups, an IPv4 part of three numbers, with a letter or four digits
        for (String q : new String[]{"srcIp:1:2:3:4:5:6:7:10.0.0.1/128", "srcIp:::ffff:10.0.0/104",
                "srcIp:::ffff:1a.0.0.0/104", "srcIp:::ffff:1000.0.0.0/104", "srcIp:::ffff:10.0.0.0/1040",
                "srcIp:ffff:10.0.0.0/104", "srcIp:::ffff:10.0.0.0.0/104", "uri:::ffff:10.0.0.0/104"}) {
            assertThat(QueryGuard.quoteCidrs(q)).as(q).isEqualTo(q);
        }
    }

    @Test
    void aBlockStartingWithAColonIsQuotedWhereItIsATermOfAnIpFieldsGroup() {
        // where no term is before it (after '(', an operator, a modifier, a ')' or a phrase) the parser reads a colon
        // that names no field: the query does not parse; quoted, the block is a term of the group's IP field
        for (String q : new String[]{"srcIp:(::/0)", "srcIp:(10.0.0.0/8 OR ::1/128 OR x/)", "srcIp:(NOT ::1/128)"}) {
            assertThat(luceneCidrPhrases(q)).as(q).isNull();
        }
        for (String[] c : new String[][]{
                {"srcIp:(::/0)", "srcIp:(\"::/0\")", "srcIp ::/0"},
                {"srcIp:(10.0.0.0/8 OR ::1/128)", "srcIp:(\"10.0.0.0/8\" OR \"::1/128\")", "srcIp 10.0.0.0/8",
                        "srcIp ::1/128"},
                {"srcIp:(::ffff:10.0.0.0/104 AND NOT ::/3)", "srcIp:(\"::ffff:10.0.0.0/104\" AND NOT \"::/3\")",
                        "srcIp ::ffff:10.0.0.0/104", "srcIp ::/3"},
                {"dstIp:( ::/0 || ::1/128 && ::2/128)", "dstIp:( \"::/0\" || \"::1/128\" && \"::2/128\")",
                        "dstIp ::/0", "dstIp ::1/128", "dstIp ::2/128"},
                {"srcIp:(+::/0 -::1/128 !::2/128)", "srcIp:(+\"::/0\" -\"::1/128\" !\"::2/128\")", "srcIp ::/0",
                        "srcIp ::1/128", "srcIp ::2/128"},
                {"srcIp:((10.0.0.0/8) ::/3^2 \"x\"::1/128)", "srcIp:((\"10.0.0.0/8\") \"::/3\"^2 \"x\"\"::1/128\")",
                        "srcIp 10.0.0.0/8", "srcIp ::/3", "srcIp x", "srcIp ::1/128"},
                {"host:x OR srcIp : ( ::/0)", "host:x OR srcIp : ( \"::/0\")", "srcIp ::/0"}}) {
            assertThat(QueryGuard.quoteCidrs(c[0])).as(c[0]).isEqualTo(c[1]);
            assertThat(luceneCidrPhrases(c[1])).as(c[1]).containsExactly(Arrays.copyOfRange(c, 2, c.length));
        }
        // not where the colon follows a term (the parser reads that term as a field: srcIp:(a ::1/128) is a: and
        // then a colon), or after another field's colon, or in a group of the default field or of another field
        for (String q : new String[]{"srcIp:(a ::/0)", "srcIp:(x::1/128)", "srcIp:(* ::/0)", "srcIp:(a* ::/0)",
                "srcIp:(uri: ::/0)", "srcIp:(uri:(::/0))", "(::/0)", "uri:(::/0)", "srcIp:(:/0)",
                "srcIp:(::ffff:/0x)"}) {
            assertThat(QueryGuard.quoteCidrs(q)).as(q).isEqualTo(q);
        }
    }

    @Test
    void nothingIsQuotedAfterARangeBoundThatAQuoteAddedLaterWouldLengthen() {
        // a bound that opens with a quote no unescaped quote closes is read up to the first quote after it: quoting a
        // later block would make that bound reach into the block, so the query would read otherwise before it
        assertThat(luceneCidrPhrases("uri:[a TO \"b] OR srcIp:\"10.0.0.0/8\"")).isNull();
        for (String q : new String[]{"uri:[a TO \"b] OR srcIp:10.0.0.0/8", "uri:{\"a\\\" TO b} OR srcIp:(10.0.0.0/8)",
                "uri:[a TO \"b] srcIp:(::/0)"}) {
            assertThat(QueryGuard.quoteCidrs(q)).as(q).isEqualTo(q);
        }
        // a bound closed by a quote of its own, or a quote inside a bound, lengthens nothing
        assertThat(QueryGuard.quoteCidrs("uri:[\"a b\" TO c] OR srcIp:10.0.0.0/8"))
                .isEqualTo("uri:[\"a b\" TO c] OR srcIp:\"10.0.0.0/8\"");
        assertThat(QueryGuard.quoteCidrs("uri:[a\" TO b] OR srcIp:10.0.0.0/8"))
                .isEqualTo("uri:[a\" TO b] OR srcIp:\"10.0.0.0/8\"");
    }

    @Test
    void theCidrRewriteQuotesExactlyWhatLucenesLexerReadsAsAnIpFieldsCidrValue() {
        Random random = new Random(42);
        String[] pieces = {"\"", "\"", "/", "/", "[", "]", "{", "}", " TO ", "\\", "\\\"", "\\/", "(", ")", "^2",
                "~", " ", " ", " OR ", "a\\ ", "x-", "a", ".", "_", "+", ":"};
        int compared = 0;
        int rewritten = 0;
        int inGroups = 0;
        int afterWhitespace = 0;
        int parsed = 0;
        int parsedInGroups = 0;
        int parsedSpaced = 0;
        int boosted = 0;
        int ipv4Tails = 0;
        int colonFirstInGroups = 0;
        int parsedNewForms = 0;
        for (int n = 0; n < 250_000; n++) {
            StringBuilder q = new StringBuilder();
            for (int k = random.nextInt(6) + 1; k > 0; k--) {
                if (random.nextBoolean()) {
                    q.append(pieces[random.nextInt(pieces.length)]);
                    continue;
                }
                q.append(clause(random, 0));
            }
            String query = q.toString();
            List<String> blocks = new ArrayList<>();
            List<String> grouped = new ArrayList<>();
            List<String> spaced = new ArrayList<>();
            List<String> colonFirst = new ArrayList<>();
            String expected = luceneCidrRewrite(query, blocks, grouped, spaced, colonFirst);
            if (expected == null) {
                continue; // the lexer cannot read the rewritten query, nor can OpenSearch: not compared
            }
            compared++;
            rewritten += blocks.isEmpty() ? 0 : 1;
            inGroups += grouped.isEmpty() ? 0 : 1;
            afterWhitespace += spaced.isEmpty() ? 0 : 1;
            boolean boost = blocks.stream()
                    .anyMatch(b -> expected.contains("\"" + b.substring(b.indexOf(' ') + 1) + "\"^"));
            boolean ipv4Tail = blocks.stream().anyMatch(b -> b.contains(":") && b.indexOf('.') > b.lastIndexOf(':'));
            boosted += boost ? 1 : 0;
            ipv4Tails += ipv4Tail ? 1 : 0;
            colonFirstInGroups += colonFirst.isEmpty() ? 0 : 1;
            assertThat(QueryGuard.quoteCidrs(query)).as(query).isEqualTo(expected);
            List<String> phrases = blocks.isEmpty() ? null : luceneCidrPhrases(expected);
            if (phrases != null) { // the parser reads every quoted block as a phrase on its IP field
                parsed++;
                parsedInGroups += grouped.isEmpty() ? 0 : 1;
                parsedSpaced += spaced.isEmpty() ? 0 : 1;
                parsedNewForms += boost || ipv4Tail || !colonFirst.isEmpty() ? 1 : 0;
                assertThat(phrases).as(expected).containsAll(blocks);
            }
        }
        assertThat(compared).isGreaterThan(50_000);
        assertThat(rewritten).as("queries with a rewritten block").isGreaterThan(1_200);
        assertThat(inGroups).as("queries with a rewritten block that is a group's term").isGreaterThan(2_500);
        assertThat(afterWhitespace).as("queries with a rewritten block after whitespace around its colon")
                .isGreaterThan(1_000);
        assertThat(parsed).as("of them, queries the parser reads").isGreaterThan(400);
        assertThat(parsedInGroups).as("of them, with a rewritten block that is a group's term").isGreaterThan(100);
        assertThat(parsedSpaced).as("of them, with a rewritten block after whitespace around its colon")
                .isGreaterThan(200);
        assertThat(boosted).as("queries with a rewritten block followed by a boost").isGreaterThan(1_000);
        assertThat(ipv4Tails).as("queries with a rewritten IPv6 block ending in an IPv4 address").isGreaterThan(1_000);
        assertThat(colonFirstInGroups).as("queries with a rewritten block starting with ':' in a group")
                .isGreaterThan(1_500);
        assertThat(parsedNewForms).as("of them, the parser reads one of these three")
                .isGreaterThan(100);
    }

    /**
     * A field (maybe none, maybe with spaces around the colon) and a value that may be a CIDR block, or a group of
     * such values and clauses, each maybe after an operator (up to two groups deep).
     */
    private static String clause(Random random, int depth) {
        String field = pick(random, "srcIp", "dstIp", "srcIp", "src\\Ip", "dst\\u0049p", "uri", "x_1", "9a", "", "Ip")
                + pick(random, ":", ":", ":", "::", "", " :", ": ", " : ", ":\t\n ", ":\u3000");
        if (depth < 2 && random.nextInt(3) == 0) {
            StringBuilder group = new StringBuilder(field).append(pick(random, "(", "(", "( ", "-(", "+("));
            for (int k = random.nextInt(3) + 1; k > 0; k--) {
                group.append(pick(random, "", "", "", "", "-", "+", "!", "NOT ", "- ", "\"x\""))
                        .append(switch (random.nextInt(4)) {
                            case 0 -> clause(random, depth + 1);
                            case 1 -> pick(random, "10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32", "fe80::/10", "::/0",
                                    "::ffff:10.0.0.0/104");
                            default -> value(random);
                        })
                        .append(pick(random, " ", " ", " OR ", " AND NOT ", "", "^2 ", " || ", " && ", " NOT ", " "));
            }
            return group.append(pick(random, ")", ")", ")", ")^2", "")).toString();
        }
        return field + value(random);
    }

    /** A value that may be a CIDR block (maybe an IPv6 one ending in an IPv4 address), and what follows it. */
    private static String value(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> runs(random, '.', "0123456789", 6, 4);
            case 1 -> runs(random, ':', "0123456789abcdefABCDEFg", 10, 5);
            case 2 -> runs(random, ':', "0123456789abcdef", 8, 4) + ":" + runs(random, '.', "0123456789a", 5, 4);
            default -> pick(random, "10.0.0.0", "192.168.1.0", "2001:db8::", "::", "fe80::1:", "::ffff:10.0.0.0",
                    "64:ff9b::1.2.3.4");
        } + pick(random, "/", "/", "/", "", ".")
                + runs(random, '.', "0123456789", 1, 4)
                + pick(random, "", "", " ", ")", "x", "\n", "\t", "/", "\u2028", ".", ":", " AND ", "^2", "^1.5 ",
                        "^2)", "^", "^x", "^2.", "~", "~1 ", "&&x", "||", "^2&&", "&");
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
     * The rewrite of the class comment of {@link QueryGuard} in the tokens of Lucene's own lexer, where a block is
     * quoted ({@link #CIDR_VALUE}, read from where it starts) if it is either
     * <ul>
     * <li>where the token after a colon that follows a term starts (the lexer skips whitespace before and after the
     * colon: {@code srcIp : 10.0.0.0/8} is the term {@code srcIp}, a colon and the term {@code 10.0.0.0}, as without
     * the spaces), where the term is an IP field as the parser reads field names, or</li>
     * <li>where a term starts that has no field of its own (no colon before it) inside a group whose field is an IP
     * field: {@code srcIp:(10.0.0.0/8 OR …)}, or</li>
     * <li>where a colon that names no field (none of the word-like tokens below before it) starts, at a place where
     * such a term could start: {@code srcIp:(::/0)}, {@code srcIp:(10.0.0.0/8 OR ::1/128)}.</li>
     * </ul>
     * The field of a group is the parser's: the one named before its colon (spaces allowed), else the enclosing
     * group's. Queries the parser cannot read are compared too, so the model follows {@code QueryGuard.read} there:
     * a colon after a word-like token (a term, {@code *}, a wildcard term) gives that word as the field, one after
     * anything else (also after {@code AND}, {@code OR}, {@code NOT}) gives none, and {@code +}, {@code -} or {@code !}
     * directly before the next token keep the field for it. After each quoting the query is read again from the
     * start. Null if the lexer cannot read the result. {@code blocks} receives "field value" of each quoted block,
     * {@code grouped} those of the second and third kind, {@code spaced} those of the first kind with whitespace before
     * or after the colon, {@code colonFirst} those of the third kind.
     */
    private static String luceneCidrRewrite(String query, List<String> blocks, List<String> grouped,
                                            List<String> spaced, List<String> colonFirst) {
        String q = query;
        rewrite:
        while (true) {
            QueryParserTokenManager lexer = new QueryParserTokenManager(new FastCharStream(new StringReader(q)));
            try {
                Deque<String> groups = new ArrayDeque<>(); // the field of each open group ("" = the default field)
                String field = null; // the field a colon gives the next term or group
                Token previous = null;
                for (Token t = lexer.getNextToken(); t.kind != QueryParserConstants.EOF; t = lexer.getNextToken()) {
                    if (t.kind == QueryParserConstants.COLON) {
                        if (previous != null && previous.kind == QueryParserConstants.TERM) {
                            // from where the lexer's next token starts: it skips whitespace around the colon
                            Matcher m = CIDR_VALUE.matcher(q).region(nextTokenStart(q, t.endColumn), q.length());
                            String name = m.lookingAt() ? luceneField(previous.image) : null;
                            if (name != null && Fields.typeOf(name) == FieldType.IP) {
                                String quoted = quotedKeepingTheReadingBefore(q, m);
                                if (quoted == null) {
                                    return q;
                                }
                                blocks.add(name + " " + m.group());
                                if (previous.endColumn < t.beginColumn || t.endColumn < m.start()) {
                                    spaced.add(name + " " + m.group());
                                }
                                q = quoted;
                                continue rewrite;
                            }
                        }
                        String named = previous == null ? null : fieldBefore(previous);
                        String group = groups.isEmpty() ? "" : groups.peek();
                        Matcher m = CIDR_VALUE.matcher(q).region(t.beginColumn, q.length());
                        if (named == null && field == null && Fields.typeOf(group) == FieldType.IP && m.lookingAt()) {
                            String quoted = quotedKeepingTheReadingBefore(q, m);
                            if (quoted == null) {
                                return q;
                            }
                            blocks.add(group + " " + m.group());
                            grouped.add(group + " " + m.group());
                            colonFirst.add(group + " " + m.group());
                            q = quoted;
                            continue rewrite;
                        }
                        field = named;
                    } else {
                        String current = field != null ? field : groups.isEmpty() ? "" : groups.peek();
                        Matcher m = CIDR_VALUE.matcher(q).region(t.beginColumn, q.length());
                        if (t.kind == QueryParserConstants.TERM && field == null
                                && Fields.typeOf(current) == FieldType.IP && m.lookingAt()) {
                            String quoted = quotedKeepingTheReadingBefore(q, m);
                            if (quoted == null) {
                                return q;
                            }
                            blocks.add(current + " " + m.group());
                            grouped.add(current + " " + m.group());
                            q = quoted;
                            continue rewrite;
                        }
                        if (t.kind == QueryParserConstants.LPAREN) {
                            groups.push(current);
                        } else if (t.kind == QueryParserConstants.RPAREN && !groups.isEmpty()) {
                            groups.pop();
                        }
                        boolean modifier = (t.kind == QueryParserConstants.PLUS || t.kind == QueryParserConstants.MINUS
                                || t.kind == QueryParserConstants.NOT && t.image.equals("!"))
                                && t.endColumn < q.length() && " \t\n\r\u3000".indexOf(q.charAt(t.endColumn)) < 0;
                        if (!modifier) {
                            field = null;
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

    /**
     * {@code q} with the block {@code m} found quoted, or null if the lexer would then read the text before the block
     * differently: a range bound that opens with a quote and that no quote without a backslash closes
     * ({@code [a TO "b] … srcIp:10.0.0.0/8}) reaches up to the first quote added after it. Then nothing is quoted from
     * there on ({@code QueryGuard.read} quotes nothing after such a bound).
     */
    private static String quotedKeepingTheReadingBefore(String q, Matcher m) {
        String quoted = q.substring(0, m.start()) + "\"" + m.group() + "\"" + q.substring(m.end());
        return tokensBefore(q, m.start()).equals(tokensBefore(quoted, m.start())) ? quoted : null;
    }

    /** The lexer's tokens of {@code q} that start before {@code end}, each as kind, start and text. */
    private static List<String> tokensBefore(String q, int end) {
        List<String> tokens = new ArrayList<>();
        QueryParserTokenManager lexer = new QueryParserTokenManager(new FastCharStream(new StringReader(q)));
        try {
            for (Token t = lexer.getNextToken(); t.kind != QueryParserConstants.EOF && t.beginColumn < end;
                 t = lexer.getNextToken()) {
                tokens.add(t.kind + " " + t.beginColumn + " " + t.image);
            }
        } catch (TokenMgrError e) {
            tokens.add("unreadable");
        }
        return tokens;
    }

    /**
     * Where the lexer's first token in {@code q} from {@code offset} starts (FastCharStream's columns are offsets):
     * after the whitespace it skips. {@code offset} itself if it cannot read that token.
     */
    private static int nextTokenStart(String q, int offset) {
        QueryParserTokenManager lexer =
                new QueryParserTokenManager(new FastCharStream(new StringReader(q.substring(offset))));
        try {
            Token next = lexer.getNextToken();
            return next.kind == QueryParserConstants.EOF ? q.length() : offset + next.beginColumn;
        } catch (TokenMgrError e) {
            return offset;
        }
    }

    /** {@link #luceneField} of the terms seen before a colon (the generated queries repeat a few). */
    private static final Map<String, String> FIELD_NAMES = new HashMap<>();

    /** The field a colon after {@code token} names (see {@link #luceneCidrRewrite}), or null for none. */
    private static String fieldBefore(Token token) {
        return switch (token.kind) {
            case QueryParserConstants.TERM -> FIELD_NAMES.computeIfAbsent(token.image, term -> {
                String name = luceneField(term);
                return name != null ? name : "\u0000unreadable";
            });
            case QueryParserConstants.STAR, QueryParserConstants.PREFIXTERM, QueryParserConstants.WILDTERM -> token.image;
            default -> null;
        };
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
        return LuceneOracle.parses(parser, term + ":a") ? name[0] : null;
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
        return LuceneOracle.parses(parser, query) ? found : null;
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
                "uri:\\/index.html", "host:/\\.hidden/", "uri:\"a\\\"/.*/\""}) {
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
        String[] pieces = {"host", "_id", "\\_id", "\\u005fid", "\\u005F", "\\u0", "a", "x", ".*", "1", ":", ":", " ", " ", "(", ")", "\"", "\"",
                "/", "/", "/", "\\", "\\/", "\\\"", "[", "]", "{", "}", " TO ", " OR ", "+", "-", "!", "^2", "~",
                "*", "?", "\t", "\u3000", "|", "&&", "a\\ b"};
        int compared = 0;
        int withRegexps = 0;
        for (String query : LuceneOracle.randomQueries(7, pieces, 14, 200_000)) {
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
        return LuceneOracle.parses(parser, query) ? found : null;
    }
}
