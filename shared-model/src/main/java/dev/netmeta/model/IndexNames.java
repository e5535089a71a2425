package dev.netmeta.model;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * Daily index names {@code <prefix>-YYYY.MM.DD} by the record's UTC date; searches use the alias {@code <prefix>}
 * ({@link #alias}).
 */
public final class IndexNames {
    public static final String DEFAULT_PREFIX = "metadata";

    private static final long MILLIS_PER_DAY = 86_400_000L;
    private static final String ALLOWED = " (allowed: 1 to 200 of a-z 0-9 . _ -, starting with a-z or 0-9)";

    private IndexNames() {
    }

    /** {@code metadata-2018.05.09} for a record at any instant of 2018-05-09 UTC. */
    public static String daily(String prefix, long epochMillis) {
        requireValidPrefix(prefix);
        long ymd = Timestamps.civil(Math.floorDiv(epochMillis, MILLIS_PER_DAY));
        long year = Math.floorDiv(ymd, 10000); // civil() of a year before 0 is negative: truncation would give 0
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("timestamp " + epochMillis + " is outside the years 0000-9999");
        }
        char[] c = new char[prefix.length() + 11];
        prefix.getChars(0, prefix.length(), c, 0);
        int p = prefix.length();
        c[p] = '-';
        Timestamps.put(c, p + 1, (int) year, 4);
        c[p + 5] = '.';
        Timestamps.put(c, p + 6, (int) (ymd / 100 % 100), 2);
        c[p + 8] = '.';
        Timestamps.put(c, p + 9, (int) (ymd % 100), 2);
        return new String(c);
    }

    /**
     * The UTC date of {@code index} when it is a daily index of {@code prefix} ({@link #daily}: {@code metadata-2018.05.09}
     * → 2018-05-09), else null ({@code metadata-staging-2018.05.09}, a name of another shape, a date no calendar has).
     */
    public static LocalDate dayOf(String prefix, String index) {
        int p = prefix.length();
        if (index == null || index.length() != p + 11 || !index.startsWith(prefix) || index.charAt(p) != '-') {
            return null;
        }
        try {
            return LocalDate.parse(index.substring(p + 1), DayFormat.DAY);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The date part of a daily index name, {@code 2018.05.09}: strict (no 2018.02.30, digits only). In a holder: only
     * the api's error path reads days back, and the load's cold start (which names indices) need not build it.
     */
    private static final class DayFormat {
        static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu.MM.dd")
                .withResolverStyle(ResolverStyle.STRICT);
    }

    /**
     * {@code metadata}: the alias the index template gives every daily index of the prefix — what searches and the
     * loader's cleanup address. Not the pattern {@code metadata-*}: that also matches the indices of a deployment
     * whose prefix starts with this one ({@code metadata-staging-2026.11.27}); the alias only reaches indices created
     * by this prefix's template, which {@link IndexTemplate} makes the only one that applies to them.
     */
    public static String alias(String prefix) {
        return requireValidPrefix(prefix);
    }

    /**
     * {@code INDEX_PREFIX} of a function's environment ({@link #DEFAULT_PREFIX} when unset), checked by
     * {@link #requireValidPrefix}; a bad value's message starts with the variable's name, as every other setting's
     * does — "index prefix must start with a lower-case letter …" alone did not say which setting to change.
     *
     * @throws IllegalArgumentException {@code INDEX_PREFIX: <the problem>}
     */
    public static String prefix(Env env) {
        try {
            return requireValidPrefix(env.get("INDEX_PREFIX", DEFAULT_PREFIX));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("INDEX_PREFIX: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the prefix if it is 1 to 200 characters of lower-case ASCII letters, digits, {@code .}, {@code _} and
     * {@code -}, starting with a letter or digit ({@code ^[a-z0-9][a-z0-9._-]{0,199}$}). Narrower than what OpenSearch
     * allows in an index name: the prefix goes unencoded into request paths ({@code /<prefix>/_search},
     * {@code _cat/indices/<prefix>-*}, {@code DELETE /<prefix>-YYYY.MM.DD}) and into IAM resource ARNs, where
     * characters such as {@code % ^ { [ $} break the URI or the policy; these characters break neither.
     * serverless.yml's {@code IndexPrefixValid} guard applies the same rule at deploy.
     *
     * @throws IllegalArgumentException naming the problem and the allowed characters
     */
    public static String requireValidPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("index prefix must not be empty" + ALLOWED);
        }
        if (prefix.length() > 200) {
            throw new IllegalArgumentException("index prefix must be at most 200 characters: " + prefix);
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            boolean letterOrDigit = c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
            if (i == 0 && !letterOrDigit) {
                throw new IllegalArgumentException("index prefix must start with a lower-case letter or a digit: "
                        + prefix + ALLOWED);
            }
            if (!letterOrDigit && c != '.' && c != '_' && c != '-') {
                throw new IllegalArgumentException("index prefix must not contain '" + c + "': " + prefix + ALLOWED);
            }
        }
        return prefix;
    }
}
