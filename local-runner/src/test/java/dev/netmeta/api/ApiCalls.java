package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Requests to an {@link ApiHandler} as API Gateway hands them over (events/apigw_search.json, the parameters single
 * values), and the answers the SearchApi ITs expect of them: a 200's body or hits, a 400's body.
 */
final class ApiCalls {

    private final ObjectMapper json = new ObjectMapper();
    private final ApiHandler handler;

    ApiCalls(ApiHandler handler) {
        this.handler = handler;
    }

    APIGatewayProxyResponseEvent call(Map<String, String> parameters) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(parameters);
        event.setMultiValueQueryStringParameters(null);
        return handler.handleRequest(event, null);
    }

    APIGatewayProxyResponseEvent call(String q) {
        return call(Map.of("q", q));
    }

    /** The body of the 200 the request must answer. */
    JsonNode ok(Map<String, String> parameters) {
        return body(call(parameters), 200, parameters.toString());
    }

    /** The ids of the hits of q, which must answer 200. */
    List<String> found(String q) {
        return ids(ok(Map.of("q", q)));
    }

    /** The body of the 400 q must answer. */
    JsonNode refused(String q) {
        return body(call(q), 400, q);
    }

    private JsonNode body(APIGatewayProxyResponseEvent r, int status, String request) {
        assertThat(r.getStatusCode()).as(request + ": " + r.getBody()).isEqualTo(status);
        try {
            return json.readTree(r.getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
