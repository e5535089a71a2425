package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every transport is built at init without touching the network, and a search against a closed loopback port is
 * answered as 503 {@code search_unavailable} (the transport's connection failure is recognised), not as a crash.
 */
class OpenSearchClientsTest {

    private static final String CLOSED = "http://127.0.0.1:9";

    private static APIGatewayProxyResponseEvent search(Map<String, String> env) {
        return new ApiHandler(env).handleRequest(new APIGatewayProxyRequestEvent().withHttpMethod("GET")
                .withPath("/metadata/search").withQueryStringParameters(Map.of("q", "host:google.com")), null);
    }

    @Test
    void basicAuthTransportReportsAnUnreachableEngineAs503() {
        APIGatewayProxyResponseEvent r = search(Map.of("OPENSEARCH_URL", CLOSED, "OPENSEARCH_AUTH", "basic",
                "OPENSEARCH_USERNAME", "reader", "OPENSEARCH_PASSWORD", "secret"));
        assertThat(r.getStatusCode()).isEqualTo(503);
        assertThat(r.getBody()).contains("search_unavailable").doesNotContain("secret");
    }

    @Test
    void withSigv4AUrlWithAPathOrPlainHttpIsRefusedAtStartInsteadOfBeingSearchedElsewhere() {
        for (String url : new String[]{"https://proxy.example/opensearch", "http://127.0.0.1:9"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ApiHandler(Map.of("OPENSEARCH_URL", url,
                            "OPENSEARCH_AUTH", "sigv4", "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
                            "AWS_SECRET_ACCESS_KEY", "example-secret")))
                    .as(url).hasMessageContaining("OPENSEARCH_URL must be https://host[:port] without a path");
        }
    }

    @Test
    void sigv4TransportsForDomainsAndCollectionsReportAnUnreachableEngineAs503() {
        for (String service : new String[] {"es", "aoss"}) {
            APIGatewayProxyResponseEvent r = search(Map.of("OPENSEARCH_URL", "https://127.0.0.1:9", "OPENSEARCH_AUTH", "sigv4",
                    "OPENSEARCH_SIGV4_SERVICE", service, "AWS_REGION", "eu-west-1",
                    "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "example-secret"));
            assertThat(r.getStatusCode()).as(service + ": " + r.getBody()).isEqualTo(503);
            assertThat(r.getBody()).contains("search_unavailable");
        }
    }
}
