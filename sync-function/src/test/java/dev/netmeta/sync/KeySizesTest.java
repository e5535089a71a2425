package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KeySizesTest {

    @Test
    void aCompleteListingCoversEveryKey() {
        KeySizes all = KeySizes.complete(Map.of());
        assertThat(all.covers("raw/zzz")).isTrue();
    }

    @Test
    void aStoppedListingCoversKeysUpToTheLastListedOneInS3Order() {
        KeySizes stopped = new KeySizes(Map.of(), false, "raw/2018/05/b.csv.gz");
        assertThat(stopped.covers("raw/2018/05/a.csv.gz")).isTrue();
        assertThat(stopped.covers("raw/2018/05/b.csv.gz")).isTrue();
        assertThat(stopped.covers("raw/2018/05/c.csv.gz")).isFalse();
        assertThat(stopped.covers("raw/2018/06/a.csv.gz")).isFalse();
        assertThat(new KeySizes(Map.of(), false, null).covers("raw/a")).as("nothing listed").isFalse();
    }

    @Test
    void orderIsByUtf8BytesAsInS3NotByJavaChars() {
        String emoji = "raw/\uD83D\uDE00.csv.gz"; // U+1F600: UTF-8 F0 9F 98 80
        String replacement = "raw/\uFFFD.csv.gz"; // U+FFFD: UTF-8 EF BF BD
        assertThat(emoji.compareTo(replacement)).as("Java's UTF-16 order").isNegative();
        assertThat(KeySizes.compareUtf8(emoji, replacement)).as("S3's order").isPositive();
        assertThat(new KeySizes(Map.of(), false, replacement).covers(emoji)).isFalse();
    }
}
