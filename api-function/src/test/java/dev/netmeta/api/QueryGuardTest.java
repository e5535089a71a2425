package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.model.FieldType;
import dev.netmeta.model.Fields;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
}
