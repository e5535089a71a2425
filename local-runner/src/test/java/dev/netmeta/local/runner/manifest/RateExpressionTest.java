package dev.netmeta.local.runner.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateExpressionTest {

    @Test
    void parsesEveryUnit() {
        assertThat(RateExpression.parse("rate(1 minute)").interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(RateExpression.parse("rate(5 minutes)").interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(RateExpression.parse(" rate( 2 hours ) ").interval()).isEqualTo(Duration.ofHours(2));
        assertThat(RateExpression.parse("rate(1 hour)").interval()).isEqualTo(Duration.ofHours(1));
        assertThat(RateExpression.parse("rate(3 days)").interval()).isEqualTo(Duration.ofDays(3));
        assertThat(RateExpression.parse("rate(1 day)").toString()).isEqualTo("rate(1 day)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rate(1 minutes)", "rate(2 hour)", "rate(0 minutes)", "rate(30 seconds)", "rate(5 weeks)",
            "every 5 minutes", "rate(five minutes)", "", "cron(0 12 * * ? *)"})
    void rejectsWhatEventBridgeRejects(String text) {
        assertThatThrownBy(() -> RateExpression.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null");
    }
}
