package dev.netmeta.api;

import dev.netmeta.model.FieldType;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * A range whose first bound is above its second ({@code dstPort:[443 TO 80]}, {@code srcIp:[10.0.0.255 TO 10.0.0.1]},
 * {@code timestamp:[2018-05-10 TO 2018-05-09]}): OpenSearch answers it with 0 hits and no error, which a researcher
 * reads as "no such traffic"; it is never what was meant. Refused where the order is sure: two numbers on a number
 * field; two addresses on an IP field, in the engine's order, which reads an IPv4 address as its IPv4-mapped IPv6 one
 * ({@code 10.0.0.1} as {@code ::ffff:10.0.0.1}: above {@code ::1}, below {@code 2001:db8::}; the message says so when
 * the two are of different families, as it is no order anyone has in mind); two times on a date field, ISO-8601 or
 * epoch milliseconds of 10 to 18 digits (fewer may read as a year, as {@code 2018} does), the first one's
 * start after the second one's end (OpenSearch reads {@code [… TO 2018-05-09]} to the day's last millisecond, so
 * {@code [2018-05-09T10:00 TO 2018-05-09]} is the rest of the day, not reversed). Not {@code *}, date math
 * ({@code now-1d}, {@code ||+1d}) or any other spelling the engine may read otherwise; not bounds equal to each other
 * ({@code {5 TO 5}} is empty, but written so on purpose or not, it is no reversal to show). The 400 shows the range
 * the other way round, its brackets mirrored ({@code {443 TO 80]} as {@code [80 TO 443}}).
 */
final class ReversedRanges {

    private ReversedRanges() {
    }

    /**
     * The 400's message for the range {@code open low TO high close} on {@code field} of type {@code type} (a contract
     * field's type, or {@link FieldType#LONG} for an extra column the daily indices map as a number) when its first
     * bound is surely above its second, else null. Bounds are as the parser reads them (quotes removed).
     */
    static String message(String field, FieldType type, char open, String low, String high, char close) {
        if (low.equals("*") || high.equals("*")) {
            return null;
        }
        boolean reversed = switch (type) {
            case INTEGER, LONG -> numbersReversed(low, high);
            case IP -> addressesReversed(low, high);
            case DATE -> timesReversed(low, high);
            case KEYWORD -> false;
        };
        if (!reversed) {
            return null;
        }
        String what = switch (type) {
            case IP -> "its first address is above its last" + familiesNote(low, high);
            case DATE -> "its first time is after its last" + epochNote(low, high);
            default -> "its lower bound is above its upper bound";
        };
        return "q has the range " + field + ":" + open + low + " TO " + high + close + ", and " + what + ", so it"
                + " matches nothing (a range goes from the lower bound to the upper one). Write it the other way round: "
                + field + ":" + (close == ']' ? '[' : '{') + high + " TO " + low + (open == '[' ? ']' : '}');
    }

    private static boolean numbersReversed(String low, String high) {
        BigDecimal a = decimal(low);
        BigDecimal b = decimal(high);
        return a != null && b != null && a.compareTo(b) > 0;
    }

    private static BigDecimal decimal(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException notADecimal) {
            return null;
        }
    }

    private static boolean addressesReversed(String low, String high) {
        byte[] a = sortKey(low);
        byte[] b = sortKey(high);
        if (a == null || b == null) {
            return false;
        }
        for (int k = 0; k < a.length; k++) {
            int d = (a[k] & 0xff) - (b[k] & 0xff);
            if (d != 0) {
                return d > 0;
            }
        }
        return false;
    }

    /**
     * The 16 bytes the engine orders the address literal {@code s} by (Lucene's {@code InetAddressPoint}: an IPv4
     * address as its IPv4-mapped IPv6 one, {@code ::ffff:a.b.c.d}), or null for no IPv4 or IPv6 literal.
     */
    static byte[] sortKey(String s) {
        InetAddress literal = literal(s);
        if (literal == null) {
            return null;
        }
        byte[] address = literal.getAddress();
        if (address.length == 16) {
            return address;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address, 0, mapped, 12, 4);
        return mapped;
    }

    /**
     * For an IPv4 address against an IPv6 one, how the engine orders them; else "". The family is the parsed address's
     * (4 or 16 bytes), not its spelling: {@code ::ffff:10.0.0.5} is the IPv4 address 10.0.0.5, so
     * {@code [::ffff:10.0.0.5 TO 10.0.0.1]} orders two IPv4 addresses and gets no note.
     */
    private static String familiesNote(String low, String high) {
        InetAddress a = literal(low);
        InetAddress b = literal(high);
        if (a == null || b == null || a.getAddress().length == b.getAddress().length) {
            return "";
        }
        String v4 = (a.getAddress().length == 4 ? a : b).getHostAddress();
        return " (the search engine orders an IPv4 address as its IPv4-mapped IPv6 address, " + v4 + " as ::ffff:" + v4
                + ": after ::1, before 2001:db8::)";
    }

    /** The address the IPv4 or IPv6 literal {@code s} is (an IPv4-mapped one as its IPv4 address), or null. */
    private static InetAddress literal(String s) {
        if (!QueryGuard.isIpv4(s) && !QueryGuard.isIpv6(s)) {
            return null;
        }
        try { // a literal, checked above: no name lookup
            return InetAddress.getByName(s);
        } catch (UnknownHostException notAnAddress) {
            return null;
        }
    }

    /** For a range with a bound in epoch milliseconds, the times its bounds stand for; else "". */
    private static String epochNote(String low, String high) {
        if (epochMillis(low) == null && epochMillis(high) == null) {
            return "";
        }
        return " (" + readable(low) + " TO " + readable(high) + " in UTC)";
    }

    private static String readable(String bound) {
        Long millis = epochMillis(bound);
        return millis == null ? bound : java.time.Instant.ofEpochMilli(millis).toString();
    }

    /**
     * {@code s} as epoch milliseconds when it is 10 to 18 digits, which the engine's date format
     * ({@code strict_date_optional_time||epoch_millis}) can only read so; else null (fewer digits may read as a year,
     * a sign or fraction is left to the engine).
     */
    static Long epochMillis(String s) {
        if (s.length() < 10 || s.length() > 18) {
            return null;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return null;
            }
        }
        return Long.parseLong(s);
    }

    private static boolean timesReversed(String low, String high) {
        long[] a = instantOrSpan(low);
        long[] b = instantOrSpan(high);
        return a != null && b != null && a[0] > b[1];
    }

    /** The epoch milliseconds {@code s} is ({@link #epochMillis}) as a span of one, or its ISO-8601 {@link #span}. */
    private static long[] instantOrSpan(String s) {
        Long millis = epochMillis(s);
        return millis != null ? new long[]{millis, millis} : span(s);
    }

    /**
     * The first and last millisecond the ISO-8601 time {@code s} names ({@code 2018-05-09}: the day, {@code …T10}: the
     * hour, {@code …T10:00}: the minute, {@code …T10:00:00} and more: the second), in UTC unless it gives an offset
     * ({@code Z}, {@code +02:00}), or null for anything else (date math, epoch milliseconds, a year alone).
     */
    static long[] span(String s) {
        if (s.length() < 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(s.substring(0, 10));
            if (s.length() == 10) {
                long start = day.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
                return new long[]{start, start + 86_400_000L - 1};
            }
            if (s.charAt(10) != 'T') {
                return null;
            }
            String rest = s.substring(11);
            ZoneOffset offset = ZoneOffset.UTC;
            int zone = Math.max(rest.indexOf('Z'), Math.max(rest.indexOf('+'), rest.indexOf('-')));
            if (zone >= 0) {
                String z = rest.substring(zone);
                offset = z.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(z);
                rest = rest.substring(0, zone);
            }
            String[] parts = rest.split(":", -1);
            if (parts.length > 3 || parts[0].length() != 2) {
                return null;
            }
            long length = parts.length == 1 ? 3_600_000L : parts.length == 2 ? 60_000L : 1_000L;
            String time = parts.length == 1 ? rest + ":00" : rest;
            LocalDateTime at = LocalDateTime.parse(s.substring(0, 10) + "T" + time);
            long start = at.toInstant(offset).toEpochMilli();
            return new long[]{start, start + length - 1};
        } catch (java.time.DateTimeException | StringIndexOutOfBoundsException notATime) {
            return null;
        }
    }
}
