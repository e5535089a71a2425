package dev.netmeta.api.truth;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How one stored value compares with a query's value, by the field's type (docs/DATA-CONTRACT.md, *Index template*):
 * {@code host} and {@code proto} lower-cased on both sides (their normalizer), other keywords exact, numbers as
 * numbers (a range's decimal bounds mean the whole numbers inside it), IP addresses as 16 bytes, wildcards and
 * regular expressions over the whole value, fuzzy terms by edit distance with a fixed first character.
 */
public final class TruthValues {

    private TruthValues() {
    }

    public enum Type { KEYWORD, LOWERCASE_KEYWORD, NUMBER, IP, DATE }

    public static Type typeOf(String field) {
        switch (field) {
            case "host": case "proto": return Type.LOWERCASE_KEYWORD;
            case "app": case "sourceFile": return Type.KEYWORD;
            case "srcIp": case "dstIp": return Type.IP;
            case "timestamp": return Type.DATE;
            default: return Type.NUMBER;
        }
    }

    /** Whether the query's term equals the stored value. */
    public static boolean termEquals(String field, Object stored, String term) {
        if (stored == null) {
            return false;
        }
        switch (typeOf(field)) {
            case LOWERCASE_KEYWORD: return stored.toString().toLowerCase(Locale.ROOT).equals(term.toLowerCase(Locale.ROOT));
            case KEYWORD: return stored.toString().equals(term);
            case IP: return TruthIp.compare(stored.toString(), term) == 0;
            case NUMBER: return number(stored).compareTo(new BigDecimal(term)) == 0;
            default: throw new IllegalArgumentException(field);
        }
    }

    public static BigDecimal number(Object stored) {
        return stored instanceof Double d ? new BigDecimal(d.toString()) : new BigDecimal(stored.toString());
    }

    /** The sign of stored compared with a range bound of q (not a date: see TruthTime). */
    public static int compare(String field, Object stored, String bound) {
        switch (typeOf(field)) {
            case LOWERCASE_KEYWORD: return Integer.signum(stored.toString().compareTo(bound.toLowerCase(Locale.ROOT)));
            case KEYWORD: return Integer.signum(stored.toString().compareTo(bound));
            case IP: return Integer.signum(TruthIp.compare(stored.toString(), bound));
            case NUMBER: return number(stored).compareTo(new BigDecimal(bound));
            default: throw new IllegalArgumentException(field);
        }
    }

    /** A wildcard term ({@code *} any characters, {@code ?} one) over the whole value. */
    public static boolean wildcard(String field, Object stored, String pattern) {
        if (stored == null) {
            return false;
        }
        boolean lower = typeOf(field) == Type.LOWERCASE_KEYWORD;
        String p = lower ? pattern.toLowerCase(Locale.ROOT) : pattern;
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '\\' && i + 1 < p.length()) {
                regex.append(Pattern.quote(String.valueOf(p.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(stored.toString()).matches();
    }

    /** A regular expression of the generator's forms (literals, {@code .}, {@code .*}, {@code (a|b)}). */
    public static boolean regex(Object stored, String regex) {
        return stored != null && Pattern.compile(regex, Pattern.DOTALL).matcher(stored.toString()).matches();
    }

    /** A fuzzy term: the same first character and at most {@code edits} edits (a swap of neighbours is one). */
    public static boolean fuzzy(Object stored, String term, int edits) {
        if (stored == null) {
            return false;
        }
        String s = stored.toString();
        return !s.isEmpty() && s.charAt(0) == term.charAt(0) && distance(s, term) <= edits;
    }

    /** {@code ~} alone: OpenSearch's AUTO fuzziness, 0 edits up to 2 characters, 1 up to 5, 2 beyond. */
    public static int autoEdits(String term) {
        return term.length() <= 2 ? 0 : term.length() <= 5 ? 1 : 2;
    }

    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
