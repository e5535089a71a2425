package dev.netmeta.local.runner.http;

import dev.netmeta.local.runner.invoke.TestHandlers;
import dev.netmeta.local.runner.manifest.ManifestReader;
import dev.netmeta.local.runner.manifest.ServerlessManifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * API Gateway's own answers (403 for an undeclared path, 502 for a failed function, 504 for a timeout) carry what the
 * manifest's {@code AWS::ApiGateway::GatewayResponse} resources add to them — in this project the CORS header, without
 * which a browser sees such an error as a CORS failure.
 */
class GatewayResponseTest {

    @TempDir
    Path dir;
    private ManifestApi api;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        if (api != null) {
            api.close();
        }
    }

    /** Serves the manifest's routes with {@link TestHandlers.Api} and a one-second timeout. */
    private void serve(ServerlessManifest manifest) throws Exception {
        api = new ManifestApi(manifest, dir, 1, 2);
    }

    /** As above behind an integration timeout of one second, so that a function timeout is API Gateway's 504. */
    private void serveBehindAOneSecondIntegrationTimeout(ServerlessManifest manifest) throws Exception {
        api = new ManifestApi(manifest, dir, 1, 2, 1);
    }

    private ServerlessManifest manifest(String yaml) throws Exception {
        return ManifestApi.read(dir, yaml);
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + pathAndQuery))
                .header("Origin", "https://page.example").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theProjectsGatewayResponsesPutTheCorsHeaderOnApiGatewaysOwnErrors() throws Exception {
        Path project = Path.of(System.getProperty("netmeta.projectRoot", "..")).resolve("serverless.yml");
        serve(new ManifestReader("local", "us-east-1", Map.of()).read(project));

        HttpResponse<String> unknown = get("/metadata/other");
        assertThat(unknown.statusCode()).isEqualTo(403);
        assertThat(unknown.headers().allValues("Access-Control-Allow-Origin")).as("DEFAULT_4XX").containsExactly("*");
        assertThat(unknown.headers().firstValue("x-amzn-ErrorType")).hasValue("MissingAuthenticationTokenException");
        assertThat(unknown.body()).isEqualTo("{\"message\":\"Missing Authentication Token\"}");
        assertThat(http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/metadata/search"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
                .headers().allValues("Access-Control-Allow-Origin")).as("a declared path, another method").containsExactly("*");

        HttpResponse<String> failed = get("/metadata/search?q=throw");
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.headers().allValues("Access-Control-Allow-Origin")).as("DEFAULT_5XX").containsExactly("*");
        assertThat(failed.body()).isEqualTo("{\"message\": \"Internal server error\"}");

        HttpResponse<String> timedOut = get("/metadata/search?q=sleep");
        assertThat(timedOut.statusCode()).as("a function timeout below the 29 s integration timeout is a function error")
                .isEqualTo(502);
        assertThat(timedOut.headers().allValues("Access-Control-Allow-Origin")).as("DEFAULT_5XX").containsExactly("*");
        assertThat(timedOut.body()).isEqualTo("{\"message\": \"Internal server error\"}");

        HttpResponse<String> answered = get("/metadata/search?q=boom");
        assertThat(answered.statusCode()).isEqualTo(418);
        assertThat(answered.headers().firstValue("Access-Control-Allow-Origin"))
                .as("the function's own answer has only the function's headers").isEmpty();
    }

    @Test
    void aResponseTypeOfItsOwnWinsOverTheDefaultAndMayMapARequestHeader() throws Exception {
        serveBehindAOneSecondIntegrationTimeout(manifest("""
                service: svc
                params:
                  default:
                    origin: https://app.example
                functions:
                  f:
                    handler: a.B
                    events:
                      - http: GET items
                resources:
                  Resources:
                    Default4xx:
                      Type: AWS::ApiGateway::GatewayResponse
                      Properties:
                        RestApiId: {Ref: ApiGatewayRestApi}
                        ResponseType: DEFAULT_4XX
                        ResponseParameters:
                          gatewayresponse.header.Access-Control-Allow-Origin: "'${param:origin}'"
                    Missing:
                      Type: AWS::ApiGateway::GatewayResponse
                      Properties:
                        RestApiId: {Ref: ApiGatewayRestApi}
                        ResponseType: MISSING_AUTHENTICATION_TOKEN
                        StatusCode: '404'
                        ResponseParameters:
                          gatewayresponse.header.Access-Control-Allow-Origin: method.request.header.Origin
                          gatewayresponse.header.X-Why: "'no such route'"
                    Timeout:
                      Type: AWS::ApiGateway::GatewayResponse
                      Properties:
                        RestApiId: {Ref: ApiGatewayRestApi}
                        ResponseType: INTEGRATION_TIMEOUT
                        ResponseParameters:
                          gatewayresponse.header.Retry-After: "'1'"
                    OtherApi:
                      Type: AWS::ApiGateway::GatewayResponse
                      Properties:
                        RestApiId: {Ref: SomeOtherRestApi}
                        ResponseType: DEFAULT_5XX
                        ResponseParameters:
                          gatewayresponse.header.X-Other: "'other API'"
                """));
        HttpResponse<String> unknown = get("/nothing");
        assertThat(unknown.statusCode()).as("MISSING_AUTHENTICATION_TOKEN's StatusCode").isEqualTo(404);
        assertThat(unknown.headers().firstValue("Access-Control-Allow-Origin")).as("mapped from the request")
                .hasValue("https://page.example");
        assertThat(unknown.headers().firstValue("X-Why")).hasValue("no such route");

        HttpResponse<String> timedOut = get("/items?q=sleep");
        assertThat(timedOut.statusCode()).as("a function timeout not shorter than the integration's").isEqualTo(504);
        assertThat(timedOut.body()).isEqualTo("{\"message\": \"Endpoint request timed out\"}");
        assertThat(timedOut.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(timedOut.headers().firstValue("X-Other")).as("another API's gateway response").isEmpty();

        HttpResponse<String> failed = get("/items?q=throw");
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(failed.headers().firstValue("Retry-After")).as("no DEFAULT_5XX here").isEmpty();
        assertThat(failed.headers().firstValue("Access-Control-Allow-Origin")).as("DEFAULT_4XX is for 4xx only").isEmpty();
    }

    // ---- 504 once the integration timeout ends, whatever the function does later ----

    private static final String ITEMS = """
            service: svc
            functions:
              f:
                handler: a.B
                events:
                  - http: GET items
            """;

    /**
     * Far above an answer at a 1 s integration timeout on a busy machine, far below the 10 s function timeout a gateway
     * that waited for the (held) function would answer at.
     */
    private static final long WELL_BEFORE_THE_FUNCTION_TIMEOUT = 6_000;

    private long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Test
    void aFunctionThatAnswersAfterTheIntegrationTimeoutIs504ThenAndItsInvocationGoesOn() throws Exception {
        // a function timeout of 10 s behind an integration timeout of 1 s: the function, held until the 504 came,
        // answers too late for API Gateway (before: 200 when the function answered)
        api = new ManifestApi(manifest(ITEMS), dir, 10, 2, 1);
        String id = UUID.randomUUID().toString();

        long start = System.nanoTime();
        HttpResponse<String> late = get("/items?q=held&id=" + id);
        long took = millisSince(start);

        assertThat(late.statusCode()).isEqualTo(504);
        assertThat(late.body()).isEqualTo("{\"message\": \"Endpoint request timed out\"}");
        assertThat(took).as("answered at the integration timeout, not at the function's").isBetween(900L,
                WELL_BEFORE_THE_FUNCTION_TIMEOUT);
        assertThat(api.running()).as("the invocation goes on in the background").isEqualTo(1);
        TestHandlers.Api.held(id).countDown();
        // the invocation leaves the running count a moment before its END line is written: wait for both
        long deadline = System.nanoTime() + 10_000_000_000L;
        while ((api.running() > 0 || !Files.readString(dir.resolve("f.log")).contains("END RequestId"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(api.running()).as("and ends on its own").isZero();
        assertThat(Files.readString(dir.resolve("f.log"))).as("not cut off: it ended, no timeout")
                .contains("END RequestId").doesNotContain("timed out");
    }

    @Test
    void aRequestThatGetsNoConcurrencySlotBeforeTheIntegrationTimeoutIs504AndNeverRuns() throws Exception {
        // concurrency 1, integration timeout 1 s: a held request holds the only slot; a second request waits for it,
        // gets its 504 at 1 s and must not run later for nobody (before: it ran once the first ended, holding the slot)
        api = new ManifestApi(manifest(ITEMS), dir, 10, 1, 1);
        String first = UUID.randomUUID().toString();
        String queued = UUID.randomUUID().toString();
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                URI.create(api.baseUrl() + "/items?q=held&id=" + first)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (api.running() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(api.running()).as("the slow request holds the only slot").isEqualTo(1);

        long start = System.nanoTime();
        HttpResponse<String> timedOut = get("/items?q=fine&id=" + queued);
        assertThat(timedOut.statusCode()).isEqualTo(504);
        assertThat(timedOut.body()).isEqualTo("{\"message\": \"Endpoint request timed out\"}");
        assertThat(millisSince(start)).as("at the integration timeout, not once the slot is free")
                .isBetween(900L, WELL_BEFORE_THE_FUNCTION_TIMEOUT);

        assertThat(slow.get(10, TimeUnit.SECONDS).statusCode()).as("the slow one's own 504").isEqualTo(504);
        TestHandlers.Api.held(first).countDown();
        deadline = System.nanoTime() + 10_000_000_000L;
        while (api.running() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // the fair queue of slots: had the dropped request been queued still, it would run before this one
        assertThat(get("/items?q=fine").statusCode()).isEqualTo(200);
        assertThat(TestHandlers.Api.CALLS.get(first)).hasValue(1);
        assertThat(TestHandlers.Api.CALLS.get(queued)).as("the request that got its 504 never ran").isNull();
        String log = Files.readString(dir.resolve("f.log"));
        assertThat(log.split("START RequestId", -1)).as("two STARTs: the slow one and the last one").hasSize(3);
        assertThat(log).contains("WARN not started:");
        assertThat(api.running()).isZero();
    }

    @Test
    void aFunctionTimeoutLongerThanTheIntegrationTimeoutIs504AtTheIntegrationTimeoutNotAtItsOwn() throws Exception {
        api = new ManifestApi(manifest(ITEMS), dir, 10, 2, 1);

        long start = System.nanoTime();
        HttpResponse<String> timedOut = get("/items?q=sleep");

        assertThat(timedOut.statusCode()).isEqualTo(504);
        assertThat(millisSince(start)).as("before: after the function's own 10 s").isLessThan(5_000L);
        assertThat(get("/items?q=fine").statusCode()).as("a quick answer is the function's").isEqualTo(200);
    }

    @Test
    void anEventsOwnTimeoutInMillisIsItsIntegrationTimeout() throws Exception {
        api = new ManifestApi(manifest("""
                service: svc
                functions:
                  f:
                    handler: a.B
                    events:
                      - http:
                          path: items
                          method: get
                          timeoutInMillis: 500
                      - http: GET other
                """), dir, 10, 2); // API Gateway's 29 s for the routes that set none

        String id = UUID.randomUUID().toString();
        long start = System.nanoTime();
        HttpResponse<String> late = get("/items?q=held&id=" + id);
        assertThat(late.statusCode()).isEqualTo(504);
        assertThat(millisSince(start)).isBetween(400L, WELL_BEFORE_THE_FUNCTION_TIMEOUT);
        TestHandlers.Api.held(id).countDown();

        assertThat(get("/other?q=slow").statusCode()).as("3 s is within the default 29 s").isEqualTo(200);
    }

    @Test
    void aFunctionThatFailsOrTimesOutBeforeTheIntegrationTimeoutIs502() throws Exception {
        api = new ManifestApi(manifest(ITEMS), dir, 1, 2, 5);

        long start = System.nanoTime();
        HttpResponse<String> timedOut = get("/items?q=sleep");
        assertThat(timedOut.statusCode()).as("its own 1 s ends before the 5 s integration timeout").isEqualTo(502);
        assertThat(timedOut.body()).isEqualTo("{\"message\": \"Internal server error\"}");
        assertThat(millisSince(start)).isLessThan(4_000L);
        assertThat(get("/items?q=throw").statusCode()).isEqualTo(502);
    }
}
