package dev.netmeta.load;

import dev.netmeta.model.Env;
import java.time.LocalDate;

/**
 * {@code INDEX_RETENTION_DAYS}: how many days of daily indices before today (UTC) are kept — {@code off} (the default:
 * every index is kept) or a whole number of days from 1 to {@value #MAX_DAYS}. With N days the index of day D is
 * expired once D &lt; today − N: today and the N days before it stay. Off by default on purpose: deleting a
 * researcher's data unasked is worse than the full disk docs/DEPLOY.md warns about, and the raw files stay in S3, so
 * whatever retention deleted can be loaded again (with the retention set longer).
 *
 * @param days the number of days, 0 when off
 */
public record RetentionDays(int days) {

    public static final String VARIABLE = "INDEX_RETENTION_DAYS";
    /** 100 years: a bound that no real retention reaches, far from LocalDate's or the index names' limits. */
    public static final int MAX_DAYS = 36_500;
    public static final RetentionDays OFF = new RetentionDays(0);

    private static final long MILLIS_PER_DAY = 86_400_000L;

    public RetentionDays {
        if (days < 0 || days > MAX_DAYS) {
            throw new IllegalArgumentException(VARIABLE + " must be off or 1-" + MAX_DAYS + " days, got " + days);
        }
    }

    /** The environment's {@code INDEX_RETENTION_DAYS}; unset or blank is {@code off}. */
    public static RetentionDays from(Env env) {
        return parse(env.get(VARIABLE, "off"));
    }

    /**
     * {@code off} (any case) or {@code 1}–{@code 36500} without sign, leading zeros or spaces inside — what the
     * deploy's guard {@code IndexRetentionDaysValid} lets through, so a value the deploy accepts never fails here.
     *
     * @throws IllegalArgumentException naming the variable and the value
     */
    public static RetentionDays parse(String value) {
        String v = value == null ? "" : value.strip();
        if (v.equalsIgnoreCase("off")) {
            return OFF;
        }
        if (v.matches("[1-9][0-9]{0,4}")) {
            int days = Integer.parseInt(v);
            if (days <= MAX_DAYS) {
                return new RetentionDays(days);
            }
        }
        throw new IllegalArgumentException(VARIABLE + " must be off (keep every daily index) or a whole number of days"
                + " from 1 to " + MAX_DAYS + " (today and that many days before it are kept), got '" + value + "'");
    }

    public boolean off() {
        return days == 0;
    }

    /** The oldest day whose index is kept, today − N; null when off. */
    public LocalDate oldestDayKept(LocalDate today) {
        return off() ? null : today.minusDays(days);
    }

    /** Whether the index of {@code day} is past the retention on {@code today} (never when off). */
    public boolean expired(LocalDate day, LocalDate today) {
        return !off() && day.isBefore(today.minusDays(days));
    }

    /**
     * The oldest epoch day (days since 1970-01-01 UTC) whose records are indexed at {@code nowMillis}, so the load
     * compares the day it already has per record with one {@code <}; {@link Long#MIN_VALUE} when off: no day is
     * below it.
     */
    public long oldestEpochDayKept(long nowMillis) {
        return off() ? Long.MIN_VALUE : Math.floorDiv(nowMillis, MILLIS_PER_DAY) - days;
    }

    @Override
    public String toString() {
        return off() ? "off" : Integer.toString(days);
    }
}
