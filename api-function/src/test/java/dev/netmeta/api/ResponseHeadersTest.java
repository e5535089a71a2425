package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Error bodies repeat what the caller sent ({@code "message": "Failed to parse query [<q>] …"}, an unknown
 * parameter's name, a bad {@code size}), and an export is attacker-controlled text (network metadata) as CSV. Every
 * answer says {@code X-Content-Type-Options: nosniff}, so that no browser reads such a body as HTML or script
 * whatever it contains, and {@code Cache-Control: no-store}.
 */
class ResponseHeadersTest {

    private final InMemorySearchBackend backend = new InMemorySearchBackend();
    private final SearchApi api = ApiFactory.create(backend, new ObjectMapper(), ApiSettings.from(Map.of(
            "OPENSEARCH_URL", "http://127.0.0.1:9")));

    private static APIGatewayProxyRequestEvent get(Map<String, String> params) {
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/metadata/search")
                .withQueryStringParameters(params)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("r"));
    }

    @Test
    void everyAnswerForbidsContentSniffing() {
        backend.add("a", Map.of("timestamp", 1000L, "host", "<script>alert(1)</script>"));
        for (Map<String, String> params : new Map[]{Map.of(), Map.of("format", "csv"), Map.of("format", "ndjson"),
                Map.of("size", "<img src=x onerror=alert(1)>"), Map.of("<b>x</b>", "1")}) {
            APIGatewayProxyResponseEvent r = api.handle(get(params));
            assertThat(r.getHeaders()).as(params.toString()).containsEntry("X-Content-Type-Options", "nosniff")
                    .containsEntry("Cache-Control", "no-store");
        }
        APIGatewayProxyResponseEvent notFound = api.handle(get(Map.of()).withPath("/other"));
        assertThat(notFound.getHeaders()).containsEntry("X-Content-Type-Options", "nosniff");
    }
}
