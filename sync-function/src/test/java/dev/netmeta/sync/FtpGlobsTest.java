package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FtpGlobsTest {

    /** The characters servers read as a pattern in a listing's argument: such a path is entered, not listed by name. */
    @Test
    void globAndEscapeCharactersAreFoundAnywhereInThePath() {
        assertThat(FtpGlobs.in("/in/br[1]/a.csv.gz")).isTrue();
        assertThat(FtpGlobs.in("/in/a*b")).isTrue();
        assertThat(FtpGlobs.in("/in/q?x=1")).isTrue();
        assertThat(FtpGlobs.in("/in/a\\b")).as("glob(3)'s escape: a\\b is listed as ab").isTrue();
        assertThat(FtpGlobs.in("/in/{a,b}")).as("brace expansion (GLOB_BRACE)").isTrue();
        assertThat(FtpGlobs.in("/in/2018-05-09/conn (1) #2 %20 +.log.gz")).isFalse();
    }
}
