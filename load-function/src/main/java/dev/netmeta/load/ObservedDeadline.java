package dev.netmeta.load;

/**
 * The invocation's clock as last read by the loader, running on at wall-clock speed: the bulk workers look at it
 * without asking the Lambda {@code Context} again (so the reading loop's checks stay the only reads of the clock).
 */
final class ObservedDeadline implements Deadline {

    private final Deadline source;
    private volatile long remainingAtRead;
    private volatile long readAtNanos;

    ObservedDeadline(Deadline source) {
        this.source = source;
        check();
    }

    /** Reads the invocation's clock. */
    long check() {
        long remaining = source.remainingMillis();
        readAtNanos = System.nanoTime();
        remainingAtRead = remaining;
        return remaining;
    }

    @Override
    public long remainingMillis() {
        long elapsed = (System.nanoTime() - readAtNanos) / 1_000_000;
        return remainingAtRead - elapsed;
    }
}
