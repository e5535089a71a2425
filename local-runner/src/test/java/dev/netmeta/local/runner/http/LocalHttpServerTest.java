package dev.netmeta.local.runner.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.runner.invoke.AsyncInvoker;
import dev.netmeta.local.runner.invoke.FunctionLog;
import dev.netmeta.local.runner.invoke.FunctionRegistry;
import dev.netmeta.local.runner.invoke.LocalFunction;
import dev.netmeta.local.runner.invoke.TestHandlers;
import dev.netmeta.local.runner.manifest.FunctionDefinition;
import dev.netmeta.local.runner.manifest.HttpRoute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvalidRequestContentException;
import software.amazon.awssdk.services.lambda.model.InvocationType;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.LambdaException;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local port driven by real clients: curl-like HTTP for API Gateway, the AWS SDK's Lambda client for Invoke. */
class LocalHttpServerTest {

    /** How long to wait for a queued invocation: a guard against hanging, not a timing claim. */
    private static final Duration WAIT_AT_MOST = Duration.ofMinutes(2);

    @TempDir
    Path dir;
    private LocalHttpServer server;
    private FunctionRegistry functions;
    private AsyncInvoker async;
    private final TestHandlers.Sink sink = new TestHandlers.Sink();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = new LocalHttpServer(0);
        functions = new FunctionRegistry();
        async = new AsyncInvoker(100);
        FunctionDefinition echo = new FunctionDefinition("echo", TestHandlers.Echo.class.getName(), 10, 256, Map.of(),
                List.of(), List.of(), List.of(), 0, null);
        HttpRoute route = new HttpRoute("get", "metadata/search", true, true);
        FunctionDefinition api = new FunctionDefinition("api", TestHandlers.Api.class.getName(), 10, 256, Map.of(),
                List.of(), List.of(), List.of(route), null, null);
        functions.add(new LocalFunction(echo, "netmeta-local-echo", "us-east-1",
                Map.of("ENV_PROBE", "p", TestHandlers.SINK, sink.id()), 2, new FunctionLog(dir, "echo", null)));
        LocalFunction apiFunction = new LocalFunction(api, "netmeta-local-api", "us-east-1", Map.of(), 2,
                new FunctionLog(dir, "api", null));
        functions.add(apiFunction);
        server.attach(new ApiGatewayProxy(List.of(new ApiGatewayProxy.Route(route, apiFunction)), "local"),
                new LambdaInvokeApi(functions, async, "us-east-1"), null);
    }

    @AfterEach
    void stop() {
        async.close();
        functions.close(1_000);
        server.close();
        sink.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private LambdaClient lambda() {
        return LambdaClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(URI.create(server.baseUrl()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b"))).build();
    }

    /**
     * A URL with an unencoded space: the JDK server cut it at the space and called the route with the rest dropped —
     * {@code q=srcIp:10.0.0.1 AND host:google.com} searched {@code srcIp:10.0.0.1} alone (135 hits for the 7 asked)
     * and answered 200. Every route now answers a JSON 400 that says to percent-encode spaces, and calls nothing.
     * Sent over a raw socket: no HTTP client sends such a line.
     */
    @Test
    void aRequestLineWithAnUnencodedSpaceIsA400OnEveryRouteAndCallsNothing() throws Exception {
        assertThat(LocalHttpServer.refusesUnencodedSpaces()).as("the tests run with --add-opens, as java -jar").isTrue();
        String invoke = LambdaInvokeApi.PREFIX + "netmeta-local-echo/invocations";
        for (String line : List.of("GET /metadata/search?q=srcIp:10.0.0.1 AND host:google.com HTTP/1.1",
                "GET /metadata/search?q=a b", "GET /_local/status?x=a b HTTP/1.1", "GET /_local/health HTTP/1.1 ",
                "POST " + invoke + "?x=a b HTTP/1.1", "GET /metadata/search?q=x http/1.1")) {
            String answer = raw(line);
            assertThat(answer).as(line).startsWith("HTTP/1.1 400 ").contains("application/json")
                    .contains("Percent-encode spaces as %20 (or + in the query string)");
        }
        assertThat(raw("GET /metadata/search?q=srcIp:10.0.0.1 AND host:google.com HTTP/1.1"))
                .contains("'AND host:google.com HTTP/1.1' follows the URL where the HTTP version belongs");
        assertThat(TestHandlers.Api.CALLS).as("no function called").doesNotContainKey("space");
        assertThat(sink.next(Duration.ofMillis(200))).as("the echo function was not invoked").isNull();

        assertThat(raw("GET /metadata/search?q=a%20b&id=space HTTP/1.1")).startsWith("HTTP/1.1 200 ")
                .contains("\"q\":\"a b\"");
        assertThat(raw("GET /_local/health HTTP/1.0")).as("HTTP/1.0").startsWith("HTTP/1.1 503 ");
    }

    /** Sends {@code requestLine} and a Host header over a socket; the whole answer. */
    private String raw(String requestLine) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write((requestLine + "\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void routesTheManifestsPathToItsFunctionAndReturnsItsResponse() throws Exception {
        HttpResponse<String> response = get("/metadata/search?q=host%3Agoogle.com+AND+srcIp%3A10.0.0.1");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Resource")).hasValue("/metadata/search");
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.get("method").asText()).isEqualTo("GET");
        assertThat(body.get("q").asText()).isEqualTo("host:google.com AND srcIp:10.0.0.1");
        assertThat(body.get("stage").asText()).isEqualTo("local");
        assertThat(get("/metadata/search?q=boom").statusCode()).as("the function's status code").isEqualTo(418);
    }

    @Test
    void answersOneRequestAfterAnotherWithoutWaitingForDelayedAcks() throws Exception {
        // The JDK server writes a response's head and body separately; with Nagle's algorithm on, the body waited for
        // the client's delayed ACK — about 40 ms per request with Java's HttpClient on Linux, every request; a few ms
        // with TCP_NODELAY. The median of twenty requests on one connection tells the two apart; a sum of them did too,
        // but one pause of a busy machine (GC, another process) could take it past any bound set on it.
        get("/metadata/search?q=warm");
        long[] millis = new long[20];
        for (int i = 0; i < millis.length; i++) {
            long t0 = System.nanoTime();
            assertThat(get("/metadata/search?q=x" + i).statusCode()).isEqualTo(200);
            millis[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        assertThat(sorted[millis.length / 2]).as("the median of the requests' ms: %s", Arrays.toString(millis))
                .isLessThan(30);
    }

    @Test
    void answersLikeApiGatewayForWhatTheManifestDoesNotDeclare() throws Exception {
        HttpResponse<String> unknown = get("/metadata/other");
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(unknown.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        HttpResponse<String> wrongMethod = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metadata/search"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongMethod.statusCode()).isEqualTo(403);
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metadata/search"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://localhost:5173").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).as("cors: true allows '*', not the caller")
                .hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("OPTIONS,GET");
    }

    @Test
    void servesTheLambdaInvokeApiToTheAwsSdk() throws Exception {
        try (LambdaClient lambda = lambda()) {
            InvokeResponse sync = lambda.invoke(b -> b.functionName("netmeta-local-echo")
                    .payload(SdkBytes.fromUtf8String("{\"x\":\"y\"}")));
            assertThat(sync.statusCode()).isEqualTo(200);
            assertThat(sync.functionError()).isNull();
            JsonNode out = Json.MAPPER.readTree(sync.payload().asUtf8String());
            assertThat(out.at("/input/x").asText()).isEqualTo("y");
            assertThat(out.get("probe").asText()).isEqualTo("p");

            InvokeResponse failed = lambda.invoke(b -> b.functionName("echo").payload(SdkBytes.fromUtf8String("{\"fail\":1}")));
            assertThat(failed.functionError()).isEqualTo("Unhandled");
            assertThat(failed.payload().asUtf8String()).contains("asked to fail: 1");

            InvokeResponse queued = lambda.invoke(b -> b.functionName("arn:aws:lambda:us-east-1:000000000000:function:netmeta-local-echo")
                    .invocationType(InvocationType.EVENT).payload(SdkBytes.fromUtf8String("{\"async\":true}")));
            assertThat(queued.statusCode()).isEqualTo(202);
            // the echo reports every invocation that did not fail: first the synchronous one, then the queued one
            Map<String, Object> ranFirst = sink.next(WAIT_AT_MOST);
            assertThat(ranFirst).as("the synchronous call").isNotNull();
            assertThat(((Map<?, ?>) ranFirst.get("input")).get("x")).isEqualTo("y");
            Map<String, Object> ranInTheBackground = sink.next(WAIT_AT_MOST);
            assertThat(ranInTheBackground).as("the queued invocation ran").isNotNull();
            assertThat(((Map<?, ?>) ranInTheBackground.get("input")).get("async")).isEqualTo(true);

            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("nope").payload(SdkBytes.fromUtf8String("{}"))))
                    .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("Function not found: arn:aws:lambda:us-east-1:000000000000:function:");
        }
    }

    private HttpResponse<String> invoke(String function, String invocationType, byte[] payload) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + LambdaInvokeApi.PREFIX + function
                        + "/invocations")).header("X-Amz-Invocation-Type", invocationType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON document of exactly {@code size} bytes. */
    private static byte[] jsonOfSize(int size) {
        String start = "{\"pad\":\"";
        String end = "\"}";
        return (start + "x".repeat(size - start.length() - end.length()) + end).getBytes(StandardCharsets.UTF_8);
    }

    private static void assertLambdaError(HttpResponse<String> response, int status, String type, String message)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("X-Amzn-ErrorType")).hasValue(type);
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.get("Type").asText()).isEqualTo("User");
        assertThat(body.get("message").asText()).startsWith(message);
    }

    @Test
    void refusesAPayloadThatIsNotJsonAsLambdaDoes() throws Exception {
        try (LambdaClient lambda = lambda()) {
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("echo").payload(SdkBytes.fromUtf8String("abc"))))
                    .isInstanceOfSatisfying(InvalidRequestContentException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(400);
                        assertThat(e.getMessage()).startsWith("Could not parse request body into json: Could not parse "
                                + "payload into json: Unrecognized token 'abc'");
                    });
        }
        assertLambdaError(invoke("echo", "Event", "{\"a\":".getBytes(StandardCharsets.UTF_8)), 400,
                "InvalidRequestContentException", "Could not parse request body into json: Could not parse payload into json: ");
        assertLambdaError(invoke("echo", "RequestResponse", new byte[]{'"', (byte) 0x97, '"'}), 400,
                "InvalidRequestContentException", "Could not parse request body into json: Could not parse payload into json: "
                        + "Invalid UTF-8 start byte 0x97");
        assertLambdaError(invoke("echo", "RequestResponse", "{} x".getBytes(StandardCharsets.UTF_8)), 400,
                "InvalidRequestContentException", "Could not parse request body into json: Could not parse payload into json: ");
        assertThat(invoke("echo", "RequestResponse", new byte[0]).statusCode()).as("no payload is {}").isEqualTo(200);
        assertThat(sink.next(Duration.ofMillis(500))).as("only the empty payload reached the function").isNotNull();
        assertThat(sink.next(Duration.ofMillis(500))).isNull();
    }

    @Test
    void refusesAPayloadAboveLambdasQuotaWith413() throws Exception {
        assertThat(invoke("echo", "Event", jsonOfSize(LambdaInvokeApi.EVENT_LIMIT)).statusCode())
                .as("1 MB is the quota for Event").isEqualTo(202);
        assertThat(sink.next(WAIT_AT_MOST)).isNotNull();
        assertLambdaError(invoke("echo", "Event", jsonOfSize(LambdaInvokeApi.EVENT_LIMIT + 1)), 413,
                "RequestEntityTooLargeException",
                "1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)");

        byte[] sixMegabytes = jsonOfSize(LambdaInvokeApi.REQUEST_RESPONSE_LIMIT);
        HttpResponse<String> largest = invoke("echo", "RequestResponse", sixMegabytes);
        assertThat(largest.statusCode()).as("6 MB is the quota for RequestResponse").isEqualTo(200);
        assertThat(sink.next(WAIT_AT_MOST)).isNotNull();
        assertLambdaError(invoke("echo", "RequestResponse", jsonOfSize(LambdaInvokeApi.REQUEST_RESPONSE_LIMIT + 1)),
                413, "RequestEntityTooLargeException",
                "Request must be smaller than 6291456 bytes for the InvokeFunction operation");
        try (LambdaClient lambda = lambda()) {
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("echo")
                    .payload(SdkBytes.fromByteArray(jsonOfSize(7 * 1024 * 1024)))))
                    .isInstanceOfSatisfying(LambdaException.class, e -> {
                        assertThat(e.statusCode()).isEqualTo(413);
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("RequestEntityTooLargeException");
                    });
        }
        assertThat(sink.next(Duration.ofMillis(500))).as("no refused payload reached the function").isNull();
    }

    @Test
    void anUnknownFunctionIsNotFoundWhateverThePayloadSize() throws Exception {
        // Lambda names the missing function first; the payload's size matters only for one that exists
        String notFound = "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope";
        byte[] sevenMegabytes = jsonOfSize(7 * 1024 * 1024);
        assertLambdaError(invoke("nope", "RequestResponse", sevenMegabytes), 404, "ResourceNotFoundException", notFound);
        assertLambdaError(invoke("nope", "Event", jsonOfSize(LambdaInvokeApi.EVENT_LIMIT + 1)), 404,
                "ResourceNotFoundException", notFound);
        try (LambdaClient lambda = lambda()) {
            assertThatThrownBy(() -> lambda.invoke(b -> b.functionName("nope")
                    .payload(SdkBytes.fromByteArray(sevenMegabytes))))
                    .isInstanceOfSatisfying(ResourceNotFoundException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(404));
        }
        assertLambdaError(invoke("echo", "RequestResponse", sevenMegabytes), 413, "RequestEntityTooLargeException",
                "Request must be smaller than 6291456 bytes");
    }

    @Test
    void answersARequestWhoseBodyNobodyReadsInsteadOfDroppingTheConnection() throws Exception {
        // The JDK server closes a connection whose request body has more than 64 KB unread after the answer; the
        // client, still sending, then got a broken pipe or a reset instead of the answer.
        byte[] eightMegabytes = new byte[8 * 1024 * 1024];
        HttpResponse<String> unknownLocal = post("/_local/unknown", eightMegabytes);
        assertThat(unknownLocal.statusCode()).isEqualTo(404);
        assertThat(unknownLocal.body()).contains("unknown local endpoint");
        assertThat(post("/_local/status", eightMegabytes).statusCode()).isEqualTo(405);
        assertThat(post("/metadata/other", eightMegabytes).statusCode()).as("API Gateway's answer").isEqualTo(403);
        HttpResponse<String> unknownOperation = post(LambdaInvokeApi.PREFIX + "echo/configuration", eightMegabytes);
        assertThat(unknownOperation.statusCode()).isEqualTo(404);
        assertThat(unknownOperation.headers().firstValue("X-Amzn-ErrorType")).hasValue("UnknownOperationException");
        assertThat(get("/_local/unknown").statusCode()).as("the server still answers").isEqualTo(404);
    }

    private HttpResponse<String> post(String path, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void controlEndpointsWaitForThePipeline() throws Exception {
        assertThat(get("/_local/health").statusCode()).isEqualTo(503);
        server.attach(null, null, new LocalControl() {
            @Override
            public SyncOutcome syncNow() {
                return new SyncOutcome(false, "{\"copied\":0}");
            }

            @Override
            public JsonNode status() {
                return JsonNodeFactory.instance.objectNode().put("idle", true);
            }

            @Override
            public boolean ready() {
                return true;
            }
        });
        assertThat(get("/_local/health").statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(get("/_local/status").body()).get("idle").asBoolean()).isTrue();
        HttpResponse<String> sync = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/_local/sync"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sync.statusCode()).isEqualTo(200);
        assertThat(sync.body()).isEqualTo("{\"copied\":0}");
        assertThat(get("/_local/sync").statusCode()).isEqualTo(405);
        assertThat(get("/_local/unknown").statusCode()).isEqualTo(404);
        // every control endpoint has its method: POST /_local/health was answered 200 like a GET
        HttpResponse<String> postHealth = post("/_local/health", new byte[0]);
        assertThat(postHealth.statusCode()).isEqualTo(405);
        assertThat(postHealth.body()).isEqualTo("{\"message\":\"use GET\"}");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/_local/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode()).as("what health checkers send").isEqualTo(200);
    }
    @Test
    void postLocalLoadDeliversTheNamedKeyAgainAndAnswersWhatTheControlSays() throws Exception {
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        server.attach(null, null, new LocalControl() {
            @Override
            public SyncOutcome syncNow() {
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
                asked.add(key);
                return key.equals("raw/x y.csv.gz")
                        ? new LoadOutcome(202, "{\"key\":\"raw/x y.csv.gz\",\"delivered\":true}")
                        : new LoadOutcome(404, "{\"message\":\"the bucket b has no object\"}");
            }
        });

        HttpResponse<String> delivered = post("/_local/load?key=raw/x%20y.csv.gz", new byte[0]);
        assertThat(delivered.statusCode()).isEqualTo(202);
        assertThat(Json.MAPPER.readTree(delivered.body()).get("delivered").asBoolean()).isTrue();
        assertThat(delivered.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("json"));

        HttpResponse<String> missing = post("/_local/load?key=raw/none.csv.gz", new byte[0]);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Json.MAPPER.readTree(missing.body()).get("message").asText()).contains("has no object");

        HttpResponse<String> noKey = post("/_local/load", new byte[0]);
        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(noKey.body()).get("message").asText()).contains("/_local/load?key=");
        assertThat(post("/_local/load?key=", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(get("/_local/load?key=raw/x%20y.csv.gz").statusCode()).as("GET changes nothing").isEqualTo(405);
        assertThat(asked).as("the key as decoded, once per POST that named one")
                .containsExactly("raw/x y.csv.gz", "raw/none.csv.gz");
        assertThat(get("/_local/unknown").body()).contains("POST /_local/load?key=");
    }

    @Test
    void theQueryParameterIsDecoded() {
        assertThat(LocalHttpServer.queryParameter("key=raw%2Fa+b.csv&x=1", "key")).isEqualTo("raw/a b.csv");
        assertThat(LocalHttpServer.queryParameter("x=1&key", "key")).isEmpty();
        assertThat(LocalHttpServer.queryParameter("x=1", "key")).isNull();
        assertThat(LocalHttpServer.queryParameter(null, "key")).isNull();
    }
}
