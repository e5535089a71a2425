package dev.netmeta.local.runner.http;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers to answer an {@link HttpExchange}. */
final class Exchanges {

    private Exchanges() {
    }

    /**
     * Answers the exchange. The part of the request body no handler read is read and dropped first: the JDK server
     * closes a connection that still has more than 64 KB of request body unread after the answer
     * ({@code sun.net.httpserver.drainAmount}), and a client that is still sending then gets a broken pipe or a reset
     * instead of the answer (e.g. the 404 of an unknown path POSTed a large body).
     */
    static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        if (contentType != null) {
            exchange.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean noBody = body == null || body.length == 0 || "HEAD".equals(exchange.getRequestMethod()) || status == 204;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    static void json(HttpExchange exchange, int status, String json) throws IOException {
        send(exchange, status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] body(HttpExchange exchange) throws IOException {
        return exchange.getRequestBody().readAllBytes();
    }

    /**
     * The request body, or null when it is longer than {@code limit} bytes (the rest is dropped by {@link #send}, so
     * the client that is still sending gets to read the answer).
     */
    static byte[] body(HttpExchange exchange, int limit) throws IOException {
        byte[] body = exchange.getRequestBody().readNBytes(limit + 1);
        return body.length <= limit ? body : null;
    }
}
