package dev.netmeta.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Map;

/** Lambda entry point for API Gateway {@code GET /metadata/search} (REST API, proxy integration). */
public class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final SearchApi api;
    /** CRaC keeps registered resources only weakly reachable: the handler holds the priming for the container's life. */
    private final SearchPriming priming;

    public ApiHandler() {
        this(System.getenv());
    }

    public ApiHandler(Map<String, String> env) {
        this(ApiFactory.wire(env));
    }

    public ApiHandler(ApiFactory.Wiring wiring) {
        this.api = wiring.api();
        this.priming = wiring.priming();
    }

    /** For tests: an API over a given service, without SnapStart priming. */
    public ApiHandler(SearchApi api) {
        this.api = api;
        this.priming = null;
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        return api.handle(event);
    }
}
