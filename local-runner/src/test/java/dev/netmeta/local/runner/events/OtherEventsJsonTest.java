package dev.netmeta.local.runner.events;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OtherEventsJsonTest {

    private static <T> T deserialize(Class<T> type, String json) {
        return LambdaEventSerializers.serializerFor(type, OtherEventsJsonTest.class.getClassLoader()).fromJson(json);
    }

    @Test
    void scheduledEventHasEventBridgesShape() {
        String json = ScheduledEventJson.scheduled("us-east-1", "000000000000", "netmeta-local-sync-schedule",
                Instant.parse("2018-05-09T12:00:00.456Z"));
        ScheduledEvent event = deserialize(ScheduledEvent.class, json);
        assertThat(event.getDetailType()).isEqualTo("Scheduled Event");
        assertThat(event.getSource()).isEqualTo("aws.events");
        assertThat(event.getAccount()).isEqualTo("000000000000");
        assertThat(event.getRegion()).isEqualTo("us-east-1");
        assertThat(event.getTime().getMillis()).isEqualTo(Instant.parse("2018-05-09T12:00:00Z").toEpochMilli());
        assertThat(event.getResources()).containsExactly("arn:aws:events:us-east-1:000000000000:rule/netmeta-local-sync-schedule");
        assertThat(event.getDetail()).isEmpty();
        assertThat(event.getId()).isNotBlank();
    }

    @Test
    void apiGatewayRequestCarriesQueryHeadersAndContext() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Accept", List.of("application/json"));
        headers.put("X-api-key", List.of("k1"));
        headers.put("X-multi", List.of("a", "b"));
        var request = new ApiGatewayEventJson.Request("GET", "/metadata/search",
                "q=srcIp:127.0.0.1+AND+host%3Agoogle.com&size=10&fields=a&fields=b&empty", headers, new byte[0],
                "127.0.0.1", "127.0.0.1:3000");
        String json = ApiGatewayEventJson.proxyRequest(request, "/metadata/search", Map.of(), "local", "000000000000",
                "req-1", Instant.parse("2018-05-09T12:00:00Z"));
        APIGatewayProxyRequestEvent event = deserialize(APIGatewayProxyRequestEvent.class, json);
        assertThat(event.getHttpMethod()).isEqualTo("GET");
        assertThat(event.getPath()).isEqualTo("/metadata/search");
        assertThat(event.getResource()).isEqualTo("/metadata/search");
        assertThat(event.getQueryStringParameters())
                .containsEntry("q", "srcIp:127.0.0.1 AND host:google.com")
                .containsEntry("size", "10")
                .containsEntry("fields", "b")
                .containsEntry("empty", "");
        assertThat(event.getMultiValueQueryStringParameters().get("fields")).containsExactly("a", "b");
        assertThat(event.getHeaders()).containsEntry("X-multi", "b").containsEntry("Accept", "application/json");
        assertThat(event.getMultiValueHeaders().get("X-multi")).containsExactly("a", "b");
        assertThat(event.getPathParameters()).isNull();
        assertThat(event.getBody()).isNull();
        assertThat(event.getRequestContext().getRequestId()).isEqualTo("req-1");
        assertThat(event.getRequestContext().getStage()).isEqualTo("local");
        assertThat(event.getRequestContext().getPath()).isEqualTo("/local/metadata/search");
        assertThat(event.getRequestContext().getIdentity().getSourceIp()).isEqualTo("127.0.0.1");
        assertThat(event.getRequestContext().getIdentity().getApiKey()).isEqualTo("k1");
    }

    @Test
    void apiGatewayRequestWithoutQueryHasNullMaps() {
        var request = new ApiGatewayEventJson.Request("POST", "/items/7", null, Map.of("Content-Type", List.of("application/json")),
                "{\"a\":1}".getBytes(StandardCharsets.UTF_8), "127.0.0.1", "localhost:3000");
        APIGatewayProxyRequestEvent event = deserialize(APIGatewayProxyRequestEvent.class,
                ApiGatewayEventJson.proxyRequest(request, "/items/{id}", Map.of("id", "7"), "local", "0", "r", Instant.now()));
        assertThat(event.getQueryStringParameters()).isNull();
        assertThat(event.getMultiValueQueryStringParameters()).isNull();
        assertThat(event.getPathParameters()).containsEntry("id", "7");
        assertThat(event.getBody()).isEqualTo("{\"a\":1}");
        assertThat(event.getIsBase64Encoded()).isFalse();
    }
}
