package dev.netmeta.load.index;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": attempt n waits a random time in [d/2, d] with
 * d = min(cap, base × 2^(n-1)), so retries of many concurrent loaders spread out instead of arriving together.
 */
public record Backoff(long baseMillis, long capMillis, int maxAttempts) {

    public static Backoff standard(int maxAttempts) {
        return new Backoff(250, 10_000, maxAttempts);
    }

    /** Delay before retry number {@code retry} (1 = first retry). */
    public long delayMillis(int retry) {
        long d = Math.min(capMillis, baseMillis << Math.min(30, retry - 1));
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }

    public boolean canRetry(int attemptsSoFar) {
        return attemptsSoFar < maxAttempts;
    }

    /** Statuses worth retrying, for a whole request or a single item. */
    public static boolean retryable(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }
}
