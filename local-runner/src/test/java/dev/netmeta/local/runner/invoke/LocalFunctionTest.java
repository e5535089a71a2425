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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

    /**
     * A running invocation runs on for the first part of the stop's grace (it may finish), then its deadline is brought
     * forward to the grace's end: a handler that watches its clock (the load) sees the time run out and ends by itself,
     * before the grace is over, instead of being interrupted in the middle of its work when it is — which is all it got
     * before.
     */
    @Test
    void theStopBringsARunningInvocationsDeadlineForwardToTheEndOfItsGrace() throws Exception {
        LocalFunction f = function(TestHandlers.WatchesItsClock.class.getName(), 900);
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch started = new CountDownLatch(1);
            Future<InvocationResult> running = caller.submit(() ->
                    f.invoke("{\"marginMillis\":60000}".getBytes(StandardCharsets.UTF_8), started::countDown));
            assertThat(started.await(10, TimeUnit.SECONDS)).as("the handler was called").isTrue();
            Thread.sleep(200);
            assertThat(running.isDone()).as("15 min left: it works on").isFalse();

            long stopping = System.nanoTime();
            f.close(4_000);
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
            InvocationResult result = running.get(10, TimeUnit.SECONDS);

            assertThat(result.failed()).as(String.valueOf(result.errorMessage())).isFalse();
            JsonNode out = json(result);
            // ended by itself, not at the end of the grace: a handler whose deadline stayed 15 min away watches its
            // clock until the grace's end interrupts it (no wall-time bound: the last part is 2 s, too little room)
            assertThat(out.has("interrupted")).as(out.toString()).isFalse();
            assertThat(out.get("remaining").asInt()).as("the time left of the grace's last 2 s").isBetween(0, 2_000);
            assertThat(stopMillis).as("it ran on for the grace's first part").isGreaterThanOrEqualTo(1_900);
            assertThat(f.invoke("{}".getBytes(StandardCharsets.UTF_8)).errorType()).as("no new invocation")
                    .isEqualTo("Runtime.Shutdown");
        } finally {
            caller.shutdownNow();
        }
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
    void aHandlerThatIgnoresTheInterruptKeepsItsSlotUntilItReallyEnds() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        String gateId = UUID.randomUUID().toString();
        TestHandlers.IgnoresInterrupts.GATES.put(gateId, gate);
        List<String> console = new CopyOnWriteArrayList<>();
        FunctionDefinition definition = new FunctionDefinition("stuck", TestHandlers.IgnoresInterrupts.class.getName(),
                1, 512, Map.of(), List.of(), List.of(), List.of(), null, null);
        ExecutorService callers = Executors.newSingleThreadExecutor();
        try (TestHandlers.Sink sink = new TestHandlers.Sink()) {
            function = new LocalFunction(definition, "netmeta-local-stuck", "us-east-1",
                    Map.of(TestHandlers.IgnoresInterrupts.GATE, gateId, TestHandlers.SINK, sink.id()), 1,
                    new FunctionLog(dir, "stuck", null, console::add));
            InvocationResult first = function.invoke("{}".getBytes());
            assertThat(first.errorType()).isEqualTo("Sandbox.Timedout");
            assertThat(sink.next(Duration.ofSeconds(5))).as("the first invocation started").isNotNull();
            assertThat(function.running()).as("its handler still runs").isEqualTo(1);
            assertThat(console).as("a clear warning on the console").anySatisfy(line -> assertThat(line)
                    .startsWith("[stuck] WARN ").contains("ignored the interrupt").contains("1 concurrency slots"));

            // reserved concurrency 1: the next invocation waits for the slot the stuck handler still holds
            Future<InvocationResult> second = callers.submit(() -> function.invoke("{}".getBytes()));
            assertThat(sink.next(Duration.ofMillis(1_500))).as("no second handler while the first runs").isNull();
            assertThat(second).isNotDone();

            gate.countDown();
            assertThat(sink.next(Duration.ofSeconds(30))).as("the second starts once the first has ended").isNotNull();
            assertThat(second.get(30, TimeUnit.SECONDS).errorType()).as("it waits on the same open gate")
                    .isNull();
            assertThat(Files.readString(dir.resolve("stuck.log"))).contains("WARN the handler still runs")
                    .contains("has ended").contains("slot is free again");
            assertThat(function.running()).isZero();
        } finally {
            gate.countDown();
            callers.shutdownNow();
            TestHandlers.IgnoresInterrupts.GATES.remove(gateId);
        }
    }

    @Test
    void anInvocationWithNoSlotByItsStartDeadlineIsDroppedAndNeverRuns() throws Exception {
        // API Gateway's integration gives up at its timeout; an invocation that could not start by then must not run
        // later, holding the slot, for an answer nobody gets
        FunctionDefinition definition = new FunctionDefinition("echo", TestHandlers.Echo.class.getName(), 30, 512,
                Map.of(), List.of(), List.of(), List.of(), null, null);
        List<String> console = new CopyOnWriteArrayList<>();
        function = new LocalFunction(definition, "netmeta-local-echo", "us-east-1", Map.of(), 1,
                new FunctionLog(dir, "echo", null, console::add));
        ExecutorService callers = Executors.newSingleThreadExecutor();
        try {
            // busy for 6 s: a drop at the 300 ms start deadline and a wait for the slot are seconds apart
            Future<InvocationResult> busy = callers.submit(() -> function.invoke("{\"sleepMillis\":6000}".getBytes()));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (function.running() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(function.running()).isEqualTo(1);

            long start = System.nanoTime();
            InvocationResult dropped = function.invokeStartingBy("{\"dropped\":1}".getBytes(),
                    start + TimeUnit.MILLISECONDS.toNanos(300));
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertThat(dropped.notStarted()).isTrue();
            assertThat(dropped.failed()).isTrue();
            assertThat(dropped.errorType()).isEqualTo(InvocationResult.NOT_STARTED);
            assertThat(waited).as("given up at its deadline, not when the slot frees").isBetween(250L, 3_000L);
            assertThat(function.running()).as("only the busy one").isEqualTo(1);

            assertThat(busy.get(30, TimeUnit.SECONDS).failed()).isFalse();
            InvocationResult next = function.invokeStartingBy("{\"next\":1}".getBytes(),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
            assertThat(next.failed()).as("a slot free in time: it runs as any invocation").isFalse();
            Thread.sleep(300); // had the dropped one been queued still, it would have run by now
            String log = Files.readString(dir.resolve("echo.log"));
            assertThat(log).doesNotContain("START RequestId: " + dropped.requestId()).doesNotContain("echo {dropped=1}")
                    .contains("START RequestId: " + next.requestId())
                    .contains(dropped.requestId() + " WARN not started:");
            assertThat(log.split("START RequestId", -1)).as("the busy one and the next one").hasSize(3);
            assertThat(console).anySatisfy(line -> assertThat(line).startsWith("[echo] WARN not started:")
                    .contains("1 concurrency slots"));
            assertThat(function.running()).isZero();
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aMissingHandlerClassIsAnInitError() {
        LocalFunction f = function("dev.netmeta.nowhere.Handler", 5);
        InvocationResult result = f.invoke("{}".getBytes());
        assertThat(result.errorType()).isEqualTo("Runtime.InitError");
    }

    @Test
    void aSettingTheHandlerRefusesAtInitIsNamedInTheError() throws Exception {
        LocalFunction f = function(TestHandlers.RefusesASetting.class.getName(), 5);
        InvocationResult result = f.invoke("{}".getBytes());
        assertThat(result.errorType()).isEqualTo("Runtime.InitError");
        assertThat(result.errorMessage()).as("the constructor's message, not reflection's null")
                .isEqualTo("ENV_PROBE must be something else, got 'from-env'");
        assertThat(Files.readString(dir.resolve("echo.log")))
                .contains("ERROR java.lang.IllegalArgumentException: ENV_PROBE must be something else")
                .doesNotContain("InvocationTargetException");
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
