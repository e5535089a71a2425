package dev.netmeta.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The test-side evaluator of CloudWatch JSON filter patterns behaves as CloudWatch documents it, on its subset. */
class MetricFilterPatternTest {

    private static JsonNode line(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void comparesStringsNumbersAndBooleansOnlyWithFieldsOfThatType() throws Exception {
        JsonNode line = line("{\"message\":\"sync summary\",\"summary\":{\"failed\":2,\"mode\":\"scheduled\"},"
                + "\"retryable\":false,\"count\":\"2\",\"none\":null,\"list\":[{\"file\":\"a.csv.gz\"}]}");
        assertThat(MetricFilterPattern.matches("{ $.message = \"sync summary\" }", line)).isTrue();
        assertThat(MetricFilterPattern.matches("{ $.message = \"sync *\" }", line)).as("wildcard").isTrue();
        assertThat(MetricFilterPattern.matches("{ $.message = \"sync\" }", line)).as("whole value").isFalse();
        assertThat(MetricFilterPattern.matches("{ $.message != \"load failed\" }", line)).isTrue();
        assertThat(MetricFilterPattern.matches("{ $.summary.failed > 0 }", line)).isTrue();
        assertThat(MetricFilterPattern.matches("{ $.summary.failed >= 3 }", line)).isFalse();
        assertThat(MetricFilterPattern.matches("{ $.count > 0 }", line)).as("a string is not a number").isFalse();
        assertThat(MetricFilterPattern.matches("{ $.summary.missing >= 0 }", line)).as("missing field").isFalse();
        assertThat(MetricFilterPattern.matches("{ $.retryable IS FALSE }", line)).isTrue();
        assertThat(MetricFilterPattern.matches("{ $.retryable IS TRUE }", line)).isFalse();
        assertThat(MetricFilterPattern.matches("{ $.message IS FALSE }", line)).as("not a boolean").isFalse();
        assertThat(MetricFilterPattern.matches("{ $.gone IS FALSE }", line)).isFalse();
        assertThat(MetricFilterPattern.matches("{ $.none IS NULL }", line)).isTrue();
        assertThat(MetricFilterPattern.matches("{ $.gone NOT EXISTS }", line)).isTrue();
        assertThat(MetricFilterPattern.matches("{ $.list[0].file = \"a.csv.gz\" }", line)).isTrue();
    }

    @Test
    void combinesWithAndOrAndParentheses() throws Exception {
        JsonNode line = line("{\"message\":\"load failed\",\"retryable\":true}");
        assertThat(MetricFilterPattern.matches("{ ($.message = \"load failed\") && ($.retryable IS FALSE) }", line))
                .isFalse();
        assertThat(MetricFilterPattern.matches("{ ($.message = \"load failed\") && ($.retryable IS TRUE) }", line))
                .isTrue();
        assertThat(MetricFilterPattern.matches("{ $.message = \"x\" || $.retryable IS TRUE }", line)).isTrue();
        assertThat(MetricFilterPattern.matches("{ $.message = \"x\" || ($.retryable IS TRUE && $.a = 1) }", line))
                .isFalse();
    }

    @Test
    void metricValuesAreLiteralsOrNumbersPickedFromTheLine() throws Exception {
        JsonNode line = line("{\"summary\":{\"failed\":4,\"mode\":\"scheduled\"}}");
        assertThat(MetricFilterPattern.metricValue("1", line)).isEqualByComparingTo(BigDecimal.ONE);
        assertThat(MetricFilterPattern.metricValue("$.summary.failed", line)).isEqualByComparingTo("4");
        assertThat(MetricFilterPattern.metricValue("$.summary.mode", line)).as("not a number").isNull();
        assertThat(MetricFilterPattern.metricValue("$.summary.gone", line)).isNull();
    }

    @Test
    void refusesWhatItDoesNotUnderstand() throws Exception {
        JsonNode line = line("{\"a\":1}");
        assertThatThrownBy(() -> MetricFilterPattern.matches("$.a = 1", line)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricFilterPattern.matches("{ $.a = 1 ", line)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricFilterPattern.matches("{ $.a = abc }", line)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricFilterPattern.matches("{ $.a > \"x\" }", line)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricFilterPattern.matches("{ $.a IS MAYBE }", line)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricFilterPattern.matches("{ a = 1 }", line)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricFilterPattern.matches("[ip, user]", line)).isInstanceOf(IllegalArgumentException.class);
    }
}
