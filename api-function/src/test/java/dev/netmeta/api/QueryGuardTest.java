package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class QueryGuardTest {

    @Test
    void quotesUnquotedIpv4CidrOnIpFields() {
        assertThat(QueryGuard.quoteCidrs("srcIp:10.0.0.0/8 AND dstPort:[0 TO 1023]"))
                .isEqualTo("srcIp:\"10.0.0.0/8\" AND dstPort:[0 TO 1023]");
        assertThat(QueryGuard.quoteCidrs("(dstIp:192.168.1.0/24 OR srcIp:172.16.0.0/12)"))
                .isEqualTo("(dstIp:\"192.168.1.0/24\" OR srcIp:\"172.16.0.0/12\")");
    }

    @Test
    void quotesUnquotedIpv6Cidr() {
        assertThat(QueryGuard.quoteCidrs("srcIp:2001:db8::/32")).isEqualTo("srcIp:\"2001:db8::/32\"");
    }

    @Test
    void leavesQuotedEscapedAndNonIpTermsAlone() {
        assertThat(QueryGuard.quoteCidrs("srcIp:\"10.0.0.0/8\"")).isEqualTo("srcIp:\"10.0.0.0/8\"");
        assertThat(QueryGuard.quoteCidrs("srcIp:10.0.0.0\\/8")).isEqualTo("srcIp:10.0.0.0\\/8");
        assertThat(QueryGuard.quoteCidrs("host:\"a srcIp:10.0.0.0/8\"")).isEqualTo("host:\"a srcIp:10.0.0.0/8\"");
        assertThat(QueryGuard.quoteCidrs("uri:10.0.0.0/8")).isEqualTo("uri:10.0.0.0/8");
        assertThat(QueryGuard.quoteCidrs("host:/goo.*/")).isEqualTo("host:/goo.*/");
    }

    @Test
    void refusesTooLongQueriesAndControlCharacters() {
        QueryGuard guard = new QueryGuard(10);
        assertThat(guard.guard("  host:a  ")).isEqualTo("host:a");
        assertThat(guard.guard(null)).isEmpty();
        assertThatThrownBy(() -> guard.guard("host:abcdefgh")).hasMessageContaining("maximum is 10");
        assertThatThrownBy(() -> guard.guard("host:a\u0000")).hasMessageContaining("control character");
    }
}
