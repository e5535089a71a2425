package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

    private static long utc(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // epoch numbers: unit by magnitude
            "1525876221.123456|2018-05-09T14:30:21.123Z",
            "1525876221.1|2018-05-09T14:30:21.100Z",
            "1525876221.12|2018-05-09T14:30:21.120Z",
            "1525876221.123456789|2018-05-09T14:30:21.123Z",
            "1525876221.999999|2018-05-09T14:30:21.999Z",
            "1525876221|2018-05-09T14:30:21Z",
            "1525876221123|2018-05-09T14:30:21.123Z",
            "1525876221123.7|2018-05-09T14:30:21.123Z",
            "1525876221123456|2018-05-09T14:30:21.123Z",
            "1525876221123456789|2018-05-09T14:30:21.123Z",
            "0|1970-01-01T00:00:00Z",
            "99999999999|5138-11-16T09:46:39Z",
            "100000000000|1973-03-03T09:46:40Z",
            // ISO-8601
            "2018-05-09T14:30:21Z|2018-05-09T14:30:21Z",
            "2018-05-09T14:30:21.123Z|2018-05-09T14:30:21.123Z",
            "2018-05-09T14:30:21.1Z|2018-05-09T14:30:21.100Z",
            "2018-05-09T14:30:21.12Z|2018-05-09T14:30:21.120Z",
            "2018-05-09T14:30:21.1234Z|2018-05-09T14:30:21.123Z",
            "2018-05-09T14:30:21.12345Z|2018-05-09T14:30:21.123Z",
            "2018-05-09T14:30:21.123456Z|2018-05-09T14:30:21.123Z",
            "2018-05-09T14:30:21.1234567Z|2018-05-09T14:30:21.123Z",
            "2018-05-09T14:30:21.12345678Z|2018-05-09T14:30:21.123Z",
            "2018-05-09T14:30:21.123456789Z|2018-05-09T14:30:21.123Z",
            "2018-05-09T14:30:21,5Z|2018-05-09T14:30:21.500Z",
            "2018-05-09t14:30:21z|2018-05-09T14:30:21Z",
            "2018-05-09T14:30:21|2018-05-09T14:30:21Z",
            "2018-05-09T14:30|2018-05-09T14:30:00Z",
            "2018-05-09|2018-05-09T00:00:00Z",
            "2018-05-09 14:30:21|2018-05-09T14:30:21Z",
            "2018-05-09 14:30:21.123|2018-05-09T14:30:21.123Z",
            "2018-05-09T14:30:21+02:00|2018-05-09T12:30:21Z",
            "2018-05-09T14:30:21-05:00|2018-05-09T19:30:21Z",
            "2018-05-09T14:30:21.123456+0000|2018-05-09T14:30:21.123Z",
            "2018-05-09T14:30:21.123456-0330|2018-05-09T18:00:21.123Z",
            "2018-05-09T14:30:21+0530|2018-05-09T09:00:21Z",
            "2018-05-09T01:00:00-03|2018-05-09T04:00:00Z",
            "2018-05-09T01:00:00+14:00|2018-05-08T11:00:00Z",
            "2018-05-09T14:30:21+18:00|2018-05-08T20:30:21Z",
            "2018-05-09T14:30:21-1800|2018-05-10T08:30:21Z",
            "2018-05-09 14:30:21 +0200|2018-05-09T12:30:21Z",
            "2018-05-09T14:30:21 Z|2018-05-09T14:30:21Z",
            "'  2018-05-09T14:30:21Z  '|2018-05-09T14:30:21Z",
            // CICFlowMeter (day first)
            "09/05/2018 02:30:21 PM|2018-05-09T14:30:21Z",
            "09/05/2018 02:30:21 pm|2018-05-09T14:30:21Z",
            "09/05/2018 12:00:00 AM|2018-05-09T00:00:00Z",
            "09/05/2018 12:30:00 PM|2018-05-09T12:30:00Z",
            "09/05/2018 11:59:59 AM|2018-05-09T11:59:59Z",
            "3/7/2017 8:55|2017-07-03T08:55:00Z",
            "3/7/2017 8:55 PM|2017-07-03T20:55:00Z",
            "14/02/2018 08:31:01|2018-02-14T08:31:01Z",
            "14/02/2018 23:31:01.250|2018-02-14T23:31:01.250Z",
            // leap days
            "2016-02-29T00:00:00Z|2016-02-29T00:00:00Z",
            "2000-02-29 12:00:00|2000-02-29T12:00:00Z",
            "29/02/2020 11:59:59 PM|2020-02-29T23:59:59Z",
            // fallbacks
            "2018-05-09T14:30:21+02:00[Europe/Paris]|2018-05-09T12:30:21Z",
            "'Wed, 9 May 2018 14:30:21 GMT'|2018-05-09T14:30:21Z",
            "2018/05/09 14:30:21|2018-05-09T14:30:21Z",
            "2018/05/09 14:30:21.250|2018-05-09T14:30:21.250Z",
            "09-May-2018 14:30:21|2018-05-09T14:30:21Z"})
    void parsesEveryListedForm(String raw, String expected) {
        assertThat(FieldValues.parseTimestamp(raw)).isEqualTo(utc(expected));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "   ", "abc", "-", "2018-13-01", "2018-00-10", "2018-05-32", "2018-04-31",
            "2018-02-29", "1900-02-29", "2018-05-09T24:00:00Z", "2018-05-09T14:60", "2018-05-09T14:30:60Z",
            "2018-05-09T14:30:21.1234567891Z", "2018-05-09T14:30:21+25:00",
            "2018-05-09T14:30:21+18:30", "2018-05-09T14:30:21-1801", "2018-05-09T14:30:21.5+18:59",
            "2018-05-09T14:30:21+2", "2018-05-09T14:30:21Zulu", "2018-05-09X14:30", "2018-5-9",
            "12/25/2018 10:00:00 AM", "09/05/2018 13:00:00 PM", "09/05/2018 00:30:00 AM", "31/04/2018 10:00",
            "09/05/18 10:00", "09/05/2018 10:00 XM", "-1525876221", "1525876221.", "1525876221.12.3", "1e9",
            "99999999999999999999", "NaN", "2018-05-09T14:30:21+02:00[Not/AZone]"})
    void rejectsWhatIsNotATimestamp(String raw) {
        assertThatThrownBy(() -> FieldValues.parseTimestamp(raw))
                .isInstanceOf(InvalidValueException.class)
                .satisfies(e -> {
                    InvalidValueException ive = (InvalidValueException) e;
                    assertThat(ive.field()).isEqualTo("timestamp");
                    assertThat(ive.value()).isEqualTo(raw);
                    assertThat(ive.getMessage()).startsWith("timestamp: ").contains("'" + raw + "'");
                });
    }

    @ParameterizedTest
    @NullSource
    void rejectsNull(String raw) {
        assertThatThrownBy(() -> FieldValues.parseTimestamp(raw)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void secondsAndMillisAreToldApartByMagnitude() {
        // 10^11 - 1 is read as seconds (year 5138), 10^11 as millis (1973): the documented boundary
        assertThat(FieldValues.parseTimestamp("99999999999")).isEqualTo(99_999_999_999_000L);
        assertThat(FieldValues.parseTimestamp("100000000000")).isEqualTo(100_000_000_000L);
        assertThat(FieldValues.parseTimestamp("99999999999999")).isEqualTo(99_999_999_999_999L);
        assertThat(FieldValues.parseTimestamp("100000000000000")).isEqualTo(100_000_000_000L);
    }

    @Test
    void formatsAsIsoUtcWithMillis() {
        assertThat(FieldValues.formatTimestamp(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(FieldValues.formatTimestamp(1525876221123L)).isEqualTo("2018-05-09T14:30:21.123Z");
        assertThat(FieldValues.formatTimestamp(1525876221000L)).isEqualTo("2018-05-09T14:30:21.000Z");
        assertThat(FieldValues.formatTimestamp(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
        assertThat(FieldValues.formatTimestamp(utc("2020-02-29T23:59:59.999Z"))).isEqualTo("2020-02-29T23:59:59.999Z");
        assertThat(FieldValues.formatTimestamp(utc("+10000-01-01T00:00:00Z"))).isEqualTo("+10000-01-01T00:00:00Z");
    }

    @Test
    void formatAndParseAgreeWithJavaTimeOverFourCenturies() {
        SplittableRandom random = new SplittableRandom(42);
        long from = utc("1800-01-01T00:00:00Z");
        long to = utc("2200-01-01T00:00:00Z");
        for (int i = 0; i < 20_000; i++) {
            long millis = random.nextLong(from, to);
            Instant instant = Instant.ofEpochMilli(millis);
            String formatted = FieldValues.formatTimestamp(millis);
            assertThat(Instant.parse(formatted)).isEqualTo(instant);
            assertThat(FieldValues.parseTimestamp(formatted)).isEqualTo(millis);
            assertThat(FieldValues.parseTimestamp(instant.toString())).isEqualTo(millis);
        }
    }

    @Test
    void isoOnlyReadsTheIsoFormsAndNothingElse() {
        assertThat(FieldValues.parseIsoTimestamp("2018-05-09T10:00:00Z")).hasValue(1525860000000L);
        assertThat(FieldValues.parseIsoTimestamp(" 2018-05-09 12:00+02:00 ")).hasValue(1525860000000L);
        assertThat(FieldValues.parseIsoTimestamp("2018-05-09")).hasValue(1525824000000L);
        assertThat(FieldValues.parseIsoTimestamp("1525860000000")).isEmpty();
        assertThat(FieldValues.parseIsoTimestamp("9/5/2018 10:00:00")).isEmpty();
        assertThat(FieldValues.parseIsoTimestamp("2018-05-09T10:00:00[Europe/Paris]")).isEmpty();
        assertThat(FieldValues.parseIsoTimestamp("")).isEmpty();
        assertThatThrownBy(() -> FieldValues.parseIsoTimestamp("2018-02-30T00:00:00Z"))
                .isInstanceOf(InvalidValueException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "9999-12-31T23:00:00-05:00", "0000-01-01T00:00:00+01:00",
        "-0001-12-31T00:00:00Z"})
    void instantsOutsideTheYears0000To9999AreAnInvalidValueNotALaterFailure(String value) {
        assertThatThrownBy(() -> FieldValues.parseTimestamp(value)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("outside the years 0000-9999");
    }

    @Test
    void theFirstAndLastInstantOfTheYears0000To9999HaveADailyIndex() {
        long first = FieldValues.parseTimestamp("0000-01-01T00:00:00Z");
        long last = FieldValues.parseTimestamp("9999-12-31T23:59:59.999Z");
        assertThat(first).isEqualTo(Instant.parse("0000-01-01T00:00:00Z").toEpochMilli());
        assertThat(last).isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli());
        assertThat(IndexNames.daily("metadata", first)).isEqualTo("metadata-0000.01.01");
        assertThat(IndexNames.daily("metadata", last)).isEqualTo("metadata-9999.12.31");
        assertThat(FieldValues.formatTimestamp(first)).isEqualTo("0000-01-01T00:00:00.000Z");
        // one millisecond before year 0: year -1, which truncating division used to read as year 0
        assertThatThrownBy(() -> IndexNames.daily("metadata", first - 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FieldValues.formatTimestamp(first - 1)).isEqualTo(Instant.ofEpochMilli(first - 1).toString());
    }
}
