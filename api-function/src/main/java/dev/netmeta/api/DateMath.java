package dev.netmeta.api;

import dev.netmeta.model.FieldValues;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code from} or {@code to} written as date math relative to now, the subset of OpenSearch's date math that has no
 * anchor of its own: {@code now}, then at most {@value #MAX_OPERATIONS} operations — {@code +N} or {@code -N} and a
 * unit (N of one to nine digits), or {@code /} and a unit, which rounds down — with the units {@code y} (years),
 * {@code M} (months), {@code w} (weeks), {@code d} (days), {@code h}/{@code H} (hours), {@code m} (minutes), {@code s}
 * (seconds): {@code now-15m}, {@code now-1d/d}, {@code now/w}, {@code now-1M/M+8h}. Evaluated as OpenSearch evaluates
 * it for a range bound, in UTC: the arithmetic on the calendar, a rounding down to the start of the unit (a week starts
 * on Monday) — OpenSearch rounds down for {@code gte} and {@code lt}, the two bounds the API sends. Not taken: a time
 * with math after {@code ||} (write the time itself), a number left out ({@code now-d}), a rounding with a number
 * ({@code now/2d}), {@code NOW}.
 *
 * @param text the value as written (trimmed): the cursor's fingerprint holds it, not the time it stood for
 */
record DateMath(String text, List<Operation> operations) {

    /** More than this many operations in one value is refused: no real bound needs them. */
    static final int MAX_OPERATIONS = 8;
    private static final String UNITS = "yMwdhHms";

    /** One step: {@code amount} of {@code unit} added (negative: subtracted), or a rounding down to {@code unit}. */
    record Operation(char unit, long amount, boolean round) {
    }

    DateMath {
        operations = List.copyOf(operations);
    }

    /** Whether {@code value} (trimmed) is meant as date math: it starts with {@code now}. */
    static boolean isDateMath(String value) {
        return value.startsWith("now");
    }

    /**
     * {@code value} (trimmed, starting with {@code now}) read as date math, or a 400 {@code invalid_time} saying what is
     * wrong, for the parameter {@code name}.
     */
    static DateMath parse(String name, String value) {
        List<Operation> operations = new ArrayList<>();
        int i = 3;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c != '+' && c != '-' && c != '/') {
                boolean plusAsSpace = c == ' ' && i + 1 < n && Character.isDigit(value.charAt(i + 1));
                throw invalid(name, value, plusAsSpace ? "a '+' in a URL's query string arrives as a space: write it"
                        + " as %2B (now%2B1h)" : c == ' ' ? "date math has no spaces (now-1d, not now - 1d)"
                        : "after now, each step is +N, -N or / and a unit, not '" + value.substring(i) + "'");
            }
            if (operations.size() == MAX_OPERATIONS) {
                throw invalid(name, value, "at most " + MAX_OPERATIONS + " steps after now are taken");
            }
            int digits = i + 1;
            while (digits < n && value.charAt(digits) >= '0' && value.charAt(digits) <= '9') {
                digits++;
            }
            if (c == '/' && digits > i + 1) {
                throw invalid(name, value, "a rounding takes a unit alone (now/d), not a number");
            }
            if (c != '/' && (digits == i + 1 || digits - i - 1 > 9)) {
                throw invalid(name, value, "'" + c + "' takes a number of 1 to 9 digits and a unit (now" + c + "1d)");
            }
            if (digits >= n || UNITS.indexOf(value.charAt(digits)) < 0) {
                throw invalid(name, value, (digits >= n ? "a unit is missing at the end" : "'"
                        + value.charAt(digits) + "' is no unit") + " (y, M, w, d, h, m, s: m is minutes, M months)");
            }
            long amount = c == '/' ? 0 : Long.parseLong(value.substring(i + 1, digits));
            operations.add(new Operation(value.charAt(digits), c == '-' ? -amount : amount, c == '/'));
            i = digits + 1;
        }
        return new DateMath(value, operations);
    }

    /**
     * The time this stands for at {@code nowMillis}, in epoch milliseconds; a 400 {@code invalid_time} when it lies
     * outside the years 0000-9999 (UTC), as every indexed timestamp does.
     */
    long resolve(String name, long nowMillis) {
        try {
            ZonedDateTime t = Instant.ofEpochMilli(nowMillis).atZone(ZoneOffset.UTC);
            for (Operation o : operations) {
                t = o.round() ? roundDown(t, o.unit()) : plus(t, o.unit(), o.amount());
            }
            long millis = t.toInstant().toEpochMilli();
            if (millis >= FieldValues.MIN_TIMESTAMP_MILLIS && millis <= FieldValues.MAX_TIMESTAMP_MILLIS) {
                return millis;
            }
        } catch (DateTimeException | ArithmeticException outOfRange) {
            // beyond what a time can hold: outside the years too
        }
        throw ApiException.badRequest("invalid_time", name + " must lie in the years 0000-9999 (UTC), as every"
                + " indexed timestamp does; '" + text + "' does not");
    }

    private static ZonedDateTime plus(ZonedDateTime t, char unit, long amount) {
        return switch (unit) {
            case 'y' -> t.plusYears(amount);
            case 'M' -> t.plusMonths(amount);
            case 'w' -> t.plusWeeks(amount);
            case 'd' -> t.plusDays(amount);
            case 'h', 'H' -> t.plusHours(amount);
            case 'm' -> t.plusMinutes(amount);
            default -> t.plusSeconds(amount);
        };
    }

    private static ZonedDateTime roundDown(ZonedDateTime t, char unit) {
        return switch (unit) {
            case 'y' -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
            case 'M' -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            case 'w' -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case 'd' -> t.truncatedTo(ChronoUnit.DAYS);
            case 'h', 'H' -> t.truncatedTo(ChronoUnit.HOURS);
            case 'm' -> t.truncatedTo(ChronoUnit.MINUTES);
            default -> t.truncatedTo(ChronoUnit.SECONDS);
        };
    }

    private static ApiException invalid(String name, String value, String why) {
        return ApiException.badRequest("invalid_time", name + " '" + value + "' is no date math this API takes: " + why
                + ". Date math is now, then steps such as -15m, +1h, -1d or /d (rounds down), e.g. now-1d/d");
    }
}
