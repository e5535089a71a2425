package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;

/**
 * An IP address typed without a field ({@code q=10.0.0.1}) searched only {@code host}, the default field, and found
 * nothing (newcomer9, 3): it is sent as {@code (host:10.0.0.1 OR srcIp:10.0.0.1 OR dstIp:10.0.0.1)}. So is a quoted one
 * ({@code "10.0.0.1"}, {@code "2001:db8::1"}: a phrase on host, 0 hits for flows), an escaped one and an unquoted IPv6
 * address ({@code 2001:db8::1}, {@code ::1}: a field name and colons, which never parse), quoted in the rewrite; a CIDR
 * block without a field ({@code 10.0.0.0/8}: a term and a regular expression; {@code "10.0.0.0/8"}: a phrase on host) is
 * sent as {@code (srcIp:"10.0.0.0/8" OR dstIp:"10.0.0.0/8")}. An unquoted IPv6 address that may be meant with a field
 * ({@code dead:beef::1}, {@code a ::1}) is a 400 that says what to type. Only a term or phrase on the default field that
 * is exactly one address or block; a fielded one, a field name, a fuzzy term or a phrase with a slop, a phrase with
 * more in it, a range bound or a regular expression is left as it is.
 */
class BareIpTermTest {

    private static final String SENTINEL_FIELD = "theDefaultField"; // no generated query names it
    private static final StandardAnalyzer ANALYZER = new StandardAnalyzer();
    private final QueryGuard guard = new QueryGuard(4096);

    @Test
    void aBareIpv4AddressIsSearchedOnHostSrcIpAndDstIp() {
        assertThat(guard.guard("10.0.0.1")).isEqualTo("(host:10.0.0.1 OR srcIp:10.0.0.1 OR dstIp:10.0.0.1)");
        assertThat(guard.guard("8.8.8.8 AND dstPort:53"))
                .isEqualTo("(host:8.8.8.8 OR srcIp:8.8.8.8 OR dstIp:8.8.8.8) AND dstPort:53");
        assertThat(guard.guard("-10.0.0.1 (1.2.3.4^2 OR x)")).isEqualTo("-(host:10.0.0.1 OR srcIp:10.0.0.1 OR"
                + " dstIp:10.0.0.1) ((host:1.2.3.4 OR srcIp:1.2.3.4 OR dstIp:1.2.3.4)^2 OR x)");
        assertThat(guard.check("10.0.0.1").rewrites()).containsExactly(QueryGuard.BARE_IPS_ON_ADDRESS_FIELDS);
        assertThat(guard.check("srcIp:10.0.0.0/8 AND NOT 10.0.0.1 OR *")).isEqualTo(new QueryGuard.Guarded(
                "srcIp:\"10.0.0.0/8\" AND NOT (host:10.0.0.1 OR srcIp:10.0.0.1 OR dstIp:10.0.0.1) OR *:*", List.of(),
                List.of(QueryGuard.CIDRS_QUOTED, QueryGuard.STARS_AS_MATCH_ALL, QueryGuard.BARE_IPS_ON_ADDRESS_FIELDS)));
        assertThat(guard.guard("10\\.0.0.1")).isEqualTo("(host:10\\.0.0.1 OR srcIp:10\\.0.0.1 OR dstIp:10\\.0.0.1)");
        for (String q : List.of("srcIp:10.0.0.1", "host:10.0.0.1", "host:(10.0.0.1)", "10.0.0.1~",
                "10.0.0.1^2~", "10.0.0.1 :x", "10.0.0.1/x/", "10.0.0.*", "256.0.0.1", "01.2.3.4", "1.2.3", "1.2.3.4.5",
                "10.0.0.1a",
                "sourceFile:[1.2.3.4 TO 1.2.3.5]", "host:/1.2.3.4/", "google.com")) {
            assertLeftAlone(q);
        }
    }

    /** What an address {@code x} (as it is sent: quoted or not) without a field is sent as. */
    private static String three(String x) {
        return "(host:" + x + " OR srcIp:" + x + " OR dstIp:" + x + ")";
    }

    /** What a block {@code x} (as it is sent) without a field is sent as. */
    private static String two(String x) {
        return "(srcIp:" + x + " OR dstIp:" + x + ")";
    }

    @Test
    void aQuotedAddressWithoutAFieldIsSearchedOnTheThreeFieldsToo() {
        assertThat(guard.check("\"10.0.0.1\"")).isEqualTo(new QueryGuard.Guarded(
                "(host:\"10.0.0.1\" OR srcIp:\"10.0.0.1\" OR dstIp:\"10.0.0.1\")", List.of(),
                List.of(QueryGuard.BARE_IPS_ON_ADDRESS_FIELDS)));
        assertThat(guard.guard("\"2001:db8::1\" AND dstPort:53"))
                .isEqualTo(three("\"2001:db8::1\"") + " AND dstPort:53");
        assertThat(guard.guard("NOT \"::1\"^2")).isEqualTo("NOT " + three("\"::1\"") + "^2");
        assertThat(guard.guard("(-\"fe80::1\" OR x)")).isEqualTo("(-" + three("\"fe80::1\"") + " OR x)");
        assertThat(guard.guard("\"::ffff:10.0.0.1\"")).isEqualTo(three("\"::ffff:10.0.0.1\""));
        // the parser removes the escape in a phrase too
        assertThat(guard.guard("\"10\\.0.0.1\"")).isEqualTo(three("\"10\\.0.0.1\""));
    }

    @Test
    void anUnquotedOrEscapedIpv6AddressWithoutAFieldIsSearchedOnTheThreeFields() {
        assertThat(guard.check("2001:db8::1")).isEqualTo(new QueryGuard.Guarded(three("\"2001:db8::1\""), List.of(),
                List.of(QueryGuard.BARE_IPS_ON_ADDRESS_FIELDS)));
        assertThat(guard.guard("::1")).isEqualTo(three("\"::1\""));
        assertThat(guard.guard("fe80::1 AND dstPort:53")).isEqualTo(three("\"fe80::1\"") + " AND dstPort:53");
        assertThat(guard.guard("(::1 OR -fe80::1^2)"))
                .isEqualTo("(" + three("\"::1\"") + " OR -" + three("\"fe80::1\"") + "^2)");
        assertThat(guard.guard("NOT ::ffff:10.0.0.1")).isEqualTo("NOT " + three("\"::ffff:10.0.0.1\""));
        assertThat(guard.guard("10.0.0.1 2001:DB8:0:0:0:0:0:1"))
                .isEqualTo(three("10.0.0.1") + " " + three("\"2001:DB8:0:0:0:0:0:1\""));
        // escaped, the parser reads it as one term on host: sent as typed, no quote added
        assertThat(guard.guard("2001\\:db8\\:\\:1")).isEqualTo(three("2001\\:db8\\:\\:1"));
    }

    @Test
    void aCidrBlockWithoutAFieldIsSearchedOnSrcIpAndDstIp() {
        assertThat(guard.check("10.0.0.0/8")).isEqualTo(new QueryGuard.Guarded(
                "(srcIp:\"10.0.0.0/8\" OR dstIp:\"10.0.0.0/8\")", List.of(),
                List.of(QueryGuard.BARE_BLOCKS_ON_ADDRESS_FIELDS)));
        assertThat(guard.guard("\"10.0.0.0/8\"")).isEqualTo(two("\"10.0.0.0/8\""));
        assertThat(guard.guard("10.0.0.0/8 OR 192.168.0.0/16"))
                .isEqualTo(two("\"10.0.0.0/8\"") + " OR " + two("\"192.168.0.0/16\""));
        assertThat(guard.guard("2001:db8::/32 AND NOT \"2001:db8::/48\""))
                .isEqualTo(two("\"2001:db8::/32\"") + " AND NOT " + two("\"2001:db8::/48\""));
        assertThat(guard.guard("(::/0)^2")).isEqualTo("(" + two("\"::/0\"") + ")^2");
        assertThat(guard.guard("-10.0.0.0/8^2 dstPort:53")).isEqualTo("-" + two("\"10.0.0.0/8\"") + "^2 dstPort:53");
        assertThat(guard.guard("10.0.0.0\\/8")).isEqualTo(two("10.0.0.0\\/8"));
        assertThat(guard.check("\"10.0.0.1\" 10.0.0.0/8 srcIp:10.0.0.0/8").rewrites()).containsExactly(
                QueryGuard.CIDRS_QUOTED, QueryGuard.BARE_IPS_ON_ADDRESS_FIELDS,
                QueryGuard.BARE_BLOCKS_ON_ADDRESS_FIELDS);
    }

    @Test
    void anUnquotedIpv6AddressThatMayBeMeantWithAFieldIsA400SayingWhatToType() {
        assertThatThrownBy(() -> guard.guard("dead:beef::1")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("bad_query");
            assertThat(e.getMessage()).isEqualTo("q has the IPv6 address dead:beef::1 without quotes: unquoted, the"
                    + " parser reads 'dead' as a field name. Quote it: \"dead:beef::1\" searches it on host, srcIp and"
                    + " dstIp (srcIp:\"dead:beef::1\" on one field)");
        });
        assertThatThrownBy(() -> guard.guard("srcIp ::1")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).isEqualTo("q has the IPv6 address ::1 without quotes right after"
                        + " 'srcIp' and a space: unquoted, the parser reads 'srcIp:' as a field name. Quote it: srcIp"
                        + " \"::1\" searches it on host, srcIp and dstIp (srcIp:\"::1\" on the field srcIp)"));
        assertThatThrownBy(() -> guard.guard("a ::/0")).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).startsWith("q has the IPv6 CIDR block ::/0 without quotes right after"
                        + " 'a' and a space").contains("Quote it: a \"::/0\" searches it on srcIp and dstIp"));
        assertThatThrownBy(() -> guard.guard("cafe::/16")).hasMessageContaining("Quote it: \"cafe::/16\" searches it"
                + " on srcIp and dstIp");
        assertThatThrownBy(() -> guard.guard("host:a.example ::1")).hasMessageEndingWith("Quote it: a.example \"::1\""
                + " searches it on host, srcIp and dstIp"); // a.example is host's value: no field a.example meant
        assertThatThrownBy(() -> guard.guard("dstPort:53 ::1")).hasMessage("q has the IPv6 address ::1 without quotes"
                + " right after '53' and a space: unquoted, a colon after the value '53' does not parse. Quote it: 53"
                + " \"::1\" searches it on host, srcIp and dstIp"); // the parser reads no field name after a value
        for (String before : List.of("192.168.1.5", "not", "*", "53")) { // no field of that name to suggest
            assertThatThrownBy(() -> guard.guard(before + " ::1")).as(before)
                    .hasMessageEndingWith("Quote it: " + before + " \"::1\" searches it on host, srcIp and dstIp");
        }
    }

    @Test
    void whatIsNotExactlyOneAddressOrBlockOnTheDefaultFieldIsLeftAlone() {
        for (String q : List.of("\"10.0.0.1 foo\"", "\" 10.0.0.1\"", "\"10.0.0.0/8 x\"", "\"1.2.3\"",
                "\"fe80::1%eth0\"", "host:\"10.0.0.1\"", "srcIp:\"2001:db8::1\"",
                "host:(\"10.0.0.1\" OR \"::1\")", "\"10.0.0.1\"~2", "\"10.0.0.1\"~", "\"10.0.0.1\" ~1",
                "\"10.0.0.1\"^2~", "2001:db8::1~", "2001:db8::1~1", "2001:db8::1*", "2001:db8::1:x", "2001:db8::1%eth0",
                "host:fe80::1", "1.2.3.4/5/", "00:11:22:33:44:55", "12:30", "a:b", "google.com::1",
                "host:[10.0.0.0/8 TO z]", "host:/10.0.0.0\\/8 2001:db8::1/", "10.0.0.0\\/8~")) {
            assertLeftAlone(q);
        }
    }

    private void assertLeftAlone(String q) {
        assertSentAsTyped(guard, q);
    }

    /**
     * {@code q} goes out as typed, no rewrite named — or, when the parser cannot read it for a second colon after a
     * field's value ({@code host:2001:db8::1}), is refused saying so (QueryMistakesTest), and the reading still sends
     * it as typed.
     */
    static void assertSentAsTyped(QueryGuard guard, String q) {
        QueryGuard.Guarded g;
        try {
            g = guard.check(q);
        } catch (ApiException e) {
            // a second colon; on srcIp/dstIp a MAC address (srcIp:00:11:22:33:44:55) is named as such, and hex digits
            // with colons that are no address (srcIp:12:30, srcIp:1:2:3) as no address
            assertThat(e.getMessage()).as(q).satisfiesAnyOf(m -> assertThat(m).startsWith("q has a second colon"),
                    m -> assertThat(m).startsWith("q has the MAC address"),
                    m -> assertThat(m).contains(", which holds IP addresses only: "));
            assertThat(QueryGuard.read(q).query()).as(q).isEqualTo(q);
            return;
        }
        assertThat(g.query()).as(q).isEqualTo(q);
        assertThat(g.rewrites()).as(q).isEmpty();
    }

    /**
     * The contract-fields shortcut sends a query unread: none of the new forms may take it (each one has a quote before
     * three dots, a '/', a backslash or a colon after no contract field name), while the api benchmark's queries still
     * do (but the CIDR one, read for its '/' as before).
     */
    @Test
    void theShortcutReadsEveryAddressOrBlockWithoutAFieldAndStillSkipsTheBenchmarksQueries() {
        for (String q : List.of("\"10.0.0.1\"", "\"2001:db8::1\"", "\"10.0.0.0/8\"", "10.0.0.0/8", "2001:db8::1", "::1",
                "fe80::1", "2001:db8::/32", "2001\\:db8\\:\\:1", "10.0.0.0\\/8", "dead:beef::1", "host ::1",
                "dstPort:53 AND \"::1\"", "srcIp:10.0.0.1 AND 10.0.0.1")) {
            assertThat(QueryGuard.needsNoReading(q)).as(q).isFalse();
        }
        for (String q : List.of("srcIp:127.0.0.1 AND host:google.com", "host:mail.goo*", "")) {
            assertThat(QueryGuard.needsNoReading(q)).as(q).isTrue();
        }
        assertThat(QueryGuard.needsNoReading("srcIp:10.0.0.0/8 AND dstPort:[0 TO 1023]")).isFalse();
        // generated queries: whatever the shortcut sends unread, the reading would send as it is
        String[] pieces = {"10.0.0.1", "\"", "2001", ":", "::1", "db8", "/8", "\\", " ", " ", "srcIp", "host",
                "dstPort",
                "(", ")", "AND", "-", "53", ".", "fe80", "~", "[", " TO ", "]", "*"};
        int unread = 0;
        for (String q : LuceneOracle.randomQueries(29, pieces, 8, 100_000)) {
            String trimmed = q.strip();
            if (QueryGuard.needsNoReading(trimmed)) {
                unread++;
                QueryGuard.Reading r = QueryGuard.read(trimmed);
                assertThat(r.query()).as(q).isEqualTo(trimmed);
                assertThat(r.unquotedAddress()).as(q).isNull();
            }
        }
        assertThat(unread).isGreaterThan(5_000);
    }

    /**
     * Generated queries: what Lucene's classic parser builds from the sent query is what it builds from the typed one
     * when a term or phrase on the default field that is an IP address means host, srcIp or dstIp, and one that is a
     * CIDR block srcIp or dstIp — so nothing but those terms changed, and every one of them did. The addresses and
     * blocks of the pieces have their colons and slash escaped or are quoted as a whole: unquoted, the parser cannot
     * read them (the next test). A slash never follows a piece right away here: an address right before one
     * ({@code 10.0.0.1/x/}) is deliberately left alone (the first test). A phrase followed by a slop is skipped (the
     * parser gives the slop to a phrase whatever it holds; such a phrase is left alone).
     */
    @Test
    void theSentQueryReadsAsTheTypedOneWithEveryDefaultFieldAddressOnTheThreeFields() {
        String[] pieces = {"10.0.0.1", "10.0.0.1", "1.2.3.4", " ", " ", "(", ")", "host", "srcIp", ":", "\"", "\\",
                "^2", "~", "+", "-", "!", " OR ", " AND ", " NOT ", "a", " /", "[", "]", " TO ", "\t", "256.1.1.1",
                ".5", "&&", "\"2001:db8::1\"", "\"::1\"", "2001\\:db8\\:\\:1", "10.0.0.0\\/8", "2001\\:db8\\:\\:\\/32",
                "\"10.0.0.1 a\""};
        int compared = 0;
        int rewritten = 0;
        for (String typed : LuceneOracle.randomQueries(17, pieces, 8, 200_000)) {
            String expected = SLOP_AFTER_A_PHRASE.matcher(typed).find() ? null : parsed(typed.strip(), true);
            if (expected == null) {
                continue;
            }
            String sent;
            try {
                sent = guard.guard(typed);
            } catch (ApiException refused) {
                continue;
            }
            if (sent.isEmpty()) {
                continue;
            }
            compared++;
            rewritten += sent.contains(" OR dstIp:") ? 1 : 0;
            assertThat(parsed(sent, false)).as("[" + typed.replace("\t", "\\t") + "] sent as [" + sent + "]")
                    .isEqualTo(expected);
        }
        System.out.printf("quoted oracle: %d compared, %d rewritten%n", compared, rewritten);
        assertThat(compared).isGreaterThan(5_000);
        assertThat(rewritten).isGreaterThan(2_000);
    }

    /** A quote, maybe whitespace and a boost, then a {@code ~}: maybe a phrase's slop. */
    private static final Pattern SLOP_AFTER_A_PHRASE = Pattern.compile("\"[ \\t\\u3000]*(\\^[0-9.]*[ \\t\\u3000]*)?~");

    /** Unquoted addresses and blocks of {@link #theSentQueryReadsAsTheTypedOneWithTheUnquotedAddressesQuoted}. */
    private static final String[] UNQUOTED = {"2001:db8::1", "::1", "fe80::1", "::ffff:10.0.0.1", "10.0.0.0/8",
        "2001:db8::/32", "::/0", "dead:beef::1"};

    /**
     * Generated queries with unquoted IPv6 addresses and blocks, which the parser cannot read as typed (or reads as a
     * term and a regular expression): the sent query, when the parser reads it, reads as the typed one in which every
     * such address that the parser reads as a term on the default field, were it one term, is that term meaning the
     * address on host, srcIp and dstIp (a block: srcIp and dstIp), every IPv6 address it reads as a term of srcIp or
     * dstIp (after the field's colon, in the field's group) is that term on the field (FieldedIpv6AddressTest), and
     * every other is left as typed. Each address is
     * put in as a word of its own ({@code zq0}, {@code zq1}, …: the parser reads it where the address would start a
     * term, with no colon or slash to read otherwise) to find which ones the parser reads so, and the query is
     * compared only when it reads the same with just those put in (a left-alone address that starts a regular
     * expression can change how the rest reads). Refused queries (the 400 for an address that may be meant with a
     * field, among others) are not compared; a sent query the parser cannot read either is counted.
     */
    @Test
    void theSentQueryReadsAsTheTypedOneWithTheUnquotedAddressesQuoted() {
        String[] pieces = {"#", "#", "#", "#", " ", " ", " ", "(", ")", "host:", "srcIp:", ":", "\\", "^2", "~", "+",
                "-", "!", " OR ", " AND ", " NOT ", "a", " /", "[", "]", " TO ", "*", "10.0.0.1", "\"10.0.0.0/8\"",
                "\"2001:db8::1\"", "\"10.0.0.1 a\"", "dstIp:", "srcIp: ", "srcIp:(", "dstIp :"};
        Random random = new Random(31);
        int compared = 0;
        int rewritten = 0;
        int unstable = 0;
        int refused = 0;
        int unread = 0;
        int fielded = 0;
        for (int n = 0; n < 200_000; n++) {
            List<String> typed = new ArrayList<>();
            List<String> addresses = new ArrayList<>(); // the address of each '#' put in, in order
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(8) + 1; k > 0; k--) {
                String piece = pieces[random.nextInt(pieces.length)];
                if (piece.equals("#")) {
                    addresses.add(UNQUOTED[random.nextInt(UNQUOTED.length)]);
                }
                // an address is a token of its own: a term character or escape before or after it would join it
                if (b.length() > 0 && (piece.equals("#") && joins(b.charAt(b.length() - 1))
                        || typed.size() > 0 && typed.get(typed.size() - 1).equals("#") && joins(piece.charAt(0)))) {
                    typed.add(" ");
                    b.append(' ');
                }
                typed.add(piece);
                b.append(piece);
            }
            String query = join(typed, addresses, Set.of()).strip();
            if (SLOP_AFTER_A_PHRASE.matcher(query).find()) {
                continue;
            }
            // which addresses the parser reads as a term on the default field: first with every one put in as a
            // word, then with just those; compared only when that reads the same ones
            Set<Integer> all = new HashSet<>();
            for (int k = 0; k < addresses.size(); k++) {
                all.add(k);
            }
            Set<Integer> terms = new HashSet<>();
            if (placeholderParse(join(typed, addresses, all).strip(), addresses, terms) == null) {
                continue;
            }
            Set<Integer> again = new HashSet<>();
            String expected = placeholderParse(join(typed, addresses, terms).strip(), addresses, again);
            if (expected == null) {
                continue; // not readable even so (an address left as typed where the parser reads a field, …)
            }
            if (!again.equals(terms) || ipv4BlockLeftAsTyped(addresses, terms)) {
                unstable++;
                continue;
            }
            QueryGuard.Guarded g;
            try {
                g = guard.check(query);
            } catch (ApiException e) {
                refused++;
                continue;
            }
            if (g.rewrites().contains(QueryGuard.STARS_AS_MATCH_ALL)) {
                continue; // a rewrite of its own test
            }
            String sent = parsed(g.query(), false);
            if (sent == null) {
                unread++;
                continue;
            }
            compared++;
            rewritten += terms.isEmpty() ? 0 : 1;
            fielded += g.rewrites().contains(QueryGuard.IPV6_QUOTED) ? 1 : 0;
            assertThat(sent).as("[" + query + "] sent as [" + g.query() + "]").isEqualTo(expected);
        }
        System.out.printf("unquoted oracle: %d compared, %d with addresses read as terms (%d on srcIp/dstIp); not"
                + " compared: %d unstable, %d refused, %d sent unreadable%n", compared, rewritten, fielded, unstable,
                refused, unread);
        assertThat(compared).isGreaterThan(20_000);
        assertThat(rewritten).isGreaterThan(8_000);
        assertThat(fielded).isGreaterThan(500);
        assertThat(unread).isZero(); // whenever the typed query reads with the addresses as terms, the sent one reads
    }

    /**
     * Whether an IPv4 block is left as typed (fuzzy, fielded, in a phrase, …): where the parser reads its address as a
     * term, it is one right before a '/', which stays on host, deliberately (the first test), and reading it so as
     * every other address would not be what the guard does.
     */
    private static boolean ipv4BlockLeftAsTyped(List<String> addresses, Set<Integer> terms) {
        for (int k = 0; k < addresses.size(); k++) {
            if (!terms.contains(k) && addresses.get(k).indexOf('.') >= 0 && addresses.get(k).indexOf('/') >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code c} next to an address would make it part of a longer token. */
    private static boolean joins(char c) {
        return !(Character.isWhitespace(c) || "()\"[]{}:/!^~".indexOf(c) >= 0);
    }

    /** The pieces joined, each {@code #} the next address: the word {@code zq<k>} when {@code k} is in {@code words}. */
    private static String join(List<String> pieces, List<String> addresses, Set<Integer> words) {
        StringBuilder b = new StringBuilder();
        int k = 0;
        for (String piece : pieces) {
            if (piece.equals("#")) {
                b.append(words.contains(k) ? "zq" + k : addresses.get(k));
                k++;
            } else {
                b.append(piece);
            }
        }
        return b.toString();
    }

    /**
     * How Lucene's classic parser reads {@code query} in which the words {@code zq<k>} stand for {@code addresses}
     * (null if it cannot): such a word read as a term on the default field, alone, is the address on the address
     * fields (its number put in {@code terms}), an address or block typed as a term or phrase there too, anything else
     * as it is, the words written back as their addresses.
     */
    private static String placeholderParse(String query, List<String> addresses, Set<Integer> terms) {
        return parse(query, true, addresses, terms);
    }

    /** {@code s} with each word {@code zq<k>} (lower-cased or not) as the address it stands for. */
    private static String writtenBack(String s, List<String> addresses) {
        for (int k = addresses.size() - 1; k >= 0; k--) { // zq10 before zq1
            s = s.replace("zq" + k, addresses.get(k));
        }
        return s;
    }

    /** host:x srcIp:x dstIp:x for an address, srcIp:x dstIp:x for a block. */
    private static Query onAddressFields(String text) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        for (String f : QueryGuard.isCidrBlock(text) ? List.of("srcIp", "dstIp") : List.of("host", "srcIp", "dstIp")) {
            b.add(new TermQuery(new Term(f, text)), BooleanClause.Occur.SHOULD);
        }
        return b.build();
    }

    /**
     * How Lucene's classic parser reads {@code query} (null if it cannot), every term as one term (no analysis);
     * {@code typed}: the default field is {@code host}, and a term or phrase on it that is an IP address is
     * {@code host:x srcIp:x dstIp:x}, one that is a CIDR block {@code srcIp:x dstIp:x}.
     */
    private static String parsed(String query, boolean typed) {
        return parse(query, typed, List.of(), new HashSet<>());
    }

    /**
     * How Lucene's classic parser reads {@code query} (null if it cannot), every term as one term (no analysis), the
     * default field {@code host}; {@code addressFields}: a term or phrase on it that is an IP address is
     * {@code host:x srcIp:x dstIp:x}, one that is a CIDR block {@code srcIp:x dstIp:x}, and a word {@code zq<k>} read as
     * a term on it alone is so for the address {@code k} of {@code words} ({@code k} put in {@code wordTerms}), one of
     * an IPv6 address read as a term on srcIp or dstIp (its own field or its group's) is the address as one term of that
     * field (as the quoted address is read there; a block there is the CIDR rewrite's, QueryGuardTest's oracle); the
     * words are written back as their addresses.
     */
    private static String parse(String query, boolean addressFields, List<String> words, Set<Integer> wordTerms) {
        QueryParser parser = new QueryParser(SENTINEL_FIELD, ANALYZER) {
            @Override
            protected Query getFieldQuery(String field, String text, boolean quoted) {
                boolean onDefault = addressFields && field.equals(SENTINEL_FIELD);
                boolean onIpField = addressFields && (field.equals("srcIp") || field.equals("dstIp"));
                if ((onDefault || onIpField) && !quoted && text.matches("zq\\d+")
                        && Integer.parseInt(text.substring(2)) < words.size()
                        && (onDefault || QueryGuard.isIpv6(words.get(Integer.parseInt(text.substring(2)))))) {
                    int k = Integer.parseInt(text.substring(2));
                    wordTerms.add(k);
                    return onDefault ? onAddressFields(words.get(k)) : new TermQuery(new Term(field, words.get(k)));
                }
                String written = writtenBack(text, words);
                if (onDefault && (QueryGuard.isIpv4(written) || QueryGuard.isIpv6(written)
                        || QueryGuard.isCidrBlock(written))) {
                    return onAddressFields(written);
                }
                return new TermQuery(new Term(field.equals(SENTINEL_FIELD) ? "host" : field, written));
            }
        };
        parser.setAllowLeadingWildcard(true);
        // each term on its own: Lucene's default joins consecutive bare terms of a field into one text to analyze
        // ("a 1.2.3.4"), which the analysis splits again into the same terms (SearchApiIT checks the answers)
        parser.setSplitOnWhitespace(true);
        try {
            return writtenBack(parser.parse(query).toString().replace(SENTINEL_FIELD + ":", "host:"), words);
        } catch (ParseException | RuntimeException | TokenMgrError e) {
            return null;
        }
    }

    @Test
    void ipv6AndBlocksAreReadAsTheirTextForms() {
        for (String a : List.of("::", "::1", "1::", "2001:db8::1", "fe80::1", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::",
                "::2:3:4:5:6:7:8", "::ffff:10.0.0.1", "64:ff9b::10.0.0.1", "1:2:3:4:5:6:1.2.3.4", "DEAD:beef::1")) {
            assertThat(QueryGuard.isIpv6(a)).as(a).isTrue();
        }
        for (String a : List.of("", ":", ":1", "1:", "1:2", "a:b:c", "1:::2", "1::2::3", "12345::1", "::g",
                "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::", "::ffff:10.0.0.01", "::1.2.3.4:5", "fe80::1%eth0", "[::1]",
                "10.0.0.1", "::ffff:256.0.0.1")) {
            assertThat(QueryGuard.isIpv6(a)).as(a).isFalse();
        }
        for (String b : List.of("10.0.0.0/8", "0.0.0.0/0", "10.0.0.1/32", "::/0", "2001:db8::/32", "::1/128")) {
            assertThat(QueryGuard.isCidrBlock(b)).as(b).isTrue();
        }
        for (String b : List.of("10.0.0.0/33", "::/129", "10.0.0.0/", "/8", "10.0.0/8", "10.0.0.0/8/8", "10.0.0.0/1234",
                "a/8", "10.0.0.0\\/8")) {
            assertThat(QueryGuard.isCidrBlock(b)).as(b).isFalse();
        }
    }
}
