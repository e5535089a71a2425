package dev.netmeta.api;

import dev.netmeta.model.FieldType;
import dev.netmeta.model.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A wildcard, regular-expression or fuzzy term on a field that is no text — an IP, number or date field — and what to
 * search instead: a CIDR block or a range. One message for the places that find such a term:
 * <ul>
 * <li>OpenSearch refuses a wildcard, prefix or fuzzy term there ("Can only use prefix queries on keyword and text fields
 * - not on [dstPort] which is of type [integer]"), which {@link OpenSearchErrors} makes this message;</li>
 * <li>a regular expression there is no error in OpenSearch 2.19 but matches nothing, silently: its
 * {@code QueryStringQueryParser.getRegexpQuerySingle} hands the term to Lucene's {@code QueryParserBase.getRegexpQuery},
 * which builds a plain {@code RegexpQuery} on the field's indexed terms without asking the field's type (its wildcard,
 * prefix and fuzzy terms go through the field type, which refuses them; {@code lenient}, off in every request, only
 * decides what happens to such a refusal). An IP, number or date field indexes points, no terms, so the query finds no
 * document — a researcher reads "0 hits" as "no such traffic". The guard refuses it on the contract's typed fields
 * ({@link #refuseRegexpsOnContractFields}, no request: their type is the same in every daily index), the search on an
 * extra column whose type the unknown-field check's {@code _field_caps} answer already holds
 * ({@link #refuseRegexpsOnExtraColumns}, no request of its own), and one on a field name pattern that matches only such
 * fields ({@link #refuseRegexpsOnFieldPatterns}: no request when the pattern matches a keyword field of the contract,
 * else one {@code _field_caps} for all such patterns of the query, each answer cached).</li>
 * </ul>
 */
final class NonTextPatterns {

    /** Mapping types of numbers. */
    static final Set<String> NUMBER_TYPES = Set.of("long", "integer", "short", "byte", "unsigned_long", "double",
            "float", "half_float", "scaled_float");

    /** Mapping types of numbers with a fraction. */
    static final Set<String> DECIMAL_TYPES = Set.of("double", "float", "half_float", "scaled_float");

    /**
     * Values to show in a message about a number field of {@code types}, fitting them: a value, and a range's low and
     * high bound — {@code 0.5} and {@code [0.1 TO 0.5]} when every type holds fractions (a {@code double} column: CSV
     * durations, Zeek's {@code rtt}), {@code [1 TO 100]} when one is a {@code byte} (1023 is out of its range, a 400 of
     * its own), else {@code 5} and {@code [1 TO 1023]} as for the contract's number fields.
     */
    record NumberExamples(String value, String low, String high) {

        static NumberExamples of(Set<String> types) {
            if (!types.isEmpty() && DECIMAL_TYPES.containsAll(types)) {
                return new NumberExamples("0.5", "0.1", "0.5");
            }
            return types.contains("byte") ? new NumberExamples("5", "1", "100") : new NumberExamples("5", "1", "1023");
        }

        /** {@code field:[low TO high]}. */
        String range(String field) {
            return field + ":[" + low + " TO " + high + "]";
        }
    }

    private NonTextPatterns() {
    }

    /**
     * The message for a pattern term on {@code field}, whose mapping types in the daily indices are {@code types}, with
     * {@code why} in parentheses (the engine's words, or why a regular expression is refused), or null when some type is
     * no IP, number or date (a keyword day matches such a term) or the types are of different kinds. One type is named as
     * it is ("an integer field", "a double field"), several number types as "a number field"; {@code date} and
     * {@code date_nanos} are "a date field".
     */
    static String refusal(String field, Set<String> types, String why) {
        if (types.isEmpty()) {
            return null;
        }
        if (types.stream().allMatch(NUMBER_TYPES::contains)) {
            String name = types.size() == 1 ? types.iterator().next() : "number";
            NumberExamples e = NumberExamples.of(types);
            return field + " is " + article(name) + " " + name + " field" + notHere(why) + " match several numbers,"
                    + " search a range, e.g. " + e.range(field) + " or " + field + ":>" + e.high();
        }
        if (types.stream().allMatch(t -> t.equals("date") || t.equals("date_nanos"))) {
            return field + " is a date field" + notHere(why) + " match a time span, search a range, e.g. " + field
                    + ":[2018-05-09 TO 2018-05-10} (the whole UTC day) or " + field + ":>=now-1h"
                    + (field.equals(Fields.TIMESTAMP) ? ", or give the from and to parameters" : "");
        }
        if (types.equals(Set.of("ip"))) {
            return field + " is an IP field" + notHere(why) + " match a range of addresses, search a CIDR block, e.g. "
                    + field + ":10.0.0.0/24 for " + field + ":10.0.0.*";
        }
        return null;
    }

    private static String notHere(String why) {
        return ": wildcard, regular-expression and fuzzy terms do not work on it (" + why + "); to";
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    /** Why a regular expression on such a field is refused, in the parentheses of {@link #refusal}. */
    static String regexpWhy(String body) {
        return "the regular expression /" + body + "/ would match nothing there, without an error";
    }

    /** The mapping type of a contract field that is an IP, number or date field, or null (a keyword field). */
    static String contractType(String field) {
        FieldType type = Fields.isCanonical(field) || Fields.isProvenance(field) ? Fields.typeOf(field) : null;
        if (type == null) {
            return null;
        }
        return switch (type) {
            case IP -> "ip";
            case INTEGER -> "integer";
            case LONG -> "long";
            case DATE -> "date";
            case KEYWORD -> null;
        };
    }

    /**
     * A 400 {@code bad_query} for the first regular expression of the query on a contract field that is an IP, number
     * or date field (<code>srcIp:/10\..&#42;/</code>, <code>dstPort:(/44.&#42;/ OR 80)</code>,
     * <code>timestamp:/2018.&#42;/</code>; the guard's reading gives a term in a group its group's field): it would
     * match nothing (see the class comment). A regular expression without a field searches {@code host}, a keyword,
     * and is left alone; so is one on a field name pattern (<code>dst\&#42;:/4.&#42;/</code>), which the search
     * decides ({@link #refuseRegexpsOnFieldPatterns}). Free for a query without a regular expression (an empty list; the guard's shortcut, which sends a
     * query without a {@code /} unread, does not come here).
     */
    static void refuseRegexpsOnContractFields(List<QueryGuard.Regexp> regexps) {
        for (QueryGuard.Regexp r : regexps) {
            String type = r.field() == null ? null : contractType(r.field());
            if (type != null) {
                throw ApiException.badRequest("bad_query", refusal(r.field(), Set.of(type), regexpWhy(r.body())));
            }
        }
    }

    /**
     * A 400 {@code bad_query} for the first regular expression of {@code query} (the query as sent) on a field of
     * {@code extraFields} (q's names outside the contract, {@code SearchParameters#queryFields}) whose every type in the
     * daily indices is an IP, number or date type (<code>status:/4.&#42;/</code>, <code>rtt:/0\.1.&#42;/</code>), which
     * would match nothing. The types come from {@link SearchBackend#fieldTypes}: the {@code _field_caps} answer that
     * {@link UnknownFields#check} has just fetched or found cached for the same names, so no request is sent (one only
     * when that answer expired in between). Asked only for a query with a {@code /} and a field outside the contract,
     * and read again only then. A column that is a keyword on some days keeps the regular expression: those days answer
     * it (the number days find nothing there, as a keyword term would). When the backend cannot tell the types, the
     * search runs as it would have.
     */
    static void refuseRegexpsOnExtraColumns(SearchBackend backend, String query, List<String> extraFields) {
        if (extraFields.isEmpty() || query.indexOf('/') < 0) {
            return;
        }
        List<QueryGuard.Regexp> regexps = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (QueryGuard.Regexp r : QueryGuard.regexps(query)) {
            if (r.field() != null && extraFields.contains(r.field())) {
                regexps.add(r);
                names.add(r.field());
            }
        }
        if (regexps.isEmpty()) {
            return;
        }
        Map<String, Set<String>> types = backend.fieldTypes(names);
        if (types == null) {
            return;
        }
        for (QueryGuard.Regexp r : regexps) {
            String refusal = refusal(r.field(), types.getOrDefault(r.field(), Set.of()), regexpWhy(r.body()));
            if (refusal != null) {
                throw ApiException.badRequest("bad_query", refusal);
            }
        }
    }

    /** Mapping types that hold no text: a regular expression matches nothing on them ({@link #NUMBER_TYPES}, dates, IPs). */
    private static boolean holdsNoText(Set<String> types) {
        return !types.isEmpty() && types.stream().allMatch(t -> NUMBER_TYPES.contains(t) || t.equals("ip")
                || t.equals("date") || t.equals("date_nanos"));
    }

    /** At most this many matched fields are named in the refusal of a regular expression on a pattern. */
    static final int MAX_NAMED_FIELDS = 8;

    /**
     * A 400 {@code bad_query} for the first regular expression of {@code query} (the query as sent) on a field name
     * pattern that matches only IP, number and date fields (<code>dst\*:/4.&#42;/</code>: dstIp and dstPort), on each
     * of which it matches nothing, silently (see the class comment): the engine answered such a query 200 with 0 hits.
     * A pattern that matches a keyword field of the contract ({@code host}, {@code proto}, {@code sourceFile},
     * {@code sourceVersion}: <code>s\*:/raw.&#42;/</code>, <code>*:/goo.&#42;/</code>) is decided without a request —
     * that field answers the regular expression. Any other pattern may also match extra columns, whose names and types
     * only the daily indices know: every such pattern of the query is asked in one {@link SearchBackend#patternFieldTypes}
     * (one {@code _field_caps} request for all of them, waited for at most {@code budgetMs} in all, each pattern's answer
     * reused for a minute),
     * and a pattern that matches an extra column mapped as text on some day keeps its query, as does one that matches no
     * field (the engine's, like a term on it) or whose fields the backend cannot tell in time. Free for a query without
     * a {@code /} and a {@code *} (written as such or as the parser's escape <code>&#92;u002a</code>).
     */
    static void refuseRegexpsOnFieldPatterns(SearchBackend backend, String query, LongSupplier budgetMs) {
        if (query.indexOf('/') < 0 || query.indexOf('*') < 0 && !writesAStarAsUnicodeEscape(query)) {
            return;
        }
        List<QueryGuard.Regexp> regexps = new ArrayList<>();
        Set<String> patterns = new java.util.LinkedHashSet<>();
        QueryGuard.Reading reading = QueryGuard.read(query);
        for (QueryGuard.Regexp r : reading.regexps()) {
            String pattern = r.field();
            // written with an unescaped * (dst*:), the name does not parse: the engine's refusal says so
            if (pattern == null || pattern.indexOf('*') < 0 || pattern.charAt(0) == '_'
                    || !reading.fieldPatterns().contains(pattern) || matchesKeywordField(pattern)) {
                continue;
            }
            regexps.add(r);
            patterns.add(pattern);
        }
        if (patterns.isEmpty()) {
            return;
        }
        // one lookup for every pattern, under one budget: asked one by one, each with half the time left, five
        // patterns on a slow engine took 94% of the timeout and left the search too little to answer
        Map<String, Map<String, Set<String>>> answers = backend.patternFieldTypes(List.copyOf(patterns),
                budgetMs.getAsLong());
        for (QueryGuard.Regexp r : regexps) {
            Map<String, Set<String>> matched = answers.get(r.field());
            if (matched == null || matched.isEmpty() || !matched.values().stream().allMatch(NonTextPatterns::holdsNoText)) {
                continue;
            }
            throw ApiException.badRequest("bad_query", patternRefusal(r.field(), r.body(), matched));
        }
    }

    /**
     * Whether {@code query} holds <code>&#92;u002a</code> (either case of its hex digits), the parser's escape for a
     * {@code *}: <code>dst&#92;u002a:/4../</code> is the pattern {@code dst*} without a {@code *} in its text.
     */
    private static boolean writesAStarAsUnicodeEscape(String query) {
        return query.toLowerCase(java.util.Locale.ROOT).contains("\\u002a");
    }

    /** Whether {@code pattern} matches a keyword field of the data contract, which every daily index maps. */
    private static boolean matchesKeywordField(String pattern) {
        return java.util.stream.Stream.concat(Fields.canonicalFields().stream(), Fields.provenanceFields().stream())
                .anyMatch(f -> contractType(f) == null && FieldPatterns.matches(pattern, f));
    }

    /**
     * The refusal of the regular expression {@code /body/} on {@code pattern}, which matches the fields of {@code matched}
     * (name → types, each an IP, number or date type): the fields with their types (at most {@value #MAX_NAMED_FIELDS}),
     * and per kind of field among them what to search, with the first such field.
     */
    static String patternRefusal(String pattern, String body, Map<String, Set<String>> matched) {
        List<String> names = new ArrayList<>(new java.util.TreeSet<>(matched.keySet()));
        List<String> named = new ArrayList<>();
        String ip = null;
        String number = null;
        Set<String> numberTypes = Set.of();
        String date = null;
        for (String name : names) {
            Set<String> t = matched.get(name);
            if (named.size() < MAX_NAMED_FIELDS) {
                named.add(name + " (" + String.join(", ", new java.util.TreeSet<>(t)) + ")");
            }
            if (t.equals(Set.of("ip"))) {
                ip = ip == null ? name : ip;
            } else if (t.stream().allMatch(NUMBER_TYPES::contains) && number == null) {
                number = name;
                numberTypes = t;
            } else if (t.stream().allMatch(x -> x.equals("date") || x.equals("date_nanos"))) {
                date = date == null ? name : date;
            }
        }
        String list = String.join(", ", named) + (names.size() > named.size() ? " and " + (names.size() - named.size())
                + " more" : "");
        List<String> instead = new ArrayList<>();
        if (ip != null) {
            instead.add("to match a range of addresses, search a CIDR block (" + ip + ":10.0.0.0/24)");
        }
        if (number != null) {
            instead.add((instead.isEmpty() ? "to match several numbers, search a range (" : "to match several numbers, a"
                    + " range (") + NumberExamples.of(numberTypes).range(number) + ")");
        }
        if (date != null) {
            instead.add((instead.isEmpty() ? "to match a time span, search a range (" : "to match a time span, a range (")
                    + date + ":[2018-05-09 TO 2018-05-10})");
        }
        instead.add("for a regular expression, name a keyword field (" + Fields.HOST + ":/" + body + "/)");
        String advice = String.join("; ", instead);
        return "q's field pattern " + pattern + " matches only fields that hold no text — " + list + " — and a regular"
                + " expression matches nothing on an IP, number or date field, without an error: /" + body + "/ would"
                + " find nothing there. " + Character.toUpperCase(advice.charAt(0)) + advice.substring(1);
    }
}
