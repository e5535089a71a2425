package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.model.Env;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadSettingsTest {

    @Test
    void theTimeMarginDefaultsToAMinuteAndTakesAnyPositiveNumber() {
        assertThat(LoadSettings.from(new Env(Map.of())).timeMarginMillis()).isEqualTo(60_000);
        assertThat(LoadSettings.from(new Env(Map.of("LOAD_TIME_MARGIN_MS", "1"))).timeMarginMillis()).isEqualTo(1);
        assertThat(LoadSettings.from(new Env(Map.of("LOAD_TIME_MARGIN_MS", "120000"))).timeMarginMillis())
                .isEqualTo(120_000);
    }

    /** 0 or less read on to the deadline, where Lambda ended the invocation before anything was saved. */
    @Test
    void aBadIndexPrefixFailsTheStartNamingTheVariable() {
        assertThatThrownBy(() -> LoadSettings.from(new Env(Map.of("INDEX_PREFIX", "Metadata"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("INDEX_PREFIX: index prefix must start with a lower-case letter or a digit");
    }

    @Test
    void aTimeMarginOfZeroOrLessFailsTheStartNamingTheVariable() {
        for (String bad : List.of("0", "-1", "-60000")) {
            assertThatThrownBy(() -> LoadSettings.from(new Env(Map.of("LOAD_TIME_MARGIN_MS", bad)))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("LOAD_TIME_MARGIN_MS must be at least 1 millisecond")
                    .hasMessageEndingWith(", got " + bad);
        }
        assertThatThrownBy(() -> LoadSettings.from(new Env(Map.of("LOAD_TIME_MARGIN_MS", "60s"))))
                .hasMessage("environment variable LOAD_TIME_MARGIN_MS must be a whole number");
    }
}
