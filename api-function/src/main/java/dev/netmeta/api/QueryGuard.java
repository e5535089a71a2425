package dev.netmeta.api;

import dev.netmeta.model.FieldType;
import dev.netmeta.model.Fields;

/**
 * Checks a user's query string before it goes to OpenSearch (length, control characters, regular expressions that
 * would scan every term — {@link #refuseScanningRegexps}), and quotes unquoted CIDR blocks on IP fields.
 *
 * <p>The rest of the guarding is done by the query itself (see {@code OpenSearchSearchBackend}):
 * leading wildcards are refused, lenient parsing is off, automaton size is bounded.
 *
 * <p>In Lucene syntax {@code srcIp:10.0.0.0/8} is not a CIDR: the {@code /} starts a regular expression, which
 * OpenSearch rejects on an {@code ip} field. Quoting it ({@code srcIp:"10.0.0.0/8"}) is the only meaning such a
 * term can have on an IP field, so the rewrite cannot change a query that would otherwise work. Only terms
 * outside quoted phrases, on fields whose type is {@code ip}, whose value is an IPv4 or IPv6 address with a
 * prefix length are rewritten. As a regular expression (the oracle of {@code QueryGuardTest}, which checks the
 * scan below against it on generated queries), a rewritten term is
 * {@code (?<![\w.\\])([A-Za-z]\w*):((?:\d{1,3}\.){3}\d{1,3}/\d{1,2}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/\d{1,3})(?=$|[\s)])},
 * searched from left to right.
 */
final class QueryGuard {

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
        String quoted = quoteCidrs(trimmed);
        refuseScanningRegexps(quoted);
        return quoted;
    }

    /**
     * A regular expression ({@code field:/.../}) must start with a literal character, like a wildcard term: one
     * that starts with an operator ({@code /.*oogle/}, {@code /[a-z]+x/}, {@code /(a|b)c/}) enumerates every term of
     * the field, which {@code allow_leading_wildcard: false} refuses for {@code host:*oogle}. And no regular
     * expression on a metadata field ({@code _id}: one term per document). As Lucene's parser does, every unescaped
     * {@code /} outside a phrase starts a regular expression — also right after a term ({@code zzz/.*x/}) — and its
     * field is the one before it ({@code field:}, spaces allowed) or the one of the group around it
     * ({@code field:(a OR /x/)}).
     */
    static void refuseScanningRegexps(String query) {
        if (query.indexOf('/') < 0) {
            return;
        }
        boolean inQuotes = false;
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                inQuotes = !inQuotes;
            } else if (c == '/' && !inQuotes) {
                int end = i + 1;
                while (end < query.length() && query.charAt(end) != '/') {
                    end += query.charAt(end) == '\\' ? 2 : 1;
                }
                if (end >= query.length()) {
                    return; // not closed: OpenSearch's parser says so
                }
                String field = fieldOf(query, i);
                if (field != null && field.startsWith("_")) {
                    throw ApiException.badRequest("bad_query", "a regular expression on " + field + " is not "
                            + "allowed: it would test every document's " + field);
                }
                if (end == i + 1 || REGEX_OPERATORS.indexOf(query.charAt(i + 1)) >= 0) {
                    throw ApiException.badRequest("bad_query", "the regular expression " + query.substring(i, end + 1)
                            + " must start with a literal character: one that starts with an operator scans every term"
                            + " of the field, like a leading wildcard (e.g. write /www\\.example.*/ or use a phrase)");
                }
                i = end;
            }
        }
    }

    /** Lucene regular-expression operators: a regular expression starting with one has no literal prefix. */
    private static final String REGEX_OPERATORS = ".?+*|{}[]()\"#@&<>~";

    /**
     * The field a term starting at {@code at} belongs to: {@code field:} right before it (spaces allowed), else the
     * field of the innermost group {@code field:( … )} around it; null for the default field.
     */
    static String fieldOf(String query, int at) {
        int p = at - 1;
        while (p >= 0 && Character.isWhitespace(query.charAt(p))) {
            p--;
        }
        if (p >= 0 && query.charAt(p) == ':') {
            return wordBefore(query, p);
        }
        int depth = 0;
        boolean inQuotes = false;
        for (int q = at - 1; q >= 0; q--) { // backwards to the innermost unclosed '(' (quotes skipped roughly)
            char c = query.charAt(q);
            if (c == '"' && (q == 0 || query.charAt(q - 1) != '\\')) {
                inQuotes = !inQuotes;
            } else if (!inQuotes && c == ')') {
                depth++;
            } else if (!inQuotes && c == '(') {
                if (depth == 0) {
                    int r = q - 1;
                    while (r >= 0 && Character.isWhitespace(query.charAt(r))) {
                        r--;
                    }
                    return r >= 0 && query.charAt(r) == ':' ? wordBefore(query, r) : null;
                }
                depth--;
            }
        }
        return null;
    }

    /** The field name ending right before the colon at {@code colon}. */
    private static String wordBefore(String query, int colon) {
        int start = colon;
        while (start > 0 && !Character.isWhitespace(query.charAt(start - 1)) && "()+-!".indexOf(query.charAt(start - 1)) < 0) {
            start--;
        }
        return query.substring(start, colon);
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

    /**
     * Quotes every {@code field:cidr} term (see the class comment) in {@code text} whose field is an IP field. A scan
     * written out rather than a regex matcher: in Lambda's C1-only JIT the matcher cost a CIDR query 10-25 µs per
     * request in the api benchmark, as much as the rest of the parameter parsing together.
     */
    private static String quoteCidrsOutsidePhrases(String text) {
        StringBuilder out = null;
        int copied = 0;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            if (!isAsciiLetter(text.charAt(i)) || (i > 0 && isWordDotOrBackslash(text.charAt(i - 1)))) {
                continue;
            }
            int colon = i + 1;
            while (colon < n && isWord(text.charAt(colon))) {
                colon++;
            }
            if (colon >= n || text.charAt(colon) != ':') {
                continue;
            }
            int end = cidrEnd(text, colon + 1);
            if (end < 0) {
                continue;
            }
            String field = text.substring(i, colon);
            if (Fields.typeOf(field) == FieldType.IP) {
                if (out == null) {
                    out = new StringBuilder(n + 8);
                }
                out.append(text, copied, colon + 1).append('"').append(text, colon + 1, end).append('"');
                copied = end;
            }
            i = end - 1; // the pattern's search goes on after the match
        }
        return out == null ? text : out.append(text, copied, n).toString();
    }

    /** Where the CIDR block starting at {@code p} ends (followed by the end, a space or ')'), or -1. */
    private static int cidrEnd(String s, int p) {
        int end = ipv4CidrEnd(s, p);
        return end >= 0 ? end : ipv6CidrEnd(s, p);
    }

    /** {@code (?:\d{1,3}\.){3}\d{1,3}/\d{1,2}} and the terminator. */
    private static int ipv4CidrEnd(String s, int p) {
        for (int group = 0; group < 4; group++) {
            int q = run(s, p, false);
            if (q - p < 1 || q - p > 3 || q >= s.length() || s.charAt(q) != (group < 3 ? '.' : '/')) {
                return -1;
            }
            p = q + 1;
        }
        return prefixLengthEnd(s, p, 2);
    }

    /** {@code [0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}/\d{1,3}} and the terminator. */
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
            if (c != ':') {
                return -1;
            }
            p = q + 1;
        }
    }

    /** One to {@code maxDigits} digits at {@code p} followed by the end, whitespace or ')'; their end, or -1. */
    private static int prefixLengthEnd(String s, int p, int maxDigits) {
        int q = run(s, p, false);
        if (q - p < 1 || q - p > maxDigits) {
            return -1;
        }
        if (q == s.length()) {
            return q;
        }
        char c = s.charAt(q);
        boolean lineEndAtTheEnd = q == s.length() - 1 && (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028'
                || c == '\u2029') || q == s.length() - 2 && c == '\r' && s.charAt(q + 1) == '\n'; // '$' matches there
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == ')' || lineEndAtTheEnd
                ? q : -1;
    }

    /** The end of the run of digits (or hex digits) at {@code p}. */
    private static int run(String s, int p, boolean hex) {
        while (p < s.length()) {
            char c = s.charAt(p);
            boolean digit = c >= '0' && c <= '9';
            if (!(digit || hex && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'))) {
                break;
            }
            p++;
        }
        return p;
    }

    private static boolean isAsciiLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isWord(char c) {
        return isAsciiLetter(c) || c >= '0' && c <= '9' || c == '_';
    }

    private static boolean isWordDotOrBackslash(char c) {
        return isWord(c) || c == '.' || c == '\\';
    }
}
