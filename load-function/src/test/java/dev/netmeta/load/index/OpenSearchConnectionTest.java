package dev.netmeta.load.index;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.model.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class OpenSearchConnectionTest {

    @Test
    void withSigv4AUrlTheTransportWouldNotSearchIsRefusedAtStart() {
        for (String url : new String[]{"https://proxy.example/opensearch", "http://search-x.eu-west-1.es.amazonaws.com"}) {
            assertThatThrownBy(() -> OpenSearchConnection.transport(
                    Env.of(Map.of("OPENSEARCH_URL", url, "OPENSEARCH_AUTH", "sigv4")), null, Region.EU_WEST_1,
                    AnonymousCredentialsProvider.create()))
                    .as(url).hasMessageContaining("OPENSEARCH_URL must be https://host[:port] without a path");
        }
    }
}
