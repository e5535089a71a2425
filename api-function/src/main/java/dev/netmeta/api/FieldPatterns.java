package dev.netmeta.api;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A pattern of field names in {@code q} ({@code dst\*:…}, {@code *:…}), on the error path: the engine's refusal made to
 * name what the user wrote.
 * <ul>
 * <li>Unescaped, a {@code *} or {@code ?} in a field name does not parse: {@code dst*:/4.*​/} is Lucene's wildcard term
 * {@code dst*} and then a colon ("Encountered " ":" ": "" at line 1, column 4"), {@code *Port:44*} a leading wildcard
 * ("'*' or '?' not allowed as first character in WildcardQuery"). A pattern of field names is written with the
 * {@code *} escaped ({@code dst\*:…}).</li>
 * <li>Escaped, the pattern searches the term on every field it matches, and the engine refuses a wildcard, prefix or
 * fuzzy term when one of them is no text ({@code s\*:goo*} matches {@code srcIp}): its reason names that field, which
 * {@code q} does not name, and {@link NonTextPatterns}' advice for it (a CIDR block on {@code srcIp}) misses what was
 * meant (the keyword {@code sourceFile}).</li>
 * <li>Escaped, the pattern searches a value on fields of other types too ({@code dst\*:53} on {@code dstIp},
 * {@code *:google.com} on the number fields), and the engine's refusal names only the value ("'53' is not an IP string
 * literal"): {@link ValueRefusals#onPattern} names the pattern, the fields that refuse the value and the one meant.</li>
 * </ul>
 * Only on a 400 of the engine: a valid query costs nothing here.
 */
final class FieldPatterns {

    /** The parser's error at a colon it did not expect; the column counts from 0 in the query as sent. */
    private static final Pattern COLON_AT = Pattern.compile("Encountered \" \":\" \": \"\" at line 1, column (\\d+)");
    private static final String LEADING_WILDCARD = "'*' or '?' not allowed as first character in WildcardQuery";
    /** A field name that starts with an unescaped {@code *} or {@code ?} (not {@code *} alone, which parses). */
    private static final Pattern LEADING_STAR_NAME = Pattern.compile("(?:^|[\\s(+!-])([*?][^\\s:()\"\\\\]+)\\s*:");

    private FieldPatterns() {
    }

    /** {@code e} with a message about the field pattern of {@code sent} (the query as sent) it is about, or {@code e}. */
    static SearchBackendException explain(SearchBackendException e, String sent) {
        if (e.kind() != SearchBackendException.Kind.BAD_QUERY || e.getMessage() == null || sent == null) {
            return e;
        }
        String message = unescaped(e.getMessage(), sent);
        if (message == null) {
            message = matchedNonText(e.getMessage(), sent);
        }
        if (message == null) {
            message = ValueRefusals.onPattern(e.getMessage(), sent); // dst\*:53: '53' is not an IP string literal
        }
        return message == null ? e : new SearchBackendException(e.kind(), message, e.detail(), e.getCause());
    }

    /** The message for a field name with an unescaped {@code *} or {@code ?} that the parser failed on, or null. */
    static String unescaped(String reason, String sent) {
        String name = null;
        Matcher colon = COLON_AT.matcher(reason);
        if (colon.find()) {
            int at = Integer.parseInt(colon.group(1));
            if (at < sent.length() && sent.charAt(at) == ':') {
                int end = at;
                while (end > 0 && Character.isWhitespace(sent.charAt(end - 1))) {
                    end--;
                }
                int start = end;
                while (start > 0 && " \t\r\n()\":".indexOf(sent.charAt(start - 1)) < 0) {
                    start--;
                }
                String word = sent.substring(start, end);
                if (QueryGuard.hasWildcard(word)) {
                    name = word;
                }
            }
        } else if (reason.contains(LEADING_WILDCARD)) {
            Matcher leading = LEADING_STAR_NAME.matcher(sent);
            if (leading.find()) {
                name = leading.group(1);
            }
        }
        if (name == null) {
            return null;
        }
        String escaped = name.replaceAll("(?<!\\\\)([*?])", "\\\\$1");
        return "q has the field name " + name + " with an unescaped " + (name.indexOf('*') >= 0 ? "*" : "?")
                + ": Lucene reads " + name + " as a wildcard term, and a colon after a term that is no plain name does"
                + " not parse. A pattern of field names is written with its * escaped: " + escaped + ":… searches every"
                + " field whose name matches " + escaped.replace("\\", "") + " (IP, number and date fields too, which"
                + " refuse a wildcard, fuzzy or text term; a regular expression finds nothing on them). Or name the"
                + " fields meant: host:x OR uri:x";
    }

    /**
     * The message for a wildcard, prefix or fuzzy term refused on a field that {@code sent} does not name but one of
     * its field patterns matches ({@code s\*:goo*} and {@code srcIp}), or null.
     */
    static String matchedNonText(String reason, String sent) {
        Matcher refused = OpenSearchErrors.PATTERN_ON_NON_TEXT.matcher(reason);
        if (!refused.find()) {
            return null;
        }
        String field = refused.group(1);
        String pattern = null;
        for (String f : QueryGuard.read(sent).fields()) {
            if (f.equals(field)) {
                return null; // q names the field itself: the reason is about it as written
            }
            if (pattern == null && f.indexOf('*') >= 0 && matches(f, field)) {
                pattern = f;
            }
        }
        if (pattern == null) {
            return null;
        }
        return "q's field pattern " + pattern + " matches " + field + ", and a pattern searches its term on every field"
                + " it matches: " + reason + ". The search engine refuses the term for the whole pattern then: name the"
                + " keyword fields meant instead of the pattern (e.g. host:goo* OR uri:goo*)";
    }

    /** Whether {@code name} matches {@code pattern}, in which {@code *} stands for any characters (as OpenSearch reads it). */
    static boolean matches(String pattern, String name) {
        return name.matches(Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    }
}
