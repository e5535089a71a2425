package dev.netmeta.api;

import dev.netmeta.model.FieldType;
import dev.netmeta.model.FieldValues;
import dev.netmeta.model.Fields;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Checks a user's query string before it goes to OpenSearch (length, control characters, groups nested deeper than
 * {@link #MAX_GROUP_DEPTH}, more than {@link #MAX_FUZZY_TERMS} fuzzy terms or {@link #MAX_PATTERN_TERMS} wildcard and
 * regular-expression terms, regular expressions that would scan every
 * term — {@link #refuseScanningRegexps}, wildcard terms that start with {@code *} or {@code ?} —
 * {@link #refuseLeadingWildcards}, a bare {@code and}/{@code or}/{@code not} in another case than upper case, which
 * Lucene reads as a word on the default field — {@link #refuseLowerCaseOperator}, more than
 * {@link #MAX_CLAUSES_WITH_BARE_IPS} clauses once the IP addresses and CIDR blocks without a field are sent on the
 * address fields, an unquoted IPv6 address without a field it does not guess at — {@link #refuseUnquotedAddress}, what
 * the parser cannot read where the reading can say which character and where — {@link Reading#unreadable}, a CIDR
 * block without a field whose prefix length no block has — {@link #refuseBadBlock}, {@code &&}/{@code ||} glued to a
 * term — {@link #refuseGluedOperator}, a value that is no number (or, as a term, no whole number) on a contract number
 * field — {@link #notANumber}, an operator without a clause where it needs one, a second colon after a field's value
 * or right after its colon, a colon that starts a clause, a sign right after a field's colon, after NOT or after
 * another sign — {@link Reading#unreadable}, an IPv4-mapped CIDR block —
 * {@link #mappedBlock}, a range written high to low on a contract field whose order it can tell —
 * {@link ReversedRanges}),
 * quotes unquoted CIDR blocks and IPv6 addresses on IP fields, sends a {@code *} alone as {@code *:*}, addresses and blocks without a
 * field on the address fields, and collects the field names outside the data contract that the search must find in
 * some daily index ({@link #fieldsToCheck}, {@link UnknownFields}), and the values on such extra columns that match
 * nothing if the column is a (whole) number every day, a fraction or a reversed range ({@link ExtraColumnValues}).
 *
 * <p>The rest of the guarding is done by the query itself (see {@code OpenSearchSearchBackend}):
 * leading wildcards are refused there too ({@code allow_leading_wildcard: false}), lenient parsing is off, automaton
 * size is bounded.
 *
 * <p>In Lucene syntax {@code srcIp:10.0.0.0/8} is not a CIDR: it is the term {@code 10.0.0.0} on srcIp, then a
 * {@code /} that starts a regular expression (a query that does not parse, or, when a later {@code /} closes the
 * expression, another query than meant). Quoting it ({@code srcIp:"10.0.0.0/8"}) is the only meaning such a
 * term can have on an IP field, so the rewrite cannot change a query that would otherwise work. The query is read
 * once, with the parser's token rules ({@link #read}), and a value is quoted where that reading finds a term that
 * names a field of type {@code ip} (escapes removed, as for the regular expressions' fields), a colon after it and,
 * after the colon, an IPv4 or IPv6 address (also one ending in an IPv4 address, {@code ::ffff:10.0.0.0/104}) with a
 * prefix length, maybe followed by a boost ({@code ^2}, left after the closing quote: {@code "10.0.0.0/8"^2}) (the
 * parser skips whitespace before and after the colon, so {@code srcIp : 10.0.0.0/8} is the same term and regular
 * expression): as a regular expression (the {@code QueryGuardTest} oracle, which checks the rewrite against Lucene's
 * own lexer on generated queries)
 * {@code (?:(?:\d{1,3}\.){3}\d{1,3}/\d{1,2}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/\d{1,3}}
 * {@code |[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){1,5}:(?:\d{1,3}\.){3}\d{1,3}/\d{1,3})}
 * {@code (?=(?:\^\d+(?:\.\d+)?)?(?:$|[\s)]|&&|\|\|))} (a glued {@code &&} or {@code ||} ends it:
 * {@link #gluedOperatorAt}). An IPv6 block (two colons at least) cannot mean anything else
 * there: the parser reads its first group as the value and then a colon, or, when it starts with {@code :}, a
 * second colon after the field's, and neither parses. A fuzzy or proximity suffix ({@code 10.0.0.0/8~1}) means
 * nothing on an IP term, so such a block is left as it is, for OpenSearch to refuse.
 * Such a block is also quoted where a term starts that has no field of its own inside a group whose field is of type
 * {@code ip} ({@code srcIp:(10.0.0.0/8 OR 192.168.0.0/16)}, also nested, after {@code NOT}, {@code +}, {@code -}):
 * the parser gives the group's field to that term, so the block is again a term and a regular expression on the IP
 * field, or an IPv6 block's first digits are read as a field name with a second colon after it, which does not
 * parse. There a block may also start with {@code :} ({@code srcIp:(::/0)}, {@code srcIp:(10.0.0.0/8 OR ::1/128)}):
 * where no term is before that colon (after {@code (}, an operator, a modifier, {@code )}, a phrase) the parser
 * reads a colon that names no field, which does not parse. After a term the colon is that term's field's
 * ({@code srcIp:(a ::1/128)} is {@code a:} and a second colon), so nothing is quoted there. A block on the default
 * field or after another field's colon is left alone. Nothing inside a phrase, a range bound, a regular expression
 * or an escape is a term of its own, so nothing there is rewritten; the rest of the query is read as the quoted form
 * reads. That is why nothing is quoted after a range bound that opens with a quote no unescaped quote closes
 * ({@code [a TO "b]}): the lexer would read that bound up to the first quote added after it.
 *
 * <p>The same reading quotes an unquoted IPv6 address ({@link #isIpv6}) where it would quote a block: after the colon of
 * an IP field ({@code srcIp:2001:db8:10::5}, {@code srcIp:::1}, also when its first group is a word: it is the field's
 * value) and as a term of an IP field's group, followed by the end, whitespace, a boost or a character that ends a term
 * ({@link #unquotedAddressEnd}; not a fuzzy slop). Unquoted, the parser reads its first group as the value and then a
 * colon, which never parses (OpenSearch: "'2001' is not an IP string literal"), so the quotes change no query that
 * worked. An address or block starting with a colon right after a term and whitespace in such a group
 * ({@code srcIp:(10.0.0.1 ::1)}: the parser reads {@code 10.0.0.1:}) is not guessed at: a 400 names the quoted form
 * ({@link #refuseUnquotedAddress}). Only with the other rewrites of {@link #read(String)}: {@link #quoteCidrs} quotes
 * blocks alone ({@code FieldedIpv6AddressTest}; {@code BareIpTermTest}'s unquoted oracle, against Lucene's parser).
 *
 * <p>The same reading sends a term {@code *} alone on the default field as {@code *:*}, every document ({@code q=*},
 * {@code * AND proto:udp}, {@code NOT a OR *}, {@code -*}, {@code (*)}, {@code *^2}), as Kibana users expect: OpenSearch
 * reads {@code *} on a field as "has the field", and the default field is {@code host}, which CICFlowMeter flows lack.
 * A star with a field of its own or its group's ({@code host:*}, {@code host:(a OR *)}) keeps that meaning; a star
 * followed by a colon is a field name pattern ({@code *:x}); a star in a longer term ({@code goo*}, {@code *abc}), an
 * escaped one, or one in a phrase, a range bound or a regular expression is no such term. The rewrite adds no quote,
 * so it is done after an open range bound too; {@code *:*} counts as no wildcard term, like {@code *}.
 *
 * <p>The same reading sends a term on the default field that is an IP address ({@link #isIpv4}, {@link #isIpv6}) as
 * {@code (host:x OR srcIp:x OR dstIp:x)} and one that is a CIDR block ({@link #isCidrBlock}) as
 * {@code (srcIp:x OR dstIp:x)} (a block matches no keyword {@code host}): {@code q=10.0.0.1} searched only {@code host}
 * and found nothing. Such a term is a plain one ({@code 10.0.0.1}, or escaped: <code>2001\:db8\:\:1</code>,
 * <code>10.0.0.0\/8</code>; sent as typed, no quote added), a phrase that is exactly the address or block
 * ({@code "10.0.0.1"}, {@code "2001:db8::/32"}; its quotes kept), or an unquoted IPv6 address or a block
 * ({@code 2001:db8::1}, {@code ::1}, {@code 10.0.0.0/8}; quoted in the rewrite) at the start of a term, ended by
 * whitespace, the end, a boost or a character that ends a term: unquoted, the parser reads a field name, a colon
 * naming none or a regular expression, which never parses or is not what was meant. Not one followed by a colon (a
 * field name), by a fuzzy slop or a phrase's slop (also after a boost: a group cannot be fuzzy), a block in a phrase
 * with anything else, and nothing that adds a quote after a range bound a quote added later would lengthen. An
 * unquoted IPv6 address whose first group is a word ({@code dead:beef::1}: maybe a field name) or that starts with a
 * colon right after a term and whitespace ({@code a ::1}: the parser reads {@code a:}) is not guessed at: a 400 says
 * what to type ({@link Reading#unquotedAddress}) ({@code BareIpTermTest}, against Lucene's parser).
 *
 * <p>The same reading sends a term on {@code proto} (its own field or its group's: {@code proto:(6 OR 17)}) that is a
 * protocol number with an IANA name ({@link #protocolNameOf}) as that name, {@code proto:6} as {@code proto:tcp}: the
 * loader stores the name ({@code FieldValues.protocolName}), so the number found nothing. Not a number without a name
 * (stored as the number), one followed by a colon or a fuzzy slop, nor a range bound, a phrase, a wildcard term, a
 * regular expression or an escaped number; the rewrite adds no quote ({@code ProtoNumberTermTest}, against Lucene's
 * parser).
 *
 * <p>The same reading puts {@code OR} between plain terms that only whitespace separates ({@code a b} as
 * {@code a OR b}, {@code host:(a b)} as {@code host:(a OR b)}, {@code dstPort:(53 443)} as {@code dstPort:(53 OR 443)}):
 * OpenSearch's {@code query_string} runs Lucene's classic parser with {@code splitOnWhitespace} off, whose
 * {@code MultiTerm} rule passes such a run, when it starts a clause (no field of its own, no operator or modifier
 * before its first term) and its next term is followed by none of {@code : * ~ ^ AND OR}, to the field's analyzer as
 * one text — and no field of the data contract (nor an extra column: keyword, long, double) splits it, so the run
 * searched the keyword {@code "a b"} (0 hits, silently) or was "not a number"/"not an IP string literal". With
 * {@code default_operator: or} an {@code OR} between two clauses changes nothing else (the parser's {@code addClause}
 * uses a conjunction OR only with the AND operator; {@code +a OR b} keeps {@code +a} required), so the sent query
 * means what the docs promise: a space means OR. OR goes before each term of such a run after the first (a term
 * without a field after a plain term with no field, modifier or operator before it, or after one that got its OR);
 * not before a field name (a term a colon follows), a wildcard or prefix term, an operator word, a term sent
 * otherwise (an address without a field, {@code *} alone, a quoted block) or after a phrase, range, regular
 * expression, group or boost; the run's later terms followed by {@code ~}, {@code ^} or a conjunction, which the
 * parser would not merge, get it too, as it changes nothing there ({@code SpaceAsOrTest}, against Lucene's parser
 * with {@code splitOnWhitespace} on; {@code SearchApiSpaceAsOrIT}, against OpenSearch).
 */
final class QueryGuard {

    /**
     * The deepest nesting of groups ({@code ( … )}) a query may have. OpenSearch's parse and rewrite time grows faster
     * than the nesting and is paid on every shard (one per daily index) before its search {@code timeout} applies:
     * {@code +(+(…))} 1,360 deep, within the default length limit, took 1.7–1.9 s on 30 daily indices of one document
     * each (QueryNestingGuardTest). Elasticsearch limits the nesting of bool queries the same way
     * ({@code indices.query.bool.max_nested_depth}: 20 in 7.x, 30 in 8.x); OpenSearch has no such limit.
     */
    static final int MAX_GROUP_DEPTH = 20;

    /**
     * The most fuzzy terms ({@code gogle.com~}, {@code ~2}) a query may have. Each one makes OpenSearch build a
     * Levenshtein automaton on every shard (one per daily index) before its search {@code timeout} applies — two
     * edits, what {@code ~} alone gives a term of more than five characters, cost about a millisecond per term and
     * shard: ~360 of them (the default length limit) took 4.9–7.0 s on 30 daily indices of one document each, an
     * ordinary query 0.1–0.2 s (FuzzyTermsGuardTest). {@code fuzzy_prefix_length} bounds the terms each one visits,
     * not how many automata are built.
     */
    static final int MAX_FUZZY_TERMS = 10;

    /**
     * The most wildcard terms (other than a plain prefix such as {@code goo*}) and regular expressions a query may have
     * together. Each is compiled into an automaton on every shard (one per daily index) before the search
     * {@code timeout} applies: ~400 wildcard terms took 0.7–1.9 s, ~250 regular expressions 1.0–1.1 s on 30 daily
     * indices of one document each, an ordinary query 47 ms, ~500 prefixes 0.1 s, 20 regular expressions
     * {@code /g.{0,30}/} still 0.16 s (PatternTermsGuardTest).
     */
    static final int MAX_PATTERN_TERMS = 10;

    /**
     * The most clauses a query with IP addresses or CIDR blocks without a field may have once each such address is
     * sent as {@code (host:x OR srcIp:x OR dstIp:x)} and each block as {@code (srcIp:x OR dstIp:x)}: OpenSearch refuses
     * a query of more than 1,024 clauses ({@code indices.query.bool.max_clause_count}, counted by Lucene over the whole
     * query) with an HTTP 500, which the API answers as a 502 that says nothing a user can act on, and a term on an IP
     * field is two clauses there: on the embedded OpenSearch 2.19, 205 such addresses ran and 206 failed (5 clauses
     * each; quoted and IPv6 ones alike), 256 blocks on the two fields ran and 257 failed, 512 terms {@code srcIp:x}
     * alone ran and 513 failed, where 1,024 {@code host:x} terms ran. So an address without a field counts
     * {@value #BARE_IP_CLAUSES}, a block {@value #BARE_BLOCK_CLAUSES}, and every other term, phrase, range or regular
     * expression of the reading ({@link Reading#terms}) one — a term on an IP or number field, a field name pattern
     * ({@code src*:x}) can be more, hence the margin: 160 such addresses or 200 such blocks alone. A query without such
     * an address or block is not counted here: the rewrites add nothing to it.
     */
    static final int MAX_CLAUSES_WITH_BARE_IPS = 800;

    /** What an IP address without a field costs of OpenSearch's 1,024 clauses once sent on the three fields. */
    static final int BARE_IP_CLAUSES = 5;

    /**
     * What a CIDR block without a field costs of OpenSearch's 1,024 clauses once sent as {@code (srcIp:x OR dstIp:x)}:
     * on the embedded OpenSearch 2.19, 256 such pairs ran and 257 failed (IPv4 and IPv6 blocks alike; 512
     * {@code srcIp:"x/n"} alone ran, 513 failed).
     */
    static final int BARE_BLOCK_CLAUSES = 4;

    private final int maxLength;

    QueryGuard(int maxLength) {
        this.maxLength = maxLength;
    }

    /**
     * A guarded query: the text to send, the field names it uses that are outside the data contract
     * ({@link #fieldsToCheck}), which the search must find in some daily index (docs/API.md, "Unknown fields"), and
     * the rewrites that made the text differ from the query as typed ({@link #CIDRS_QUOTED}, {@link #IPV6_QUOTED},
     * {@link #STARS_AS_MATCH_ALL}, {@link #BARE_IPS_ON_ADDRESS_FIELDS}, {@link #BARE_BLOCKS_ON_ADDRESS_FIELDS},
     * {@link #PROTO_NUMBERS_AS_NAMES}, {@link #SPACES_AS_OR}, in that order; empty: sent as typed, trimmed), and the
     * values on extra columns the search checks against the columns' types ({@link ExtraColumnValues}).
     */
    record Guarded(String query, List<String> fieldsToCheck, List<String> rewrites,
                   List<ExtraColumnValues.Value> extraValues) {

        Guarded {
            extraValues = extraValues == null ? List.of() : List.copyOf(extraValues);
        }

        /** A query with no value on an extra column to check against the column's type. */
        Guarded(String query, List<String> fieldsToCheck, List<String> rewrites) {
            this(query, fieldsToCheck, rewrites, List.of());
        }
    }

    /** A rewrite of {@link Guarded#rewrites}, as the "(q was sent as …)" note names it: the API … */
    static final String CIDRS_QUOTED = "quotes CIDR blocks on srcIp/dstIp";
    /** As {@link #CIDRS_QUOTED}. */
    static final String IPV6_QUOTED = "quotes IPv6 addresses on srcIp/dstIp";
    /** As {@link #CIDRS_QUOTED}. */
    static final String STARS_AS_MATCH_ALL = "sends a term * alone as *:*";
    /** As {@link #CIDRS_QUOTED}. */
    static final String BARE_IPS_ON_ADDRESS_FIELDS = "searches an IP address without a field on host, srcIp and dstIp";
    /** As {@link #CIDRS_QUOTED}. */
    static final String BARE_BLOCKS_ON_ADDRESS_FIELDS = "searches a CIDR block without a field on srcIp and dstIp";
    /** As {@link #CIDRS_QUOTED}. */
    static final String PROTO_NUMBERS_AS_NAMES = "sends a protocol number on proto as its name (proto:6 as proto:tcp)";
    /** As {@link #CIDRS_QUOTED}. */
    static final String SPACES_AS_OR = "puts OR between terms a space separates (a b as a OR b)";

    /**
     * Returns the query to send (CIDR blocks quoted, a {@code *} alone as {@code *:*}, bare addresses and blocks on the
     * address fields, protocol numbers on {@code proto} as names), or throws a 400 naming the problem.
     */
    String guard(String query) {
        return check(query).query();
    }

    /** Returns the query to send and the field names to check, or throws a 400 naming the problem. */
    Guarded check(String query) {
        if (query == null) {
            return new Guarded("", List.of(), List.of());
        }
        String trimmed = query.strip();
        // characters as people count them (code points): an emoji is one, not the two UTF-16 units Java counts
        if (trimmed.length() > maxLength && trimmed.codePointCount(0, trimmed.length()) > maxLength) {
            throw ApiException.badRequest("query_too_long",
                    "q is " + trimmed.codePointCount(0, trimmed.length()) + " characters long; the maximum is " + maxLength);
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                throw ApiException.badRequest("invalid_query", "q contains a control character at position " + (i + 1));
            }
        }
        if (needsNoReading(trimmed)) {
            return new Guarded(trimmed, List.of(), List.of());
        }
        Reading reading = read(trimmed);
        if (reading.depth() > MAX_GROUP_DEPTH) {
            throw ApiException.badRequest("bad_query", "q nests groups " + reading.depth() + " deep; at most "
                    + MAX_GROUP_DEPTH + " levels of ( ) are allowed (deep nesting costs the search engine time on"
                    + " every daily index before any time limit applies)");
        }
        if (reading.fuzzyTerms() > MAX_FUZZY_TERMS) {
            throw ApiException.badRequest("bad_query", "q has " + reading.fuzzyTerms() + " fuzzy terms (~); at most "
                    + MAX_FUZZY_TERMS + " are allowed (each one costs the search engine time on every daily index"
                    + " before any time limit applies)");
        }
        int patterns = reading.wildcardTerms() + reading.regexps().size();
        if (patterns > MAX_PATTERN_TERMS) {
            throw ApiException.badRequest("bad_query", "q has " + patterns + " wildcard or regular-expression terms;"
                    + " at most " + MAX_PATTERN_TERMS + " are allowed (a plain prefix such as goo* does not count; each"
                    + " other one costs the search engine time on every daily index before any time limit applies)");
        }
        refuseTooManyClauses(reading);
        refuseUnquotedAddress(reading.unquotedAddress());
        refuseBadBlock(reading.badBlock());
        if (reading.unreadable() != null) {
            throw ApiException.badRequest("bad_query", reading.unreadable());
        }
        refuseLowerCaseOperator(reading.lowerCaseOperator());
        refuseGluedOperator(reading.gluedOperator(), reading.gluedFieldName());
        if (reading.notANumber() != null) {
            throw ApiException.badRequest("bad_query", reading.notANumber());
        }
        NonTextPatterns.refuseRegexpsOnContractFields(reading.regexps());
        refuseScanningRegexps(reading.regexps());
        refuseLeadingWildcards(reading.leadingWildcards());
        List<String> rewrites = new ArrayList<>(2);
        if (reading.cidrsQuoted()) {
            rewrites.add(CIDRS_QUOTED);
        }
        if (reading.ipv6Quoted()) {
            rewrites.add(IPV6_QUOTED);
        }
        if (reading.starsAsMatchAll()) {
            rewrites.add(STARS_AS_MATCH_ALL);
        }
        if (reading.bareIps() > 0) {
            rewrites.add(BARE_IPS_ON_ADDRESS_FIELDS);
        }
        if (reading.bareBlocks() > 0) {
            rewrites.add(BARE_BLOCKS_ON_ADDRESS_FIELDS);
        }
        if (reading.protoNumbersAsNames()) {
            rewrites.add(PROTO_NUMBERS_AS_NAMES);
        }
        if (reading.spacesAsOr()) {
            rewrites.add(SPACES_AS_OR);
        }
        return new Guarded(reading.query(), fieldsToCheck(reading.fields()), List.copyOf(rewrites),
                reading.extraValues());
    }

    /**
     * Whether {@link #check} may send {@code q} (trimmed) as it is without reading it: no CIDR block, no regular
     * expression, too few '(', '~', '*' and '?' to exceed a limit, no '*' or '?' that could start a term (so no '*'
     * alone to send as *:*), every field a contract field ({@link #onlyContractFields}: so no IPv6 address either, whose
     * second colon follows no contract name), no word and/or/not in another case than upper case, no IPv4 address
     * without a field (also none in a phrase), no proto: before a digit or a group, no quote or range bracket and every
     * group closed (so nothing the parser cannot read that the reading names), no {@code &&}/{@code ||} glued to a term,
     * no two terms with only a space between them (the reading sends them with {@code OR} between them),
     * nothing but digits after a number field's colon — the api benchmark's queries, but for its CIDR one. Cheap
     * filters only: {@link #read} decides the rest.
     */
    static boolean needsNoReading(String q) {
        int wildcards = count(q, '*') + count(q, '?');
        return q.indexOf('/') < 0 && count(q, '(') <= MAX_GROUP_DEPTH && count(q, '~') <= MAX_FUZZY_TERMS
                && wildcards <= MAX_PATTERN_TERMS && (wildcards == 0 || !mayHaveLeadingWildcard(q))
                && onlyContractFields(q, true) && !mayHaveLowerCaseOperator(q) && !mayHaveBareIp(q)
                && !mayHaveProtoNumber(q) && noQuotesOrRangesAndClosedGroups(q) && !mayHaveGluedOperator(q)
                && !mayHaveMisplacedOperatorOrTermRun(q);
    }

    /** Kinds of the tokens {@link #mayHaveMisplacedOperatorOrTermRun} tells apart. */
    private static final int START = 0;
    private static final int OPEN = 1;
    private static final int CONJUNCTION = 2;
    private static final int NOT = 3;
    private static final int MODIFIER = 4;
    private static final int OTHER = 5;

    /**
     * Whether the query may have an operator without a clause where it needs one ({@link Reading#unreadable}: a
     * conjunction, {@code NOT} or a modifier at the end or before ')', a conjunction at the start, after '(' or after
     * another operator, {@code NOT NOT}, a glued modifier or NOT after NOT or after a glued modifier: {@code NOT -b},
     * {@code +-a}, {@code -NOT a}) or a modifier right after a field's colon ({@code proto:-1}), or two words that
     * are no operators and no field names one after the other ({@code a b}, {@code host:a b}: a run of terms the
     * reading may send with {@code OR} between them, {@link #SPACES_AS_OR}): one pass over the words between
     * whitespace and parentheses, which in a query the other filters let through (no quote, range,
     * slash or backslash) are the parser's tokens. Only a cheap filter: {@link #read} decides.
     */
    static boolean mayHaveMisplacedOperatorOrTermRun(String q) {
        int n = q.length();
        int before = START;
        boolean termBefore = false; // the token before is a word that is no operator and no field name
        boolean afterColon = false; // the token before ended with a field's colon
        boolean signGlued = false; // the modifier before is glued to what follows it (-b), not a term alone (- b)
        for (int i = 0; i < n; ) {
            char c = q.charAt(i);
            if (isLuceneWhitespace(c)) {
                i++;
                continue;
            }
            if (afterColon && (c == '+' || c == '-' || c == '!')) {
                return true; // proto:-1, host: !a
            }
            boolean valueBefore = !afterColon; // the token before is no field name: a name after it starts a clause
            afterColon = false;
            if (c == '(' || c == ')') {
                if (c == ')' && (before == CONJUNCTION || before == NOT || before == MODIFIER)) {
                    return true;
                }
                before = c == '(' ? OPEN : OTHER;
                termBefore = false;
                i++;
                continue;
            }
            if (c == '+' || c == '-' || c == '!') { // a modifier (a term of its own: the parser's '!' ends a term)
                boolean glued = i + 1 < n && !isLuceneWhitespace(q.charAt(i + 1)); // "a - -b" parses: '- ' is a term
                if (glued && (before == NOT || before == MODIFIER && signGlued)) {
                    return true; // a AND NOT -b, +-a: one modifier per clause
                }
                before = MODIFIER;
                termBefore = false;
                signGlued = glued;
                i++;
                continue;
            }
            int end = i;
            while (end < n) {
                char e = q.charAt(end);
                if (e == ' ' || e == '(' || e == ')' || e == '!' || isLuceneWhitespace(e)) {
                    break;
                }
                end++;
                if (e == ':') {
                    break; // a field's colon ends its name: its value is a token of its own (host:AND)
                }
            }
            int length = end - i;
            int kind = length == 2 && (q.startsWith("OR", i) || q.startsWith("&&", i) || q.startsWith("||", i))
                    || length == 3 && q.startsWith("AND", i) ? CONJUNCTION
                    : length == 3 && q.startsWith("NOT", i) ? NOT : OTHER;
            if (kind == CONJUNCTION && before != OTHER || kind == NOT && (before == NOT || before == MODIFIER && signGlued)) {
                return true;
            }
            if (kind == OTHER && termBefore) {
                return true; // a b: a run of terms, sent with OR between them (SPACES_AS_OR)
            }
            before = kind;
            afterColon = q.charAt(end - 1) == ':';
            termBefore = kind == OTHER && !afterColon;
            if (afterColon && !valueBefore) {
                return true; // host: proto:x, a field's value followed by a colon (a:b:c)
            }
            i = end;
        }
        return before == CONJUNCTION || before == NOT || before == MODIFIER;
    }

    /**
     * Whether {@code q} has no quote and no range bracket, and each '(' a ')' after it and each ')' a '(' before it:
     * in a query without those, a slash or a backslash (the other filters of {@link #needsNoReading}) every parenthesis
     * is a group's, so the parser finds nothing unclosed. Only a cheap filter: {@link #read} decides.
     */
    static boolean noQuotesOrRangesAndClosedGroups(String q) {
        int open = 0;
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c == '"' || c == '[' || c == ']' || c == '{' || c == '}' || c == ')' && --open < 0) {
                return false;
            }
            open += c == '(' ? 1 : 0;
        }
        return open == 0;
    }

    /**
     * Whether the query may have {@code &&} or {@code ||} glued to a term: one with a character before or after it
     * that is not whitespace or a parenthesis. Only a cheap filter: {@link #read} decides.
     */
    static boolean mayHaveGluedOperator(String q) {
        for (int i = 0; i + 1 < q.length(); i++) {
            char c = q.charAt(i);
            if ((c == '&' || c == '|') && q.charAt(i + 1) == c
                    && (i > 0 && !isGroupOrSpace(q.charAt(i - 1)) || i + 2 < q.length() && !isGroupOrSpace(q.charAt(i + 2)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isGroupOrSpace(char c) {
        return c == '(' || c == ')' || isLuceneWhitespace(c);
    }


    /**
     * Each IP address without a field is sent on three fields, each CIDR block without a field on two, and OpenSearch
     * refuses a query of more than 1,024 clauses with an HTTP 500, which the API could only answer as a 502: a query
     * with such addresses or blocks whose weight ({@link #BARE_IP_CLAUSES} an address, {@link #BARE_BLOCK_CLAUSES} a
     * block, 1 every other term of {@link Reading#terms}) exceeds {@link #MAX_CLAUSES_WITH_BARE_IPS} is a 400 saying to
     * name the field. A query without them is not counted: the rewrites add nothing to it.
     */
    private static void refuseTooManyClauses(Reading reading) {
        int ips = reading.bareIps();
        int blocks = reading.bareBlocks();
        int others = reading.terms() - 3 * ips - 2 * blocks;
        int clauses = ips * BARE_IP_CLAUSES + blocks * BARE_BLOCK_CLAUSES + others;
        if (ips + blocks == 0 || clauses <= MAX_CLAUSES_WITH_BARE_IPS) {
            return;
        }
        String engine = " clauses of the search engine's)";
        String what = (ips > 0 ? ips + (ips == 1 ? " IP address" : " IP addresses") + " without a field, each searched"
                + " on host, srcIp and dstIp (" + BARE_IP_CLAUSES + engine : "")
                + (ips > 0 && blocks > 0 ? (others > 0 ? ", " : " and ") : "")
                + (blocks > 0 ? blocks + (blocks == 1 ? " CIDR block" : " CIDR blocks") + " without a field, each"
                + " searched on srcIp and dstIp (" + BARE_BLOCK_CLAUSES + (ips > 0 ? " clauses)" : engine) : "")
                + (others > 0 ? " and " + others + (others == 1 ? " other term" : " other terms") : "");
        throw ApiException.badRequest("bad_query", "q has " + what + ": about " + clauses + " clauses; at most "
                + MAX_CLAUSES_WITH_BARE_IPS + " are allowed with " + (blocks == 0 ? "such addresses"
                : ips == 0 ? "such blocks" : "such addresses and blocks") + " (the search engine refuses more than"
                + " 1,024). Name the field of the " + (ips > 0 ? "addresses, e.g. srcIp:(10.0.0.1 OR 10.0.0.2 …)"
                : "blocks, e.g. srcIp:(10.0.0.0/24 OR 10.0.1.0/24 …)") + " (fewer clauses each), or search "
                + (ips > 0 ? "a CIDR block, e.g. srcIp:10.0.0.0/24" : "a larger block, e.g. srcIp:10.0.0.0/16"));
    }

    /**
     * An unquoted IPv6 address or block on the default field or in an IP field's group that the reading does not guess
     * at ({@link Reading#unquotedAddress}): one whose first group is a word ({@code dead:beef::1}, on the default field;
     * the parser reads it as a field name, and it may be one) or one starting with a colon right after a term and
     * whitespace ({@code a ::1}, {@code srcIp:(10.0.0.1 ::1)}; the parser reads {@code a:}, a field). Unquoted it never
     * parses; the 400 says what to type.
     */
    private static void refuseUnquotedAddress(UnquotedAddress u) {
        if (u == null) {
            return;
        }
        boolean block = u.address().indexOf('/') >= 0;
        String what = block ? "the IPv6 CIDR block " : "the IPv6 address ";
        String where = block ? "srcIp and dstIp" : "host, srcIp and dstIp";
        String quoted = "\"" + u.address() + "\"";
        if (u.termBefore() == null && u.groupField() != null) {
            // host:(2001:db8::1): the group's field is no IP field, so nothing is quoted; unquoted it never parses
            int colon = u.address().indexOf(':');
            throw ApiException.badRequest("bad_query", "q has " + what + u.address() + " without quotes in the group of "
                    + u.groupField() + ": unquoted, the parser reads " + (colon > 0 ? "'" + u.address().substring(0,
                    colon) + "' as a field name" : "a colon that names no field") + ". Quote it: " + quoted
                    + " searches it on " + u.groupField() + ", the group's field");
        }
        if (u.termBefore() == null) {
            String group = u.address().substring(0, u.address().indexOf(':'));
            throw ApiException.badRequest("bad_query", "q has " + what + u.address() + " without quotes: unquoted, the"
                    + " parser reads '" + group + "' as a field name. Quote it: " + quoted + " searches it on " + where
                    + " (srcIp:" + quoted + " on one field)");
        }
        String t = u.termBefore();
        throw ApiException.badRequest("bad_query", "q has " + what + u.address() + " without quotes right after '" + t
                + "' and a space: unquoted, " + (u.afterAValue() ? "a colon after the value '" + t + "' does not parse"
                : "the parser reads '" + t + ":' as a field name") + ". Quote it: " + t + " "
                + quoted + " searches it on " + (u.groupField() != null ? u.groupField() + ", the group's field"
                : where + (u.afterAValue() || !mayBeAFieldName(t) ? ""
                : " (" + t + ":" + quoted + " on the field " + t + ")")));
    }

    /**
     * An IP address with a prefix length no CIDR block has, on the default field ({@code "10.0.0.0/33"}, a phrase on
     * host that found nothing; unquoted, a term and a regular expression the parser cannot read).
     */
    private static void refuseBadBlock(String block) {
        if (block != null) {
            boolean v4 = block.indexOf(':') < 0;
            throw ApiException.badRequest("bad_query", "q has " + block + ", which is no CIDR block: the prefix length"
                    + " of an IPv4 block is 0-32, of an IPv6 block 0-128. Write a block such as "
                    + (v4 ? "10.0.0.0/8" : "2001:db8::/32") + " (it searches srcIp and dstIp), or give the text a field"
                    + " (host:\"" + block + "\")");
        }
    }

    /**
     * A term with {@code &&} or {@code ||} glued in it ({@link #gluedOperator}): the lexer reads
     * {@code srcIp:10.0.0.1&&dstPort:53} as the value {@code 10.0.0.1&&dstPort} and a colon (which does not parse, or
     * is "not an IP string literal"), {@code a&& b} as the term {@code a&&} (an AND silently gone). Refused, saying to
     * put spaces around the operator. A field name that starts with one ({@code "…"&&dstPort:53}) is the unknown-field
     * check's ({@link UnknownFields}), whose message says the same.
     */
    private static void refuseGluedOperator(String term, boolean fieldName) {
        if (term != null) {
            String op = gluedOperator(term);
            String what = fieldName ? "field name" : "term";
            throw ApiException.badRequest("bad_query", "q has '" + op + "' glued to a " + what + ": Lucene reads '"
                    + term + "' as one " + what + ", not as an operator between two. Put spaces around the operator: "
                    + spacedOperators(term) + (fieldName ? ":" : "") + " (or write " + (op.equals("&&") ? "AND" : "OR")
                    + "); " + (fieldName ? "a field whose name has the characters is written with them escaped ("
                    + escapedOperators(term) + ":…)" : "to search the characters themselves, quote the value (\"" + term
                    + "\"), or escape them (" + escapedOperators(term) + ") in a wildcard term, which quotes would make"
                    + " a phrase"));
        }
    }

    /**
     * A term {@code and}, {@code or} or {@code not} in another case than upper case, on no field of its own, with no
     * colon after it and no modifier before it ({@link Reading#lowerCaseOperator}), is no operator: Lucene reads it as
     * the word on the default field ({@code host}), and a space means OR, so {@code srcIp:10.0.0.1 and dstPort:53} is
     * {@code srcIp:10.0.0.1 OR host:and OR dstPort:53}, a search silently widened (docs/API.md: a typo never silently
     * widens a search; {@code &&dstPort} is refused for the same reason). A lower-case {@code or} widens it only by the
     * word: a space already means OR ({@code default_operator: or}), so {@code a or b} is {@code a OR host:or OR b}, and
     * the message says that instead. Refused, saying how to write the operator and how to search the word itself.
     */
    private static void refuseLowerCaseOperator(String word) {
        if (word != null) {
            String lower = word.toLowerCase(java.util.Locale.ROOT);
            // and, not: meant to narrow, read as one more alternative. or: a space already means OR (the search's
            // default_operator), so it only adds the word as an alternative (LowerCaseOperatorGuardTest's oracle)
            String effect = lower.equals("or") ? "; a space already means OR here, so the search finds what OR would"
                    + " find and may also find documents whose host is the word " + lower
                    : ", and a space means OR, so the search would find more, not fewer, documents";
            throw ApiException.badRequest("bad_query", "q has '" + word + "' as a search term: Lucene reads a"
                    + " lower-case " + lower + " as the word on the default field host, not as an operator" + effect
                    + ". Operators must be upper case: write AND, OR, NOT (or &&, ||, !). To search the word itself,"
                    + " quote it (\"" + word + "\") or give its field (host:" + word + ")");
        }
    }

    /**
     * Whether the query may have a word {@code and}, {@code or} or {@code not} in another case than upper case: a run
     * of two or three ASCII letters, between characters that are no ASCII letters, equal to one of them ignoring case
     * and not upper case. Only a cheap filter for the shortcut of {@link #check}: {@link #read} decides.
     */
    static boolean mayHaveLowerCaseOperator(String q) {
        int n = q.length();
        for (int i = 0; i < n; ) {
            if (!isAsciiLetter(q.charAt(i))) {
                i++;
                continue;
            }
            int end = i;
            while (end < n && isAsciiLetter(q.charAt(end))) {
                end++;
            }
            if ((end - i == 2 || end - i == 3) && isLowerCaseOperator(q.substring(i, end))) {
                return true;
            }
            i = end;
        }
        return false;
    }

    /**
     * Whether the query may have an IPv4 address without a field: a run of digits and dots with three dots that does
     * not follow a colon (whitespace between allowed: {@code srcIp: 10.0.0.1} is a field's value), so also one in a
     * phrase ({@code "10.0.0.1"}, after a quote). Only a cheap filter for the shortcut of {@link #check}: {@link #read}
     * decides. (An IPv6 address has a colon that follows no contract field name: {@link #onlyContractFields} sends it
     * to the reading; a block has a '/'.)
     */
    static boolean mayHaveBareIp(String q) {
        int n = q.length();
        for (int i = 0; i < n; ) {
            char c = q.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.')) {
                i++;
                continue;
            }
            int end = i;
            int dots = 0;
            while (end < n && (q.charAt(end) >= '0' && q.charAt(end) <= '9' || q.charAt(end) == '.')) {
                dots += q.charAt(end) == '.' ? 1 : 0;
                end++;
            }
            if (dots == 3) {
                int p = i - 1;
                while (p >= 0 && isLuceneWhitespace(q.charAt(p))) {
                    p--;
                }
                if (p < 0 || q.charAt(p) != ':') {
                    return true;
                }
            }
            i = end;
        }
        return false;
    }

    /**
     * Whether the query may have a protocol number on {@code proto}: {@code proto}, maybe whitespace, a colon, maybe
     * whitespace, then a digit or {@code (} (a group: {@code proto:(6 OR 17)}). Only a cheap filter for the shortcut
     * of {@link #check}: {@link #read} decides. None of the api benchmark's queries names {@code proto}.
     */
    static boolean mayHaveProtoNumber(String q) {
        for (int at = q.indexOf(Fields.PROTO); at >= 0; at = q.indexOf(Fields.PROTO, at + 1)) {
            int p = whitespaceEnd(q, at + Fields.PROTO.length());
            if (p < q.length() && q.charAt(p) == ':') {
                p = whitespaceEnd(q, p + 1);
                if (p < q.length() && (q.charAt(p) >= '0' && q.charAt(p) <= '9' || q.charAt(p) == '(')) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The name the loader stores for the protocol number {@code term} ({@code 6} → {@code tcp},
     * {@link FieldValues#protocolName}), or null: a term of one to three digits (the loader reads {@code 06} as 6
     * too) of 0–255 with an IANA name. A number without a name is stored as the number, so it is left as it is.
     */
    static String protocolNameOf(String term) {
        int n = term.length();
        if (n < 1 || n > 3 || run(term, 0, false) != n || Integer.parseInt(term) > 255) {
            return null;
        }
        String name = FieldValues.protocolName(term);
        return name.equals(Integer.toString(Integer.parseInt(term))) ? null : name;
    }

    /**
     * Whether {@code s} is an IPv4 address in dotted-quad form: four numbers of 0–255 without leading zeros
     * ({@code 010.0.0.1} is no address OpenSearch reads the same everywhere).
     */
    static boolean isIpv4(String s) {
        int p = 0;
        for (int group = 0; group < 4; group++) {
            int q = run(s, p, false);
            if (q - p < 1 || q - p > 3 || q - p > 1 && s.charAt(p) == '0' || Integer.parseInt(s.substring(p, q)) > 255) {
                return false;
            }
            if (group < 3 && (q >= s.length() || s.charAt(q) != '.')) {
                return false;
            }
            p = q + 1;
        }
        return p - 1 == s.length();
    }

    /**
     * Whether {@code s} is an IPv6 address in text form: eight groups of one to four hex digits separated by colons,
     * fewer with one {@code ::} standing for the missing ones, the last two groups maybe an IPv4 address
     * ({@link #isIpv4}: {@code ::ffff:10.0.0.1}); no zone ({@code %eth0}), no brackets.
     */
    static boolean isIpv6(String s) {
        int n = s.length();
        if (n < 2 || s.charAt(0) == ':' && s.charAt(1) != ':') {
            return false;
        }
        int groups = 0;
        boolean compressed = s.startsWith("::");
        int p = compressed ? 2 : 0;
        while (p < n) {
            int q = run(s, p, true);
            if (q < n && s.charAt(q) == '.') { // the last two groups as an IPv4 address
                if (!isIpv4(s.substring(p))) {
                    return false;
                }
                groups += 2;
                break;
            }
            if (q - p < 1 || q - p > 4) {
                return false;
            }
            groups++;
            if (q == n) {
                break;
            }
            if (s.charAt(q) != ':' || q + 1 == n) {
                return false; // another character, or a single colon at the end
            }
            if (s.charAt(q + 1) == ':') {
                if (compressed) {
                    return false; // a second ::
                }
                compressed = true;
                p = q + 2;
            } else {
                p = q + 1;
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    /**
     * Whether {@code s} is a MAC address as network logs write it: six groups of two hex digits separated by colons
     * ({@code 00:1a:2b:3c:4d:5e}). Asked only on an error path (a second colon, an engine's refusal of an IP value).
     */
    static boolean isMacAddress(String s) {
        if (s.length() != 17) {
            return false;
        }
        for (int k = 0; k < 17; k++) {
            char c = s.charAt(k);
            if (k % 3 == 2 ? c != ':' : !isHexDigit(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code c} is an ASCII hex digit: 0–9, a–f, A–F. */
    static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /**
     * Why the MAC address {@code mac} cannot be searched on srcIp/dstIp, and where it can be: the data contract has no
     * MAC field (docs/DATA-CONTRACT.md), so only a column of the source data that holds one, under its own name.
     * {@code quoted}: the quoted form the user would try next, or null (the engine refused it already).
     */
    static String macOnIpField(String mac, String quoted) {
        return "a MAC address is not an IP address, and srcIp and dstIp hold IP addresses only" + (quoted == null ? ""
                : " (quoted, " + quoted + " fails as 'not an IP string literal')") + ". " + whereMacsAre(mac);
    }

    /** Where the MAC address {@code mac} can be searched: the data contract has no MAC field (docs/DATA-CONTRACT.md). */
    private static String whereMacsAre(String mac) {
        return "The data contract has no MAC field: a MAC address is searchable only in a column of the source data"
                + " that holds one, under that column's name, quoted (<column>:\"" + mac + "\")";
    }

    /**
     * The message for the MAC address {@code mac} written without quotes and without a field of its own, alone or in
     * the group of {@code group} ("" for none): the parser reads its first group as a field name ({@code 00:1a:…} is
     * the field 00) and the next colon does not parse, so the second-colon text would offer to search the rest on a
     * field "00". Asked only on that error path.
     */
    static String macWithoutQuotes(String mac, String group) {
        String quoted = "\"" + mac + "\"";
        return "q has the MAC address " + mac + " without quotes" + (group.isEmpty() ? "" : " in the group of " + group)
                + ": unquoted, Lucene reads '" + mac.substring(0, 2) + "' as a field name, and the colon after its"
                + " value does not parse. " + whereMacsAre(mac) + (group.isEmpty()
                ? "; quoted without a field (" + quoted + ") it is searched on " + OpenSearchSearchBackend.DEFAULT_FIELD
                + " only, the default field" : "; quoted (" + group + ":(" + quoted + ")) it is searched on " + group
                + ", the group's field");
    }

    /**
     * Whether {@code s} is a CIDR block: an IPv4 address and a prefix length of 0–32, or an IPv6 address and one of
     * 0–128 (one to three digits).
     */
    static boolean isCidrBlock(String s) {
        int slash = s.lastIndexOf('/');
        int n = s.length();
        if (slash < 1 || n - slash - 1 < 1 || n - slash - 1 > 3 || run(s, slash + 1, false) != n) {
            return false;
        }
        int length = Integer.parseInt(s.substring(slash + 1));
        String address = s.substring(0, slash);
        return isIpv4(address) ? length <= 32 : length <= 128 && isIpv6(address);
    }

    /** An IP address ({@link #ADDRESS}), a CIDR block ({@link #BLOCK}), or neither (0). */
    private static int addressKind(String s) {
        return isIpv4(s) || isIpv6(s) ? ADDRESS : isCidrBlock(s) ? BLOCK : 0;
    }

    /** Kinds of {@link #addressKind}. */
    private static final int ADDRESS = 1;
    private static final int BLOCK = 2;

    /**
     * Where the unquoted IPv6 address or CIDR block that may start at {@code p} ends, or -1: a run of hex digits,
     * dots, colons and slashes with at least one colon or slash, followed by the end, whitespace or a character that
     * ends a term ({@code "()[]{}!^}; a boost) or a glued {@code &&}/{@code ||} ({@link #gluedOperatorAt}), not by a
     * fuzzy slop. Whether the run is an address or a block is
     * {@link #addressKind}'s to say.
     */
    private static int unquotedAddressEnd(String s, int p) {
        int n = s.length();
        int q = p;
        boolean separator = false;
        while (q < n) {
            char c = s.charAt(q);
            if (c == ':' || c == '/') {
                separator = true;
            } else if (!(isHexDigit(c) || c == '.')) {
                break;
            }
            q++;
        }
        if (!separator || q < n && !isLuceneWhitespace(s.charAt(q)) && "\"()[]{}!^".indexOf(s.charAt(q)) < 0
                && !gluedOperatorAt(s, q) || fuzzyAfter(s, q)) {
            return -1;
        }
        return q;
    }

    /**
     * Whether {@code &&} or {@code ||} starts at {@code q}: glued to the end of a block or IPv6 address, where the lexer
     * would read it as part of the regular expression or the next term, it ends the block (quoted, the operator is
     * glued to the next term, which {@link #refuseGluedOperator} or the unknown-field check names).
     */
    private static boolean gluedOperatorAt(String s, int q) {
        return q + 1 < s.length() && (s.charAt(q) == '&' || s.charAt(q) == '|') && s.charAt(q + 1) == s.charAt(q);
    }

    /** Where the unquoted IPv6 address at {@code p} ({@link #unquotedAddressEnd}, {@link #isIpv6}) ends, or -1. */
    private static int ipv6AddressEnd(String s, int p) {
        int end = unquotedAddressEnd(s, p);
        return end >= 0 && isIpv6(s.substring(p, end)) ? end : -1;
    }

    /** Whether an unquoted IPv6 address or block ({@link #unquotedAddressEnd}, {@link #addressKind}) is at {@code p}. */
    private static boolean unquotedAddressAt(String s, int p) {
        int end = unquotedAddressEnd(s, p);
        return end >= 0 && addressKind(s.substring(p, end)) != 0;
    }

    /**
     * Whether an unquoted IPv6 address's first group is a word ({@code dead} of {@code dead:beef::1}, {@code a} of
     * {@code a::1}): no decimal digit in it, so it may be meant as a field name (cf. {@code UnknownFields}, which calls
     * {@code 2001} or {@code fe80} before a colon the first group of an address).
     */
    private static boolean firstGroupIsAWord(String address) {
        int colon = address.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        for (int k = 0; k < colon; k++) {
            if (address.charAt(k) >= '0' && address.charAt(k) <= '9') {
                return false;
            }
        }
        return true;
    }

    /** Where the character at {@code i} of {@code q} is, counted from 1 as people count characters (an emoji is one). */
    private static int position(String q, int i) {
        return q.codePointCount(0, i) + 1;
    }

    /** {@code q} with {@code end} appended, as an example of the fix, when it is short enough to quote whole; else "". */
    private static String example(String q, String end) {
        return q.length() + end.length() > 80 ? "" : ", e.g. " + q + end;
    }

    /** The message for the quote at {@code i} that no quote closes (the parser's "lexical error … after prefix"). */
    private static String unclosedQuote(String q, int i) {
        return "q has a quote (\") at position " + position(q, i) + " that no quote closes: Lucene reads the rest of q"
                + " as an unfinished phrase. End the phrase with a quote" + example(q, "\"") + ", or escape a quote"
                + " that is part of a value (\\\")";
    }

    /** The message for the '/' at {@code i} that starts a regular expression no '/' ends. */
    private static String unclosedRegexp(String q, int i) {
        return "q has a '/' at position " + position(q, i) + " that starts a regular expression no '/' ends (Lucene"
                + " reads every unescaped / outside a phrase as the start of one). Quote a value that has a slash"
                + " (uri:\"/index.html\") or escape the slash (\\/); a regular expression ends with / (host:/goo.*/)";
    }

    /** The message for the range opening at {@code i} that no {@code ]} or <code>}</code> closes. */
    private static String unclosedRange(String q, int i) {
        return "q has a range '" + q.charAt(i) + "' at position " + position(q, i) + " that no ']' or '}' closes: a"
                + " range is [a TO b] (bounds included) or {a TO b} (excluded), e.g. dstPort:[1 TO 1023]";
    }

    /** The message for the groups whose '(' (at {@code opened}, innermost first) no ')' closes. */
    private static String unclosedGroups(String q, Deque<Integer> opened) {
        int first = opened.peekLast();
        return "q has " + (opened.size() == 1 ? "a '(' at position " + position(q, first) + " that no ')' closes"
                : opened.size() + " '(' that no ')' closes (the first at position " + position(q, first) + ")")
                + ": close each group with ')' where it ends" + example(q, ")".repeat(opened.size()));
    }

    /**
     * The 400's message for a CIDR block whose address is IPv4-mapped ({@code ::ffff:10.0.0.0/104},
     * {@code ::ffff:a00:0/104}) on {@code field} (an IP field, or "" for the default field, where a block searches srcIp
     * and dstIp), else null. OpenSearch refuses such a block, quoted or not ("CIDR notation is not allowed with
     * IPv6-mapped IPv4 address … ambiguity"); it stores IPv4 addresses IPv4-mapped, so the IPv4 block with 96 bits less
     * matches the same addresses, and the message gives it. Decision: a 400 that gives the block rather than a silent
     * rewrite to it — what is sent stays what was typed, for a notation that hardly anyone types.
     */
    static String mappedBlock(String block, String field) {
        int slash = block.lastIndexOf('/');
        if (slash < 0 || !block.regionMatches(true, 0, "::ffff:", 0, 7) && block.toLowerCase(java.util.Locale.ROOT)
                .indexOf("ffff") < 0 || !isCidrBlock(block) || !isIpv6(block.substring(0, slash))) {
            return null;
        }
        byte[] v4;
        try { // a literal checked by isIpv6: no name lookup; Java, as OpenSearch, reads a mapped address as IPv4
            InetAddress address = InetAddress.getByName(block.substring(0, slash));
            if (!(address instanceof Inet4Address)) {
                return null;
            }
            v4 = address.getAddress();
        } catch (UnknownHostException notAnAddress) {
            return null;
        }
        int length = Integer.parseInt(block.substring(slash + 1));
        String on = field == null || field.isEmpty() ? "" : field + ":";
        String why = "q has the IPv4-mapped block " + on + block + ": the search engine takes no prefix length on an"
                + " IPv4-mapped address (it cannot tell whether the length counts IPv4 or IPv6 bits)";
        if (length < 96) {
            return why + ", and this one reaches beyond the IPv4-mapped addresses (::ffff:0:0/96). Write its network"
                    + " address in plain IPv6 form (e.g. " + on + "::/" + length + "), or an IPv4 block for IPv4"
                    + " addresses (" + on + "10.0.0.0/8)";
        }
        return why + ". Write the IPv4 block, which matches the same addresses (the engine stores IPv4 addresses"
                + " IPv4-mapped): " + on + (v4[0] & 0xff) + "." + (v4[1] & 0xff) + "." + (v4[2] & 0xff) + "."
                + (v4[3] & 0xff) + "/" + (length - 96);
    }

    /** An operator as the messages name it: {@code the operator AND}, {@code the operator '-'}. */
    private static String operatorName(String op) {
        return "the operator " + (op.length() == 1 ? "'" + op + "'" : op);
    }

    /** What {@code op} does, with an example, for the messages of an operator without a clause where it needs one. */
    private static String operatorRole(String op) {
        switch (op) {
            case "AND":
            case "&&":
                return op + " joins two clauses that must both match (a " + op + " b)";
            case "OR":
            case "||":
                return op + " joins two clauses of which either may match (a " + op + " b)";
            case "NOT":
                return "NOT excludes the clause after it (a AND NOT b)";
            case "!":
                return "! excludes the clause right after it (a AND !b)";
            case "-":
                return "- excludes the clause right after it (a -b)";
            default:
                return "+ requires the clause right after it (a +b)";
        }
    }

    /**
     * The message for the operator {@code op} at {@code at} with no clause after it: at the end of {@code q}
     * ({@code close} -1: {@code a AND}, the parser's "Encountered "<EOF>"") or before the ')' at {@code close}
     * ({@code (a OR)}).
     */
    private static String nothingAfter(String q, String op, int at, int close) {
        String head = q.substring(0, at).stripTrailing();
        for (String before = trailingOperator(head); before != null; before = trailingOperator(head)) {
            head = head.substring(0, head.length() - before.length()).stripTrailing(); // a AND NOT: a
        }
        String removed = (head + " " + q.substring(at + op.length()).stripLeading()).strip()
                .replaceAll("\\s+\\)", ")").replaceAll(" {2,}", " ");
        return (close < 0 ? "q ends with " + operatorName(op) + " (position " + position(q, at) + "), which has nothing"
                : "q has " + operatorName(op) + " at position " + position(q, at) + " with nothing after it before the"
                + " ')' at position " + position(q, close)) + (close < 0 ? " after it: " : ": ") + operatorRole(op)
                + ". Add the clause after it, or remove " + (op.length() == 1 ? "the '" + op + "'" : "the " + op)
                + (removed.isEmpty() || removed.length() > 80 ? "" : " (" + removed + ")");
    }

    /** The operator {@code text} ends with (a word or sign of its own: after whitespace, '(' or the start), or null. */
    private static String trailingOperator(String text) {
        for (String op : new String[]{"AND", "OR", "NOT", "&&", "||", "+", "-", "!"}) {
            int k = text.length() - op.length();
            if (text.endsWith(op) && (k == 0 || isLuceneWhitespace(text.charAt(k - 1)) || text.charAt(k - 1) == '(')) {
                return op;
            }
        }
        return null;
    }

    /** The message for the conjunction {@code op} at {@code at}, first in q or right after the '(' at {@code open}. */
    private static String nothingBefore(String q, String op, int at, int open) {
        return (open < 0 ? "q starts with " + operatorName(op) + ", which has nothing before it: "
                : "q has " + operatorName(op) + " at position " + position(q, at) + " right after the '(' at position "
                + position(q, open) + ", with nothing before it: ") + operatorRole(op) + ". Add the clause before it,"
                + " or remove the " + op + (op.equals("AND") || op.equals("&&")
                ? " (to exclude what follows, write NOT: NOT host:a)" : "");
    }

    /** The message for the operator {@code first} at {@code at} right before the operator {@code second} at {@code next}. */
    private static String noClauseBetween(String q, String first, int at, String second, int next) {
        return "q has " + operatorName(first) + " at position " + position(q, at) + " right before "
                + operatorName(second) + " at position " + position(q, next) + ", with no clause between them: "
                + operatorRole(first) + ". Keep one of the two, or put the clause that belongs between them";
    }

    /**
     * The message for the modifier {@code second} at {@code next} right after the modifier {@code first} at {@code at}
     * ({@code a AND NOT -b}, {@code +-a}, {@code -NOT a}): the parser takes one of +, -, NOT and ! before a clause.
     */
    private static String twoModifiers(String q, String first, int at, String second, int next) {
        String withoutFirst = q.substring(0, at) + q.substring(at + first.length()).stripLeading();
        String withoutSecond = q.substring(0, next).stripTrailing() + (first.length() == 1 ? "" : " ")
                + q.substring(next + second.length()).stripLeading();
        return "q has " + operatorName(first) + " at position " + position(q, at) + " right before "
                + operatorName(second) + " at position " + position(q, next) + ": a clause takes one of +, -, NOT and !"
                + " before it, not two. Keep one of the two" + (q.length() > 80 ? ""
                : " (" + withoutSecond.strip() + " or " + withoutFirst.strip() + ")");
    }

    /**
     * The message for the colon at {@code at} that names no field: it starts a clause ({@code host:(a) :b},
     * {@code :b}, {@code a AND :b}), where the parser takes a field name or a term; or, right after the colon of
     * {@code field} (not null: {@code a::b}), it starts that field's value. {@code group}: the field of the group it is
     * in ("" for none: the default field), which a quoted value there is searched on.
     */
    private static String colonWithoutField(String q, int at, String field, String group) {
        int start = whitespaceEnd(q, at + 1);
        String value = q.substring(start, Math.max(start, termEnd(q, start, true)));
        if (field != null) {
            String v = value.isEmpty() ? "b" : value;
            return "q has a second colon at position " + position(q, at) + " right after " + field + "'s: a field's"
                    + " value cannot start with a colon. To search :" + v + " on " + field + ", quote the value ("
                    + field + ":\":" + v + "\") or escape the colon (" + field + ":\\:" + v + ")";
        }
        String f = group.isEmpty() ? OpenSearchSearchBackend.DEFAULT_FIELD : group;
        return "q has a colon at position " + position(q, at) + " with no field name before it: a colon belongs right"
                + " after a field's name (" + f + ":" + (value.isEmpty() ? "b" : value) + "), and one that starts a"
                + " clause does not parse. Put the field's name before it, or" + (value.isEmpty()
                ? " escape the colon to search it (\\:)" : ", to search :" + value + " on " + f + ", the "
                + (group.isEmpty() ? "default" : "group's") + " field, quote it (\":" + value + "\") or escape the"
                + " colon (\\:" + value + ")");
    }

    /**
     * The message for the modifier at {@code at} right after the colon of {@code field} ({@code proto:-1},
     * {@code host: !a}): the parser takes a term there, not a modifier.
     */
    private static String modifierAfterColon(String q, int at, String field) {
        char m = q.charAt(at);
        int end = termEnd(q, at + 1, true);
        String value = q.substring(at + 1, Math.max(at + 1, end));
        String v = value.isEmpty() ? "x" : value;
        return "q has '" + m + "' at position " + position(q, at) + " right after " + field + ": a field's value cannot"
                + " start with an operator. To " + (m == '+' ? "require" : "exclude") + " the clause, put the "
                + "operator before the field (" + m + field + ":" + v + "); to search the value " + m + v
                + " itself, quote it (" + field + ":\"" + m + v + "\") or escape the " + (m == '!' ? "'!'" : "sign")
                + " (" + field + ":\\" + m + v + ")";
    }

    /**
     * The message for the colon at {@code at} after {@code value}, the value of {@code field} ({@code a:b:c}: the parser
     * has read the clause a:b, and a colon cannot start the next one). {@code group}: the field of the group it is in
     * ("" for none: the default field), which the text quoted as a whole is searched on.
     */
    private static String secondColon(String q, int at, String field, String value, String group) {
        int end = at;
        while (end < q.length() && q.charAt(end) == ':') { // b:c:d, 2001:db8::1: the value up to its last colon's term
            end = termEnd(q, end + 1, true);
        }
        String whole = value + q.substring(at, end);
        String f = field == null || field.isEmpty() ? OpenSearchSearchBackend.DEFAULT_FIELD : field;
        String g = group.isEmpty() ? OpenSearchSearchBackend.DEFAULT_FIELD : group;
        // srcIp:00:1a:2b:3c:4d:5e, srcIp:(00:1a:2b:3c:4d:5e): quoted, it would fail as "not an IP string literal"
        if (Fields.typeOf(f) == FieldType.IP && isMacAddress(whole)) {
            return "q has the MAC address " + whole + " on " + f + ": " + macOnIpField(whole, f + ":\"" + whole + "\"");
        }
        if (!f.equals(g) && Fields.typeOf(g) == FieldType.IP && isMacAddress(f + ":" + whole)) {
            return "q has the MAC address " + f + ":" + whole + " in the group of " + g + ": "
                    + macOnIpField(f + ":" + whole, g + ":(\"" + f + ":" + whole + "\")");
        }
        if (!f.equals(g) && isMacAddress(f + ":" + whole)) { // 00:1a:2b:3c:4d:5e, uri:(00:1a:2b:3c:4d:5e)
            return macWithoutQuotes(f + ":" + whole, group);
        }
        if (Fields.typeOf(f) == FieldType.IP && whole.chars().allMatch(c -> c == ':' || c == '.' || isHexDigit((char) c))
                && !isIpv6(whole)) {
            // srcIp:12:30, srcIp:2001:db8:1 (hex digits, colons and dots only, no address; a wildcard, a fuzzy or a
            // block keeps the text below): quoted, as the second-colon text would advise, it fails as well
            return "q has " + whole + " on " + f + ", which holds IP addresses only: " + whole + " is no IPv4 or IPv6"
                    + " address (quoted, " + f + ":\"" + whole + "\" fails as 'not an IP string literal'). Write an"
                    + " address (" + f + ":10.0.0.1, " + f + ":2001:db8::1) or a CIDR block (" + f + ":10.0.0.0/8)";
        }
        String op = whole.startsWith(">=") || whole.startsWith("<=") ? whole.substring(0, 2)
                : whole.startsWith(">") || whole.startsWith("<") ? whole.substring(0, 1) : "";
        if (!op.isEmpty() && whole.length() > op.length() && !f.equals(OpenSearchSearchBackend.DEFAULT_FIELD)) {
            // timestamp:>2018-05-09T10:00: quoted after the operator (>"…") the parser reads '>' alone as the value, and
            // quoting it all (">…") searches the text with its '>'; escaped colons or a range's bounds work
            String bound = whole.substring(op.length());
            String range = op.equals(">") ? "{" + bound + " TO *]" : op.equals(">=") ? "[" + bound + " TO *]"
                    : op.equals("<") ? "[* TO " + bound + "}" : "[* TO " + bound + "]";
            return "q has a second colon at position " + position(q, at) + ": Lucene reads " + f + ":" + value + " as"
                    + " the field " + f + " and its value " + value + ", and a colon after the value does not parse. To"
                    + " compare " + f + " with " + bound + ", escape the colons (" + f + ":" + op + bound.replace(":", "\\:")
                    + ") or write a range, whose bounds may have colons (" + f + ":" + range + "); quotes do not work"
                    + " after " + op;
        }
        return "q has a second colon at position " + position(q, at) + ": Lucene reads " + f + ":" + value + " as the"
                + " field " + f + " and its value " + value + ", and a colon after the value does not parse. To search "
                + whole + " on " + f + ", quote the value (" + f + ":\"" + whole + "\") or escape the colon ("
                + f + ":" + whole.replace(":", "\\:") + ")" + (f.equals(g) ? ""
                : "; to search the text " + f + ":" + whole + " on " + g + ", the " + (group.isEmpty() ? "default"
                : "group's") + " field, quote it all (\"" + f + ":" + whole + "\")");
    }

    /**
     * Whether {@code s} is an IP address and a prefix length of one to three digits that no CIDR block has (more than
     * 32 after an IPv4 address, more than 128 after an IPv6 one): {@code 10.0.0.0/33}.
     */
    static boolean isBadBlock(String s) {
        int slash = s.lastIndexOf('/');
        int digits = s.length() - slash - 1;
        if (slash < 1 || digits < 1 || digits > 3 || run(s, slash + 1, false) != s.length()) {
            return false;
        }
        String address = s.substring(0, slash);
        return (isIpv4(address) || isIpv6(address)) && !isCidrBlock(s);
    }

    /**
     * The operator ({@code &&} or {@code ||}) glued in {@code term}: unescaped, in a term longer than the operator, which
     * the lexer reads as one term ({@code 10.0.0.1&&dstPort}, {@code &&dstPort}, {@code a||}); null if none.
     */
    static String gluedOperator(String term) {
        if (term.length() <= 2) {
            return null; // && or || alone: the operator
        }
        for (int k = 0; k + 1 < term.length(); k++) {
            char c = term.charAt(k);
            if (c == '\\') {
                k++;
            } else if ((c == '&' || c == '|') && term.charAt(k + 1) == c) {
                return c == '&' ? "&&" : "||";
            }
        }
        return null;
    }

    /** {@code term} with each unescaped {@code &&} and {@code ||} in it set apart by spaces, as it was meant. */
    private static String spacedOperators(String term) {
        return withOperators(term, false).strip().replaceAll(" {2,}", " ");
    }

    /** {@code term} with each character of its unescaped {@code &&} and {@code ||} escaped ({@code a\&\&b}). */
    private static String escapedOperators(String term) {
        return withOperators(term, true);
    }

    /**
     * {@code term} with each unescaped {@code &&} and {@code ||} in it escaped ({@code \&\&}) or set apart by spaces
     * ({@code " && "}); escaped characters stay as they are.
     */
    private static String withOperators(String term, boolean escape) {
        StringBuilder b = new StringBuilder(term.length() + 4);
        for (int k = 0; k < term.length(); k++) {
            char c = term.charAt(k);
            if (c == '\\' && k + 1 < term.length()) {
                b.append(c).append(term.charAt(++k));
            } else if ((c == '&' || c == '|') && k + 1 < term.length() && term.charAt(k + 1) == c) {
                if (escape) {
                    b.append('\\').append(c).append('\\').append(c);
                } else {
                    b.append(' ').append(c).append(c).append(' ');
                }
                k++;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A term without the comparison OpenSearch's query_string reads at its start ({@code >=}, {@code <=}, {@code >}, {@code <}). */
    private static String withoutComparison(String text) {
        int k = text.startsWith(">=") || text.startsWith("<=") ? 2 : text.startsWith(">") || text.startsWith("<") ? 1 : 0;
        return text.substring(k);
    }

    /**
     * The 400's message when {@code value} on {@code field} is no number and the field is one of the data contract's
     * number fields ({@code dstPort}, {@code bytesIn}, {@code sourceRecord}, …), else null. No number is what
     * OpenSearch cannot read either way it reads a number for such a field: neither as a double (an integer field) nor
     * as a decimal (a long field) — so {@code 1.5}, {@code 1e3} or {@code NaN} are left to it.
     */
    static String notANumber(String field, String value) {
        return notANumber(field, value, false);
    }

    /**
     * As {@link #notANumber(String, String)}; {@code exact}: the value is a term or phrase, which must equal a stored
     * value (not a range bound or a comparison): on these fields, all of them whole numbers in the data contract, a
     * number with a fraction ({@code dstPort:1.5}, also {@code NaN}) matches nothing — OpenSearch answers it with an
     * empty result, not an error (its "has a decimal part" check) — so it is refused too. A range with such bounds
     * ({@code dstPort:[52.5 TO 53.5]}, {@code bytesOut:>1.5}) means the whole numbers inside it and is left to
     * OpenSearch, which rounds the bounds inwards.
     */
    static String notANumber(String field, String value, boolean exact) {
        FieldType type = Fields.typeOf(field);
        if (type != FieldType.INTEGER && type != FieldType.LONG || value.isEmpty()) {
            return null;
        }
        String kind = field + " is " + (type == FieldType.INTEGER ? "an integer" : "a long") + " field: '" + value + "'";
        String search = ". Search a whole number (" + field + ":53) or a range (" + field + ":[1 TO 1023])";
        if (!isNumber(value)) {
            return kind + " is not a number" + search.replace("a whole number", "a number");
        }
        if (exact && hasFraction(value)) {
            return kind + " is not a whole number, so it would match nothing (every " + field + " is one)" + search;
        }
        return null;
    }

    /**
     * Whether {@code field} is an extra column: a name outside the data contract that is no metadata field
     * ({@code _id}), no pattern ({@code dst\*}) and not the default field (""), whose type only the daily indices know
     * ({@link ExtraColumnValues}).
     */
    private static boolean isExtraColumn(String field) {
        return field != null && !field.isEmpty() && field.charAt(0) != '_' && field.indexOf('*') < 0
                && !Fields.isCanonical(field) && !Fields.isProvenance(field);
    }

    /** Whether {@code value} is a decimal number with a non-zero fraction ({@code 1.5}, {@code 2.50}; not {@code 2.0}). */
    private static boolean hasDecimalFraction(String value) {
        if (value.isEmpty() || value.length() > 64 || value.indexOf('.') < 0 && value.indexOf('e') < 0
                && value.indexOf('E') < 0) {
            return false;
        }
        for (int k = 0; k < value.length(); k++) { // no exception for a word or an address (uri:a.b)
            if ("0123456789.eE+-".indexOf(value.charAt(k)) < 0) {
                return false;
            }
        }
        try {
            return new java.math.BigDecimal(value).stripTrailingZeros().scale() > 0;
        } catch (NumberFormatException notADecimal) {
            return false;
        }
    }

    /** A range bound as the parser reads it: a quoted one without its quotes and escaped quotes. */
    private static String rangeBound(String bound) {
        return bound.length() > 1 && bound.charAt(0) == '"' && bound.endsWith("\"")
                ? bound.substring(1, bound.length() - 1).replace("\\\"", "\"") : bound;
    }

    /** Whether OpenSearch reads {@code value} (a number) as one with a decimal part, as its term query checks it. */
    private static boolean hasFraction(String value) {
        try {
            return Double.parseDouble(value) % 1 != 0; // NaN too
        } catch (NumberFormatException onlyADecimal) {
            return new java.math.BigDecimal(value).stripTrailingZeros().scale() > 0;
        }
    }

    private static boolean isNumber(String value) {
        try {
            Double.parseDouble(value);
            return true;
        } catch (NumberFormatException notADouble) {
            try {
                new java.math.BigDecimal(value);
                return true;
            } catch (NumberFormatException notADecimal) {
                return false;
            }
        }
    }

    /**
     * Whether {@code term} could name a field, so that {@code term:"::1"} is worth suggesting: a letter or {@code _}
     * first, then letters, digits, {@code _} and dots — not an address, a number, {@code *} or an operator word.
     */
    private static boolean mayBeAFieldName(String term) {
        if (term.isEmpty() || !(Character.isLetter(term.charAt(0)) || term.charAt(0) == '_')
                || term.equalsIgnoreCase("and") || term.equalsIgnoreCase("or") || term.equalsIgnoreCase("not")) {
            return false;
        }
        for (int i = 1; i < term.length(); i++) {
            char c = term.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code word} is {@code and}, {@code or} or {@code not} ignoring case, but not in upper case. */
    private static boolean isLowerCaseOperator(String word) {
        return (word.equalsIgnoreCase("and") || word.equalsIgnoreCase("or") || word.equalsIgnoreCase("not"))
                && !word.equals("AND") && !word.equals("OR") && !word.equals("NOT");
    }

    /**
     * A wildcard term that starts with {@code *} or {@code ?} ({@code host:*oogle.com}, {@code ?oogle.com}) visits
     * every term of the field: OpenSearch refuses it ({@code allow_leading_wildcard: false}) with Lucene's own words
     * ("'*' or '?' not allowed as first character in WildcardQuery"); the API refuses it first, saying what to write
     * instead, as for a regular expression without a literal start. {@code field:*} alone (has the field) is fine.
     */
    private static void refuseLeadingWildcards(List<String> terms) {
        if (!terms.isEmpty()) {
            String term = terms.get(0);
            throw ApiException.badRequest("bad_query", "the wildcard term " + term + " must start with a literal"
                    + " character: a leading " + term.charAt(0) + " scans every term of the field, like a regular"
                    + " expression without a literal start (e.g. write a trailing wildcard such as goog* or"
                    + " mail.goo?le.com, a regular expression with a literal start such as /g.*oogle\\.com/, or the"
                    + " values themselves: google.com OR mail.google.com)");
        }
    }

    /**
     * The field names of a query that must be looked up in the daily indices: every name the parser reads as a field
     * (escapes removed), once, in order, except the data contract's fields (canonical and provenance: every index has
     * them, from the index template), names starting with {@code _} (metadata fields such as {@code _id},
     * {@code _index} and query_string's {@code _exists_}; the loader writes no name starting with {@code _}) and
     * patterns ({@code *}, {@code src\*}: OpenSearch expands them to the fields that exist, and none is no error). A
     * {@code ?} makes no pattern of a field name (OpenSearch expands {@code *} alone): {@code dst\?ort} is looked up as
     * it is, an unknown field — skipped as a pattern, it answered 0 hits without a word.
     */
    static List<String> fieldsToCheck(List<String> fields) {
        List<String> out = null;
        for (String f : fields) {
            if (f.isEmpty() || Fields.isCanonical(f) || Fields.isProvenance(f) || f.charAt(0) == '_'
                    || f.indexOf('*') >= 0) {
                continue;
            }
            if (out == null) {
                out = new ArrayList<>();
            }
            if (!out.contains(f)) {
                out.add(f);
            }
        }
        return out == null ? List.of() : List.copyOf(out);
    }

    /**
     * Whether a {@code *} or {@code ?} could start a term: one at the start or after a character that is not a letter,
     * a digit, {@code .}, {@code _}, {@code *} or {@code ?} (a term such as {@code goo*} or {@code goo?le} cannot start
     * there), or any one in a query with a boost or a fuzzy slop (the lexer ends those after their digits or term
     * characters: {@code a^2*} and {@code a~x*} are a term and then {@code *}). Only a cheap filter: {@link #read}
     * decides.
     */
    private static boolean mayHaveLeadingWildcard(String q) {
        if (q.indexOf('^') >= 0 || q.indexOf('~') >= 0) {
            return true; // after a boost or a fuzzy slop ("a^2*", "a~x*") a new term starts, whatever the character
        }
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c == '*' || c == '?') {
                if (i == 0) {
                    return true;
                }
                char before = q.charAt(i - 1);
                boolean inTerm = isAsciiLetter(before) || before >= '0' && before <= '9' || before == '.'
                        || before == '_' || before == '*' || before == '?'
                        || before > 0x7f && Character.isLetterOrDigit(before);
                if (!inTerm) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether every colon of the query directly follows a data contract field name that starts the query or follows
     * whitespace or {@code (}, with no backslash anywhere (an escape can make whitespace part of a term). Then every
     * field the parser can read is such a name, and the query uses no field that needs a lookup — the common case,
     * decided without reading the query. A colon elsewhere (in a phrase, an IPv6 address, after {@code *}) only sends
     * the query to {@link #read}, which decides.
     */
    static boolean onlyContractFields(String q) {
        return onlyContractFields(q, false);
    }

    /**
     * As {@link #onlyContractFields(String)}; {@code numbers}: and after the colon of each number field of the data
     * contract, maybe whitespace, then digits up to whitespace, ')' or the end (so no value that is no number:
     * {@link #notANumber}) — folded into this walk over the colons, which has the field's name, for
     * {@link #needsNoReading}. Only a cheap filter: {@link #read} decides.
     */
    private static boolean onlyContractFields(String q, boolean numbers) {
        if (q.indexOf('\\') >= 0) {
            return false;
        }
        for (int colon = q.indexOf(':'); colon >= 0; colon = q.indexOf(':', colon + 1)) {
            int start = colon;
            while (start > 0 && isAsciiLetter(q.charAt(start - 1))) { // contract names are ASCII letters
                start--;
            }
            if (start > 0) {
                char before = q.charAt(start - 1);
                if (!isLuceneWhitespace(before) && before != '(') {
                    return false;
                }
            }
            String name = contractName(q, start, colon);
            if (name == null) {
                return false;
            }
            FieldType type = numbers ? Fields.typeOf(name) : null;
            if (type == FieldType.INTEGER || type == FieldType.LONG) {
                int p = whitespaceEnd(q, colon + 1);
                int end = run(q, p, false);
                if (end == p || end < q.length() && !isLuceneWhitespace(q.charAt(end)) && q.charAt(end) != ')') {
                    return false;
                }
            }
        }
        return true;
    }

    /** The data contract's field names (canonical and provenance), for {@link #contractName}. */
    private static final String[] CONTRACT_NAMES = java.util.stream.Stream.concat(Fields.canonicalFields().stream(),
            Fields.provenanceFields().stream()).toArray(String[]::new);

    /** The contract field name {@code q[start, end)} is, or null (no substring: this runs on every request). */
    private static String contractName(String q, int start, int end) {
        int length = end - start;
        if (length == 0) {
            return null;
        }
        char first = q.charAt(start);
        for (String name : CONTRACT_NAMES) {
            if (name.length() == length && name.charAt(0) == first && q.regionMatches(start, name, 0, length)) {
                return name;
            }
        }
        return null;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /**
     * A regular expression ({@code field:/.../}) must start with a literal character, like a wildcard term: one
     * that starts with an operator ({@code /.*oogle/}, {@code /[a-z]+x/}, {@code /(a|b)c/}) enumerates every term of
     * the field, which {@code allow_leading_wildcard: false} refuses for {@code host:*oogle}; so does one whose
     * literal start is optional or an alternative ({@link #hasLiteralStart}). And no regular
     * expression on a metadata field ({@code _id}: one term per document). The regular expressions and their fields
     * are the ones OpenSearch's parser reads: see {@link #read}.
     */
    private static void refuseScanningRegexps(List<Regexp> regexps) {
        for (Regexp r : regexps) {
            if (r.field() != null && r.field().startsWith("_")) {
                throw ApiException.badRequest("bad_query", "a regular expression on " + r.field() + " is not "
                        + "allowed: it would test every document's " + r.field());
            }
            if (!hasLiteralStart(r.body())) {
                throw ApiException.badRequest("bad_query", "the regular expression /" + r.body() + "/"
                        + " must start with a literal character: one that starts with an operator (or whose first"
                        + " character is optional, a class such as \\w, or one of several alternatives) scans every"
                        + " term of the field, like a leading wildcard (e.g. write /www\\.example.*/ or use a phrase)");
            }
        }
    }

    /** Lucene regular-expression operators: a regular expression starting with one has no literal prefix. */
    private static final String REGEX_OPERATORS = ".?+*|{}[]()\"#@&<>~";
    /** Escapes that are character classes in Lucene's regular expressions, not literals. */
    private static final String CLASS_ESCAPES = "dDsSwW";

    /**
     * Whether every string the regular expression matches starts with a literal character, so that OpenSearch
     * visits only the terms with that start: each top-level alternative ({@code a|b}) starts with a character that is
     * not an operator, or an escaped one that is not a class ({@code \w}, {@code \d}, {@code \s} and their
     * negations), and that character is not made optional by what follows it ({@code ?}, {@code *}, <code>{0,…}</code>,
     * also after another repeat: {@code a+?}). {@code /g?.*oogle/} or {@code /a|.*oogle/} visit every term, as
     * {@code /.*oogle/} does.
     */
    static boolean hasLiteralStart(String body) {
        for (String alternative : topLevelAlternatives(body)) {
            if (alternative.isEmpty()) {
                return false;
            }
            char c = alternative.charAt(0);
            int next;
            if (c == '\\') {
                if (alternative.length() < 2 || CLASS_ESCAPES.indexOf(alternative.charAt(1)) >= 0) {
                    return false;
                }
                next = 1 + Character.charCount(alternative.codePointAt(1));
            } else if (REGEX_OPERATORS.indexOf(c) >= 0) {
                return false;
            } else {
                next = Character.charCount(alternative.codePointAt(0));
            }
            while (next < alternative.length()) { // the repeats applied to that first character
                char q = alternative.charAt(next);
                if (q == '?' || q == '*') {
                    return false;
                }
                if (q == '+') {
                    next++;
                } else if (q == '{') {
                    int digits = run(alternative, next + 1, false);
                    if (digits == next + 1 || Long.parseLong(alternative.substring(next + 1, Math.min(digits, next + 19))) == 0) {
                        return false; // {0...}, or not a repeat Lucene reads
                    }
                    int close = alternative.indexOf('}', digits);
                    if (close < 0) {
                        return false;
                    }
                    next = close + 1;
                } else {
                    break;
                }
            }
        }
        return true;
    }

    /**
     * The regular expression split at its top-level {@code |}: not inside a group, a character class
     * ({@code [a|b]}), a quoted string ({@code "a|b"}) or after a backslash.
     */
    private static List<String> topLevelAlternatives(String body) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int k = 0; k < body.length(); k++) {
            char c = body.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '"') {
                int close = body.indexOf('"', k + 1);
                k = close < 0 ? body.length() : close;
            } else if (c == '[') {
                while (k + 1 < body.length() && body.charAt(k + 1) != ']') {
                    k += body.charAt(k + 1) == '\\' ? 2 : 1;
                }
                k++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == '|' && depth == 0) {
                out.add(body.substring(start, k));
                start = k + 1;
            }
        }
        out.add(body.substring(Math.min(start, body.length())));
        return out;
    }

    /**
     * A regular expression of a query: its field (escapes removed, as the parser removes them; null for the default
     * field) and its text between the slashes.
     */
    record Regexp(String field, String body) {
    }

    /**
     * The query to send, with its CIDR blocks quoted and its stars alone on the default field sent as {@code *:*}, the
     * regular expressions in it, and the deepest nesting of its
     * groups (parentheses in a phrase, a range, a regular expression or after a backslash are no groups), and the
     * number of fuzzy terms (a term, maybe with a boost, then {@code ~}; not a phrase's slop) and of wildcard terms
     * other than plain prefixes ({@link #isWildcardPattern}; not field names), the names read as fields (escapes
     * removed, in order, repeats kept; a group's field too) and the terms that start with an unescaped {@code *} or
     * {@code ?} other than {@code *} alone (not field names); whether a CIDR block was quoted, and whether a star was
     * sent as {@code *:*}; the first term {@code and}, {@code or} or {@code not} in another case than upper case that
     * has no field of its own (a group's field does not count), no colon after it, no backslash in it and no modifier
     * ({@code +}, {@code -}, {@code !}, {@code NOT}) before it, as written, or null; how many IP addresses on the
     * default field were sent as {@code (host:x OR srcIp:x OR dstIp:x)}; and the clauses of the sent query as the
     * reading counts them: each term (not a field name, not an operator), phrase, range and regular expression is one,
     * a bare address sent on the three fields three, as Lucene's parser counts them ({@link #MAX_CLAUSES_WITH_BARE_IPS}
     * weighs them as OpenSearch does); and whether a protocol number on {@code proto} was sent as its name; how many
     * CIDR blocks on the default field were sent as {@code (srcIp:x OR dstIp:x)} (two clauses each in {@code terms});
     * the first unquoted IPv6 address or block on the default field (or in an IP field's group) not guessed at
     * ({@link #refuseUnquotedAddress}), or null; whether an unquoted IPv6 address on an IP field was quoted; the terms
     * and phrases with a fraction and the reversed number ranges on extra columns ({@link ExtraColumnValues}); the
     * names read as fields (escapes removed) that are field name patterns the parser reads as such: a {@code *} in the
     * name, and no {@code *} or {@code ?} unescaped as written — {@code dst\*}, {@code d\st\*} and
     * <code>dst&#92;u002a</code> are each {@code dst*}; {@code dst*} is a wildcard term, and a colon after it does not
     * parse ({@link FieldPatterns#unescaped}); {@code *} alone is every field.
     * {@code bareIps} counts every address sent on the three fields: IPv4 or IPv6, plain, escaped, a phrase or
     * unquoted.
     */
    record Reading(String query, List<Regexp> regexps, int depth, int fuzzyTerms, int wildcardTerms,
                   List<String> fields, List<String> leadingWildcards, boolean cidrsQuoted, boolean starsAsMatchAll,
                   String lowerCaseOperator, int bareIps, int terms, boolean protoNumbersAsNames, int bareBlocks,
                   UnquotedAddress unquotedAddress, boolean ipv6Quoted, String unreadable, String badBlock,
                   String gluedOperator, String notANumber, boolean gluedFieldName, boolean spacesAsOr,
                   List<ExtraColumnValues.Value> extraValues, List<String> fieldPatterns) {
    }

    /**
     * An unquoted IPv6 address or block (as typed) the reading does not guess at, and the term right before it and a
     * space whose field name its first colon would be ({@code a ::1}), or null when its own first group is a word;
     * {@code afterAValue}: that term is itself a field's value ({@code host:a ::1}), so no field is meant;
     * {@code groupField}: the IP field whose group it is in ({@code srcIp:(a ::1)}), null on the default field; with no
     * term before it, the field other than srcIp/dstIp whose group it is a term of ({@code host:(2001:db8::1)}).
     */
    record UnquotedAddress(String address, String termBefore, boolean afterAValue, String groupField) {
    }

    /**
     * Whether a term is a wildcard term other than a plain prefix: an unescaped {@code ?}, or an unescaped {@code *}
     * before its last character ({@code goo*} and {@code *} are a prefix and an exists query).
     */
    static boolean isWildcardPattern(String term) {
        for (int k = 0; k < term.length(); k++) {
            char c = term.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '?' || c == '*' && k < term.length() - 1) {
                return true;
            }
        }
        return false;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = s.indexOf(c); i >= 0; i = s.indexOf(c, i + 1)) {
            n++;
        }
        return n;
    }

    /** {@code query} with its CIDR blocks on IP fields quoted (see the class comment), and nothing else rewritten. */
    static String quoteCidrs(String query) {
        return query.indexOf('/') < 0 ? query : read(query, false).query();
    }

    /** The regular expressions of {@code query} as it is sent (CIDR blocks quoted). */
    static List<Regexp> regexps(String query) {
        return read(query).regexps();
    }

    /**
     * Reads {@code query} with the token rules of Lucene's classic query parser, which OpenSearch's
     * {@code query_string} extends (the oracles of {@code QueryGuardTest}), quoting the CIDR blocks of IP fields
     * (see the class comment) as it goes, and collects the regular expressions: a phrase is {@code "…"} with
     * {@code \} escapes; a regular expression starts at every other {@code /} and is the longest {@code /…/} in which
     * every inner slash is escaped ({@code /a\\/.*x/} is one); a range ({@code [ … ]}, <code>{ … }</code>) has bounds
     * of its own syntax, in which a quote or a slash starts nothing; a field is a term (escapes removed:
     * {@code \_id} is {@code _id}) followed by {@code :}, spaces allowed before and after it (collected in
     * {@link Reading#fields}, unless the term is itself a field's value: {@code a:b:c} does not parse), and a group
     * {@code field:( … )} passes its field to the terms inside that have none of their own (and to nested groups).
     * A query the parser cannot read yields what was read up to there: OpenSearch refuses it anyway.
     */
    static Reading read(String query) {
        return read(query, true);
    }

    /**
     * As {@link #read(String)}; {@code addresses}: whether a bare IP address is sent on host, srcIp and dstIp, a bare
     * CIDR block on srcIp and dstIp, an unquoted IPv6 address on an IP field quoted, and a protocol number on proto as
     * its name ({@link #quoteCidrs} rewrites nothing else).
     */
    private static Reading read(String query, boolean addresses) {
        List<Regexp> out = new ArrayList<>();
        StringBuilder sent = null; // the query with the CIDR blocks quoted so far, once there is one
        int copied = 0; // how much of query is in sent
        Deque<String> groups = new ArrayDeque<>(); // the field of each open group ("" = the default field)
        String field = null; // set by "name:", for the clause's term or group
        String term = null; // the term just read: a field name if ':' follows
        boolean frozen = false; // set after a range bound a quote added later would lengthen: nothing quoted after it
        int depth = 0; // the deepest nesting of groups so far
        int fuzzyTerms = 0;
        boolean afterTerm = false; // the last token was a term (or its boost): a '~' now makes it fuzzy
        int wildcardTerms = 0;
        boolean termIsPattern = false; // the term just read counts as a wildcard term, unless ':' makes it a field
        boolean termIsValue = false; // the term just read is a field's value (name:term): a ':' after it names nothing
        List<String> fields = new ArrayList<>(); // the names read as fields, escapes removed, in order
        List<String> fieldPatterns = new ArrayList<>(0); // those of them that are patterns the parser reads
        List<String> leadingWildcards = new ArrayList<>();
        boolean termStartsWithWildcard = false; // the term just read was added to leadingWildcards
        int star = -1; // where the term just read is a '*' alone on the default field: sent as *:* unless ':' follows
        boolean cidrsQuoted = false;
        boolean ipv6Quoted = false;
        boolean starsAsMatchAll = false;
        String lowerCaseOperator = null; // the first bare and/or/not in another case than upper case
        String operatorWord = null; // the term just read is such a word: it counts unless ':' follows
        boolean modified = false; // the token just read was a modifier (+, -, !, NOT): it applies to the next term
        boolean runTerm = false; // the token just read is a plain term the parser would merge with a plain term after it
        boolean spacesAsOr = false;
        int ipStart = -1; // where the term just read is an address or block on the default field: rewritten unless ':' follows
        int ipEnd = -1;
        boolean ipBlock = false; // that term is a CIDR block (escaped: 10.0.0.0\/8), not an address
        int bareIps = 0;
        int bareBlocks = 0;
        UnquotedAddress unquoted = null; // the first unquoted IPv6 address or block not guessed at
        int terms = 0; // the terms, phrases, ranges and regular expressions read (field names not), a bare address 3
        boolean protoNumbersAsNames = false;
        Deque<Integer> opened = new ArrayDeque<>(); // where each open group's '(' is
        String unreadable = null; // why the parser cannot read q, where the API can say it (the first such thing)
        String badBlock = null; // the first address with a prefix length no block has, on the default field
        String glued = null; // the term just read has && or || glued in it: named unless it is a field name after them
        String gluedTerm = null; // the first term with && or || glued in it that is no such field name
        boolean gluedFieldName = false; // that term is a field name (a&&b:c), not a value
        String nonNumber = null; // the term just read is no number on a number field: refused unless ':' follows
        List<ExtraColumnValues.Value> extraValues = new ArrayList<>(0); // checked against the columns' types later
        ExtraColumnValues.Value fraction = null; // the term just read has a fraction on an extra column: kept unless ':' follows
        String notANumber = null; // the first such refusal
        String operator = null; // the token just read is an operator that needs a clause after it (AND, NOT, -, …)
        int operatorAt = -1;
        boolean clauseStart = true; // at the start of q or of a group: a conjunction here has no clause before it
        int openedAt = -1; // where the '(' just read is
        String valueField = null; // the field of the term just read when it is that field's value (name:term)
        int n = query.length();
        int i = 0;
        tokens:
        while (i < n) {
            char c = query.charAt(i);
            if (isLuceneWhitespace(c)) {
                i++;
                continue;
            }
            boolean runBefore = runTerm; // a plain term right after it is sent with OR before it
            runTerm = false;
            if (star >= 0 && c != ':') { // the next token is no colon: the star is a term, every document
                sent = matchAll(sent, query, copied, star);
                starsAsMatchAll = true;
                copied = star + 1;
                star = -1;
            }
            if (ipStart >= 0 && c != ':') { // the next token is no colon: the address is a term on the default field
                sent = onAddressFields(sent, query, copied, ipStart, ipEnd, ipBlock, false);
                bareIps += ipBlock ? 0 : 1;
                bareBlocks += ipBlock ? 1 : 0;
                terms += ipBlock ? 1 : 2;
                copied = ipEnd;
            }
            ipStart = -1;
            if (operatorWord != null && c != ':') { // the next token is no colon: the word is a term
                lowerCaseOperator = lowerCaseOperator != null ? lowerCaseOperator : operatorWord;
            }
            operatorWord = null;
            // a field name that starts with the operator (&&dstPort:) is the unknown-field check's, whose message says
            // the same; anything else with one glued in it is named here
            if (glued != null && gluedTerm == null
                    && !(c == ':' && !termIsValue && (glued.startsWith("&&") || glued.startsWith("||")))) {
                gluedTerm = glued;
                gluedFieldName = c == ':' && !termIsValue; // a&&b:c: the parser's field name is a&&b
            }
            glued = null;
            if (fraction != null && c != ':') {
                extraValues.add(fraction);
            }
            fraction = null;
            if (nonNumber != null && c != ':') { // the next token is no colon: the term is the field's value
                notANumber = notANumber != null ? notANumber : nonNumber;
            }
            nonNumber = null;
            boolean afterModifier = modified;
            modified = false;
            String operatorBefore = operator; // the operator right before this token, which needs a clause
            int operatorBeforeAt = operatorAt;
            operator = null;
            boolean atClauseStart = clauseStart;
            clauseStart = false;
            // on the default field, where no term is before it (or an operator), an IPv6 address or block starting
            // with this colon (::1, ::/0) is a term, read as one below: the parser reads a colon that names no field
            boolean addressAtColon = c == ':' && addresses && !frozen && (term == null || isOperatorWord(term))
                    && field == null && (groups.isEmpty() || groups.peek().isEmpty()) && unquotedAddressAt(query, i);
            if (c == ':' && !addressAtColon) {
                star = -1; // a field name (*:x): the pattern of every field
                afterTerm = false; // the term was a field name, or the colon names none
                if (term != null && termIsPattern) {
                    wildcardTerms--; // a field name pattern (host*:x), not a wildcard term
                }
                if (term != null && termStartsWithWildcard) {
                    leadingWildcards.remove(leadingWildcards.size() - 1); // a field name (*:x), not a term
                }
                termIsPattern = false;
                termStartsWithWildcard = false;
                if (term == null || isOperatorWord(term)) {
                    // a colon that names no field, which the parser cannot read; where a term of an IP field's group
                    // could start, an IPv6 block starting with it (srcIp:(::/0), srcIp:(a.b.c.d/n OR ::1/128)) is
                    // quoted: then it is that term
                    String current = field != null ? field : groups.isEmpty() ? "" : groups.peek();
                    IpValue value = !frozen && field == null && Fields.typeOf(current) == FieldType.IP
                            ? IpValue.at(query, i, addresses) : null;
                    String named = field; // a:: a colon right after a field's
                    term = null;
                    field = null;
                    if (value != null) {
                        notANumber = notANumber != null || !value.block() ? notANumber
                                : mappedBlock(query.substring(i, value.end()), current);
                        terms++;
                        sent = quoted(sent, query, copied, i, value.end());
                        cidrsQuoted |= value.block();
                        ipv6Quoted |= !value.block();
                        copied = value.end();
                        i = value.end();
                    } else {
                        if (addresses && !frozen && unquoted == null && named == null && !current.isEmpty()
                                && unquotedAddressAt(query, i)) {
                            // host:(::1): an IPv6 address or block as a term of a group whose field is no IP field
                            unquoted = new UnquotedAddress(query.substring(i, unquotedAddressEnd(query, i)), null,
                                    false, current);
                        }
                        unreadable = unreadable != null ? unreadable : colonWithoutField(query, i, named, current);
                        i++;
                    }
                    continue;
                }
                String group = groups.isEmpty() ? "" : groups.peek();
                if (addresses && !frozen && unquoted == null && isLuceneWhitespace(query.charAt(i - 1))
                        && (group.isEmpty() || Fields.typeOf(group) == FieldType.IP)) {
                    // "a ::1", "srcIp:(a ::1)": the parser reads a: (a field), then a colon; meant as a term (on the
                    // default field or the IP field's group) or as a's value?
                    int bare = unquotedAddressEnd(query, i);
                    if (bare >= 0 && addressKind(query.substring(i, bare)) != 0) {
                        unquoted = new UnquotedAddress(query.substring(i, bare), term, termIsValue,
                                group.isEmpty() ? null : group);
                    }
                }
                if (termIsValue && unreadable == null && gluedOperator(term) == null) { // else the glued one's 400
                    // a:b:c: after name:term the parser has read a clause, and a colon cannot start the next one
                    unreadable = secondColon(query, i, valueField, term, group);
                }
                terms--; // a field name, not a term
                field = unescape(term);
                if (!termIsValue) { // after name:term, the parser has read a clause: this colon does not parse
                    fields.add(field);
                    if (field.indexOf('*') >= 0 && !hasWildcard(term)) { // dst\*, d\st\*: the parser's dst*
                        fieldPatterns.add(field);
                    }
                }
                // the parser skips whitespace before and after the colon: "srcIp : 10.0.0.0/8" is "srcIp:10.0.0.0/8"
                int start = whitespaceEnd(query, i + 1);
                // a block reads as a term and a regular expression, an IPv6 address as its first group and then a
                // colon, which never parses: quoted, each is one phrase
                IpValue value = !frozen && Fields.typeOf(field) == FieldType.IP
                        ? IpValue.at(query, start, addresses) : null;
                term = null;
                i++;
                if (value != null) {
                    notANumber = notANumber != null || !value.block() ? notANumber
                            : mappedBlock(query.substring(start, value.end()), field);
                    terms++;
                    sent = quoted(sent, query, copied, start, value.end());
                    cidrsQuoted |= value.block();
                    ipv6Quoted |= !value.block();
                    copied = value.end();
                    field = null;
                    i = value.end();
                }
                continue;
            }
            boolean termBefore = afterTerm;
            afterTerm = false;
            boolean inGroup = field == null; // no field of its own: the group's (or the default field)
            String current = field != null ? field : groups.isEmpty() ? "" : groups.peek();
            term = null;
            // a modifier keeps the field for its term; one followed by whitespace is a term itself (a bare operator)
            boolean modifier = (c == '+' || c == '-' || c == '!') && i + 1 < n && !isLuceneWhitespace(query.charAt(i + 1));
            if (!modifier) {
                field = null;
            }
            switch (c) {
                case '"': {
                    int end = phraseEnd(query, i);
                    if (end < 0) {
                        unreadable = unclosedQuote(query, i);
                        break tokens;
                    }
                    terms++;
                    // "10.0.0.1", "2001:db8::/32" on the default field: the address or block, not a phrase on host
                    String text = unescape(query.substring(i + 1, end));
                    boolean bare = addresses && !frozen && inGroup && current.isEmpty() && !fuzzyAfter(query, end + 1);
                    int kind = bare ? addressKind(text) : 0;
                    if (notANumber == null && (kind == BLOCK || Fields.typeOf(current) == FieldType.IP)) {
                        notANumber = mappedBlock(text, current); // "::ffff:10.0.0.0/104", srcIp:"::ffff:…/104"
                    }
                    if (bare && kind == 0 && badBlock == null && isBadBlock(text)) {
                        badBlock = text;
                    }
                    if (notANumber == null && !fuzzyAfter(query, end + 1)) {
                        notANumber = notANumber(current, text, true);
                    }
                    if (isExtraColumn(current) && hasDecimalFraction(text) && !fuzzyAfter(query, end + 1)) {
                        extraValues.add(new ExtraColumnValues.Value(current, text, null)); // Flow_Duration:"1.5"
                    }
                    if (kind != 0) {
                        sent = onAddressFields(sent, query, copied, i, end + 1, kind == BLOCK, false);
                        bareIps += kind == ADDRESS ? 1 : 0;
                        bareBlocks += kind == BLOCK ? 1 : 0;
                        terms += kind == ADDRESS ? 2 : 1;
                        copied = end + 1;
                    }
                    i = end + 1;
                    break;
                }
                case '/': {
                    int end = regexpEnd(query, i);
                    if (end < 0) {
                        unreadable = unclosedRegexp(query, i);
                        break tokens;
                    }
                    out.add(new Regexp(current.isEmpty() ? null : current, query.substring(i + 1, end)));
                    terms++;
                    i = end + 1;
                    break;
                }
                case '[':
                case '{': {
                    List<String> bounds = new ArrayList<>(3);
                    int end = rangeEnd(query, i + 1, bounds);
                    frozen |= end < 0;
                    terms++;
                    end = end < 0 ? ~end : end;
                    if ("]}".indexOf(query.charAt(end - 1)) < 0) { // the bounds ran to the end of q: no ] or } closes
                        unreadable = unreadable != null ? unreadable : unclosedRange(query, i);
                    }
                    for (String bound : bounds) {
                        if (notANumber == null && bound.equalsIgnoreCase("TO") && !bound.equals("TO")
                                && bounds.size() == 3 && bounds.get(1) == bound && "]}".indexOf(query.charAt(end - 1)) >= 0) {
                            // [1 to 1023]: the range's keyword in lower case (the parser's error, or a bound that is
                            // no number on a number field), said as what it is
                            String named = current == null || current.isEmpty() ? "" : current + ":";
                            notANumber = "the range keyword TO must be upper case: " + named + query.substring(i, end)
                                    + " has '" + bound + "'. Write " + named + query.charAt(i) + bounds.get(0) + " TO "
                                    + bounds.get(2) + query.charAt(end - 1);
                            continue;
                        }
                        if (notANumber == null && !bound.equals("TO") && !bound.equals("*")) {
                            notANumber = notANumber(current, bound.length() > 1 && bound.charAt(0) == '"'
                                    ? bound.substring(1, bound.length() - 1).replace("\\\"", "\"") : bound);
                        }
                    }
                    if (notANumber == null && bounds.size() == 3 && bounds.get(1).equals("TO")
                            && "]}".indexOf(query.charAt(end - 1)) >= 0 && !current.isEmpty()) {
                        // dstPort:[443 TO 80]: 0 hits without an error; on an extra column, if it is a number every day
                        String low = rangeBound(bounds.get(0));
                        String high = rangeBound(bounds.get(2));
                        if (isExtraColumn(current)) {
                            String reversed = ReversedRanges.message(current, FieldType.LONG, query.charAt(i), low, high,
                                    query.charAt(end - 1));
                            if (reversed != null) {
                                extraValues.add(new ExtraColumnValues.Value(current, null, reversed));
                            }
                        } else {
                            notANumber = ReversedRanges.message(current, Fields.typeOf(current), query.charAt(i), low,
                                    high, query.charAt(end - 1));
                        }
                    }
                    i = end;
                    break;
                }
                case '(':
                    clauseStart = true;
                    openedAt = i;
                    groups.push(current);
                    opened.push(i);
                    depth = Math.max(depth, groups.size());
                    i++;
                    break;
                case ')':
                    if (operatorBefore != null && unreadable == null) { // (a AND): the operator has no clause after it
                        unreadable = nothingAfter(query, operatorBefore, operatorBeforeAt, i);
                    }
                    if (!groups.isEmpty()) {
                        groups.pop();
                        opened.pop();
                    } else if (unreadable == null) {
                        unreadable = "q has a ')' at position " + position(query, i) + " that closes no '(': remove"
                                + " it, or add the '(' where its group starts";
                    }
                    i++;
                    break;
                case '^': // a boost: a number, then the usual tokens again ("a^2~" is still a fuzzy term)
                    i = numberEnd(query, i + 1);
                    afterTerm = termBefore;
                    break;
                case '~': // a fuzzy slop: term characters but no wildcards ("~2", "~1.5"); after a phrase, its slop
                    if (termBefore) {
                        fuzzyTerms++;
                    }
                    i = termEnd(query, i + 1, false);
                    break;
                case '+':
                case '-':
                case '!':
                    modified = modifier; // "- " alone is a term (a bare operator), not a modifier
                    terms += modifier ? 0 : 1;
                    if (modifier && unreadable == null && field != null) {
                        // proto:-1, host: -a: after a field's colon the parser takes a term, not a modifier
                        unreadable = modifierAfterColon(query, i, field);
                    } else if (modifier && unreadable == null && operatorBefore != null && !isConjunction(operatorBefore)) {
                        // a AND NOT -b, +-a: the parser takes one modifier before a clause
                        unreadable = twoModifiers(query, operatorBefore, operatorBeforeAt, String.valueOf(c), i);
                    }
                    if (modifier || i + 1 == n) { // a modifier needs a clause after it: "a -" at the end has none
                        operator = String.valueOf(c);
                        operatorAt = i;
                    }
                    i++;
                    break;
                case ']':
                case '}': // no range is open (its bounds were read with it): a lexical error
                    if (unreadable == null) {
                        unreadable = "q has a '" + c + "' at position " + position(query, i) + " that closes no range:"
                                + " remove it, or add the '" + (c == ']' ? '[' : '{') + "' where the range starts (a"
                                + " range is [a TO b] or {a TO b}, e.g. dstPort:[1 TO 1023])";
                    }
                    i++;
                    break;
                default: {
                    if (addresses && !frozen && inGroup && current.isEmpty()) {
                        // an unquoted IPv6 address or a block on the default field (2001:db8::1, ::1, 10.0.0.0/8): the
                        // parser reads a field name and a colon, a colon naming none, or a term and a regexp
                        int bare = unquotedAddressEnd(query, i);
                        int kind = bare >= 0 ? addressKind(query.substring(i, bare)) : 0;
                        if (bare >= 0 && kind == 0 && badBlock == null && isBadBlock(query.substring(i, bare))) {
                            badBlock = query.substring(i, bare); // 10.0.0.0/33: a term and a regular expression
                        }
                        if (kind != 0 && firstGroupIsAWord(query.substring(i, bare))) {
                            unquoted = unquoted != null ? unquoted
                                    : new UnquotedAddress(query.substring(i, bare), null, false, null);
                        } else if (kind != 0) {
                            notANumber = notANumber != null || kind != BLOCK ? notANumber
                                    : mappedBlock(query.substring(i, bare), current);
                            sent = onAddressFields(sent, query, copied, i, bare, kind == BLOCK, true);
                            bareIps += kind == ADDRESS ? 1 : 0;
                            bareBlocks += kind == BLOCK ? 1 : 0;
                            terms += kind == ADDRESS ? 3 : 2;
                            copied = bare;
                            afterTerm = true;
                            i = bare;
                            break;
                        }
                    }
                    if (addresses && !frozen && inGroup && unquoted == null && !current.isEmpty()
                            && Fields.typeOf(current) != FieldType.IP) {
                        // host:(2001:db8::1): the parser reads 2001 as a field name and then a second colon, which
                        // never parses; the address is meant as a term of the group's field
                        int bare = unquotedAddressEnd(query, i);
                        if (bare >= 0 && query.substring(i, bare).indexOf(':') >= 0
                                && addressKind(query.substring(i, bare)) != 0) {
                            unquoted = new UnquotedAddress(query.substring(i, bare), null, false, current);
                        }
                    }
                    boolean ipTerm = !frozen && inGroup && Fields.typeOf(current) == FieldType.IP;
                    int block = ipTerm ? cidrEnd(query, i) : -1;
                    int address = ipTerm && block < 0 && addresses ? ipv6AddressEnd(query, i) : -1;
                    if (block >= 0 || address >= 0) { // a term of an IP field's group: quoted, as after the field's colon
                        notANumber = notANumber != null || block < 0 ? notANumber
                                : mappedBlock(query.substring(i, block), current);
                        int end = Math.max(block, address);
                        terms++;
                        sent = quoted(sent, query, copied, i, end);
                        cidrsQuoted |= block >= 0;
                        ipv6Quoted |= address >= 0;
                        copied = end;
                        i = end;
                        break;
                    }
                    int end = termEnd(query, i, true);
                    term = query.substring(i, end);
                    valueField = inGroup ? null : current;
                    boolean conjunction = isOperatorWord(term) && !term.equals("NOT");
                    if (unreadable == null && (conjunction || term.equals("NOT"))) {
                        if (operatorBefore != null && (conjunction || operatorBefore.equals("NOT"))) {
                            unreadable = noClauseBetween(query, operatorBefore, operatorBeforeAt, term, i);
                        } else if (operatorBefore != null && !isConjunction(operatorBefore)) { // a -NOT b
                            unreadable = twoModifiers(query, operatorBefore, operatorBeforeAt, term, i);
                        } else if (conjunction && atClauseStart) { // AND a, (OR a): no clause before it
                            unreadable = nothingBefore(query, term, i, openedAt);
                        }
                    }
                    if (isOperatorWord(term)) {
                        operator = term;
                        operatorAt = i;
                    }
                    i = end;
                    afterTerm = true;
                    if (!isOperatorWord(term)) {
                        terms++;
                    }
                    termIsValue = !inGroup;
                    termIsPattern = isWildcardPattern(term);
                    if (termIsPattern) {
                        wildcardTerms++;
                    }
                    termStartsWithWildcard = (c == '*' || c == '?') && !term.equals("*");
                    if (termStartsWithWildcard) {
                        leadingWildcards.add(term);
                    }
                    if (inGroup && current.isEmpty() && term.equals("*")) {
                        star = end - 1;
                    }
                    int kind = addresses && inGroup && current.isEmpty() ? addressKind(unescape(term)) : 0;
                    if (addresses && !frozen && inGroup && current.isEmpty() && kind == 0 && badBlock == null
                            && !fuzzyAfter(query, end) && isBadBlock(unescape(term))) {
                        badBlock = unescape(term); // 10.0.0.0\/33
                    }
                    if (kind != 0 && !fuzzyAfter(query, end) && (end == n || query.charAt(end) != '/')) {
                        // 10.0.0.1, 2001\:db8\:\:1, 10.0.0.0\/8 (no quote added); not right before a '/' (10.0.0.1/x/)
                        ipStart = end - term.length();
                        ipEnd = end;
                        ipBlock = kind == BLOCK;
                        notANumber = notANumber != null || !ipBlock ? notANumber : mappedBlock(unescape(term), current);
                    }
                    // a b, host:(a b), dstPort:(53 443): the parser passes a run of plain terms to the field's
                    // analyzer as one text, which no field of the contract splits ("a b" one keyword, "53 443" no
                    // number): OR before each term after the first keeps them separate clauses (class comment)
                    runTerm = inGroup && (runBefore || operatorBefore == null && !afterModifier) && ipStart < 0
                            && !isOperatorWord(term) && !hasWildcard(term); // a plain term that starts or goes on a run
                    if (runTerm && runBefore && addresses && !frozen
                            && (whitespaceEnd(query, end) == n || query.charAt(whitespaceEnd(query, end)) != ':')) {
                        StringBuilder b = sent != null ? sent : new StringBuilder(query.length() + 16);
                        sent = b.append(query, copied, end - term.length()).append("OR ");
                        copied = end - term.length();
                        spacesAsOr = true;
                    }
                    String protocol = addresses && current.equals(Fields.PROTO) ? protocolNameOf(term) : null;
                    if (protocol != null && !fuzzyAfter(query, end)
                            && (whitespaceEnd(query, end) == n || query.charAt(whitespaceEnd(query, end)) != ':')) {
                        // proto:6 as proto:tcp, the keyword the loader stores; not a field name (6:x), not fuzzy
                        StringBuilder b = sent != null ? sent : new StringBuilder(query.length() + 8);
                        sent = b.append(query, copied, end - term.length()).append(protocol);
                        copied = end;
                        protoNumbersAsNames = true;
                    }
                    if (inGroup && !afterModifier && isLowerCaseOperator(term)) {
                        operatorWord = term; // no backslash in it: an escaped word is no such term
                    }
                    glued = gluedOperator(term) != null ? term : null;
                    if (term.indexOf('*') < 0 && term.indexOf('?') < 0 && !isOperatorWord(term) && !fuzzyAfter(query, end)) {
                        String value = unescape(term);
                        String compared = withoutComparison(value);
                        nonNumber = notANumber(current, compared, compared.length() == value.length());
                        if (compared.length() == value.length() && isExtraColumn(current) && hasDecimalFraction(value)) {
                            fraction = new ExtraColumnValues.Value(current, value, null); // Flow_Duration:1.5
                        }
                    }
                    modified = term.equals("NOT");
                }
            }
        }
        if (operatorWord != null) {
            lowerCaseOperator = lowerCaseOperator != null ? lowerCaseOperator : operatorWord;
        }
        gluedTerm = gluedTerm != null ? gluedTerm : glued;
        notANumber = notANumber != null ? notANumber : nonNumber;
        if (fraction != null) {
            extraValues.add(fraction);
        }
        if (unreadable == null && operator != null) { // a AND: the last operator has no clause after it
            unreadable = nothingAfter(query, operator, operatorAt, -1);
        }
        if (unreadable == null && !opened.isEmpty()) {
            unreadable = unclosedGroups(query, opened);
        }
        if (ipStart >= 0) {
            sent = onAddressFields(sent, query, copied, ipStart, ipEnd, ipBlock, false);
            bareIps += ipBlock ? 0 : 1;
            bareBlocks += ipBlock ? 1 : 0;
            terms += ipBlock ? 1 : 2;
            copied = ipEnd;
        }
        if (star >= 0) {
            sent = matchAll(sent, query, copied, star);
            starsAsMatchAll = true;
            copied = star + 1;
        }
        return new Reading(sent == null ? query : sent.append(query, copied, n).toString(), out, depth,
                fuzzyTerms, wildcardTerms, fields, leadingWildcards, cidrsQuoted, starsAsMatchAll, lowerCaseOperator,
                bareIps, terms, protoNumbersAsNames, bareBlocks, unquoted, ipv6Quoted, unreadable, badBlock, gluedTerm,
                notANumber, gluedFieldName, spacesAsOr, extraValues, fieldPatterns);
    }

    /** {@code sent} (created if null) and {@code query} from {@code copied}, the {@code *} at {@code star} as {@code *:*}. */
    private static StringBuilder matchAll(StringBuilder sent, String query, int copied, int star) {
        StringBuilder b = sent != null ? sent : new StringBuilder(query.length() + 8);
        return b.append(query, copied, star).append("*:*");
    }

    /**
     * {@code sent} (created if null) and {@code query} from {@code copied}, the address {@code [start, end)} as
     * {@code (host:x OR srcIp:x OR dstIp:x)}, a {@code block} as {@code (srcIp:x OR dstIp:x)} (a block matches no
     * keyword host): {@code x} as typed (a plain or escaped term, a phrase with its quotes), or in quotes
     * ({@code quote}: an unquoted IPv6 address or block, whose colons and slash the parser would read otherwise).
     */
    private static StringBuilder onAddressFields(StringBuilder sent, String query, int copied, int start, int end,
                                                 boolean block, boolean quote) {
        StringBuilder b = sent != null ? sent : new StringBuilder(query.length() + 64);
        String ip = quote ? '"' + query.substring(start, end) + '"' : query.substring(start, end);
        b.append(query, copied, start).append('(');
        if (!block) {
            b.append("host:").append(ip).append(" OR ");
        }
        return b.append("srcIp:").append(ip).append(" OR dstIp:").append(ip).append(')');
    }

    /**
     * Whether a fuzzy slop follows the term ending at {@code end}, maybe after a boost ({@code a~}, {@code a^2~},
     * {@code a ~}: the parser reads each as a fuzzy term, which a group cannot be).
     */
    private static boolean fuzzyAfter(String query, int end) {
        int p = whitespaceEnd(query, end); // the parser skips whitespace between a term and its ~ or ^ ("a ~")
        if (p < query.length() && query.charAt(p) == '^') {
            p = whitespaceEnd(query, numberEnd(query, whitespaceEnd(query, p + 1)));
        }
        return p < query.length() && query.charAt(p) == '~';
    }

    /**
     * An unquoted value on an IP field that the reading sends quoted: a CIDR block, or (when {@code addresses}) an
     * IPv6 address, ending at {@code end}.
     */
    private record IpValue(int end, boolean block) {

        /** The block or IPv6 address starting at {@code start}, or null. */
        static IpValue at(String query, int start, boolean addresses) {
            int block = cidrEnd(query, start);
            if (block >= 0) {
                return new IpValue(block, true);
            }
            int address = addresses ? ipv6AddressEnd(query, start) : -1;
            return address >= 0 ? new IpValue(address, false) : null;
        }
    }

    /** {@code sent} (created if null) and {@code query} from {@code copied}, the block {@code [start, end)} quoted. */
    private static StringBuilder quoted(StringBuilder sent, String query, int copied, int start, int end) {
        StringBuilder b = sent != null ? sent : new StringBuilder(query.length() + 8);
        return b.append(query, copied, start).append('"').append(query, start, end).append('"');
    }

    /**
     * Whether {@code term} has an unescaped {@code *} or {@code ?}: the lexer reads it as a prefix or wildcard term, not
     * as a plain term the parser merges with the plain terms around it.
     */
    static boolean hasWildcard(String term) {
        for (int k = 0; k < term.length(); k++) {
            char c = term.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '*' || c == '?') {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code op} is AND, OR, {@code &&} or {@code ||}: an operator between two clauses. */
    private static boolean isConjunction(String op) {
        return op.equals("OR") || op.equals("AND") || op.equals("||") || op.equals("&&");
    }

    /**
     * Whether a term is one the lexer reads as an operator ({@code AND}, {@code OR}, {@code NOT}, {@code &&},
     * {@code ||}): a colon after it names no field.
     */
    private static boolean isOperatorWord(String term) {
        return term.equals("OR") || term.equals("AND") || term.equals("NOT") || term.equals("||") || term.equals("&&");
    }

    /** The parser's whitespace between tokens. */
    private static boolean isLuceneWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u3000';
    }

    /** Where the parser's whitespace starting at {@code p} ends. */
    private static int whitespaceEnd(String s, int p) {
        while (p < s.length() && isLuceneWhitespace(s.charAt(p))) {
            p++;
        }
        return p;
    }

    /** The end of the term starting at {@code p}: term characters and {@code \}-escaped ones and maybe wildcards. */
    private static int termEnd(String s, int p, boolean wildcards) {
        int n = s.length();
        while (p < n) {
            char c = s.charAt(p);
            if (c == '\\') {
                p += 2;
            } else if (isLuceneWhitespace(c) || "\"/[]{}():^~!".indexOf(c) >= 0 || !wildcards && (c == '*' || c == '?')) {
                break;
            } else {
                p++;
            }
        }
        return Math.min(p, n);
    }

    /** The end of the boost's number ({@code 2}, {@code 1.5}) starting at {@code p}. */
    private static int numberEnd(String s, int p) {
        int end = run(s, p, false);
        if (end > p && end + 1 < s.length() && s.charAt(end) == '.' && run(s, end + 1, false) > end + 1) {
            end = run(s, end + 1, false);
        }
        return end;
    }

    /** The closing quote of the phrase opening at {@code p}, or -1. */
    private static int phraseEnd(String s, int p) {
        for (int k = p + 1; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '"') {
                return k;
            }
        }
        return -1;
    }

    /**
     * The closing slash of the regular expression opening at {@code p}, or -1: the lexer's longest match of
     * {@code "/" (~["/"] | "\\/")* "/"} — the first slash not preceded by a backslash, else the last slash.
     */
    private static int regexpEnd(String s, int p) {
        int last = -1;
        for (int k = p + 1; k < s.length(); k++) {
            if (s.charAt(k) == '/') {
                if (s.charAt(k - 1) != '\\') {
                    return k;
                }
                last = k;
            }
        }
        return last;
    }

    /**
     * Where the range whose bounds start at {@code p} ends (after its {@code ]} or <code>}</code>). Its tokens are
     * {@code TO}, quoted bounds ({@code "…"}, where only {@code \"} is escaped) and anything else up to a space,
     * {@code ]} or <code>}</code>; the longest wins. The complement ({@code ~end}) if a bound opens with a quote that
     * no quote without a backslash before it closes ({@code [a TO "b]}, {@code [a TO "b\"]}): a quote added later in
     * the query would make that bound longer (up to the added quote), so the query would no longer read as before.
     */
    private static int rangeEnd(String s, int p, List<String> bounds) {
        int n = s.length();
        boolean open = false;
        while (p < n) {
            char c = s.charAt(p);
            if (c == ']' || c == '}') {
                return open ? ~(p + 1) : p + 1;
            }
            if (c == ' ') {
                p++;
                continue;
            }
            int end = p;
            while (end < n && s.charAt(end) != ' ' && s.charAt(end) != ']' && s.charAt(end) != '}') {
                end++;
            }
            if (c == '"') {
                end = Math.max(end, rangeQuotedEnd(s, p));
                open |= !closedQuote(s, p);
            }
            bounds.add(s.substring(p, end));
            p = end;
        }
        return open ? ~n : n;
    }

    /** Whether a quote without a backslash before it follows the one at {@code p} (also right after it). */
    private static boolean closedQuote(String s, int p) {
        for (int k = p + 1; k < s.length(); k++) {
            if (s.charAt(k) == '"' && (s.charAt(k - 1) != '\\' || k - 1 == p)) {
                return true;
            }
        }
        return false;
    }

    /** After the longest quoted bound at {@code p} (a quote, characters or escaped quotes, a quote), or -1. */
    private static int rangeQuotedEnd(String s, int p) {
        int last = -1;
        for (int k = p + 1; k < s.length(); k++) {
            if (s.charAt(k) == '"') {
                if (k >= p + 2) {
                    last = k;
                }
                if (s.charAt(k - 1) != '\\' || k - 1 == p) {
                    break;
                }
            }
        }
        return last < 0 ? -1 : last + 1;
    }

    /**
     * A term without its escapes, as the parser reads a field name ({@code discardEscapeChar}): a backslash and
     * {@code x} is {@code x}, and a backslash, {@code u} and four hex digits is the UTF-16 unit they name, so
     * <code>&#92;u005fid</code> is {@code _id}. (A malformed unicode escape fails the parse; whatever this returns for
     * it then does not matter.)
     */
    private static String unescape(String term) {
        if (term.indexOf('\\') < 0) {
            return term;
        }
        StringBuilder b = new StringBuilder(term.length());
        for (int k = 0; k < term.length(); k++) {
            char c = term.charAt(k);
            if (c == '\\' && k + 1 < term.length()) {
                c = term.charAt(++k);
                if (c == 'u' && k + 4 < term.length()) {
                    int unit = 0;
                    for (int h = 1; h <= 4; h++) {
                        unit = unit * 16 + Math.max(0, Character.digit(term.charAt(k + h), 16));
                    }
                    c = (char) unit;
                    k += 4;
                }
            }
            b.append(c);
        }
        return b.toString();
    }

    /**
     * Where the CIDR block starting at {@code p} ends (followed by the end, a space or ')', maybe after a boost such as
     * {@code ^2}, which stays outside the quotes), or -1. A scan written out rather than a regex matcher: in Lambda's
     * C1-only JIT the matcher cost a CIDR query 10-25 µs per request in the api benchmark, as much as the rest of the
     * parameter parsing together.
     */
    private static int cidrEnd(String s, int p) {
        int end = ipv4CidrEnd(s, p);
        return end >= 0 ? end : ipv6CidrEnd(s, p);
    }

    /** {@code (?:\d{1,3}\.){3}\d{1,3}/\d{1,2}} and the terminator. */
    private static int ipv4CidrEnd(String s, int p) {
        int slash = ipv4End(s, p);
        return slash >= 0 ? prefixLengthEnd(s, slash + 1, 2) : -1;
    }

    /** {@code (?:\d{1,3}\.){3}\d{1,3}} at {@code p} followed by '/': where the '/' is, or -1. */
    private static int ipv4End(String s, int p) {
        for (int group = 0; group < 4; group++) {
            int q = run(s, p, false);
            if (q - p < 1 || q - p > 3 || q >= s.length() || s.charAt(q) != (group < 3 ? '.' : '/')) {
                return -1;
            }
            p = q + 1;
        }
        return p - 1;
    }

    /**
     * {@code [0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/\d{1,3}}, or one whose last two groups are an IPv4
     * address ({@code ::ffff:10.0.0.0/104}):
     * {@code [0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){1,5}:(?:\d{1,3}\.){3}\d{1,3}/\d{1,3}}, and the terminator.
     */
    private static int ipv6CidrEnd(String s, int p) {
        int groups = -1; // the first run has no colon before it
        while (true) {
            int q = run(s, p, true);
            if (q - p > 4 || q >= s.length()) {
                return -1;
            }
            groups++;
            char c = s.charAt(q);
            if (c == '/') {
                return groups >= 2 && groups <= 7 ? prefixLengthEnd(s, q + 1, 3) : -1;
            }
            if (c == '.') { // the run is the IPv4 address's first number
                int slash = groups >= 2 && groups <= 6 ? ipv4End(s, p) : -1;
                return slash >= 0 ? prefixLengthEnd(s, slash + 1, 3) : -1;
            }
            if (c != ':') {
                return -1;
            }
            p = q + 1;
        }
    }

    /**
     * One to {@code maxDigits} digits at {@code p}, maybe a boost ({@code ^} and the parser's number: {@code ^2},
     * {@code ^1.5}), then the end, whitespace, ')' or a glued {@code &&}/{@code ||} ({@link #gluedOperatorAt}); the
     * digits' end, or -1.
     */
    private static int prefixLengthEnd(String s, int p, int maxDigits) {
        int end = run(s, p, false);
        if (end - p < 1 || end - p > maxDigits) {
            return -1;
        }
        int q = end;
        if (q < s.length() && s.charAt(q) == '^') {
            q = numberEnd(s, q + 1);
            if (q == end + 1) {
                return -1; // no number after the '^'
            }
        }
        if (q == s.length()) {
            return end;
        }
        char c = s.charAt(q);
        if (gluedOperatorAt(s, q)) {
            return end; // 10.0.0.0/8&&dstPort:53: quoted, '&&dstPort' is the field name the unknown-field check names
        }
        boolean lineEndAtTheEnd = q == s.length() - 1 && (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028'
                || c == '\u2029') || q == s.length() - 2 && c == '\r' && s.charAt(q + 1) == '\n'; // '$' matches there
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == ')' || lineEndAtTheEnd
                ? end : -1;
    }

    /** The end of the run of digits (or hex digits) at {@code p}. */
    private static int run(String s, int p, boolean hex) {
        while (p < s.length()) {
            char c = s.charAt(p);
            if (!(hex ? isHexDigit(c) : c >= '0' && c <= '9')) {
                break;
            }
            p++;
        }
        return p;
    }
}
