package dev.netmeta.sync;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for the Lambda Invoke API ({@code POST /2015-03-31/functions/{name}/invocations}): answers 202 like
 * Lambda does for {@code InvocationType: Event} and keeps the payloads so the test can deliver them to the handler;
 * or, made with {@link #refusing}, answers every call with Lambda's error of the given status and type (and still
 * records the call).
 */
final class LambdaInvokeStandIn implements AutoCloseable {

    record Invocation(String functionName, String invocationType, String payload) {
    }

    private final HttpServer server;
    private final List<Invocation> invocations = new ArrayList<>();

    LambdaInvokeStandIn() throws IOException {
        this(202, null);
    }

    /** E.g. 403 {@code AccessDeniedException} (a role without lambda:InvokeFunction), which the SDK does not retry. */
    static LambdaInvokeStandIn refusing(int status, String errorType) throws IOException {
        return new LambdaInvokeStandIn(status, errorType);
    }

    private LambdaInvokeStandIn(int status, String errorType) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/2015-03-31/functions/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String name = path.substring("/2015-03-31/functions/".length(), path.lastIndexOf("/invocations"));
            String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            synchronized (invocations) {
                invocations.add(new Invocation(name, type, body));
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (errorType == null) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                byte[] error = ("{\"Type\":\"User\",\"message\":\"refused by the test's stand-in\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("X-Amzn-ErrorType", errorType);
                exchange.sendResponseHeaders(status, error.length);
                exchange.getResponseBody().write(error);
            }
            exchange.close();
        });
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Invocation> invocations() {
        synchronized (invocations) {
            return List.copyOf(invocations);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
