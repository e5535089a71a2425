package dev.netmeta.local.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import dev.netmeta.local.runner.events.ApiGatewayEventJson;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.invoke.LocalFunction;
import dev.netmeta.local.runner.manifest.GatewayResponse;
import dev.netmeta.local.runner.manifest.HttpCors;
import dev.netmeta.local.runner.manifest.HttpRoute;
import dev.netmeta.local.runner.manifest.ManifestReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * API Gateway (REST API, Lambda proxy integration) for the manifest's {@code http} events: a request whose path and
 * method match a route becomes an {@code APIGatewayProxyRequestEvent} for that route's function, and the function's
 * {@code APIGatewayProxyResponseEvent} becomes the HTTP response. Everything else is answered as API Gateway answers
 * it: 403 {@code {"message":"Missing Authentication Token"}} for a path or method no route declares, 502 when the
 * function fails, returns a malformed response or runs out of its own timeout before the integration timeout ends,
 * 504 {@code {"message": "Endpoint request timed out"}} once the integration timeout (the event's
 * {@code timeoutInMillis}, else API Gateway's 29 s) ends with no answer — whatever the function does later: a started
 * invocation goes on in the background, as in AWS, while one that had not started by then (every concurrency slot of
 * its function taken all along) is dropped and never runs; each with the headers and status the manifest's gateway
 * responses ({@code DEFAULT_4XX}, {@code DEFAULT_5XX} or the answer's own type) give it. CORS preflight
 * ({@code OPTIONS}) is answered for paths with {@code cors} as the OPTIONS method the framework compiles answers it
 * ({@link CorsPreflight}).
 * API keys of {@code private} routes are passed to the function but not enforced.
 */
public final class ApiGatewayProxy {

    public record Route(HttpRoute route, LocalFunction function) {
    }

    private static final String INTERNAL_SERVER_ERROR = "{\"message\": \"Internal server error\"}";
    /** API Gateway's integration timeout for a Lambda proxy integration (REST API default, 29 s). */
    static final int INTEGRATION_TIMEOUT_SECONDS = 29;
    private static final String REQUEST_HEADER = "method.request.header.";

    private final List<Route> routes;
    private final Map<String, GatewayResponse> gatewayResponses = new HashMap<>();
    private final String stage;
    private final int integrationTimeoutSeconds;
    /** The threads that wait for the invocations, so that a request's thread waits no longer than its integration. */
    private final ExecutorService integrations = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "api-gateway-integration");
        t.setDaemon(true);
        return t;
    });

    public ApiGatewayProxy(List<Route> routes, String stage) {
        this(routes, List.of(), stage);
    }

    public ApiGatewayProxy(List<Route> routes, List<GatewayResponse> gatewayResponses, String stage) {
        this(routes, gatewayResponses, stage, INTEGRATION_TIMEOUT_SECONDS);
    }

    /**
     * As above, with another integration timeout than API Gateway's 29 s for the routes whose event sets none (tests:
     * a timeout without the wait).
     */
    ApiGatewayProxy(List<Route> routes, List<GatewayResponse> gatewayResponses, String stage,
                    int integrationTimeoutSeconds) {
        this.integrationTimeoutSeconds = integrationTimeoutSeconds;
        this.routes = List.copyOf(routes);
        gatewayResponses.forEach(g -> this.gatewayResponses.put(g.type(), g));
        this.stage = stage;
    }

    void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String decodedPath = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        Route matched = null;
        Map<String, String> pathParameters = null;
        boolean pathKnown = false;
        for (Route r : routes) {
            Map<String, String> params = r.route().match(decodedPath);
            if (params != null) {
                pathKnown = true;
                if (r.route().methodMatches(method)) {
                    matched = r;
                    pathParameters = params;
                    break;
                }
            }
        }
        if ("OPTIONS".equals(method) && pathKnown) {
            // the OPTIONS method the framework adds for cors; it takes precedence over an ANY route of the path
            // (merged over the events of the resource the path matched, as the framework merges them per path)
            String resource = routes.stream().filter(r -> r.route().match(decodedPath) != null).findFirst()
                    .orElseThrow().route().resource();
            List<HttpCors> cors = routes.stream().filter(r -> r.route().resource().equals(resource))
                    .map(r -> r.route().cors()).filter(Objects::nonNull).toList();
            boolean declaresOptions = routes.stream()
                    .anyMatch(r -> r.route().resource().equals(resource) && "OPTIONS".equals(r.route().method()));
            if (!cors.isEmpty() && !declaresOptions) {
                corsPreflight(exchange, cors);
                return;
            }
        }
        if (matched == null) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", "MissingAuthenticationTokenException");
            gatewayResponse(exchange, "MISSING_AUTHENTICATION_TOKEN", 403, "{\"message\":\"Missing Authentication Token\"}");
            return;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
        String host = exchange.getRequestHeaders().getFirst("Host");
        ApiGatewayEventJson.Request request = new ApiGatewayEventJson.Request(method, decodedPath,
                exchange.getRequestURI().getRawQuery(), headers, Exchanges.body(exchange),
                exchange.getRemoteAddress().getAddress().getHostAddress(), host == null ? "127.0.0.1" : host);
        String requestId = UUID.randomUUID().toString();
        String event = ApiGatewayEventJson.proxyRequest(request, matched.route().resource(), pathParameters, stage,
                ManifestReader.ACCOUNT_ID, requestId, Instant.now());
        long integrationMillis = matched.route().timeoutMillis() != null ? matched.route().timeoutMillis()
                : integrationTimeoutSeconds * 1000L;
        InvocationResult result = invoke(matched.function(), event.getBytes(StandardCharsets.UTF_8), integrationMillis);
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        if (result == null || result.notStarted()
                || "Sandbox.Timedout".equals(result.errorType())
                && matched.function().definition().timeoutSeconds() * 1000L >= integrationMillis) {
            // no answer within the integration timeout: none yet, no concurrency slot free all along (the invocation
            // waited for one and was dropped, never run), or a function timeout no shorter, which ended with it
            gatewayResponse(exchange, "INTEGRATION_TIMEOUT", 504, "{\"message\": \"Endpoint request timed out\"}");
            return;
        }
        if (result.failed()) {
            // a function that ran out of its own time before the integration timeout is a function error to API
            // Gateway, like a crash: 502 (the api's 28 s timeout is below the 29 s on purpose)
            gatewayResponse(exchange, null, 502, INTERNAL_SERVER_ERROR);
            return;
        }
        respond(exchange, result);
    }

    /**
     * The invocation's outcome if it comes within {@code integrationMillis}, else null. An invocation that started
     * is not cancelled then: it runs on to its end or its own timeout, its concurrency slot held, as in AWS. One that
     * got no concurrency slot by then never starts ({@link LocalFunction#invokeStartingBy}, whose deadline is not
     * after this wait's): its result is {@link InvocationResult#NOT_STARTED}, or null if this wait ended first.
     * ({@code Future.cancel} would not do: it would also interrupt an invocation that has started.)
     */
    private InvocationResult invoke(LocalFunction function, byte[] event, long integrationMillis) throws IOException {
        Future<InvocationResult> invocation;
        long startBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(integrationMillis);
        try {
            invocation = integrations.submit(() -> function.invokeStartingBy(event, startBy));
        } catch (RejectedExecutionException e) {
            return new InvocationResult(null, null, "Runtime.Shutdown", "the local runner is shutting down", 0);
        }
        try {
            return invocation.get(integrationMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + function.key(), e);
        } catch (ExecutionException e) {
            // invoke reports a handler's failure in its result; anything else is the runner's own error, thrown
            // on as when the request's thread called invoke itself
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("invocation of " + function.key() + " failed", e.getCause());
        }
    }

    /** Stops the threads that wait for invocations (the invocations themselves end with their functions). */
    void close() {
        integrations.shutdownNow();
    }

    /**
     * One of API Gateway's own answers, customised as the manifest's gateway response of its {@code type} says, else
     * as its {@code DEFAULT_4XX}/{@code DEFAULT_5XX} says ({@code type} null: an answer that only those customise).
     */
    private void gatewayResponse(HttpExchange exchange, String type, int status, String body) throws IOException {
        GatewayResponse own = type == null ? null : gatewayResponses.get(type);
        GatewayResponse custom = own != null ? own : gatewayResponses.get(status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX");
        if (custom == null) {
            Exchanges.json(exchange, status, body);
            return;
        }
        custom.headers().forEach((name, expression) -> {
            String value = headerValue(expression, exchange);
            if (value != null) {
                exchange.getResponseHeaders().set(name, value);
            }
        });
        Exchanges.json(exchange, custom.statusCode() != null ? custom.statusCode() : status, body);
    }

    /** A {@code ResponseParameters} mapping: a quoted literal or a request header; null for what only AWS maps. */
    private static String headerValue(String expression, HttpExchange exchange) {
        if (expression.length() >= 2 && expression.startsWith("'") && expression.endsWith("'")) {
            return expression.substring(1, expression.length() - 1);
        }
        if (expression.startsWith(REQUEST_HEADER)) {
            return exchange.getRequestHeaders().getFirst(expression.substring(REQUEST_HEADER.length()));
        }
        return null;
    }

    private void respond(HttpExchange exchange, InvocationResult result) throws IOException {
        JsonNode response;
        try {
            response = Json.MAPPER.readTree(result.payload() == null ? new byte[0] : result.payload());
        } catch (IOException e) {
            response = null;
        }
        if (response == null || !response.isObject() || !response.path("statusCode").canConvertToInt()) {
            // what API Gateway does with a proxy response it cannot read
            gatewayResponse(exchange, null, 502, INTERNAL_SERVER_ERROR);
            return;
        }
        int status = response.get("statusCode").asInt();
        response.path("multiValueHeaders").fields().forEachRemaining(h ->
                h.getValue().forEach(v -> exchange.getResponseHeaders().add(h.getKey(), v.asText())));
        response.path("headers").fields().forEachRemaining(h -> exchange.getResponseHeaders().set(h.getKey(), h.getValue().asText()));
        JsonNode body = response.get("body");
        byte[] bytes;
        if (body == null || body.isNull()) {
            bytes = new byte[0];
        } else if (response.path("isBase64Encoded").asBoolean(false)) {
            bytes = Base64.getDecoder().decode(body.asText());
        } else {
            bytes = body.asText().getBytes(StandardCharsets.UTF_8);
        }
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        Exchanges.send(exchange, status, null, bytes);
    }

    private static void corsPreflight(HttpExchange exchange, List<HttpCors> cors) throws IOException {
        CorsPreflight.headers(cors, exchange.getRequestHeaders().getFirst("Origin"))
                .forEach(exchange.getResponseHeaders()::set);
        Exchanges.send(exchange, 200, "application/json", null);
    }
}
