package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.model.Env;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetentionDaysTest {

    @Test
    void unsetBlankAndOffInAnyCaseKeepEverything() {
        assertThat(RetentionDays.from(new Env(Map.of()))).isEqualTo(RetentionDays.OFF);
        assertThat(RetentionDays.from(new Env(Map.of("INDEX_RETENTION_DAYS", "  ")))).isEqualTo(RetentionDays.OFF);
        for (String off : new String[] {"off", "OFF", "Off", " off "}) {
            assertThat(RetentionDays.parse(off).off()).as(off).isTrue();
        }
        assertThat(RetentionDays.OFF.expired(LocalDate.of(1970, 1, 1), LocalDate.of(2026, 11, 27))).isFalse();
        assertThat(RetentionDays.OFF.oldestDayKept(LocalDate.of(2026, 11, 27))).isNull();
        assertThat(RetentionDays.OFF.oldestEpochDayKept(System.currentTimeMillis())).isEqualTo(Long.MIN_VALUE);
        assertThat(RetentionDays.OFF).hasToString("off");
    }

    @Test
    void aWholeNumberOfDaysFromOneTo36500() {
        assertThat(RetentionDays.parse("1").days()).isEqualTo(1);
        assertThat(RetentionDays.parse("30").days()).isEqualTo(30);
        assertThat(RetentionDays.parse(" 90 ").days()).isEqualTo(90);
        assertThat(RetentionDays.parse("36500").days()).isEqualTo(36_500);
        assertThat(RetentionDays.from(new Env(Map.of("INDEX_RETENTION_DAYS", "7")))).isEqualTo(new RetentionDays(7));
    }

    @Test
    void anythingElseIsRefusedNamingTheVariableAndTheValue() {
        for (String bad : new String[] {"0", "-1", "36501", "99999", "100000", "007", "+5", "1.5", "30d", "30 days",
                "on", "none", "true", "1e3", "٣"}) {
            assertThatThrownBy(() -> RetentionDays.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("INDEX_RETENTION_DAYS")
                    .hasMessageContaining("'" + bad + "'")
                    .hasMessageContaining("off")
                    .hasMessageContaining("1 to 36500");
        }
        assertThatThrownBy(() -> RetentionDays.from(new Env(Map.of("INDEX_RETENTION_DAYS", "0"))))
                .hasMessage("INDEX_RETENTION_DAYS must be off (keep every daily index) or a whole number of days from 1"
                        + " to 36500 (today and that many days before it are kept), got '0'");
    }

    @Test
    void withNDaysTodayAndTheNDaysBeforeAreKept() {
        LocalDate today = LocalDate.of(2026, 11, 27);
        RetentionDays thirty = new RetentionDays(30);
        assertThat(thirty.oldestDayKept(today)).isEqualTo(LocalDate.of(2026, 10, 28));
        assertThat(thirty.expired(today, today)).isFalse();
        assertThat(thirty.expired(LocalDate.of(2026, 10, 28), today)).as("exactly N days old: kept").isFalse();
        assertThat(thirty.expired(LocalDate.of(2026, 10, 27), today)).as("N + 1 days old: expired").isTrue();
        assertThat(thirty.expired(LocalDate.of(2026, 11, 28), today)).as("a day in the future").isFalse();
        RetentionDays one = new RetentionDays(1);
        assertThat(one.expired(LocalDate.of(2026, 11, 26), today)).as("yesterday").isFalse();
        assertThat(one.expired(LocalDate.of(2026, 11, 25), today)).isTrue();
    }

    @Test
    void theLoadsEpochDayBoundIsTheSameDay() {
        long now = LocalDate.of(2026, 11, 27).toEpochDay() * 86_400_000L + 23 * 3_600_000L; // 23:00 UTC
        assertThat(new RetentionDays(30).oldestEpochDayKept(now)).isEqualTo(LocalDate.of(2026, 10, 28).toEpochDay());
        assertThat(new RetentionDays(30).oldestEpochDayKept(now - 23 * 3_600_000L))
                .as("at midnight UTC").isEqualTo(LocalDate.of(2026, 10, 28).toEpochDay());
    }
}
