package dev.netmeta.local.runner.invoke;

import java.util.function.IntSupplier;

/**
 * What an invocation's {@code Context.getRemainingTimeInMillis()} answers. The runner uses {@link #WALL}: the time
 * left until the deadline (start of the handler call + the manifest's timeout). The timeout itself is always enforced
 * on the wall clock, whatever the clock the handler reads; another clock is for tests that need a function to run
 * out of time after a known amount of work instead of after a machine-dependent number of rows. In the last part of a
 * stop's grace the Context answers the time left of the grace when that is less ({@link LocalFunction#close(long)}).
 */
@FunctionalInterface
public interface ContextClock {

    /** The Context's remaining time for one invocation of {@code functionKey} whose deadline is {@code deadlineMillis}. */
    IntSupplier remainingTime(String functionKey, long deadlineMillis, long timeoutMillis);

    /** Real time: the milliseconds left until the deadline, never negative. */
    ContextClock WALL = (functionKey, deadlineMillis, timeoutMillis) ->
            () -> (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
}
