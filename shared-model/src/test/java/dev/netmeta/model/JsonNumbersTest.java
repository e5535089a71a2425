package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonNumbersTest {

    /** The expected texts are node's String(x) (v22), except that a whole double keeps its ".0". */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            // what Java wrote in E notation
            "0.000586, 0.000586", "-0.000586, -0.000586", "12345678.9, 12345678.9", "-12345678.9, -12345678.9",
            "5.86E-4, 0.000586", "1.23456789E7, 12345678.9",
            // JavaScript's lower bound: 10^-6 plain, below it E notation
            "1e-6, 0.000001", "-1e-6, -0.000001", "1.5e-6, 0.0000015", "9.99e-7, 9.99e-7", "1e-7, 1e-7",
            "1.5e-7, 1.5e-7", "-1e-7, -1e-7", "1e-8, 1e-8", "4.9e-322, 4.9e-322",
            // its upper bound: below 10^21 plain, from 10^21 E notation (with the exponent's sign, as JavaScript)
            "9.99e20, 999000000000000000000.0", "1e21, 1e+21", "-1e21, -1e+21", "1.5e21, 1.5e+21",
            "3e23, 3e+23", "1.7976931348623157e308, 1.7976931348623157e+308",
            // whole doubles keep .0, so OpenSearch's dynamic mapping still sees a decimal
            "1e7, 10000000.0", "-1e7, -10000000.0", "1.0E7, 10000000.0", "123456789012345680000, 123456789012345680000.0",
            // shortest digits that read back as the same double
            "0.30000000000000004, 0.30000000000000004", "1.0000000000000002E7, 10000000.000000002",
            "0.1, 0.1", "1.5, 1.5", "0.001, 0.001", "9999999.999, 9999999.999", "0.0009999, 0.0009999"})
    void spellsAsJavaScriptDoes(double value, String expected) {
        assertThat(JsonNumbers.format(value)).isEqualTo(expected);
        assertThat(Double.parseDouble(expected)).isEqualTo(value);
    }

    /** Java 17's Double.toString has more digits than needed for these (JDK-4511638); the functions run on 21. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"2e23, 2e+23", "2.82879384806159E17, 282879384806159000.0"})
    void shortestDigitsFromJdk19On(double value, String expected) {
        assumeTrue(Runtime.version().feature() >= 19, "Double.toString is the shortest from JDK 19 on");
        assertThat(JsonNumbers.format(value)).isEqualTo(expected);
    }

    @Test
    void zeroKeepsItsSign() {
        assertThat(JsonNumbers.format(0.0)).isEqualTo("0.0");
        assertThat(JsonNumbers.format(-0.0)).isEqualTo("-0.0");
        assertThat(JsonNumbers.needsFormat(-0.0)).isFalse();
    }

    @Test
    void onlyWhatJavaWritesInENotationNeedsFormatting() {
        assertThat(JsonNumbers.needsFormat(0.001)).isFalse();
        assertThat(JsonNumbers.needsFormat(9999999.999)).isFalse();
        assertThat(JsonNumbers.needsFormat(-1.5)).isFalse();
        assertThat(JsonNumbers.needsFormat(0.000999)).isTrue();
        assertThat(JsonNumbers.needsFormat(1e7)).isTrue();
        assertThat(JsonNumbers.needsFormat(-1e7)).isTrue();
        assertThat(JsonNumbers.needsFormat(Double.NaN)).isFalse();
        assertThat(JsonNumbers.needsFormat(Double.POSITIVE_INFINITY)).isFalse();
    }

    /** Across the whole range: the text reads back as the double, is plain where it should be, E notation else. */
    @Test
    void everyTextReadsBackAsTheSameDouble() {
        SplittableRandom random = new SplittableRandom(20261407);
        for (int i = 0; i < 200_000; i++) {
            double d = i % 2 == 0 ? Double.longBitsToDouble(random.nextLong())
                    : random.nextDouble() * Math.pow(10, random.nextInt(-12, 26)) * (random.nextBoolean() ? 1 : -1);
            if (!Double.isFinite(d)) {
                continue;
            }
            String text = JsonNumbers.format(d);
            assertThat(Double.parseDouble(text)).as(text).isEqualTo(d);
            double a = Math.abs(d);
            boolean plain = a == 0 || (a >= 1e-6 && a < 1e21);
            assertThat(text).as("%s", d).matches(plain ? "-?(0|[1-9][0-9]*)\\.[0-9]+" : "-?[1-9](\\.[0-9]*[1-9])?e[-+][1-9][0-9]*");
            if (!JsonNumbers.needsFormat(d)) {
                assertThat(text).as("Jackson's writeNumber(double) writes it so already").isEqualTo(Double.toString(d));
            }
        }
    }
}
