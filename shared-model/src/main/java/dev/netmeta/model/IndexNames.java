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
    private static final String FORBIDDEN = "\\/*?\"<>| ,#:";

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
     * Returns the prefix if it can start an OpenSearch index name: non-empty, at most 200 characters, lower case,
     * not starting with {@code - _ +}, not {@code .}/{@code ..}, none of {@code \ / * ? " < > | space , # :}.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static String requireValidPrefix(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("index prefix must not be empty");
        }
        if (prefix.length() > 200) {
            throw new IllegalArgumentException("index prefix must be at most 200 characters: " + prefix);
        }
        char first = prefix.charAt(0);
        if (first == '-' || first == '_' || first == '+' || prefix.equals(".") || prefix.equals("..")) {
            throw new IllegalArgumentException("index prefix must not start with '-', '_' or '+' or be '.'/'..': "
                    + prefix);
        }
        for (int i = 0; i < prefix.length(); i++) {
            char c = prefix.charAt(i);
            if (c >= 'A' && c <= 'Z' || Character.isUpperCase(c)) {
                throw new IllegalArgumentException("index prefix must be lower case: " + prefix);
            }
            if (FORBIDDEN.indexOf(c) >= 0 || c < ' ') {
                throw new IllegalArgumentException("index prefix must not contain '" + c + "': " + prefix);
            }
        }
        return prefix;
    }
}
