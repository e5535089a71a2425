package dev.netmeta.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy in front of the embedded OpenSearch that pushes back like a busy cluster: every third
 * {@code _bulk} request is answered 503 as a whole, and in the others every third document seen for the first
 * time is not forwarded but answered with an item-level 429 ({@code es_rejected_execution_exception}) inside an
 * otherwise successful 200 response. Other requests pass through.
 */
final class FlakyOpenSearchProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final AtomicInteger rejectedRequests = new AtomicInteger();
    final AtomicInteger rejectedItems = new AtomicInteger();
    private final AtomicInteger bulkRequests = new AtomicInteger();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final HttpServer server;
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI upstream;

    /** When non-zero, every {@code _bulk} request is answered with this status as a whole (nothing forwarded). */
    private final int refuseEveryBulkWith;

    FlakyOpenSearchProxy(URI upstream) throws IOException {
        this(upstream, 0);
    }

    /** Status meaning: never answer a {@code _bulk} request (until the proxy is closed). */
    static final int STALL = -1;
    private volatile boolean closed;

    /**
     * A proxy that answers every {@code _bulk} with {@code status} (e.g. 403), or never answers it ({@link #STALL}),
     * and passes the rest through.
     */
    static FlakyOpenSearchProxy refusingEveryBulk(URI upstream, int status) throws IOException {
        return new FlakyOpenSearchProxy(upstream, status);
    }

    private FlakyOpenSearchProxy(URI upstream, int refuseEveryBulkWith) throws IOException {
        this.upstream = upstream;
        this.refuseEveryBulkWith = refuseEveryBulkWith;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getRawPath();
            if (exchange.getRequestMethod().equals("POST") && path.endsWith("/_bulk")) {
                if (refuseEveryBulkWith == STALL) {
                    rejectedRequests.incrementAndGet();
                    for (int i = 0; i < 600 && !closed; i++) {
                        Thread.sleep(100);
                    }
                    return;
                }
                if (refuseEveryBulkWith != 0) {
                    rejectedRequests.incrementAndGet();
                    reply(exchange, refuseEveryBulkWith, ("{\"error\":\"injected\",\"status\":" + refuseEveryBulkWith
                            + "}").getBytes(StandardCharsets.UTF_8));
                    return;
                }
                if (bulkRequests.incrementAndGet() % 3 == 0) {
                    rejectedRequests.incrementAndGet();
                    reply(exchange, 503, "{\"error\":\"injected overload\",\"status\":503}".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                reply(exchange, 200, bulk(exchange, body));
                return;
            }
            HttpResponse<byte[]> response = forward(exchange, exchange.getRequestURI().toString(), body);
            reply(exchange, response.statusCode(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private byte[] bulk(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
        StringBuilder forwarded = new StringBuilder();
        List<JsonNode> injected = new ArrayList<>(); // null entries: forwarded items
        int n = 0;
        for (int i = 0; i + 1 < lines.length; i += 2) {
            JsonNode action = JSON.readTree(lines[i]).get("index");
            String id = action.get("_id").asText();
            if (seen.add(id) && n++ % 3 == 0) {
                rejectedItems.incrementAndGet();
                ObjectNode result = JSON.createObjectNode();
                result.put("_index", action.get("_index").asText()).put("_id", id).put("status", 429);
                result.putObject("error").put("type", "es_rejected_execution_exception").put("reason", "injected");
                injected.add(JSON.createObjectNode().set("index", result));
            } else {
                injected.add(null);
                forwarded.append(lines[i]).append('\n').append(lines[i + 1]).append('\n');
            }
        }
        ArrayNode upstreamItems = JSON.createArrayNode();
        boolean errors = false;
        if (forwarded.length() > 0) {
            HttpResponse<byte[]> response = forward(exchange, "/_bulk",
                    forwarded.toString().getBytes(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                return response.body();
            }
            JsonNode parsed = JSON.readTree(response.body());
            upstreamItems = (ArrayNode) parsed.get("items");
            errors = parsed.get("errors").asBoolean();
        }
        ObjectNode merged = JSON.createObjectNode();
        merged.put("took", 1);
        ArrayNode items = JSON.createArrayNode();
        int u = 0;
        for (JsonNode item : injected) {
            if (item == null) {
                items.add(upstreamItems.get(u++));
            } else {
                items.add(item);
                errors = true;
            }
        }
        merged.put("errors", errors);
        merged.set("items", items);
        return JSON.writeValueAsBytes(merged);
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, String pathAndQuery, byte[] body)
            throws IOException, InterruptedException {
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(pathAndQuery))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void reply(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
    }
}
