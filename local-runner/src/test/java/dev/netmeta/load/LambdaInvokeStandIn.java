package dev.netmeta.load;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Stands in for the Lambda Invoke API ({@code POST /2015-03-31/functions/<name>/invocations}): records each
 * asynchronous invocation and answers 202 as Lambda does for {@code InvocationType=Event}.
 */
final class LambdaInvokeStandIn implements AutoCloseable {

    record Invocation(String function, String invocationType, String payload) {
    }

    final BlockingQueue<Invocation> invocations = new LinkedBlockingQueue<>();
    private final HttpServer server;

    LambdaInvokeStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/2015-03-31/functions/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String function = path.substring("/2015-03-31/functions/".length(), path.lastIndexOf("/invocations"));
                invocations.add(new Invocation(function, exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"),
                        new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
                exchange.sendResponseHeaders(202, -1);
            }
        });
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
