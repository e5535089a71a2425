package dev.netmeta.sync;

/**
 * Aggregate copy throughput of this container (bytes/s), used to plan how much one invocation can copy. Starts at
 * the configured estimate; each run that moved at least {@code MIN_SAMPLE_BYTES} blends its measured rate in
 * (half old, half new), so a container learns the real speed of its FTP server and bucket.
 */
public final class ThroughputEstimate {

    static final long MIN_SAMPLE_BYTES = 16L * 1024 * 1024;

    private double bytesPerSecond;

    public ThroughputEstimate(double initialBytesPerSecond) {
        this.bytesPerSecond = initialBytesPerSecond;
    }

    public synchronized double bytesPerSecond() {
        return bytesPerSecond;
    }

    public synchronized void record(long bytes, long nanos) {
        if (bytes < MIN_SAMPLE_BYTES || nanos <= 0) {
            return;
        }
        double measured = bytes / (nanos / 1e9);
        bytesPerSecond = (bytesPerSecond + measured) / 2;
    }
}
