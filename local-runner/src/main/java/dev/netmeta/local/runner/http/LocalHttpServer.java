package dev.netmeta.local.runner.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.netmeta.local.runner.events.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's one HTTP port on 127.0.0.1: the API Gateway routes of the manifest, the Lambda Invoke API the
 * functions call through {@code AWS_ENDPOINT_URL_LAMBDA}, and the local control endpoints
 * ({@code POST /_local/sync}, {@code GET /_local/status}, {@code GET /_local/health}).
 * The port is bound first (so the functions' environment can name it); routes are attached once the functions exist.
 */
public final class LocalHttpServer implements AutoCloseable {

    static {
        // The JDK server writes a response's head and body separately; with Nagle's algorithm on, the body waits for
        // the client's delayed ACK (≈ 40 ms per request with Java's HttpClient on Linux). The JDK reads this property
        // once, when the first server of the JVM starts; a value set on the command line is left alone.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private volatile ApiGatewayProxy api;
    private volatile LambdaInvokeApi lambda;
    private volatile LocalControl control;

    public LocalHttpServer(int port) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public void attach(ApiGatewayProxy api, LambdaInvokeApi lambda, LocalControl control) {
        this.api = api;
        this.lambda = lambda;
        this.control = control;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/_local/")) {
                local(exchange, path);
            } else if (path.startsWith(LambdaInvokeApi.PREFIX)) {
                if (lambda == null) {
                    Exchanges.json(exchange, 503, "{\"message\":\"the functions are starting\"}");
                } else {
                    lambda.handle(exchange);
                }
            } else if (api == null) {
                Exchanges.json(exchange, 503, "{\"message\":\"the local runner is starting\"}");
            } else {
                api.handle(exchange);
            }
        } catch (RuntimeException | IOException e) {
            ObjectNode doc = Json.MAPPER.createObjectNode().put("message", "local runner error: " + e);
            try {
                Exchanges.json(exchange, 500, doc.toString());
            } catch (IOException | RuntimeException ignored) {
                exchange.close();
            }
        }
    }

    private void local(HttpExchange exchange, String path) throws IOException {
        LocalControl c = control;
        String method = exchange.getRequestMethod();
        switch (path) {
            case "/_local/health" -> {
                boolean up = c != null && c.ready();
                Exchanges.json(exchange, up ? 200 : 503, "{\"status\":\"" + (up ? "up" : "starting") + "\"}");
            }
            case "/_local/status" -> {
                if (!"GET".equals(method)) {
                    Exchanges.json(exchange, 405, "{\"message\":\"use GET\"}");
                } else if (c == null) {
                    Exchanges.json(exchange, 503, "{\"message\":\"the local runner is starting\"}");
                } else {
                    Exchanges.json(exchange, 200, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(c.status()));
                }
            }
            case "/_local/sync" -> {
                if (!"POST".equals(method)) {
                    Exchanges.json(exchange, 405, "{\"message\":\"use POST\"}");
                } else if (c == null || !c.ready()) {
                    Exchanges.json(exchange, 503, "{\"message\":\"the local runner is starting\"}");
                } else {
                    LocalControl.SyncOutcome outcome = c.syncNow();
                    Exchanges.json(exchange, outcome.failed() ? 502 : 200, outcome.json());
                }
            }
            default -> Exchanges.json(exchange, 404,
                    "{\"message\":\"unknown local endpoint; use POST /_local/sync, GET /_local/status, GET /_local/health\"}");
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
