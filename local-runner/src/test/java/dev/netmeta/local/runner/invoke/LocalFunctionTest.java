package dev.netmeta.local.runner.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.runner.manifest.FunctionDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalFunctionTest {

    @TempDir
    Path dir;
    private LocalFunction function;

    private LocalFunction function(String handler, int timeoutSeconds) {
        FunctionDefinition definition = new FunctionDefinition("echo", handler, timeoutSeconds, 512, Map.of(),
                List.of(), List.of(), List.of(), null, null);
        function = new LocalFunction(definition, "netmeta-local-echo", "us-east-1", Map.of("ENV_PROBE", "from-env"), 2,
                new FunctionLog(dir, "echo", null));
        return function;
    }

    @AfterEach
    void close() {
        if (function != null) {
            function.close(1_000);
        }
    }

    private static JsonNode json(InvocationResult result) throws Exception {
        return Json.MAPPER.readTree(result.payloadText());
    }

    @Test
    void runsTheHandlerWithItsEnvironmentAndARealDeadline() throws Exception {
        LocalFunction f = function(TestHandlers.Echo.class.getName(), 900);
        InvocationResult result = f.invoke("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(result.failed()).isFalse();
        JsonNode out = json(result);
        assertThat(out.at("/input/a").asInt()).isEqualTo(1);
        assertThat(out.get("probe").asText()).isEqualTo("from-env");
        assertThat(out.get("functionName").asText()).isEqualTo("netmeta-local-echo");
        assertThat(out.get("requestId").asText()).isEqualTo(result.requestId());
        assertThat(out.get("remaining").asInt()).as("counts down from the timeout").isBetween(1, 900_000);
        assertThat(Files.readString(dir.resolve("echo.log"))).contains("START RequestId: " + result.requestId())
                .contains("echo {a=1}").contains("END RequestId: " + result.requestId());
    }

    @Test
    void theContextTellsTheRemainingTimeOfTheFunctionsClock() throws Exception {
        FunctionDefinition definition = new FunctionDefinition("echo", TestHandlers.Echo.class.getName(), 900, 512,
                Map.of(), List.of(), List.of(), List.of(), null, null);
        function = new LocalFunction(definition, "netmeta-local-echo", "us-east-1", Map.of(), 2,
                new FunctionLog(dir, "echo", null), (key, deadline, timeout) -> () -> (int) (timeout / 3));
        assertThat(json(function.invoke("{}".getBytes())).get("remaining").asInt()).isEqualTo(300_000);
    }

    @Test
    void reusesTheInitialisedHandlerLikeAWarmContainer() throws Exception {
        LocalFunction f = function(TestHandlers.Echo.class.getName(), 30);
        int first = json(f.invoke("{}".getBytes())).get("instance").asInt();
        int second = json(f.invoke("{}".getBytes())).get("instance").asInt();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void reportsAThrownExceptionAsAFunctionError() {
        LocalFunction f = function(TestHandlers.Echo.class.getName(), 30);
        InvocationResult result = f.invoke("{\"fail\":\"now\"}".getBytes());
        assertThat(result.failed()).isTrue();
        assertThat(result.errorType()).isEqualTo(IllegalStateException.class.getName());
        assertThat(result.errorMessage()).isEqualTo("asked to fail: now");
    }

    @Test
    void stopsAnInvocationAtItsTimeoutAndDiscardsTheEnvironment() throws Exception {
        LocalFunction f = function(TestHandlers.Echo.class.getName(), 1);
        int before = json(f.invoke("{}".getBytes())).get("instance").asInt();
        InvocationResult result = f.invoke("{\"sleepMillis\":60000}".getBytes());
        assertThat(result.failed()).isTrue();
        assertThat(result.errorType()).isEqualTo("Sandbox.Timedout");
        assertThat(result.errorMessage()).isEqualTo("Task timed out after 1.00 seconds");
        int after = json(f.invoke("{}".getBytes())).get("instance").asInt();
        assertThat(after).as("a fresh environment after a timeout").isNotEqualTo(before);
    }

    @Test
    void aMissingHandlerClassIsAnInitError() {
        LocalFunction f = function("dev.netmeta.nowhere.Handler", 5);
        InvocationResult result = f.invoke("{}".getBytes());
        assertThat(result.errorType()).isEqualTo("Runtime.InitError");
    }

    @Test
    void checksHandlerStringsBeforeAnythingRuns() {
        FunctionDefinition missing = new FunctionDefinition("x", "dev.netmeta.nowhere.Handler", 5, 128, Map.of(),
                List.of(), List.of(), List.of(), null, null);
        assertThatThrownBy(() -> LocalFunction.checkHandler(missing)).hasMessageContaining("not on the class path");
        FunctionDefinition noEnv = new FunctionDefinition("x", TestHandlers.NoEnvConstructor.class.getName(), 5, 128,
                Map.of(), List.of(), List.of(), List.of(), null, null);
        assertThatThrownBy(() -> LocalFunction.checkHandler(noEnv)).hasMessageContaining("Map<String,String>");
        FunctionDefinition wrongMethod = new FunctionDefinition("x", TestHandlers.Echo.class.getName() + "::nope", 5, 128,
                Map.of(), List.of(), List.of(), List.of(), null, null);
        assertThatThrownBy(() -> LocalFunction.checkHandler(wrongMethod)).hasMessageContaining("'nope'");
        LocalFunction.checkHandler(new FunctionDefinition("x", TestHandlers.Echo.class.getName() + "::handleRequest", 5,
                128, Map.of(), List.of(), List.of(), List.of(), null, null));
    }
}
