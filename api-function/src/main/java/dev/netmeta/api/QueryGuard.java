package dev.netmeta.api;

import dev.netmeta.model.FieldType;
import dev.netmeta.model.Fields;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a user's query string before it goes to OpenSearch, and quotes unquoted CIDR blocks on IP fields.
 *
 * <p>The rest of the guarding is done by the query itself (see {@code OpenSearchSearchBackend}):
 * leading wildcards are refused, lenient parsing is off, automaton size is bounded.
 *
 * <p>In Lucene syntax {@code srcIp:10.0.0.0/8} is not a CIDR: the {@code /} starts a regular expression, which
 * OpenSearch rejects on an {@code ip} field. Quoting it ({@code srcIp:"10.0.0.0/8"}) is the only meaning such a
 * term can have on an IP field, so the rewrite cannot change a query that would otherwise work. Only terms
 * outside quoted phrases, on fields whose type is {@code ip}, whose value is an IPv4 or IPv6 address with a
 * prefix length are rewritten.
 */
final class QueryGuard {

    private static final Pattern UNQUOTED_CIDR = Pattern.compile(
            "(?<![\\w.\\\\])([A-Za-z][\\w]*):((?:\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}"
                    + "|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/\\d{1,3})(?=$|[\\s)])");

    private final int maxLength;

    QueryGuard(int maxLength) {
        this.maxLength = maxLength;
    }

    /** Returns the query to send, or throws a 400 naming the problem. */
    String guard(String query) {
        if (query == null) {
            return "";
        }
        String trimmed = query.strip();
        if (trimmed.length() > maxLength) {
            throw ApiException.badRequest("query_too_long",
                    "q is " + trimmed.length() + " characters long; the maximum is " + maxLength);
        }
        for (int i = 0; i < trimmed.length(); i++) {
            char c = trimmed.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                throw ApiException.badRequest("invalid_query", "q contains a control character at position " + (i + 1));
            }
        }
        return quoteCidrs(trimmed);
    }

    /** Quotes {@code ipField:a.b.c.d/n} outside of quoted phrases. */
    static String quoteCidrs(String query) {
        if (query.indexOf('/') < 0) {
            return query;
        }
        StringBuilder out = new StringBuilder(query.length() + 8);
        int segmentStart = 0;
        boolean inQuotes = false;
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                if (!inQuotes) {
                    out.append(quoteCidrsOutsidePhrases(query.substring(segmentStart, i)));
                    segmentStart = i;
                } else {
                    out.append(query, segmentStart, i + 1);
                    segmentStart = i + 1;
                }
                inQuotes = !inQuotes;
            }
        }
        String rest = query.substring(Math.min(segmentStart, query.length()));
        out.append(inQuotes ? rest : quoteCidrsOutsidePhrases(rest));
        return out.toString();
    }

    private static String quoteCidrsOutsidePhrases(String text) {
        Matcher m = UNQUOTED_CIDR.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 8);
        while (m.find()) {
            String field = m.group(1);
            String replacement = Fields.typeOf(field) == FieldType.IP
                    ? field + ":\"" + m.group(2) + "\""
                    : m.group();
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
