package dev.netmeta.local.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.api.ApiHandler;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.runner.invoke.FunctionLog;
import dev.netmeta.local.runner.invoke.LocalFunction;
import dev.netmeta.local.runner.manifest.FunctionDefinition;
import dev.netmeta.local.runner.manifest.HttpRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Query strings the way a client sends them, through the runner's API Gateway to the real {@code api} handler. The
 * handler rejects unknown parameters before it talks to OpenSearch, so none is needed (the URL points nowhere).
 * Parameter names are passed through as API Gateway passes them: whatever the name looks like.
 */
class ApiGatewayQueryStringTest {

    @TempDir
    Path dir;
    private LocalHttpServer server;
    private LocalFunction api;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer(0);
        HttpRoute route = new HttpRoute("get", "metadata/search", true, true);
        FunctionDefinition definition = new FunctionDefinition("api", ApiHandler.class.getName(), 10, 256, Map.of(),
                List.of(), List.of(), List.of(route), null, null);
        api = new LocalFunction(definition, "netmeta-local-api", "us-east-1",
                Map.of("OPENSEARCH_URL", "http://127.0.0.1:9", "CORS_ALLOW_ORIGIN", "*"), 2,
                new FunctionLog(dir, "api", null));
        server.attach(new ApiGatewayProxy(List.of(new ApiGatewayProxy.Route(route, api)), "local"), null, null);
    }

    @AfterEach
    void stop() {
        api.close(1_000);
        server.close();
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + pathAndQuery)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertApiError(HttpResponse<String> response, int status, String code, String messagePart)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("error").asText()).as(response.body()).isEqualTo(code);
        assertThat(body.path("message").asText()).contains(messagePart);
    }

    @Test
    void aNameStartingWithASlashIsThatNameNotAJsonPointer() throws Exception {
        assertApiError(get("/metadata/search?/q=host:github.com&size=1"), 400, "unknown_parameter", "'/q'");
        assertApiError(get("/metadata/search?/q/0=x&size=1"), 400, "unknown_parameter", "'/q/0'");
        assertApiError(get("/metadata/search?%2Fq=x"), 400, "unknown_parameter", "'/q'");
        assertApiError(get("/metadata/search?/q=a&/q=b"), 400, "unknown_parameter", "'/q'");
    }

    @Test
    void anEmptyNameIsPassedThroughAndTheApiRefusesIt() throws Exception {
        HttpResponse<String> response = get("/metadata/search?=x&size=1");
        assertApiError(response, 400, "unknown_parameter", "unknown parameter ''");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("java.");
        assertApiError(get("/metadata/search?size=1&="), 400, "unknown_parameter", "unknown parameter ''");
    }

    @Test
    void aKnownParameterStillArrives() throws Exception {
        // size is checked before the search: an invalid one proves the parameter reached the handler under its name
        assertApiError(get("/metadata/search?size=-1"), 400, "size_out_of_range", "size must be between 1");
    }

    /**
     * Pins what docs/LOCAL.md says: the JDK HTTP server refuses a request line java.net.URI cannot parse with a 400
     * (HTML body, not JSON) before the runner sees it. Sent over a raw socket: HttpClient cannot send such a URI.
     */
    @Test
    void aMalformedPercentEscapeIsRefusedWith400BeforeTheFunction() throws Exception {
        for (String query : List.of("q=host:%ZZ", "q=%", "%ZZ=x", "q=a|b")) {
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.getOutputStream().write(("GET /metadata/search?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(response).as(query).startsWith("HTTP/1.1 400 ").containsIgnoringCase("Connection: close")
                        .doesNotContain("search_unavailable");
            }
        }
    }
}
