package dev.netmeta.api;

import dev.netmeta.model.FieldType;
import dev.netmeta.model.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's refusal of a value that does not fit a field's type ("'OK' is not a number", "'53' is not an IP string
 * literal", "failed to parse date field [abc] …") names neither the field nor what it takes: {@code status:"OK"},
 * {@code qtype:A} (extra columns the daily indices map as numbers), {@code srcIp:abc}, {@code timestamp:abc}, and a
 * field name pattern that searches the value on a field of another type too ({@code dst\*:53} on dstIp,
 * {@code *:google.com} on the number fields). Made to name the field (its type, a value it takes) or the pattern (the
 * fields it matches that refuse the value, the field meant) — only on that error path: the contract's types are
 * known, an extra column's come from the {@code _field_caps} answer the unknown-field check cached for q's names, so
 * a valid query costs nothing here and a refused one no request.
 */
final class ValueRefusals {

    private static final Pattern NOT_A_NUMBER = Pattern.compile("'(.*)' is not a number");
    private static final Pattern NOT_AN_IP = Pattern.compile("'([^']*)' is not an IP string literal");
    private static final Pattern NOT_A_DATE = Pattern.compile("failed to parse date field \\[(.*?)] with format");
    /** {@link OpenSearchErrors#clean}'s text for Java's "multiple points", whose value it does not name. */
    static final String SEVERAL_DOTS = "a value with several dots was compared with a number field";

    /** A refused value and the kind of field that refused it: {@link FieldType#INTEGER} for a number, IP or DATE. */
    record Refused(String value, FieldType kind) {
    }

    private ValueRefusals() {
    }

    /** The value the engine's {@code reason} refuses and the kind of field, or null ({@code value} null: several dots). */
    static Refused of(String reason) {
        Matcher m = NOT_A_NUMBER.matcher(reason);
        if (m.matches()) {
            return new Refused(m.group(1), FieldType.INTEGER);
        }
        m = NOT_AN_IP.matcher(reason);
        if (m.matches()) {
            return new Refused(m.group(1), FieldType.IP);
        }
        m = NOT_A_DATE.matcher(reason);
        if (m.find() && reason.startsWith("failed to parse date field")) {
            return new Refused(m.group(1), FieldType.DATE);
        }
        return reason.startsWith(SEVERAL_DOTS) ? new Refused(null, FieldType.INTEGER) : null;
    }

    /**
     * The message for {@code reason} when {@code sent} gives the refused value to a field name pattern
     * ({@code dst\*:53}, {@code *:google.com}), else null: the contract fields the pattern matches that refuse the
     * value, and the field of the pattern that takes it, as the one to name.
     */
    static String onPattern(String reason, String sent) {
        Refused r = of(reason);
        if (r == null) {
            return null;
        }
        for (String f : QueryGuard.read(sent).fields()) {
            if (f.indexOf('*') < 0) { // OpenSearch expands * alone in a field name: dst\?ort is one (unknown) name
                continue;
            }
            String value = r.value() != null ? (givesValue(sent, f, r.value()) ? r.value() : null) : valueOf(sent, f);
            if (value == null || r.value() == null && value.indexOf('.') == value.lastIndexOf('.')) {
                continue; // not this pattern's value (several dots: its value has two dots at least)
            }
            List<String> refusing = new ArrayList<>();
            String taking = null;
            FieldType meant = kindOf(value);
            if (meant == FieldType.KEYWORD && FieldPatterns.matches(f, Fields.HOST)) {
                taking = Fields.HOST; // *:google.com: the default field, host
            }
            for (String c : Fields.canonicalFields()) {
                if (!FieldPatterns.matches(f, c)) {
                    continue;
                }
                FieldType t = Fields.typeOf(c);
                if (t == r.kind() || r.kind() == FieldType.INTEGER && t == FieldType.LONG) {
                    refusing.add(c);
                } else if (taking == null && (t == meant || meant == FieldType.INTEGER && t == FieldType.LONG)) {
                    taking = c;
                }
            }
            String which = refusing.isEmpty() ? "a " + kindName(r.kind()) + " field" : String.join(", ", refusing)
                    + (refusing.size() == 1 ? ", " + article(kindName(r.kind())) + " " + kindName(r.kind()) + " field,"
                    : ", " + kindName(r.kind()) + " fields,");
            return "q's field pattern " + f + " searches '" + value + "' on every field it matches, and " + which
                    + " " + (refusing.size() > 1 ? "take" : "takes") + " no such value, so the search engine refuses"
                    + " the whole query (" + (r.value() == null ? "'" + value + "' has several dots" : reason)
                    + "). Name the field meant instead of the pattern" + (taking == null ? ""
                    : " (" + taking + ":" + (value.indexOf('/') >= 0 || value.indexOf(':') >= 0 ? "\"" + value + "\""
                    : value) + ")");
        }
        return null;
    }

    /**
     * The message for {@code reason} when {@code field}, of {@code types} in the daily indices (one kind of type, the
     * kind that refused the value) or of the contract, is the field {@code query} gives the refused value to, else null.
     */
    static String onField(String reason, String query, List<String> extraFields, Map<String, Set<String>> types) {
        Refused r = of(reason);
        if (r == null || r.value() == null) {
            return null;
        }
        String found = null;
        String type = null;
        for (String f : QueryGuard.read(query).fields()) {
            String t = typeName(f, types);
            if (t == null || !givesValue(query, f, r.value()) || !kindOfType(t).equals(r.kind())) {
                continue;
            }
            if (found != null && !found.equals(f)) {
                return null; // two fields of that kind get the value: not guessed
            }
            found = f;
            type = t;
        }
        if (found == null) {
            return null;
        }
        String every = Fields.isCanonical(found) || Fields.isProvenance(found) ? "" : " in every daily index";
        String v = r.value();
        Matcher quoted = Pattern.compile("(?<![\\w.])" + Pattern.quote(found) + ":\\s*" + Pattern.quote(v)
                + "\\s*\"([^\"]*)\"").matcher(query);
        if (v.matches("[<>]=?") && quoted.find()) {
            // timestamp:>"2018-05-09T10:00": the parser takes no quotes after a comparison and reads '>' as the value
            String b = quoted.group(1);
            String range = v.equals(">") ? "{" + b + " TO *]" : v.equals(">=") ? "[" + b + " TO *]"
                    : v.equals("<") ? "[* TO " + b + "}" : "[* TO " + b + "]";
            return "q has " + found + ":" + v + " before a quoted value: Lucene takes no quotes after " + v + " and reads '"
                    + v + "' alone as the value of " + found + ", which is no " + kindName(r.kind()) + ". Write the value"
                    + " without quotes, any colon in it escaped (" + found + ":" + v + b.replace(":", "\\:")
                    + "), or a range, whose bounds may have colons (" + found + ":" + range + ")";
        }
        return switch (r.kind()) {
            case IP -> found + " is an IP field" + every + ": '" + v + "' is not an IP address. Search an address ("
                    + found + ":10.0.0.1, " + found + ":\"2001:db8::1\") or a CIDR block (" + found + ":10.0.0.0/8)";
            case DATE -> found + " is a date field" + every + ": '" + v + "' is not a time it reads. Search an ISO-8601"
                    + " day or time (" + found + ":2018-05-09, " + found + ":>=2018-05-09T10\\:00, the colons escaped)"
                    + " or a range (" + found + ":[2018-05-09 TO 2018-05-10})"
                    + (found.equals(Fields.TIMESTAMP) ? ", or give the from and to parameters" : "");
            default -> {
                NonTextPatterns.NumberExamples e = NonTextPatterns.NumberExamples.of(every.isEmpty() ? Set.of(type)
                        : types.get(found));
                yield found + " is " + article(type) + " " + type + " field" + every + ": '" + v + "' is not a number."
                        + " Search a number (" + found + ":" + e.value() + ") or a range (" + e.range(found) + ")";
            }
        };
    }

    /** The mapping type of {@code field}: the contract's, or the one type the daily indices give an extra column; null. */
    private static String typeName(String field, Map<String, Set<String>> types) {
        String contract = NonTextPatterns.contractType(field);
        if (contract != null) {
            return contract;
        }
        Set<String> t = types == null ? null : types.get(field);
        if (t == null || t.isEmpty() || Fields.isCanonical(field) || Fields.isProvenance(field)) {
            return null;
        }
        if (NonTextPatterns.NUMBER_TYPES.containsAll(t)) {
            return t.size() == 1 ? t.iterator().next() : "number";
        }
        return t.size() == 1 && (t.contains("ip") || t.contains("date")) ? t.iterator().next() : null;
    }

    private static FieldType kindOfType(String type) {
        return type.equals("ip") ? FieldType.IP : type.startsWith("date") ? FieldType.DATE : FieldType.INTEGER;
    }

    /** The kind of field a value is written for: an IP address or block, a number, else a keyword (or date). */
    private static FieldType kindOf(String value) {
        if (QueryGuard.isIpv4(value) || QueryGuard.isIpv6(value) || QueryGuard.isCidrBlock(value)) {
            return FieldType.IP;
        }
        try {
            new java.math.BigDecimal(value);
            return FieldType.INTEGER;
        } catch (NumberFormatException notANumber) {
            return FieldType.KEYWORD;
        }
    }

    private static String kindName(FieldType kind) {
        return kind == FieldType.IP ? "IP" : kind == FieldType.DATE ? "date" : "number";
    }

    private static String article(String word) {
        return "aeiouAEIOU".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    /** Whether {@code query} gives {@code field} (a name or a pattern, escapes removed) the value {@code value}. */
    private static boolean givesValue(String query, String field, String value) {
        for (String written : writings(field)) {
            if (SearchService.valueOf(query, written, value)) {
                return true;
            }
        }
        return false;
    }

    /** The value right after {@code pattern}'s colon in {@code query} ({@code dst\*:10.0.0.1}), or null. */
    private static String valueOf(String query, String pattern) {
        for (String written : writings(pattern)) {
            Matcher m = Pattern.compile("(?<![\\w.])" + Pattern.quote(written) + ":\\s*\"?([^\\s()\"]+)").matcher(query);
            if (m.find()) {
                return m.group(1);
            }
        }
        return null;
    }

    /** How {@code field} (escapes removed) may be written: with its {@code *} and {@code ?} escaped, and as it is. */
    private static List<String> writings(String field) {
        String escaped = field.replace("*", "\\*").replace("?", "\\?");
        return escaped.equals(field) ? List.of(field) : List.of(escaped, field);
    }
}
