package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathPatternsTest {

    @Test
    void defaultPatternMatchesFileNameInAnyDirectory() {
        PathPatterns p = new PathPatterns(List.of("*.csv.gz"));
        assertThat(p.matches("a.csv.gz")).isTrue();
        assertThat(p.matches("2018/05/09/flows.csv.gz")).isTrue();
        assertThat(p.matches("a.csv")).isFalse();
        assertThat(p.matches("a.csv.gz.tmp")).isFalse();
        assertThat(p.matches("csv.gz/readme.txt")).isFalse();
    }

    @Test
    void severalPatternsAreAlternatives() {
        PathPatterns p = new PathPatterns(List.of("*.csv.gz", "conn.*.log.gz", "eve-??.json"));
        assertThat(p.matches("x/conn.00:00:00-01:00:00.log.gz")).isTrue();
        assertThat(p.matches("eve-01.json")).isTrue();
        assertThat(p.matches("eve-001.json")).isFalse();
        assertThat(p.matches("dns.log.gz")).isFalse();
    }

    @Test
    void patternWithSlashMatchesRelativePath() {
        PathPatterns p = new PathPatterns(List.of("zeek/**/*.log.gz", "/top/*.csv"));
        assertThat(p.matches("zeek/conn.log.gz")).isTrue();
        assertThat(p.matches("zeek/2018/05/conn.log.gz")).isTrue();
        assertThat(p.matches("other/zeek/conn.log.gz")).isFalse();
        assertThat(p.matches("top/a.csv")).isTrue();
        assertThat(p.matches("top/sub/a.csv")).isFalse();
    }

    @Test
    void regexCharactersAreLiteral() {
        PathPatterns p = new PathPatterns(List.of("data(1)+[x].csv"));
        assertThat(p.matches("data(1)+[x].csv")).isTrue();
        assertThat(p.matches("data1x.csv")).isFalse();
    }

    /** A character beyond U+FFFF is one character of the pattern: quoted as two halves, it matched nothing. */
    @Test
    void aCharacterBeyondTheBasicPlaneMatchesItselfAndIsOneCharacterForQuestionMark() {
        PathPatterns p = new PathPatterns(List.of("*😀*", "?𝄞.log"));
        assertThat(p.matches("a😀b.csv.gz")).isTrue();
        assertThat(p.matches("d/😀")).isTrue();
        assertThat(p.matches("ab.csv.gz")).isFalse();
        assertThat(p.matches("😀𝄞.log")).as("? takes the whole of 😀").isTrue();
        assertThat(p.matches("x𝄞.log")).isTrue();
    }

    /** {@code **} crosses a name with a line terminator in it, as {@code *} and {@code ?} take one within a name. */
    @Test
    void doubleStarCrossesNamesWithLineTerminators() {
        PathPatterns p = new PathPatterns(List.of("zeek/**/*.log.gz"));
        assertThat(p.matches("zeek/\u00c3\u0085land/conn.log.gz")).as("UTF-8 Åland read as ISO-8859-1").isTrue();
        assertThat(p.matches("zeek/a\u2028b/c/conn.log.gz")).isTrue();
        assertThat(p.matches("zeek/a\nb/conn.log.gz")).isTrue();
        assertThat(new PathPatterns(List.of("*.log.gz")).matches("a\u0085b.log.gz")).isTrue();
    }
}
