package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class Sigv4EndpointTest {

    @Test
    void anAwsEndpointIsItsHostAndPort() {
        assertThat(Sigv4Endpoint.host(URI.create("https://search-x.eu-west-1.es.amazonaws.com")))
                .isEqualTo("search-x.eu-west-1.es.amazonaws.com");
        assertThat(Sigv4Endpoint.host(URI.create("https://abc.eu-west-1.aoss.amazonaws.com/"))).isEqualTo("abc.eu-west-1.aoss.amazonaws.com");
        assertThat(Sigv4Endpoint.host(URI.create("https://127.0.0.1:8443"))).isEqualTo("127.0.0.1:8443");
    }

    @Test
    void aPathOrPlainHttpWouldBeDroppedByTheTransportSoItIsRefused() {
        for (String url : new String[]{"https://proxy.example/opensearch", "http://search-x.es.amazonaws.com",
                "https://h/?x=1"}) {
            assertThatThrownBy(() -> Sigv4Endpoint.host(URI.create(url))).as(url)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OPENSEARCH_URL")
                    .hasMessageContaining(url);
        }
    }
}
