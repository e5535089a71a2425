package dev.netmeta.sync;

import java.util.OptionalDouble;

/**
 * Where the measured copy throughput survives between invocations: on a 2-hour schedule a container is usually
 * cold, so an estimate kept only in memory would never be used.
 */
public interface ThroughputStore {

    /** The last saved aggregate throughput (bytes/s), if any. */
    OptionalDouble read();

    /** Saves the aggregate throughput (bytes/s). */
    void write(double bytesPerSecond);

    /** Nothing saved, nothing read: every run starts from the configured estimate. */
    ThroughputStore NONE = new ThroughputStore() {
        @Override
        public OptionalDouble read() {
            return OptionalDouble.empty();
        }

        @Override
        public void write(double bytesPerSecond) {
        }
    };
}
