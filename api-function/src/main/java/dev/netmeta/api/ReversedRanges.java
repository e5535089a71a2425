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
 * field, two IPv4 or two IPv6 addresses on an IP field (an IPv4 address against an IPv6 one is left alone: the engine
 * orders them as IPv4-mapped IPv6, which nobody writing such a range has in mind either way), two ISO-8601 times on a
 * date field, the first one's start after the second one's end (OpenSearch reads {@code [… TO 2018-05-09]} to the
 * day's last millisecond, so {@code [2018-05-09T10:00 TO 2018-05-09]} is the rest of the day, not reversed). Not
 * {@code *}, date math ({@code now-1d}, {@code ||+1d}), epoch milliseconds or any other spelling the engine may read
 * otherwise; not bounds equal to each other ({@code {5 TO 5}} is empty, but written so on purpose or not, it is no
 * reversal to show). The 400 shows the range the other way round, its brackets mirrored ({@code {443 TO 80]} as
 * {@code [80 TO 443}}).
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
            case IP -> "its first address is above its last";
            case DATE -> "its first time is after its last";
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
        boolean v4 = QueryGuard.isIpv4(low) && QueryGuard.isIpv4(high);
        boolean v6 = QueryGuard.isIpv6(low) && QueryGuard.isIpv6(high) && low.indexOf('.') < 0 && high.indexOf('.') < 0;
        if (!v4 && !v6) {
            return false;
        }
        try { // literals checked above: no name lookup
            byte[] a = InetAddress.getByName(low).getAddress();
            byte[] b = InetAddress.getByName(high).getAddress();
            if (a.length != b.length) {
                return false; // ::ffff:a.b.c.d written in hex is read as IPv4: not compared
            }
            for (int k = 0; k < a.length; k++) {
                int d = (a[k] & 0xff) - (b[k] & 0xff);
                if (d != 0) {
                    return d > 0;
                }
            }
            return false;
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }

    private static boolean timesReversed(String low, String high) {
        long[] a = span(low);
        long[] b = span(high);
        return a != null && b != null && a[0] > b[1];
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
