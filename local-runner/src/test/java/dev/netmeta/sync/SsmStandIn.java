package dev.netmeta.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for SSM Parameter Store's GetParameter (AWS JSON 1.1: {@code POST /} with {@code X-Amz-Target:
 * AmazonSSM.GetParameter}): answers the values put here, and SSM's {@code ParameterNotFound} (400) for other names.
 * Records the names asked for. Signatures are not checked.
 */
final class SsmStandIn implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, String> parameters = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();

    SsmStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode request;
            try (InputStream in = exchange.getRequestBody()) {
                request = JSON.readTree(in);
            }
            ObjectNode answer = JSON.createObjectNode();
            int status;
            String name = request.path("Name").asText();
            String value = parameters.get(name);
            if (!"AmazonSSM.GetParameter".equals(target)) {
                status = 400;
                answer.put("__type", "UnknownOperationException").put("message", "not in the stand-in: " + target);
            } else if (value == null) {
                requested.add(name);
                status = 400;
                answer.put("__type", "ParameterNotFound");
            } else {
                requested.add(name);
                status = 200;
                answer.putObject("Parameter").put("Name", name).put("Type", "String").put("Value", value)
                        .put("Version", 1).put("DataType", "text");
            }
            byte[] body = JSON.writeValueAsBytes(answer);
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    SsmStandIn put(String name, String value) {
        parameters.put(name, value);
        return this;
    }

    /** {@code AWS_ENDPOINT_URL_SSM} for the sync. */
    Map<String, String> env() {
        return Map.of("AWS_ENDPOINT_URL_SSM", URI.create("http://127.0.0.1:" + server.getAddress().getPort()).toString());
    }

    /** The parameter names asked for, in order. */
    List<String> requested() {
        return List.copyOf(requested);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
