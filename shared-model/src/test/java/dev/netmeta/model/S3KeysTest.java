package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class S3KeysTest {

    @Test
    void countsUtf8BytesAsTheEncoderDoes() {
        for (String s : new String[] {"", "raw/a.csv.gz", "München", "名前", "😀 emoji", "a\u0000b"}) {
            assertThat(S3Keys.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void aKeyFitsUpTo1024Bytes() {
        assertThat(S3Keys.fits("a".repeat(1024))).isTrue();
        assertThat(S3Keys.fits("a".repeat(1025))).isFalse();
        assertThat(S3Keys.fits("ü".repeat(512))).as("1,024 bytes in 512 characters").isTrue();
        assertThat(S3Keys.fits("ü".repeat(513))).isFalse();
        assertThat(S3Keys.fits("名".repeat(341))).as("1,023 bytes").isTrue();
        assertThat(S3Keys.fits("名".repeat(342))).isFalse();
    }
}
