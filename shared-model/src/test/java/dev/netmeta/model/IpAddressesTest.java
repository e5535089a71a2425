package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.1|10.0.0.1",
            "0.0.0.0|0.0.0.0",
            "255.255.255.255|255.255.255.255",
            "127.0.0.1|127.0.0.1",
            "' 192.168.1.1 '|192.168.1.1",
            "010.001.000.001|10.1.0.1",
            "192.168.000.100|192.168.0.100",
            // IPv6, RFC 5952 text
            "2001:db8::1|2001:db8::1",
            "2001:0db8:0000:0000:0000:0000:0000:0001|2001:db8::1",
            "2001:DB8::1|2001:db8::1",
            "::|::",
            "::1|::1",
            "1::|1::",
            "fe80::1|fe80::1",
            "2001:db8:0:0:1:0:0:1|2001:db8::1:0:0:1",
            "2001:db8:0:1:0:0:0:1|2001:db8:0:1::1",
            "2001:db8:0:1:1:1:1:1|2001:db8:0:1:1:1:1:1",
            "1:2:3:4:5:6:7::|1:2:3:4:5:6:7:0",
            "::2:3:4:5:6:7:8|0:2:3:4:5:6:7:8",
            "0:0:0:0:0:0:0:0|::",
            "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF|ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            // mixed notation
            "::ffff:1.2.3.4|1.2.3.4",
            "::FFFF:0102:0304|1.2.3.4",
            "0:0:0:0:0:ffff:10.0.0.1|10.0.0.1",
            "64:ff9b::192.0.2.33|64:ff9b::c000:221",
            "::1.2.3.4|::102:304",
            "1:2:3:4:5:6:1.2.3.4|1:2:3:4:5:6:102:304"})
    void normalisesValidAddresses(String raw, String expected) throws UnknownHostException {
        String normalized = FieldValues.normalizeIp(raw);
        assertThat(normalized).isEqualTo(expected);
        // same address as java.net reads it (safe: only literals we validated ourselves reach it)
        assertThat(InetAddress.getByName(normalized).getAddress())
                .isEqualTo(InetAddress.getByName(raw.strip().replaceAll("(^|\\.)0+(\\d)", "$1$2")).getAddress());
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"999.1.1.1", "256.0.0.1", "1.2.3.256", "abc", "google.com", "localhost",
            "example", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.", ".1.2.3", "1.2.3.4/24", "1234.1.1.1",
            "1.2.3.-4", "+1.2.3.4", "1.2.3.4 5", "0x7f.0.0.1", "\u0661.\u0662.\u0663.\u0664", "", " ", "-",
            "fe80::1%eth0", "fe80::1%1", "[::1]", "2001:db8:::1", "1::2::3", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "12345::1", "g::1", "::ffff:999.1.1.1",
            "::1.2.3", "1.2.3.4::", "1:2:3:4:5:6:7:1.2.3.4", ":", ":::", "2001:db8::1/64",
            "\uff11::1", "2001:db8::\u0661"})
    void rejectsWhatIsNotAnIpLiteral(String raw) {
        assertThatThrownBy(() -> FieldValues.normalizeIp(raw))
                .isInstanceOf(InvalidValueException.class)
                .satisfies(e -> assertThat(((InvalidValueException) e).value()).isEqualTo(raw));
    }

    @org.junit.jupiter.api.Test
    void zoneIdsAreRejectedWithAClearReason() {
        assertThatThrownBy(() -> FieldValues.normalizeIp("fe80::1%eth0"))
                .hasMessageContaining("zone");
        assertThatThrownBy(() -> FieldValues.normalizeIp(null)).isInstanceOf(InvalidValueException.class);
    }

    @org.junit.jupiter.api.Test
    void anIpv4AddressWithAPortIsRejectedSayingSoNotAsABadIpv6Address() {
        assertThatThrownBy(() -> FieldValues.normalizeIp(" 10.0.0.1:443 "))
                .hasMessage("ip: an IPv4 address with a port (the port belongs in a port column), got ' 10.0.0.1:443 '");
        assertThatThrownBy(() -> FieldValues.normalizeIp("10.0.0.1:4:4")).hasMessageContaining("not an IPv6 address");
        assertThatThrownBy(() -> FieldValues.normalizeIp("host:443")).hasMessageContaining("not an IPv6 address");
    }
}
