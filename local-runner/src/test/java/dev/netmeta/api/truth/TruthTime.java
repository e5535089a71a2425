package dev.netmeta.api.truth;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Times as docs/API.md says the api and the engine read them, for the forms the generator writes. In {@code q}: an
 * ISO-8601 bound names a span as long as its precision (a day, a minute, a second, a millisecond); a range starts at
 * the start of its lower bound and ({@code [… TO 2018-05-09]} "reaches to the day's last millisecond") ends at the end
 * of its inclusive upper bound, an exclusive lower bound starts after its end and an exclusive upper bound ends
 * before its start; epoch milliseconds are one millisecond. For {@code from}/{@code to}: the instant the text names
 * (a date alone is midnight UTC, no zone is UTC), an epoch number below 10^11 is seconds, with a fraction, from 10^11 on
 * milliseconds.
 */
public final class TruthTime {

    private TruthTime() {
    }

    /** The first and the last millisecond a bound of q names. */
    public record Span(long start, long end) {
    }

    public static Span span(String bound) {
        if (bound.equals("now")) {
            long now = System.currentTimeMillis();
            return new Span(now, now);
        }
        if (bound.matches("[0-9]{11,}")) {
            long ms = Long.parseLong(bound);
            return new Span(ms, ms);
        }
        if (bound.matches("\\d{4}-\\d{2}-\\d{2}")) {
            long start = LocalDate.parse(bound).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
            return new Span(start, start + 86_400_000L - 1);
        }
        if (bound.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}")) {
            long start = LocalDateTime.parse(bound).toInstant(ZoneOffset.UTC).toEpochMilli();
            return new Span(start, start + 60_000L - 1);
        }
        if (bound.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}")) {
            long start = LocalDateTime.parse(bound).toInstant(ZoneOffset.UTC).toEpochMilli();
            return new Span(start, start + 999);
        }
        long ms = OffsetDateTime.parse(bound).toInstant().toEpochMilli(); // with a fraction of 3 digits and a zone
        return new Span(ms, ms);
    }

    /** The instant a from/to parameter names. */
    public static long parameter(String value) {
        if (value.matches("[0-9]+(\\.[0-9]+)?")) {
            java.math.BigDecimal n = new java.math.BigDecimal(value);
            if (n.compareTo(java.math.BigDecimal.valueOf(100_000_000_000L)) < 0) {
                return n.movePointRight(3).longValue(); // seconds; sub-millisecond digits dropped
            }
            return n.longValue();
        }
        if (value.matches("\\d{4}-\\d{2}-\\d{2}")) {
            return LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (value.matches("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}")) {
            return LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return OffsetDateTime.parse(value).toInstant().toEpochMilli();
    }

    public static String iso(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }
}
