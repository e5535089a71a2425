package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThroughputEstimateTest {

    @Test
    void startsAtTheConfiguredValueAndBlendsMeasuredRuns() {
        ThroughputEstimate t = new ThroughputEstimate(100.0);
        assertThat(t.bytesPerSecond()).isEqualTo(100.0);
        t.record(ThroughputEstimate.MIN_SAMPLE_BYTES * 2, 1_000_000_000L); // 32 MiB/s measured
        assertThat(t.bytesPerSecond()).isEqualTo((100.0 + ThroughputEstimate.MIN_SAMPLE_BYTES * 2) / 2);
    }

    @Test
    void tinyRunsDoNotChangeTheEstimate() {
        ThroughputEstimate t = new ThroughputEstimate(100.0);
        t.record(1000, 1);
        t.record(ThroughputEstimate.MIN_SAMPLE_BYTES, 0);
        assertThat(t.bytesPerSecond()).isEqualTo(100.0);
    }
}
