package dev.netmeta.sync;

/**
 * Aggregate copy throughput (bytes/s), used to plan how much one invocation can copy. A run that moved at least
 * {@code MIN_SAMPLE_BYTES} blends its measured rate into the previous estimate (half old, half new); the result is
 * kept in a {@link ThroughputStore} between runs, so the estimate follows the real speed of the FTP server and the
 * bucket even though each scheduled run usually starts in a cold container.
 */
public final class ThroughputEstimate {

    static final long MIN_SAMPLE_BYTES = 16L * 1024 * 1024;

    private ThroughputEstimate() {
    }

    /** The new estimate after a run that copied {@code bytes} in {@code nanos}; the old one when the sample is too small. */
    public static double blend(double previousBytesPerSecond, long bytes, long nanos) {
        if (bytes < MIN_SAMPLE_BYTES || nanos <= 0) {
            return previousBytesPerSecond;
        }
        double measured = bytes / (nanos / 1e9);
        return (previousBytesPerSecond + measured) / 2;
    }
}
