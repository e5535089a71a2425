package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.junit.jupiter.api.Test;

/**
 * Mistakes in q that came back as the parser's raw words or as nothing, before (→ now): {@code a AND} "Cannot parse
 * 'a AND': Encountered "<EOF>" at line 1, column 5" and {@code a:b:c} "Encountered " ":" ": "" at line 1, column 3" →
 * which operator or colon, where, and what to write; {@code dstPort:1.5} a 200 that found nothing → a 400 of the
 * number family; {@code proto:-1} sent unread by the shortcut, but as {@code proto:-icmp} when the reading ran
 * (neither parses) → one 400 on both paths; {@code a&&b:c} "glued to a term" for a field name, without escaping →
 * "glued to a field name", with the escaped form; {@code ::ffff:10.0.0.0/104} rewritten and then refused by OpenSearch
 * ("CIDR notation is not allowed with IPv6-mapped IPv4 address …") → the IPv4 block to write.
 */
class QueryMistakesTest {

    private final QueryGuard guard = new QueryGuard(4096);

    private String refusal(String q) {
        try {
            guard.check(q);
        } catch (ApiException e) {
            assertThat(e.code()).as(q).isEqualTo("bad_query");
            assertThat(e.status()).as(q).isEqualTo(400);
            return e.getMessage();
        }
        return null;
    }

    @Test
    void anOperatorWithNothingAfterItIsNamedWithWhereAndWhatToWrite() {
        assertThat(refusal("a AND")).isEqualTo("q ends with the operator AND (position 3), which has nothing after it:"
                + " AND joins two clauses that must both match (a AND b). Add the clause after it, or remove the AND (a)");
        assertThat(refusal("host:google.com AND NOT")).isEqualTo("q ends with the operator NOT (position 21), which has"
                + " nothing after it: NOT excludes the clause after it (a AND NOT b). Add the clause after it, or remove"
                + " the NOT (host:google.com)");
        assertThat(refusal("host:(a OR) AND dstPort:53")).isEqualTo("q has the operator OR at position 9 with nothing"
                + " after it before the ')' at position 11: OR joins two clauses of which either may match (a OR b). Add"
                + " the clause after it, or remove the OR (host:(a) AND dstPort:53)");
        assertThat(refusal("dstPort:53 ||")).startsWith("q ends with the operator || (position 12)");
        assertThat(refusal("dstPort:53 -")).startsWith("q ends with the operator '-' (position 12), which has nothing"
                + " after it: - excludes the clause right after it (a -b)");
        assertThat(refusal("AND host:a")).isEqualTo("q starts with the operator AND, which has nothing before it: AND"
                + " joins two clauses that must both match (a AND b). Add the clause before it, or remove the AND (to"
                + " exclude what follows, write NOT: NOT host:a)");
        assertThat(refusal("host:(OR a)")).isEqualTo("q has the operator OR at position 7 right after the '(' at"
                + " position 6, with nothing before it: OR joins two clauses of which either may match (a OR b). Add the"
                + " clause before it, or remove the OR");
        assertThat(refusal("a AND OR b")).isEqualTo("q has the operator AND at position 3 right before the operator OR"
                + " at position 7, with no clause between them: AND joins two clauses that must both match (a AND b)."
                + " Keep one of the two, or put the clause that belongs between them");
        assertThat(refusal("NOT NOT a")).startsWith("q has the operator NOT at position 1 right before the operator NOT"
                + " at position 5");
        // what the parser reads is left alone
        for (String q : List.of("a AND NOT b", "NOT a", "a AND -b", "-a", "a - b", "(a) AND (b)", "a OR (NOT b)",
                "a && b", "host:and", "\"a AND\"", "a\\ AND", "a and b c")) {
            assertThat(refusal(q)).as(q).satisfiesAnyOf(m -> assertThat(m).isNull(),
                    m -> assertThat(m).startsWith("q has 'and' as a search term"));
        }
    }

    @Test
    void aSecondColonAfterAFieldsValueSaysToQuoteOrEscapeTheValue() {
        assertThat(refusal("a:b:c")).isEqualTo("q has a second colon at position 4: Lucene reads a:b as the field a and"
                + " its value b, and a colon after the value does not parse. To search b:c on a, quote the value"
                + " (a:\"b:c\") or escape the colon (a:b\\:c); to search the text a:b:c on host, the default field,"
                + " quote it all (\"a:b:c\")");
        assertThat(refusal("host:2001:db8::1")).isEqualTo("q has a second colon at position 10: Lucene reads host:2001"
                + " as the field host and its value 2001, and a colon after the value does not parse. To search"
                + " 2001:db8::1 on host, quote the value (host:\"2001:db8::1\") or escape the colon"
                + " (host:2001\\:db8\\:\\:1)");
        // in the group of a field, the text quoted as a whole is searched on that field, not on host
        assertThat(refusal("uri:(a:b:c)")).isEqualTo("q has a second colon at position 9: Lucene reads a:b as the field"
                + " a and its value b, and a colon after the value does not parse. To search b:c on a, quote the value"
                + " (a:\"b:c\") or escape the colon (a:b\\:c); to search the text a:b:c on uri, the group's field,"
                + " quote it all (\"a:b:c\")");
        assertThat(refusal("(a:b:c)")).endsWith("to search the text a:b:c on host, the default field, quote it all"
                + " (\"a:b:c\")");
        // a glued operator in the value keeps its own message
        assertThat(refusal("srcIp:10.0.0.1&&dstPort:53")).startsWith("q has '&&' glued to a term");
    }

    /**
     * A MAC address on srcIp/dstIp was told to be quoted ("To search 00:1a:2b:3c:4d:5e on srcIp, quote the value
     * (srcIp:\"00:1a:2b:3c:4d:5e\")"), which then failed as "not an IP string literal": the message says a MAC address
     * is no IP address, that the two fields hold IP addresses, and that the contract has no MAC field.
     */
    @Test
    void aMacAddressOnAnIpFieldIsSaidToBeNoIpAddress() {
        String why = "a MAC address is not an IP address, and srcIp and dstIp hold IP addresses only (quoted, ";
        String where = " fails as 'not an IP string literal'). The data contract has no MAC field: a MAC address is"
                + " searchable only in a column of the source data that holds one, under that column's name, quoted"
                + " (<column>:\"00:1a:2b:3c:4d:5e\")";
        assertThat(refusal("srcIp:00:1a:2b:3c:4d:5e")).isEqualTo("q has the MAC address 00:1a:2b:3c:4d:5e on srcIp: "
                + why + "srcIp:\"00:1a:2b:3c:4d:5e\"" + where);
        assertThat(refusal("host:a AND dstIp:00:1A:2B:3C:4D:5E")).startsWith("q has the MAC address 00:1A:2B:3C:4D:5E"
                + " on dstIp: a MAC address is not an IP address");
        assertThat(refusal("srcIp:(00:1a:2b:3c:4d:5e)")).isEqualTo("q has the MAC address 00:1a:2b:3c:4d:5e in the"
                + " group of srcIp: " + why + "srcIp:(\"00:1a:2b:3c:4d:5e\")" + where);
        // not a MAC address, or not on an IP field: the second-colon message as before
        assertThat(refusal("srcIp:00:1a:2b:3c:4d")).startsWith("q has 00:1a:2b:3c:4d on srcIp, which holds IP"
                + " addresses only");
        assertThat(refusal("host:00:1a:2b:3c:4d:5e")).startsWith("q has a second colon at position 8");
    }

    /**
     * A MAC address alone ({@code 00:1a:2b:3c:4d:5e}) got the second-colon text, which offered to search
     * 1a:2b:3c:4d:5e on a field "00": the message says it is a MAC address, that the data contract has no MAC field,
     * where one can be searched and what the quoted form searches.
     */
    @Test
    void aMacAddressWithoutAFieldIsNamedAsOne() {
        String where = "The data contract has no MAC field: a MAC address is searchable only in a column of the source"
                + " data that holds one, under that column's name, quoted (<column>:\"00:1a:2b:3c:4d:5e\")";
        assertThat(refusal("00:1a:2b:3c:4d:5e")).isEqualTo("q has the MAC address 00:1a:2b:3c:4d:5e without quotes:"
                + " unquoted, Lucene reads '00' as a field name, and the colon after its value does not parse. " + where
                + "; quoted without a field (\"00:1a:2b:3c:4d:5e\") it is searched on host only, the default field");
        assertThat(refusal("uri:(00:1a:2b:3c:4d:5e)")).isEqualTo("q has the MAC address 00:1a:2b:3c:4d:5e without"
                + " quotes in the group of uri: unquoted, Lucene reads '00' as a field name, and the colon after its value"
                + " does not parse. " + where + "; quoted (uri:(\"00:1a:2b:3c:4d:5e\")) it is searched on uri, the"
                + " group's field");
        // in a longer query, after an operator, upper case, in a group without a field
        for (String q : List.of("host:a AND NOT AA:BB:CC:DD:EE:FF", "-00:1a:2b:3c:4d:5e", "(00:1a:2b:3c:4d:5e)",
                "00:1a:2b:3c:4d:5e OR host:a")) {
            assertThat(refusal(q)).as(q).startsWith("q has the MAC address ").contains(" without quotes");
        }
        // no MAC address (five groups, a wildcard, three hex digits): the second-colon text as before
        for (String q : List.of("00:1a:2b:3c:4d", "00:1a:2b:3c:4d:5*", "00:1a:2b:3c:4d:5ef")) {
            assertThat(refusal(q)).as(q).startsWith("q has a second colon");
        }
        // what the message says to type parses
        for (String q : List.of("\"00:1a:2b:3c:4d:5e\"", "orig_l2_addr:\"00:1a:2b:3c:4d:5e\"",
                "uri:(\"00:1a:2b:3c:4d:5e\")")) {
            assertThat(refusal(q)).as(q).isNull();
        }
    }

    /**
     * {@code srcIp:12:30}: the second-colon text advised quoting the value, which then failed as "not an IP string
     * literal" — on an IP field a value with colons that is no address says so.
     */
    @Test
    void aValueWithColonsThatIsNoAddressOnAnIpFieldIsSaidToBeNone() {
        assertThat(refusal("srcIp:12:30")).isEqualTo("q has 12:30 on srcIp, which holds IP addresses only: 12:30 is no"
                + " IPv4 or IPv6 address (quoted, srcIp:\"12:30\" fails as 'not an IP string literal'). Write an"
                + " address (srcIp:10.0.0.1, srcIp:2001:db8::1) or a CIDR block (srcIp:10.0.0.0/8)");
        assertThat(refusal("host:a AND dstIp:2001:db8:1")).startsWith("q has 2001:db8:1 on dstIp, which holds IP"
                + " addresses only: 2001:db8:1 is no IPv4 or IPv6 address");
        // not on an IP field: the second-colon message as before
        assertThat(refusal("host:12:30")).startsWith("q has a second colon at position 8");
        // a wildcard on an IP field keeps the second-colon text (the guard's wildcard advice comes with a CIDR block)
        assertThat(refusal("srcIp:2001:db8:1*")).startsWith("q has a second colon");
    }

    /**
     * {@code a AND NOT -b}: a clause takes one of +, -, NOT and ! before it; before, the parser's "Encountered " "-" …"
     * (the shortcut sent it unread when its fields were the contract's).
     */
    @Test
    void aSignRightAfterNotOrAnotherSignIsNamedWithWhatToWrite() {
        assertThat(refusal("a AND NOT -b")).isEqualTo("q has the operator NOT at position 7 right before the operator"
                + " '-' at position 11: a clause takes one of +, -, NOT and ! before it, not two. Keep one of the two"
                + " (a AND NOT b or a AND -b)");
        assertThat(refusal("host:(a AND NOT -b)")).as("sent unread by the shortcut before")
                .startsWith("q has the operator NOT at position 13 right before the operator '-' at position 17");
        assertThat(refusal("host:a !-host:b")).startsWith("q has the operator '!' at position 8 right before the"
                + " operator '-' at position 9").endsWith("(host:a !host:b or host:a -host:b)");
        assertThat(refusal("+-a")).startsWith("q has the operator '+' at position 1 right before the operator '-'");
        assertThat(refusal("a -NOT b")).startsWith("q has the operator '-' at position 3 right before the operator"
                + " NOT at position 4").endsWith("(a -b or a NOT b)");
        assertThat(refusal("a NOT !b")).startsWith("q has the operator NOT at position 3 right before the operator"
                + " '!' at position 7");
        for (String q : List.of("host:(a AND NOT -b)", "-!a", "a +-b", "NOT -a", "a -NOT b")) {
            assertThat(QueryGuard.mayHaveMisplacedOperatorOrTermRun(q)).as(q).isTrue();
        }
        // left to the parser's reason (docs/API.md), which the "(q was sent as …)" tests use: neither parses
        QueryParser parser = new QueryParser("host", new StandardAnalyzer());
        for (String q : List.of("x^", "* AND x^")) {
            assertThat(refusal(q)).as(q).isNull();
            assertThat(LuceneOracle.parses(parser, q)).as(q).isFalse();
        }
        // a sign alone is a term: what follows it may have a sign of its own
        assertThat(refusal("a - -b")).isNull();
        assertThat(LuceneOracle.parses(parser, "a - -b")).isTrue();
        assertThat(QueryGuard.needsNoReading("host:(a - -b)")).isTrue();
    }

    /** {@code host:(a) :b}: before, the parser's "Encountered " ":" ": "" at line 1, column 9". */
    @Test
    void aColonStartingAClauseIsNamedWithWhatToWrite() {
        assertThat(refusal("host:(a) :b")).isEqualTo("q has a colon at position 10 with no field name before it: a"
                + " colon belongs right after a field's name (host:b), and one that starts a clause does not parse."
                + " Put the field's name before it, or, to search :b on host, the default field, quote it (\":b\")"
                + " or escape the colon (\\:b)");
        assertThat(refusal(":b")).startsWith("q has a colon at position 1 with no field name before it");
        assertThat(refusal("uri:(a AND :b)")).endsWith("to search :b on uri, the group's field, quote it (\":b\") or"
                + " escape the colon (\\:b)");
        assertThat(refusal("host:\"a\" :b")).startsWith("q has a colon at position 10 with no field name");
        assertThat(refusal("host:a AND :b")).startsWith("q has a colon at position 12 with no field name");
        assertThat(refusal("(host:a) :")).isEqualTo("q has a colon at position 10 with no field name before it: a"
                + " colon belongs right after a field's name (host:b), and one that starts a clause does not parse."
                + " Put the field's name before it, or escape the colon to search it (\\:)");
        assertThat(refusal("google.com::1")).isEqualTo("q has a second colon at position 12 right after google.com's:"
                + " a field's value cannot start with a colon. To search :1 on google.com, quote the value"
                + " (google.com:\":1\") or escape the colon (google.com:\\:1)");
        assertThat(refusal("host: :b")).startsWith("q has a second colon at position 7 right after host's");
        // a colon after whitespace follows the term before it: a field name the parser reads
        for (String q : List.of("host :a", "(a) host:b", "srcIp:(::1)", "::1", "srcIp:(10.0.0.1 ::1)")) {
            assertThat(refusal(q)).as(q).satisfiesAnyOf(m -> assertThat(m).isNull(),
                    m -> assertThat(m).doesNotStartWith("q has a colon"));
        }
    }

    /** {@code proto:-1}: one 400 whether the shortcut or the reading sees it (before: sent as typed, or as proto:-icmp). */
    @Test
    void aModifierRightAfterAFieldsColonIsOneRefusalOnBothPaths() {
        String message = "q has '-' at position 7 right after proto: a field's value cannot start with an operator. To"
                + " exclude the clause, put the operator before the field (-proto:1); to search the value -1 itself,"
                + " quote it (proto:\"-1\") or escape the sign (proto:\\-1)";
        assertThat(refusal("proto:-1")).isEqualTo(message);
        assertThat(QueryGuard.read("proto:-1").unreadable()).isEqualTo(message);
        assertThat(refusal("proto:-1 AND uri:x")).isEqualTo(message); // read (uri needs a lookup)
        assertThat(refusal("host: +a")).startsWith("q has '+' at position 7 right after host").contains("(+host:a)");
        assertThat(guard.check("-proto:1").query()).isEqualTo("-proto:icmp");
        assertThat(guard.check("proto:(-1)").query()).isEqualTo("proto:(-icmp)");
    }

    @Test
    void aDecimalOnAWholeNumberFieldIsRefusedLikeANonNumber() {
        assertThat(refusal("dstPort:1.5")).isEqualTo("dstPort is an integer field: '1.5' is not a whole number, so it"
                + " would match nothing (every dstPort is one). Search a whole number (dstPort:53) or a range"
                + " (dstPort:[1 TO 1023])");
        assertThat(refusal("bytesIn:\"2.5\"")).startsWith("bytesIn is a long field: '2.5' is not a whole number");
        assertThat(refusal("sourceRecord:NaN")).startsWith("sourceRecord is a long field: 'NaN' is not a whole");
        assertThat(refusal("srcPort:(80 OR 80.5)")).startsWith("srcPort is an integer field: '80.5'");
        // a range or comparison with decimal bounds means the whole numbers inside it: left to OpenSearch
        for (String q : List.of("dstPort:[52.5 TO 53.5]", "dstPort:>1.5", "bytesOut:<=1e6", "dstPort:53.0",
                "bytesOut:1e3", "dstPort:1.5~", "x:1.5")) {
            assertThat(refusal(q)).as(q).isNull();
        }
    }

    @Test
    void anOperatorGluedToAFieldNameIsCalledSoAndEscapingIsNamed() {
        assertThat(refusal("a&&b:c")).isEqualTo("q has '&&' glued to a field name: Lucene reads 'a&&b' as one field"
                + " name, not as an operator between two. Put spaces around the operator: a && b: (or write AND); a"
                + " field whose name has the characters is written with them escaped (a\\&\\&b:…)");
        assertThat(refusal("host:goo*&&x*")).isEqualTo("q has '&&' glued to a term: Lucene reads 'goo*&&x*' as one"
                + " term, not as an operator between two. Put spaces around the operator: goo* && x* (or write AND);"
                + " to search the characters themselves, quote the value (\"goo*&&x*\"), or escape them (goo*\\&\\&x*)"
                + " in a wildcard term, which quotes would make a phrase");
    }

    @Test
    void anIpv4MappedBlockIsA400GivingTheIpv4Block() {
        String fielded = "q has the IPv4-mapped block srcIp:::ffff:10.0.0.0/104: the search engine takes no prefix"
                + " length on an IPv4-mapped address (it cannot tell whether the length counts IPv4 or IPv6 bits)."
                + " Write the IPv4 block, which matches the same addresses (the engine stores IPv4 addresses"
                + " IPv4-mapped): srcIp:10.0.0.0/8";
        assertThat(refusal("srcIp:::ffff:10.0.0.0/104")).isEqualTo(fielded);
        assertThat(refusal("srcIp:\"::ffff:10.0.0.0/104\"")).isEqualTo(fielded);
        assertThat(refusal("srcIp:(::ffff:10.0.0.0/104)")).isEqualTo(fielded);
        assertThat(refusal("::ffff:10.0.0.0/104")).endsWith("IPv4-mapped): 10.0.0.0/8");
        assertThat(refusal("\"::ffff:10.0.0.0/104\"")).endsWith("IPv4-mapped): 10.0.0.0/8");
        assertThat(refusal("dstIp:(10.0.0.1 OR ::ffff:c0a8:0/112)")).endsWith("dstIp:192.168.0.0/16");
        assertThat(refusal("::ffff:0:0/80")).contains("reaches beyond the IPv4-mapped addresses");
        // an address, and a block that is not IPv4-mapped, are no such thing
        for (String q : List.of("srcIp:\"::ffff:10.0.0.1\"", "srcIp:::ffff:10.0.0.1", "srcIp:\"::/0\"",
                "srcIp:64:ff9b::10.0.0.0/120", "srcIp:10.0.0.0/8", "host:\"::ffff:10.0.0.0/104\"")) {
            assertThat(refusal(q)).as(q).isNull();
        }
    }

    /**
     * Generated queries with operators, colons and modifiers in every place: each the guard names as an operator
     * without a clause, a second colon or a modifier after a colon the parser cannot read, and the shortcut
     * ({@link QueryGuard#needsNoReading}) never skips one the reading would name.
     */
    @Test
    void whatTheGuardNamesTheParserCannotReadAndTheShortcutNeverSkipsIt() {
        String[] pieces = {"a", "host:", "dstPort:", "53", "proto:", "6", "(", ")", " ", " ", " AND ", " OR ", " NOT ",
                " && ", " || ", "-", "+", "!", ":", "x:", "AND", "NOT"};
        QueryParser parser = new QueryParser("host", new StandardAnalyzer());
        int named = 0;
        int skipped = 0;
        for (String q : LuceneOracle.randomQueries(53, pieces, 7, 100_000)) {
            String typed = q.strip();
            if (typed.isEmpty()) {
                continue;
            }
            String unreadable = QueryGuard.read(typed).unreadable();
            boolean ours = unreadable != null && (unreadable.startsWith("q ends with the operator")
                    || unreadable.startsWith("q starts with the operator") || unreadable.startsWith("q has the operator")
                    || unreadable.startsWith("q has a second colon") || unreadable.contains("right after ")
                    || unreadable.startsWith("q has a colon at position"));
            if (ours) {
                named++;
                assertThat(LuceneOracle.parses(parser, typed)).as("[" + typed + "]: " + unreadable).isFalse();
            }
            if (QueryGuard.needsNoReading(typed)) {
                skipped++;
                assertThat(unreadable).as("[" + typed + "] skipped by the shortcut").isNull();
            }
        }
        System.out.printf("operator oracle: %d named, %d skipped by the shortcut%n", named, skipped);
        assertThat(named).isGreaterThan(20_000);
        assertThat(skipped).isGreaterThan(1_000);
    }

    @Test
    void theShortcutStillSkipsTheBenchmarksQueries() {
        for (String q : List.of("srcIp:127.0.0.1 AND host:google.com", "host:google.com AND NOT dstPort:443",
                "dstPort:80 OR dstPort:443", "(host:a OR (dstPort:1))", "NOT host:a", "-host:a +dstPort:53")) {
            assertThat(QueryGuard.mayHaveMisplacedOperatorOrTermRun(q)).as(q).isFalse();
        }
        for (String q : List.of("host:a AND", "AND host:a", "(OR host:a)", "host:(a OR)", "host:a AND OR dstPort:1",
                "NOT NOT host:a", "host:a -", "proto:-1", "proto: -1", "host:a && || dstPort:1")) {
            assertThat(QueryGuard.mayHaveMisplacedOperatorOrTermRun(q)).as(q).isTrue();
        }
    }
}
