package dev.netmeta.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Map;

/** Lambda entry point for API Gateway {@code GET /metadata/search} (REST API, proxy integration). */
public class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final SearchApi api;

    public ApiHandler() {
        this(System.getenv());
    }

    public ApiHandler(Map<String, String> env) {
        this(ApiFactory.create(env));
    }

    public ApiHandler(SearchApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return api.handle(event);
    }
}
