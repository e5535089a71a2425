package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IndexNamesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2018-05-09T00:00:00.000Z,metadata-2018.05.09",
            "2018-05-09T14:30:21.123Z,metadata-2018.05.09",
            "2018-05-09T23:59:59.999Z,metadata-2018.05.09",
            "2018-05-10T00:00:00.000Z,metadata-2018.05.10",
            "2018-12-31T23:59:59.999Z,metadata-2018.12.31",
            "2019-01-01T00:00:00.000Z,metadata-2019.01.01",
            "2020-02-29T12:00:00Z,metadata-2020.02.29",
            "2020-03-01T00:00:00Z,metadata-2020.03.01",
            "1970-01-01T00:00:00Z,metadata-1970.01.01",
            "1969-12-31T23:59:59.999Z,metadata-1969.12.31"})
    void namesTheDailyIndexByUtcDate(String instant, String expected) {
        assertThat(IndexNames.daily(IndexNames.DEFAULT_PREFIX, Instant.parse(instant).toEpochMilli()))
                .isEqualTo(expected);
    }

    @Test
    void usesTheUtcDateNotTheWriterZone() {
        long justBeforeMidnightUtcSeenFromParis = FieldValues.parseTimestamp("2018-05-10T01:30:00+02:00");
        assertThat(IndexNames.daily("metadata", justBeforeMidnightUtcSeenFromParis)).isEqualTo("metadata-2018.05.09");
        long afterMidnightUtcSeenFromNewYork = FieldValues.parseTimestamp("2018-05-09T20:00:00-04:00");
        assertThat(IndexNames.daily("metadata", afterMidnightUtcSeenFromNewYork)).isEqualTo("metadata-2018.05.10");
    }

    @Test
    void agreesWithJavaTimeForRandomInstants() {
        DateTimeFormatter day = DateTimeFormatter.ofPattern("uuuu.MM.dd").withZone(ZoneOffset.UTC);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            long millis = random.nextLong(-2_000_000_000_000L, 7_000_000_000_000L);
            assertThat(IndexNames.daily("nm", millis)).isEqualTo("nm-" + day.format(Instant.ofEpochMilli(millis)));
        }
    }

    @Test
    void aliasAndCustomPrefix() {
        assertThat(IndexNames.alias("metadata")).isEqualTo("metadata");
        assertThat(IndexNames.DEFAULT_PREFIX).isEqualTo("metadata");
        assertThat(IndexNames.daily("netmeta-it-42", 0)).isEqualTo("netmeta-it-42-1970.01.01");
        assertThat(IndexNames.alias("netmeta-it-42")).isEqualTo("netmeta-it-42");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "Metadata", "metaData", "meta data", "_x", "-x", "+x", ".x", ".", "..", "a/b",
            "a\\b", "a*", "a?", "a\"b", "a<b", "a>b", "a|b", "a,b", "a#b", "a:b", "a\tb",
            // OpenSearch would take these in an index name, but they go unencoded into request paths and IAM ARNs:
            "a%b", "a%2fb", "a^b", "a{b}", "a[b]", "a$b", "a${b}", "a+b", "a=b", "a&b", "a;b", "a'b", "a`b", "a~b",
            "a!b", "a@b", "a(b)", "m\u00e9ta", "\u00e9", "\u00c4meta", "meta\u0131", "meta\u212a"})
    void rejectsPrefixesOutsideTheUrlAndArnSafeCharacters(String prefix) {
        assertThatThrownBy(() -> IndexNames.daily(prefix, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index prefix");
        assertThatThrownBy(() -> IndexNames.alias(prefix)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IndexNames.requireValidPrefix(prefix)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a-z 0-9 . _ -");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"metadata", "m", "0", "9x", "net.meta", "x_1", "metadata-staging", "a-b_c.d-2",
            "a..b", "a-", "a.", "a_"})
    void acceptsLowerCaseAsciiLettersDigitsDotUnderscoreAndHyphen(String prefix) {
        assertThat(IndexNames.requireValidPrefix(prefix)).isEqualTo(prefix);
        assertThat(IndexNames.daily(prefix, 0)).isEqualTo(prefix + "-1970.01.01");
    }

    @Test
    void rejectsNullAndOverlongPrefixes() {
        assertThatThrownBy(() -> IndexNames.daily(null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IndexNames.daily("a".repeat(201), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(IndexNames.requireValidPrefix("a".repeat(200))).hasSize(200);
    }

    @Test
    void thePrefixOfAnEnvironmentIsCheckedAndABadOneNamesTheVariable() {
        assertThat(IndexNames.prefix(new Env(java.util.Map.of()))).isEqualTo("metadata");
        assertThat(IndexNames.prefix(new Env(java.util.Map.of("INDEX_PREFIX", " metadata-dev ")))).isEqualTo("metadata-dev");
        // "index prefix must start with ..." alone did not say which setting of the function to change
        assertThatThrownBy(() -> IndexNames.prefix(new Env(java.util.Map.of("INDEX_PREFIX", "Metadata"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("INDEX_PREFIX: index prefix must start with a lower-case letter or a digit: Metadata"
                        + " (allowed: 1 to 200 of a-z 0-9 . _ -, starting with a-z or 0-9)");
        assertThatThrownBy(() -> IndexNames.prefix(new Env(java.util.Map.of("INDEX_PREFIX", "meta%data"))))
                .hasMessageStartingWith("INDEX_PREFIX: index prefix must not contain '%'");
    }

    @Test
    void readsTheDayBackFromADailyIndexOfThePrefix() {
        assertThat(IndexNames.dayOf("metadata", "metadata-2018.05.09")).isEqualTo(java.time.LocalDate.of(2018, 5, 9));
        assertThat(IndexNames.dayOf("metadata", IndexNames.daily("metadata", 0L)))
                .isEqualTo(java.time.LocalDate.of(1970, 1, 1));
        for (String other : new String[]{"metadata-staging-2018.05.09", "metadata-2018.5.09", "metadata-2018.02.30",
                "metadata-2018-05-09", "metadatb-2018.05.09", "metadata", "metadata-2018.05.0x", "metadata-+018.05.09"}) {
            assertThat(IndexNames.dayOf("metadata", other)).as(other).isNull();
        }
    }
}
