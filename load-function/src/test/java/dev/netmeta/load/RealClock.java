package dev.netmeta.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A real clock for the tests about the load's deadline that starts when the work the test counts on has happened, not
 * when it is made: with a budget of a second or two from the start, a machine that paused before the first requests
 * went out (a busy CI runner, a GC) sent fewer of them, and the counts the test asserts came out different.
 *
 * <p>Only for code that reads the clock itself, again and again (the bulk indexer's session does, every 200 ms while
 * it waits): {@code LoadService} reads the invocation's clock in its reading loop only ({@code ObservedDeadline}), so
 * a loop waiting for a request slot when the moment came would never see the clock start.
 */
public final class RealClock {

    /** Starts the clock anyway after this long: a regression that never reaches the moment fails, it does not hang. */
    private static final long LATEST_START_NANOS = TimeUnit.SECONDS.toNanos(30);

    private RealClock() {
    }

    /**
     * Fifteen minutes left until {@code begins} is true (or 30 s have passed), then the time left until
     * {@code millis} after the first reading that found it true.
     */
    public static Deadline startingWhen(BooleanSupplier begins, long millis) {
        long created = System.nanoTime();
        AtomicLong end = new AtomicLong(Long.MIN_VALUE);
        return () -> {
            long now = System.nanoTime();
            if (end.get() == Long.MIN_VALUE) {
                if (!begins.getAsBoolean() && now - created < LATEST_START_NANOS) {
                    return 900_000;
                }
                end.compareAndSet(Long.MIN_VALUE, now + TimeUnit.MILLISECONDS.toNanos(millis));
            }
            return TimeUnit.NANOSECONDS.toMillis(end.get() - now);
        };
    }
}
