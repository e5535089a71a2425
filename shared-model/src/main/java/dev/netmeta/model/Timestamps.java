package dev.netmeta.model;

import java.util.OptionalLong;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/** Timestamp parsing and formatting behind {@link FieldValues}; rules in {@code docs/DATA-CONTRACT.md}. */
final class Timestamps {
    /** Integer parts below this are epoch seconds. 10^11 s is the year 5138; 10^11 ms is 1973-03-03. */
    static final long SECONDS_LIMIT = 100_000_000_000L;
    /** Integer parts below this (and from {@link #SECONDS_LIMIT}) are epoch millis. */
    static final long MILLIS_LIMIT = 100_000_000_000_000L;
    /** Integer parts below this (and from {@link #MILLIS_LIMIT}) are epoch micros; above: epoch nanos. */
    static final long MICROS_LIMIT = 100_000_000_000_000_000L;

    /** Rare forms, tried in order after the hand-written parsers. */
    private static final List<DateTimeFormatter> FALLBACKS = List.of(
            DateTimeFormatter.ISO_ZONED_DATE_TIME, // 2018-05-09T14:30:21+02:00[Europe/Paris]
            DateTimeFormatter.RFC_1123_DATE_TIME, // Wed, 9 May 2018 14:30:21 GMT
            new DateTimeFormatterBuilder().parseCaseInsensitive()
                    .appendPattern("uuuu/MM/dd HH:mm:ss")
                    .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
                    .toFormatter(Locale.ROOT).withResolverStyle(ResolverStyle.STRICT).withZone(ZoneOffset.UTC),
            new DateTimeFormatterBuilder().parseCaseInsensitive()
                    .appendPattern("dd-MMM-uuuu HH:mm:ss")
                    .toFormatter(Locale.ENGLISH).withResolverStyle(ResolverStyle.STRICT).withZone(ZoneOffset.UTC));

    private Timestamps() {
    }

    /** See {@link FieldValues#parseTimestamp(String)}. */
    static long parse(String value) {
        if (value == null) {
            throw new InvalidValueException(Fields.TIMESTAMP, null, "missing timestamp");
        }
        int start = 0;
        int end = value.length();
        while (start < end && value.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && value.charAt(end - 1) <= ' ') {
            end--;
        }
        if (start == end) {
            throw new InvalidValueException(Fields.TIMESTAMP, value, "empty timestamp");
        }
        char first = value.charAt(start);
        long result;
        if (first >= '0' && first <= '9' && isDecimalNumber(value, start, end)) {
            result = parseEpochNumber(value, start, end);
        } else if (end - start >= 10 && value.charAt(start + 4) == '-') {
            result = parseIso(value, start, end);
        } else if (end - start >= 12 && (value.charAt(start + 1) == '/' || value.charAt(start + 2) == '/')) {
            result = parseDayFirst(value, start, end);
        } else {
            result = Long.MIN_VALUE;
        }
        if (result == Long.MIN_VALUE) {
            result = parseWithFallbacks(value.substring(start, end));
        }
        if (result == Long.MIN_VALUE) {
            throw new InvalidValueException(Fields.TIMESTAMP, value, "not a timestamp (expected epoch seconds/millis,"
                    + " ISO-8601 or dd/MM/yyyy hh:mm:ss [AM|PM])");
        }
        if (result < MIN_MILLIS || result > MAX_MILLIS) {
            // a record lives in the daily index of its UTC date, and index names (like ISO-8601) have 4-digit years
            throw new InvalidValueException(Fields.TIMESTAMP, value, "outside the years 0000-9999 (UTC)");
        }
        return result;
    }

    /** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z: the instants a daily index name can hold. */
    static final long MIN_MILLIS = epochMillis(0, 1, 1, 0, 0, 0, 0);
    static final long MAX_MILLIS = epochMillis(9999, 12, 31, 23, 59, 59, 999);

    /** Digits with at most one '.', not ending in '.'. */
    private static boolean isDecimalNumber(String s, int start, int end) {
        boolean dot = false;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (dot || i == end - 1) {
                    return false;
                }
                dot = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long parseEpochNumber(String s, int start, int end) {
        int i = start;
        long whole = 0;
        while (i < end && s.charAt(i) != '.') {
            if (i - start >= 19) {
                throw new InvalidValueException(Fields.TIMESTAMP, s, "epoch number too large");
            }
            whole = whole * 10 + (s.charAt(i) - '0');
            i++;
        }
        if (whole < 0) {
            throw new InvalidValueException(Fields.TIMESTAMP, s, "epoch number too large");
        }
        if (whole < SECONDS_LIMIT) {
            int millis = 0;
            if (i < end) { // fraction of a second: first three digits are the millis
                int digits = 0;
                for (int j = i + 1; j < end && digits < 3; j++, digits++) {
                    millis = millis * 10 + (s.charAt(j) - '0');
                }
                for (; digits < 3; digits++) {
                    millis *= 10;
                }
            }
            return whole * 1000 + millis;
        }
        if (whole < MILLIS_LIMIT) {
            return whole;
        }
        if (whole < MICROS_LIMIT) {
            return whole / 1000;
        }
        return whole / 1_000_000;
    }

    /** See {@link FieldValues#parseIsoTimestamp(String)}. */
    static OptionalLong parseIsoOnly(String value) {
        String v = value == null ? "" : value.strip();
        if (v.length() < 10 || v.charAt(4) != '-') {
            return OptionalLong.empty();
        }
        long millis = parseIso(v, 0, v.length());
        return millis == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(millis);
    }

    /** ISO-8601 by hand; Long.MIN_VALUE if the shape does not match (then the fallbacks run). */
    private static long parseIso(String s, int start, int end) {
        int year = digits(s, start, 4);
        if (year < 0 || s.charAt(start + 4) != '-' || s.charAt(start + 7) != '-') {
            return Long.MIN_VALUE;
        }
        int month = digits(s, start + 5, 2);
        int day = digits(s, start + 8, 2);
        if (month < 0 || day < 0) {
            return Long.MIN_VALUE;
        }
        checkDate(s, year, month, day);
        int i = start + 10;
        if (i == end) {
            return epochMillis(year, month, day, 0, 0, 0, 0);
        }
        char sep = s.charAt(i);
        if ((sep != 'T' && sep != 't' && sep != ' ') || end - i < 6 || s.charAt(i + 3) != ':') {
            return Long.MIN_VALUE;
        }
        int hour = digits(s, i + 1, 2);
        int minute = digits(s, i + 4, 2);
        if (hour < 0 || minute < 0) {
            return Long.MIN_VALUE;
        }
        i += 6;
        int second = 0;
        int millis = 0;
        if (i < end && s.charAt(i) == ':') {
            second = i + 3 <= end ? digits(s, i + 1, 2) : -1;
            if (second < 0) {
                return Long.MIN_VALUE;
            }
            i += 3;
            if (i < end && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                long fraction = fraction(s, i + 1, end);
                if (fraction < 0) {
                    return Long.MIN_VALUE;
                }
                millis = (int) (fraction & FRACTION_MILLIS_MASK);
                i = (int) (fraction >>> FRACTION_END_SHIFT);
            }
        }
        checkTime(s, hour, minute, second);
        long offsetSeconds = 0;
        if (i < end && s.charAt(i) == ' ') {
            i++;
        }
        if (i < end) {
            char z = s.charAt(i);
            if ((z == 'Z' || z == 'z') && i + 1 == end) {
                offsetSeconds = 0;
            } else if (z == '+' || z == '-') {
                int rest = end - i - 1;
                int oh;
                int om;
                if (rest == 2) { // +HH
                    oh = digits(s, i + 1, 2);
                    om = 0;
                } else if (rest == 4) { // +HHmm
                    oh = digits(s, i + 1, 2);
                    om = digits(s, i + 3, 2);
                } else if (rest == 5 && s.charAt(i + 3) == ':') { // +HH:mm
                    oh = digits(s, i + 1, 2);
                    om = digits(s, i + 4, 2);
                } else {
                    return Long.MIN_VALUE;
                }
                if (oh < 0 || om < 0) {
                    return Long.MIN_VALUE;
                }
                if (oh > 18 || om > 59 || oh == 18 && om > 0) { // java.time's limit too: beyond ±18:00
                    throw new InvalidValueException(Fields.TIMESTAMP, s, "zone offset out of range");
                }
                offsetSeconds = (oh * 3600L + om * 60L) * (z == '-' ? -1 : 1);
            } else {
                return Long.MIN_VALUE;
            }
        }
        return epochMillis(year, month, day, hour, minute, second, millis) - offsetSeconds * 1000;
    }

    /** CICFlowMeter: d/M/yyyy H:mm[:ss[.f]] [AM|PM], day first. */
    private static long parseDayFirst(String s, int start, int end) {
        int i = start;
        int[] pos = {i};
        int day = number(s, pos, end, 2);
        if (day < 0 || !expect(s, pos, end, '/')) {
            return Long.MIN_VALUE;
        }
        int month = number(s, pos, end, 2);
        if (month < 0 || !expect(s, pos, end, '/')) {
            return Long.MIN_VALUE;
        }
        i = pos[0];
        if (i + 4 > end) {
            return Long.MIN_VALUE;
        }
        int year = digits(s, i, 4);
        pos[0] = i + 4;
        if (year < 0 || !expect(s, pos, end, ' ')) {
            return Long.MIN_VALUE;
        }
        int hour = number(s, pos, end, 2);
        if (hour < 0 || !expect(s, pos, end, ':')) {
            return Long.MIN_VALUE;
        }
        i = pos[0];
        if (i + 2 > end) {
            return Long.MIN_VALUE;
        }
        int minute = digits(s, i, 2);
        if (minute < 0) {
            return Long.MIN_VALUE;
        }
        i += 2;
        int second = 0;
        int millis = 0;
        if (i < end && s.charAt(i) == ':') {
            second = i + 3 <= end ? digits(s, i + 1, 2) : -1;
            if (second < 0) {
                return Long.MIN_VALUE;
            }
            i += 3;
            if (i < end && s.charAt(i) == '.') {
                long fraction = fraction(s, i + 1, end);
                if (fraction < 0) {
                    return Long.MIN_VALUE;
                }
                millis = (int) (fraction & FRACTION_MILLIS_MASK);
                i = (int) (fraction >>> FRACTION_END_SHIFT);
            }
        }
        if (i < end) {
            if (end - i != 3 || s.charAt(i) != ' ') {
                return Long.MIN_VALUE;
            }
            char a = s.charAt(i + 1);
            char m = s.charAt(i + 2);
            boolean am = a == 'A' || a == 'a';
            boolean pm = a == 'P' || a == 'p';
            if (!(am || pm) || (m != 'M' && m != 'm')) {
                return Long.MIN_VALUE;
            }
            if (hour < 1 || hour > 12) {
                throw new InvalidValueException(Fields.TIMESTAMP, s, "hour must be 1-12 with AM/PM");
            }
            hour = hour % 12 + (pm ? 12 : 0);
        }
        checkDate(s, year, month, day);
        checkTime(s, hour, minute, second);
        return epochMillis(year, month, day, hour, minute, second, millis);
    }

    private static long parseWithFallbacks(String trimmed) {
        for (DateTimeFormatter f : FALLBACKS) {
            try {
                if (f.getZone() != null) {
                    return LocalDateTime.parse(trimmed, f).toInstant(ZoneOffset.UTC).toEpochMilli();
                }
                return f.parse(trimmed, Instant::from).toEpochMilli();
            } catch (DateTimeException | ArithmeticException e) {
                // not this form; try the next one
            }
        }
        return Long.MIN_VALUE;
    }

    /** Exactly {@code count} ASCII digits at {@code at}, or -1. */
    private static int digits(String s, int at, int count) {
        int v = 0;
        for (int i = at; i < at + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** 1..max digits from pos[0], advancing it; -1 if none. */
    private static int number(String s, int[] pos, int end, int max) {
        int i = pos[0];
        int v = 0;
        int n = 0;
        while (i < end && n < max && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
            n++;
        }
        pos[0] = i;
        return n == 0 ? -1 : v;
    }

    private static boolean expect(String s, int[] pos, int end, char c) {
        if (pos[0] < end && s.charAt(pos[0]) == c) {
            pos[0]++;
            return true;
        }
        return false;
    }

    private static void checkDate(String s, int year, int month, int day) {
        if (month < 1 || month > 12) {
            throw new InvalidValueException(Fields.TIMESTAMP, s, "month " + month + " out of range");
        }
        if (day < 1 || day > daysInMonth(year, month)) {
            throw new InvalidValueException(Fields.TIMESTAMP, s, "day " + day + " does not exist in "
                    + year + "-" + (month < 10 ? "0" : "") + month);
        }
    }

    private static void checkTime(String s, int hour, int minute, int second) {
        if (hour > 23 || minute > 59 || second > 59) {
            throw new InvalidValueException(Fields.TIMESTAMP, s, "time of day out of range");
        }
    }

    static boolean isLeapYear(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    private static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                return isLeapYear(year) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    private static long epochMillis(int year, int month, int day, int hour, int minute, int second, int millis) {
        return ((epochDay(year, month, day) * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    /**
     * Civil date of an epoch day as {@code year * 10000 + month * 100 + day} (H. Hinnant's civil_from_days).
     */
    static long civil(long epochDay) {
        long z = epochDay + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
        return y * 10000 + m * 100 + d;
    }

    /** See {@link FieldValues#formatTimestamp(long)}. */
    static String format(long epochMillis) {
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        long ms = epochMillis - day * 86_400_000L;
        long ymd = civil(day);
        long year = Math.floorDiv(ymd, 10000);
        if (year < 0 || year > 9999) {
            return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(epochMillis));
        }
        char[] c = new char[24];
        put(c, 0, (int) year, 4);
        c[4] = '-';
        put(c, 5, (int) (ymd / 100 % 100), 2);
        c[7] = '-';
        put(c, 8, (int) (ymd % 100), 2);
        c[10] = 'T';
        put(c, 11, (int) (ms / 3_600_000), 2);
        c[13] = ':';
        put(c, 14, (int) (ms / 60_000 % 60), 2);
        c[16] = ':';
        put(c, 17, (int) (ms / 1000 % 60), 2);
        c[19] = '.';
        put(c, 20, (int) (ms % 1000), 3);
        c[23] = 'Z';
        return new String(c);
    }

    static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static final int FRACTION_END_SHIFT = 16;
    private static final long FRACTION_MILLIS_MASK = 0xFFFF;

    /**
     * Reads the digits of a fraction of a second starting at {@code start} (just after the separator): 1 to 9
     * digits, of which the first 3 make the milliseconds (the rest are cut off, not rounded). Returns
     * {@code end index << 16 | millis}, or -1 when there is no digit or more than 9.
     */
    private static long fraction(String s, int start, int end) {
        int j = start;
        int millis = 0;
        int count = 0;
        while (j < end && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
            if (count < 3) {
                millis = millis * 10 + (s.charAt(j) - '0');
            }
            count++;
            j++;
        }
        if (count == 0 || count > 9) {
            return -1;
        }
        for (int k = count; k < 3; k++) {
            millis *= 10;
        }
        return ((long) j << FRACTION_END_SHIFT) | millis;
    }
}
