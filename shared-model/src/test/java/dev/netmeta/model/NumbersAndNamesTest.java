package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NumbersAndNamesTest {

    @ParameterizedTest
    @CsvSource({"0,0", "80,80", "443,443", "65535,65535", "' 8080 ',8080", "00080,80",
            // a pandas/spreadsheet export of a column with one empty cell writes every port like this
            "80.0,80", "443.00,443", "' 8080.0 ',8080", "0.0,0"})
    void parsesPorts(String raw, int expected) {
        assertThat(FieldValues.parsePort(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"65536", "-1", "80.5", "80.01", "80.", ".0", "8e1", "65536.0", "abc", "", " ", "8 0",
            "123456", "+80", "0x50", "99999"})
    void rejectsBadPorts(String raw) {
        assertThatThrownBy(() -> FieldValues.parsePort(raw)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("0-65535");
    }

    @ParameterizedTest
    @CsvSource({"0,0", "-5,-5", "+7,7", "' 42 ',42", "9223372036854775807,9223372036854775807",
            "-9223372036854775808,-9223372036854775808", "1234.0,1234", "-5.00,-5", "' 42.0 ',42"})
    void parsesLongs(String raw, long expected) {
        assertThat(FieldValues.parseLong(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"1.5", "1.50", "1.", ".0", "-.0", "1.0e3", "abc", "", "-", "+", "1e3", "12a", "--1"})
    void rejectsBadLongs(String raw) {
        assertThatThrownBy(() -> FieldValues.parseLong(raw)).isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("not a whole number");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "99999999999999999999",
            "12345678901234567890123", " +99999999999999999999 "})
    void wholeNumbersBeyondTheLongRangeAreOutOfRangeNotMalformed(String raw) {
        assertThatThrownBy(() -> FieldValues.parseLong(raw)).isInstanceOf(InvalidValueException.class)
                .hasMessage("long: out of range for a 64-bit counter, got '" + raw + "'");
    }

    @Test
    void aCounterBeyondTheLongRangeSaysSoForCsvAndJson() {
        RecordMapper mapper = RecordMapper.forColumns(java.util.List.of("bytesOut"));
        assertThatThrownBy(() -> mapper.toDocument(new String[] {"99999999999999999999"}))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("bytesOut: out of range for a 64-bit counter, got '99999999999999999999'");
        assertThatThrownBy(() -> RecordMapper.convert("bytesIn", new java.math.BigInteger("9223372036854775808")))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("bytesIn: out of range for a 64-bit counter, got '9223372036854775808'");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"0,hopopt", "1,icmp", "2,igmp", "4,ipv4", "6,tcp", "17,udp", "41,ipv6", "47,gre", "50,esp",
            "51,ah", "58,ipv6-icmp", "89,ospf", "132,sctp", "136,udplite", "006,tcp", "' 17 ',udp",
            "253,253", "255,255", "99,99", "6.0,tcp", "17.00,udp",
            "TCP,tcp", "udp,udp", "ICMP,icmp", "IPv6-ICMP,ipv6-icmp", "' Tcp ',tcp"})
    void namesProtocols(String raw, String expected) {
        assertThat(FieldValues.protocolName(raw)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"256", "1000", "6.5", "", "  "})
    void rejectsBadProtocols(String raw) {
        assertThatThrownBy(() -> FieldValues.protocolName(raw)).isInstanceOf(InvalidValueException.class);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"-6", "+6", " -17 ", "-0", "-256", "-6.0", "+17.00"})
    void rejectsSignedProtocolNumbersInsteadOfKeepingThemAsNames(String raw) {
        assertThatThrownBy(() -> FieldValues.protocolName(raw)).isInstanceOf(InvalidValueException.class)
                .hasMessage("proto: not an IANA protocol number (0-255), got '" + raw + "'");
    }

    @Test
    void aNegativeJsonProtocolNumberIsRejectedToo() {
        assertThatThrownBy(() -> RecordMapper.convert("proto", -6L)).isInstanceOf(InvalidValueException.class)
                .hasMessage("proto: not an IANA protocol number (0-255), got '-6'");
    }

    @Test
    void infersNumbersForUnknownColumns() {
        assertThat(FieldValues.inferScalar("42")).isEqualTo(42L);
        assertThat(FieldValues.inferScalar("-42")).isEqualTo(-42L);
        assertThat(FieldValues.inferScalar("+5")).isEqualTo(5L);
        assertThat(FieldValues.inferScalar("0")).isEqualTo(0L);
        assertThat(FieldValues.inferScalar("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(FieldValues.inferScalar("1.5")).isEqualTo(1.5d);
        assertThat(FieldValues.inferScalar("-0.25")).isEqualTo(-0.25d);
        assertThat(FieldValues.inferScalar("0.5")).isEqualTo(0.5d);
        assertThat(FieldValues.inferScalar("1e3")).isEqualTo(1000.0d);
        assertThat(FieldValues.inferScalar("2.5E-3")).isEqualTo(0.0025d);
        assertThat(FieldValues.inferScalar("123456.789")).isEqualTo(123456.789d);
    }

    @Test
    void theSmallestLongIsALongLikeEveryOtherOneThatFits() {
        // found by ReadingPathRoundTripTest: Long.MIN_VALUE doubles as the parser's "does not fit" mark, and the
        // one number equal to it stayed text, mapping its column as keyword in the day's index
        assertThat(FieldValues.inferScalar("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(FieldValues.inferScalar("-9223372036854775809")).isEqualTo("-9223372036854775809");
        assertThat(FieldValues.inferScalar("9223372036854775808")).isEqualTo("9223372036854775808");
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"007", "00.5", "1,5", "NaN", "Infinity", "-Infinity", "0x1F", "99999999999999999999",
            "1e999", "abc", "1.2.3.4", "-", "+", ".5", "5.", "1e", "1e+", "CS1", "10.0.0.1", "S0", " 42", "42 ",
            "1_000", "٤٢"})
    void keepsEverythingElseAsText(String raw) {
        assertThat(FieldValues.inferScalar(raw)).isEqualTo(raw);
    }

    @Test
    void normalisesHosts() {
        assertThat(FieldValues.normalizeHost("Google.COM")).isEqualTo("google.com");
        assertThat(FieldValues.normalizeHost("google.com.")).isEqualTo("google.com");
        assertThat(FieldValues.normalizeHost(" www.example.org ")).isEqualTo("www.example.org");
        // Zeek http.log: the Host header as sent; host:example.com must find it (the port is the record's dstPort)
        assertThat(FieldValues.normalizeHost("Example.com:8080")).isEqualTo("example.com");
        assertThat(FieldValues.normalizeHost("10.0.0.1:80")).isEqualTo("10.0.0.1");
        assertThat(FieldValues.normalizeHost("example.com.:443")).isEqualTo("example.com");
        assertThat(FieldValues.normalizeHost("2001:db8::1")).as("IPv6 text is no name:port").isEqualTo("2001:db8::1");
        assertThat(FieldValues.normalizeHost("example.com:http")).isEqualTo("example.com:http");
        assertThat(FieldValues.normalizeHost("example.com:")).isEqualTo("example.com:");
        assertThat(FieldValues.normalizeHost("example.com:123456")).isEqualTo("example.com:123456");
        assertThat(FieldValues.normalizeHost("BÜCHER.de")).isEqualTo("bücher.de");
        assertThat(FieldValues.normalizeHost(".")).isEqualTo(".");
        assertThatThrownBy(() -> FieldValues.normalizeHost(" ")).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void invalidValueMessagesNameFieldReasonAndValue() {
        InvalidValueException e = new InvalidValueException("srcPort", "99999", "not a port number (0-65535)");
        assertThat(e.field()).isEqualTo("srcPort");
        assertThat(e.value()).isEqualTo("99999");
        assertThat(e.reason()).isEqualTo("not a port number (0-65535)");
        assertThat(e.getMessage()).isEqualTo("srcPort: not a port number (0-65535), got '99999'");
        assertThat(e.forField("dstPort").getMessage()).isEqualTo("dstPort: not a port number (0-65535), got '99999'");
        String longValue = "x".repeat(1000);
        assertThat(new InvalidValueException("f", longValue, "bad").getMessage())
                .hasSizeLessThan(260).contains("(1000 chars)");
        assertThat(new InvalidValueException("f", null, "missing").getMessage()).isEqualTo("f: missing, got null");
    }
}
