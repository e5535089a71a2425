package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * from/to took no date math: {@code from=now-1d} was a 400 invalid_time, though q's {@code timestamp:>now-1d} works.
 * They take OpenSearch's date math relative to now ({@link DateMath}); anything else starting with now is a 400 that
 * says what is wrong. (SearchApiDateMathIT compares the times with OpenSearch's own reading of the same date math.)
 */
class DateMathTest {

    /** A Wednesday. */
    private static final long NOW = Instant.parse("2026-03-18T13:47:25.123Z").toEpochMilli();

    private static String at(String math) {
        return Instant.ofEpochMilli(DateMath.parse("from", math).resolve("from", NOW)).toString();
    }

    @Test
    void nowAndStepsAreResolvedInUtcRoundingDown() {
        assertThat(at("now")).isEqualTo("2026-03-18T13:47:25.123Z");
        assertThat(at("now-15m")).isEqualTo("2026-03-18T13:32:25.123Z");
        assertThat(at("now+1h")).isEqualTo("2026-03-18T14:47:25.123Z");
        assertThat(at("now-1d/d")).isEqualTo("2026-03-17T00:00:00Z");
        assertThat(at("now/d+8h")).isEqualTo("2026-03-18T08:00:00Z");
        assertThat(at("now/w")).isEqualTo("2026-03-16T00:00:00Z"); // a week starts on Monday
        assertThat(at("now-1M/M")).isEqualTo("2026-02-01T00:00:00Z");
        assertThat(at("now-1y/y")).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(at("now/H")).isEqualTo("2026-03-18T13:00:00Z");
        assertThat(at("now/m")).isEqualTo("2026-03-18T13:47:00Z");
        assertThat(at("now/s")).isEqualTo("2026-03-18T13:47:25Z");
        assertThat(at("now-1M")).isEqualTo("2026-02-18T13:47:25.123Z"); // M months, m minutes
        assertThat(at("now-2w")).isEqualTo("2026-03-04T13:47:25.123Z");
        assertThat(at("now-30s-1m-1h-1d-1w-1M-1y/d")).isEqualTo("2025-02-10T00:00:00Z");
    }

    @Test
    void anythingElseStartingWithNowIsA400SayingWhatIsWrong() {
        String tail = ". Date math is now, then steps such as -15m, +1h, -1d or /d (rounds down), e.g. now-1d/d";
        assertInvalid("now-d", "from 'now-d' is no date math this API takes: '-' takes a number of 1 to 9 digits and a"
                + " unit (now-1d)" + tail);
        assertInvalid("now/2d", "from 'now/2d' is no date math this API takes: a rounding takes a unit alone (now/d),"
                + " not a number" + tail);
        assertInvalid("now-1x", "from 'now-1x' is no date math this API takes: 'x' is no unit (y, M, w, d, h, m, s: m"
                + " is minutes, M months)" + tail);
        assertInvalid("now-1", "from 'now-1' is no date math this API takes: a unit is missing at the end (y, M, w, d,"
                + " h, m, s: m is minutes, M months)" + tail);
        assertInvalid("now 1h", "from 'now 1h' is no date math this API takes: a '+' in a URL's query string arrives as"
                + " a space: write it as %2B (now%2B1h)" + tail);
        assertInvalid("now - 1d", "from 'now - 1d' is no date math this API takes: date math has no spaces (now-1d, not"
                + " now - 1d)" + tail);
        assertInvalid("now-1dx", "from 'now-1dx' is no date math this API takes: after now, each step is +N, -N or /"
                + " and a unit, not 'x'" + tail);
        assertInvalid("nowish", "from 'nowish' is no date math this API takes: after now, each step is +N, -N or / and"
                + " a unit, not 'ish'" + tail);
        assertInvalid("now-1234567890d", "'-' takes a number of 1 to 9 digits");
        assertInvalid("now" + "-1s".repeat(9), "at most 8 steps after now are taken");
    }

    private static void assertInvalid(String math, String message) {
        assertThatThrownBy(() -> DateMath.parse("from", math)).as(math).isInstanceOfSatisfying(ApiException.class,
                e -> {
                    assertThat(e.code()).isEqualTo("invalid_time");
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void aTimeOutsideTheYearsOfTheDataContractIsA400() {
        for (String math : List.of("now-2100y", "now+8000y", "now-999999999y", "now+999999999M")) {
            assertThatThrownBy(() -> DateMath.parse("to", math).resolve("to", NOW)).as(math)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage())
                            .isEqualTo("to must lie in the years 0000-9999 (UTC), as every indexed timestamp does; '"
                                    + math + "' does not"));
        }
    }

    @Test
    void theParserTakesDateMathAndKeepsTheOtherFormsAndTheirChecks() {
        SearchParametersParser parser = new SearchParametersParser(100);
        SearchParameters p = parser.parse(Map.of("from", List.of(" now-1d/d "), "to", List.of("now")));
        assertThat(p.fromMillis()).isNull();
        assertThat(p.fromMath().text()).isEqualTo("now-1d/d");
        assertThat(p.toMath().text()).isEqualTo("now");
        SearchParameters mixed = parser.parse(Map.of("from", List.of("2018-05-09"), "to", List.of("now")));
        assertThat(mixed.fromMillis()).isEqualTo(1525824000000L);
        assertThat(mixed.fromMath()).isNull();
        assertThatThrownBy(() -> parser.parse(Map.of("from", List.of("yesterday")))).hasMessageContaining("or date"
                + " math relative to now (e.g. now-1d, now-15m, now-1d/d), not 'yesterday'");
        assertThatThrownBy(() -> parser.parse(Map.of("to", List.of("NOW-1d")))).hasMessageContaining("to must be an"
                + " ISO-8601 time");
    }
}
