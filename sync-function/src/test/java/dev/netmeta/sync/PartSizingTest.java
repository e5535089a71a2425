package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartSizingTest {

    private static final int MIB = 1024 * 1024;

    @Test
    void configuredPartSizeIsKeptWhileTenThousandPartsSuffice() {
        assertThat(PartSizing.partSizeFor(50L * MIB, 8 * MIB)).isEqualTo(8 * MIB);
        assertThat(PartSizing.partSizeFor(80_000L * MIB, 8 * MIB)).isEqualTo(8 * MIB);
    }

    @Test
    void partSizeGrowsInWholeMebibytesForHugeFiles() {
        // 100 GiB / 10,000 parts = 10.24 MiB → 11 MiB
        int part = PartSizing.partSizeFor(100L * 1024 * MIB, 8 * MIB);
        assertThat(part).isEqualTo(11 * MIB);
        assertThat(PartSizing.partCount(100L * 1024 * MIB, part)).isLessThanOrEqualTo(10_000);
    }

    @Test
    void smallFilesGoInOnePut() {
        assertThat(PartSizing.singlePut(0, 8 * MIB)).isTrue();
        assertThat(PartSizing.singlePut(8 * MIB, 8 * MIB)).isTrue();
        assertThat(PartSizing.singlePut(8 * MIB + 1, 8 * MIB)).isFalse();
    }

    @Test
    void partCountRoundsUp() {
        assertThat(PartSizing.partCount(50L * MIB, 8 * MIB)).isEqualTo(7);
        assertThat(PartSizing.partCount(48L * MIB, 8 * MIB)).isEqualTo(6);
    }

    @Test
    void tooSmallPartOrTooLargeFileIsRefused() {
        assertThatThrownBy(() -> PartSizing.partSizeFor(10, 4 * MIB)).hasMessageContaining("5 MiB");
        assertThatThrownBy(() -> PartSizing.partSizeFor(6L * 1024 * 1024 * MIB, 8 * MIB)).hasMessageContaining("larger than S3 allows");
    }
}
