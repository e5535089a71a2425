package dev.netmeta.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.model.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an OpenSearch error body into one sentence a researcher can act on.
 *
 * <p>A bad query comes back as {@code search_phase_execution_exception: all shards failed}, whose useful part
 * sits in {@code failed_shards[].reason.caused_by...}: e.g. {@code Cannot parse 'srcIp:(': Encountered "<EOF>"
 * at line 1, column 7}. This class follows that chain, keeps the first and the deepest reason, drops Java class
 * names, internal index UUIDs and the long "Was expecting one of" lists.
 */
final class OpenSearchErrors {

    static final int MAX_MESSAGE = 500;
    private static final Pattern JAVA_CLASS_PREFIX = Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error):\\s*");
    private static final Pattern FAILED_TO_CREATE = Pattern.compile("^failed to create query:\\s*");
    /** OpenSearch's "X: [X]" (a reason followed by its cause's identical message in brackets). */
    private static final Pattern SELF_QUOTED = Pattern.compile("(.+): \\[\\1]", Pattern.DOTALL);
    private static final Pattern NOT_A_NUMBER = Pattern.compile("For input string: \"([^\"]*)\"");
    private static final Pattern UUID = Pattern.compile("\\s*\\[(?:_na_|[A-Za-z0-9_-]{22})]");
    /** A value OpenSearch prints as the hex bytes of its UTF-8 form: {@code Value [[39 39 39]] is out of range}. */
    private static final Pattern HEX_BYTES = Pattern.compile("\\[\\[([0-9a-f]{2}(?: [0-9a-f]{2})*)]]");
    /** The query parser's lexical error names a character by its code: {@code Encountered: '45' (45)}. */
    private static final Pattern CHAR_CODE = Pattern.compile("'(\\d{1,5})' \\(\\1\\)");

    /**
     * A wildcard, prefix or fuzzy term on a field that is no text: "Can only use prefix queries on keyword and text
     * fields - not on [srcIp] which is of type [ip]" (the list of field types differs between versions). A regular
     * expression there is no error in OpenSearch, it matches nothing: {@link NonTextPatterns} refuses it before.
     */
    static final Pattern PATTERN_ON_NON_TEXT = Pattern.compile(
            "Can only use \\w+ queries on [^\\[]*fields - not on \\[([^\\]]+)] which is of type \\[(\\w+)]");

    /** OpenSearch's refusal of a value on an ip field: {@code '00:1a:2b:3c:4d:5e' is not an IP string literal}. */
    private static final Pattern NOT_AN_IP = Pattern.compile("'([^']*)' is not an IP string literal");

    /** How much of a long query a reason quotes keeps ({@link #shortenQuotedQuery}). */
    static final int QUOTED_QUERY_CHARS = 80;
    private static final Pattern FAILED_TO_PARSE = Pattern.compile("(Failed to parse query \\[)(.*)(])", Pattern.DOTALL);
    private static final String CANNOT_PARSE = "Cannot parse '";
    private static final Pattern LONG_QUOTED_VALUE = Pattern.compile("'([^']{" + (QUOTED_QUERY_CHARS + 1) + ",})'");
    private static final Pattern LONG_BRACKETED_VALUE = Pattern.compile("\\[([^\\]]{" + (QUOTED_QUERY_CHARS + 1)
            + ",})]");
    /** Lucene's limit on the clauses of one boolean query ({@code indices.query.bool.max_clause_count}). */
    private static final Pattern MAX_CLAUSES = Pattern.compile("maxClauseCount is set to (\\d+)");
    /**
     * The same limit counted over the whole query when it is searched (Lucene's {@code IndexSearcher}, every nested
     * clause): an HTTP 500 of type {@code too_many_nested_clauses}, for a query whose groups each pass the parser.
     */
    private static final Pattern MAX_NESTED_CLAUSES = Pattern.compile(
            "Query contains too many nested clauses; maxClauseCount is set to (\\d+)");

    private OpenSearchErrors() {
    }

    /** @param error the {@code error} object of an OpenSearch error response */
    static String readable(JsonNode error) {
        if (error == null || error.isMissingNode() || error.isNull()) {
            return "the search engine rejected the query";
        }
        JsonNode start = error;
        JsonNode failedShards = error.path("failed_shards");
        if (failedShards.isArray() && failedShards.size() > 0 && failedShards.get(0).path("reason").isObject()) {
            start = failedShards.get(0).path("reason");
        } else if (error.path("root_cause").isArray() && error.path("root_cause").size() > 0
                && error.path("caused_by").isMissingNode()) {
            start = error.path("root_cause").get(0);
        }
        List<String> reasons = new ArrayList<>();
        for (JsonNode n = start; n != null && n.isObject(); n = n.get("caused_by")) {
            String reason = clean(n.path("reason").asText(""));
            if (!reason.isEmpty() && !reasons.contains(reason)) {
                reasons.add(reason);
            }
        }
        if (reasons.isEmpty()) {
            return "the search engine rejected the query (" + error.path("type").asText("unknown error") + ")";
        }
        String first = reasons.get(0);
        String detail = reasons.get(reasons.size() - 1);
        for (int i = reasons.size() - 2; i > 0; i--) {
            if (reasons.get(i).contains(detail)) {
                detail = reasons.get(i);
            }
        }
        String message = first.contains(detail) ? first : detail.contains(first) ? detail : first + ": " + detail;
        if (message.length() > MAX_MESSAGE) {
            // "Failed to parse query [<q>]: …" with a long q: cut the quoted q, not the cause after it (error path only)
            String f = shortenQuotedQuery(first);
            String d = shortenQuotedQuery(detail);
            message = f.contains(d) ? f : d.contains(f) ? d : f + ": " + d;
        }
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 3) + "...";
    }

    /**
     * {@code reason} with the query it quotes ({@code Failed to parse query [<q>]}, {@code Cannot parse '<q>': …}), or
     * else each value it quotes ({@code '<value>' is not a number}), cut
     * to its first {@value #QUOTED_QUERY_CHARS} characters when longer: OpenSearch quotes the whole q, and a q of
     * 4,096 characters pushed the cause ("too many boolean clauses") out of the message's 500.
     */
    static String shortenQuotedQuery(String reason) {
        Matcher failed = FAILED_TO_PARSE.matcher(reason);
        if (failed.matches()) {
            return failed.group(1) + shortened(failed.group(2)) + failed.group(3);
        }
        int end = reason.lastIndexOf("': ");
        if (reason.startsWith(CANNOT_PARSE) && end > CANNOT_PARSE.length()) {
            return CANNOT_PARSE + shortened(reason.substring(CANNOT_PARSE.length(), end)) + reason.substring(end);
        }
        // a long value quoted before what is wrong with it: '<4,000 digits>' is not an IP string literal
        // or in brackets: failed to parse date field [<4,000 characters>] with format […]
        String r = LONG_QUOTED_VALUE.matcher(reason).replaceAll(m -> Matcher.quoteReplacement("'"
                + shortened(m.group(1)) + "'"));
        return LONG_BRACKETED_VALUE.matcher(r).replaceAll(m -> Matcher.quoteReplacement("["
                + shortened(m.group(1)) + "]"));
    }

    /** {@code q} as a refusal quotes it once cut: its first {@value #QUOTED_QUERY_CHARS} characters and its length. */
    static String shortened(String q) {
        return q.length() <= QUOTED_QUERY_CHARS ? q : q.substring(0, QUOTED_QUERY_CHARS) + "… (" + q.length()
                + " characters)";
    }

    static String clean(String reason) {
        String r = reason;
        int expecting = r.indexOf("Was expecting");
        if (expecting >= 0) {
            r = r.substring(0, expecting);
        }
        r = JAVA_CLASS_PREFIX.matcher(r.strip()).replaceFirst("");
        r = FAILED_TO_CREATE.matcher(r).replaceFirst("");
        java.util.regex.Matcher selfQuoted = SELF_QUOTED.matcher(r);
        if (selfQuoted.matches()) {
            r = selfQuoted.group(1);
        }
        r = NOT_A_NUMBER.matcher(r).replaceAll("'$1' is not a number");
        r = UUID.matcher(r).replaceAll(" ");
        r = HEX_BYTES.matcher(r).replaceAll(m -> java.util.regex.Matcher.quoteReplacement("'" + fromHex(m.group(1)) + "'"));
        r = CHAR_CODE.matcher(r).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                "'" + new String(Character.toChars(Integer.parseInt(m.group(1)))) + "'"));
        if (r.equals("multiple points")) { // Java's number parser, on a dotted value compared with a number field
            r = "a value with several dots was compared with a number field (a pattern such as *: searches number"
                    + " fields too): name the field, e.g. srcIp:\"10.0.0.1\"";
        }
        r = r.replaceAll("\\s+", " ").strip();
        if (r.endsWith(".") || r.endsWith(",")) {
            r = r.substring(0, r.length() - 1);
        }
        Matcher clauses = MAX_CLAUSES.matcher(r);
        if (clauses.matches()) { // a list of more values than one boolean query of the engine takes
            r = "q has more clauses than the search engine takes in one query (at most " + clauses.group(1) + ": each"
                    + " term, phrase and range counts, also in a group). Search fewer values at once, or a CIDR block"
                    + " (srcIp:10.0.0.0/24) or a range (dstPort:[1 TO 1023]) instead of a list of values";
        }
        Matcher nested = MAX_NESTED_CLAUSES.matcher(r);
        if (nested.matches()) { // 513 addresses on srcIp: each term on an IP field is two of the engine's clauses
            r = "q has more clauses than the search engine takes in one search (at most " + nested.group(1) + ", counted"
                    + " over the whole query: each term, phrase and range is one, a term or CIDR block on srcIp or dstIp"
                    + " two, so about 500 addresses on srcIp are too many). Search fewer values at once, or a CIDR block"
                    + " (srcIp:10.0.0.0/24, srcIp:\"2001:db8::/120\") or a range (dstPort:[1 TO 1023]) instead of a list"
                    + " of values";
        }
        Matcher onNonText = PATTERN_ON_NON_TEXT.matcher(r);
        if (onNonText.matches()) {
            r = patternOnNonTextField(onNonText.group(1), onNonText.group(2), r);
        }
        Matcher notAnIp = NOT_AN_IP.matcher(r);
        if (notAnIp.find() && QueryGuard.isMacAddress(notAnIp.group(1))) { // srcIp:"00:1a:2b:3c:4d:5e"
            r = r + ": " + QueryGuard.macOnIpField(notAnIp.group(1), null);
        }
        return r;
    }

    /**
     * Whether {@code error} (the {@code error} object of an answer, may be null) is Lucene's clause limit counted over
     * the whole query ({@code too_many_nested_clauses}), which OpenSearch answers with an HTTP 500 although the query is
     * at fault.
     */
    static boolean tooManyNestedClauses(JsonNode error) {
        if (error == null) {
            return false;
        }
        for (JsonNode n = error.path("root_cause").path(0); n.isObject(); n = n.path("caused_by")) {
            if (n.path("type").asText().equals("too_many_nested_clauses")) {
                return true;
            }
        }
        for (JsonNode n = error; n.isObject(); n = n.path("caused_by")) {
            if (n.path("type").asText().equals("too_many_nested_clauses")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code reason} ("Can only use prefix queries … not on [f] which is of type [t]") with what to write instead
     * ({@link NonTextPatterns#refusal}): a CIDR block for {@code srcIp:10.0.0.*}, a range for {@code dstPort:44*},
     * {@code timestamp:2018-05-09*} or an extra column that is a number ({@code status:4*}: long, double, any number
     * type) or a date — the engine's words say only what is not allowed. A field of the data contract gets the advice
     * only when {@code t} is its contract type (every daily index has it; an index made by hand keeps the engine's
     * words); an extra column gets it for the type the engine names (one whose type differs between days then gets
     * {@code SearchService.withMixedTypes}' answer, which quotes the engine's words).
     */
    private static String patternOnNonTextField(String f, String engineType, String reason) {
        String contractType = NonTextPatterns.contractType(f);
        boolean contract = Fields.isCanonical(f) || Fields.isProvenance(f);
        boolean advised = !contract || contractType != null && (engineType.equals(contractType)
                || contractType.equals("date") && engineType.startsWith("date"));
        String refusal = advised ? NonTextPatterns.refusal(f, Set.of(engineType), reason) : null;
        return refusal != null ? refusal : reason;
    }

    private static String fromHex(String bytes) {
        String[] pairs = bytes.split(" ");
        byte[] raw = new byte[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            raw[i] = (byte) Integer.parseInt(pairs[i], 16);
        }
        return new String(raw, java.nio.charset.StandardCharsets.UTF_8);
    }
}
