package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/API.md lists "403 from a wrong role mapping" as the example of a 502 {@code search_failed}, and
 * promises that responses never contain internals. But the 502 message carries OpenSearch's reason verbatim, and
 * the fine-grained-access-control 403 of an AWS OpenSearch domain names the Lambda role: the AWS account id and the
 * role ARN go to every API-key holder.
 */
class EngineErrorLeakTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aSecurityExceptionDoesNotHandTheRoleArnAndAccountIdToTheCaller() throws Exception {
        // the body an OpenSearch Service domain with fine-grained access control answers for an unmapped role
        String reason = "no permissions for [indices:data/read/search] and User [name=arn:aws:iam::123456789012:role/"
                + "netmeta-prod-ApiRole-1A2B3C, backend_roles=[arn:aws:iam::123456789012:role/netmeta-prod-ApiRole-1A2B3C],"
                + " requestedTenant=null]";
        String answer = "{\"error\":{\"root_cause\":[{\"type\":\"security_exception\",\"reason\":\"" + reason + "\"}],"
                + "\"type\":\"security_exception\",\"reason\":\"" + reason + "\"},\"status\":403}";
        InMemorySearchBackend backend = new InMemorySearchBackend();
        backend.override = q -> {
            try {
                throw OpenSearchSearchBackend.fromStatus(403, json.readTree(answer).path("error"));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        };
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        SearchApi api = ApiFactory.create(backend, json, ApiSettings.from(Map.of("OPENSEARCH_URL", "http://127.0.0.1:9")),
                new PrintStream(log, true, java.nio.charset.StandardCharsets.UTF_8));

        APIGatewayProxyResponseEvent r = api.handle(new APIGatewayProxyRequestEvent().withHttpMethod("GET")
                .withPath("/metadata/search").withQueryStringParameters(Map.of("q", "host:x")));

        assertThat(r.getStatusCode()).isEqualTo(502);
        assertThat(r.getBody()).doesNotContain("arn:aws").doesNotContain("123456789012").doesNotContain("ApiRole");
        // operators still find the reason in the request log
        assertThat(json.readTree(log.toString(java.nio.charset.StandardCharsets.UTF_8)).path("detail").asText())
                .contains("HTTP 403").contains("no permissions for [indices:data/read/search]");
    }
}
