package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ThroughputEstimateTest {

    @Test
    void aMeasuredRunIsBlendedIntoThePreviousEstimate() {
        double next = ThroughputEstimate.blend(100.0, ThroughputEstimate.MIN_SAMPLE_BYTES * 2, 1_000_000_000L); // 32 MiB/s
        assertThat(next).isEqualTo((100.0 + ThroughputEstimate.MIN_SAMPLE_BYTES * 2) / 2);
    }

    @Test
    void tinyRunsDoNotChangeTheEstimate() {
        assertThat(ThroughputEstimate.blend(100.0, 1000, 1)).isEqualTo(100.0);
        assertThat(ThroughputEstimate.blend(100.0, ThroughputEstimate.MIN_SAMPLE_BYTES, 0)).isEqualTo(100.0);
    }
}
