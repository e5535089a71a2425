package dev.netmeta.local.runner.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.netmeta.local.runner.invoke.AsyncInvoker;
import dev.netmeta.local.runner.invoke.FunctionLog;
import dev.netmeta.local.runner.invoke.FunctionRegistry;
import dev.netmeta.local.runner.invoke.LocalFunction;
import dev.netmeta.local.runner.invoke.TestHandlers;
import dev.netmeta.local.runner.manifest.FunctionDefinition;
import dev.netmeta.local.runner.manifest.HttpRoute;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's port is on 127.0.0.1, but the developer's browser is on 127.0.0.1 too: any web page it opens can send
 * requests there. Locally no API key is enforced and the manifest's api answers {@code Access-Control-Allow-Origin: *}
 * (corsAllowOrigin), so a page from any origin could read every indexed record with {@code fetch}; a form or a
 * no-cors {@code fetch} could POST {@code /_local/sync} or invoke any function through the Lambda Invoke API (CSRF);
 * and a page whose host name is re-bound to 127.0.0.1 (DNS rebinding) is same-origin with the runner. The runner
 * serves only requests whose {@code Host} is a loopback name and whose {@code Origin}, when there is one, is a
 * loopback origin (a page served from this machine, e.g. a UI on http://localhost:5173).
 */
class CrossOriginGuardTest {

    @TempDir
    Path dir;
    private LocalHttpServer server;
    private FunctionRegistry functions;
    private AsyncInvoker async;
    private final AtomicInteger syncs = new AtomicInteger();
    private final AtomicInteger loads = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer(0);
        functions = new FunctionRegistry();
        async = new AsyncInvoker(100);
        HttpRoute route = new HttpRoute("get", "metadata/search", true, true);
        FunctionDefinition api = new FunctionDefinition("api", TestHandlers.Api.class.getName(), 10, 256, Map.of(),
                List.of(), List.of(), List.of(route), null, null);
        LocalFunction apiFunction = new LocalFunction(api, "netmeta-local-api", "us-east-1", Map.of(), 2,
                new FunctionLog(dir, "api", null));
        functions.add(apiFunction);
        LocalControl control = new LocalControl() {
            @Override
            public SyncOutcome syncNow() {
                syncs.incrementAndGet();
                return new SyncOutcome(false, "{}");
            }

            @Override
            public JsonNode status() {
                return JsonNodeFactory.instance.objectNode();
            }

            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public LoadOutcome loadAgain(String key) {
                loads.incrementAndGet();
                return new LoadOutcome(202, "{}");
            }
        };
        server.attach(new ApiGatewayProxy(List.of(new ApiGatewayProxy.Route(route, apiFunction)), "local"),
                new LambdaInvokeApi(functions, async, "us-east-1"), control);
    }

    @AfterEach
    void stop() {
        async.close();
        functions.close(1_000);
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPageOfAnotherOriginCannotSearch() throws Exception {
        HttpResponse<String> r = send("GET", "/metadata/search?q=x", "https://attacker.example");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).doesNotContain("\"q\":\"x\"");
        // what to do instead, and every form that is served
        assertThat(r.body()).contains("'https://attacker.example'").contains("a page served from this machine")
                .contains("http://localhost:").contains("127.x.y.z").contains("[::1]").contains("no Origin header")
                .contains("curl");
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aPageOfAnotherOriginCannotStartASyncOrInvokeAFunction() throws Exception {
        assertThat(send("POST", "/_local/sync", "https://attacker.example").statusCode()).isEqualTo(403);
        assertThat(syncs).hasValue(0);
        assertThat(send("POST", "/_local/load?key=raw/x.csv.gz", "https://attacker.example").statusCode())
                .isEqualTo(403);
        assertThat(loads).as("no object delivered again for a page of another origin").hasValue(0);
        assertThat(send("POST", "/_local/load?key=raw/x.csv.gz", null).statusCode()).isEqualTo(202);
        assertThat(loads).hasValue(1);
        assertThat(send("POST", LambdaInvokeApi.PREFIX + "netmeta-local-api/invocations", "null").statusCode())
                .as("an opaque origin (sandboxed iframe, file:)").isEqualTo(403);
    }

    @Test
    void aRequestForAnotherHostNameIsRefused() throws Exception {
        // DNS rebinding: the page's own host name now resolves to 127.0.0.1, so the browser sends no Origin on GET
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /metadata/search?q=x HTTP/1.1\r\nHost: rebound.attacker.example:" + server.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 403");
            int port = server.port();
            assertThat(answer).contains("'rebound.attacker.example:" + port + "'")
                    .contains("call it as http://127.0.0.1:" + port + " or http://localhost:" + port)
                    .contains("127.x.y.z").contains("[::1]");
        }
    }

    @Test
    void localClientsAndLocalPagesAreServed() throws Exception {
        assertThat(send("GET", "/metadata/search?q=x", null).statusCode()).as("curl, the SDKs").isEqualTo(200);
        assertThat(send("GET", "/metadata/search?q=x", "http://localhost:5173").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/metadata/search?q=x", "http://127.0.0.1:8080").statusCode()).isEqualTo(200);
        assertThat(send("GET", "/metadata/search?q=x", "http://[::1]:8080").statusCode()).isEqualTo(200);
        assertThat(send("POST", "/_local/sync", null).statusCode()).isEqualTo(200);
        assertThat(syncs).hasValue(1);
    }
}
