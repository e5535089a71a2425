package dev.netmeta.local.runner.sync;

import dev.netmeta.local.runner.invoke.FunctionLog;
import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.invoke.LocalFunction;
import dev.netmeta.local.runner.invoke.TestHandlers;
import dev.netmeta.local.runner.manifest.FunctionDefinition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A scheduled run is an asynchronous invocation: retried like one, and listed when every attempt failed. */
class SyncSchedulerTest {

    @TempDir
    Path dir;
    private LocalFunction function;
    private SyncScheduler scheduler;
    private final List<String> console = new CopyOnWriteArrayList<>();

    @BeforeEach
    void reset() {
        TestHandlers.FailsFirst.CALLS.set(0);
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (function != null) {
            function.close(1_000);
        }
    }

    private SyncScheduler scheduler(Integer maximumRetryAttempts, int failTimes) {
        FunctionDefinition definition = new FunctionDefinition("sync", TestHandlers.FailsFirst.class.getName(), 30, 512,
                Map.of(), List.of(), List.of(), List.of(), maximumRetryAttempts, null);
        function = new LocalFunction(definition, "netmeta-local-sync", "us-east-1", Map.of(), 1,
                new FunctionLog(dir, "sync", null));
        scheduler = new SyncScheduler(function, "us-east-1", "{\"failTimes\": " + failTimes + "}", null, 20,
                (trigger, result) -> console.add(trigger + (result.failed() ? " FAILED" : " ok")));
        return scheduler;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            assertThat(System.currentTimeMillis()).as("waited 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void aFailedScheduledRunIsRetriedAndTheRetryCanSucceed() throws Exception {
        SyncScheduler s = scheduler(null, 1);
        s.start();
        await(() -> console.size() == 2);
        assertThat(console).containsExactly("start; retried in 0 s FAILED", "start, retry 1 of 2 ok");
        assertThat(s.failures()).isEmpty();
        assertThat(s.retrying()).isFalse();
    }

    @Test
    void aRunThatFailsEveryAttemptIsListedOnceAfterLambdasTwoRetries() throws Exception {
        SyncScheduler s = scheduler(null, 99);
        s.start();
        await(() -> !s.failures().isEmpty());
        assertThat(console).containsExactly("start; retried in 0 s FAILED", "start, retry 1 of 2; retried in 0 s FAILED",
                "start, retry 2 of 2; no retry left, listed in failedEvents FAILED");
        assertThat(TestHandlers.FailsFirst.CALLS).hasValue(3);
        assertThat(s.failures()).singleElement().asString().startsWith("sync ")
                .contains("IllegalStateException: FTP server unreachable (call 3)").endsWith("(after 3 attempts)");
        assertThat(s.retrying()).isFalse();
    }

    @Test
    void theManifestsMaximumRetryAttemptsApplies() throws Exception {
        SyncScheduler s = scheduler(0, 99);
        s.start();
        await(() -> !s.failures().isEmpty());
        assertThat(console).containsExactly("start; no retry left, listed in failedEvents FAILED");
        assertThat(TestHandlers.FailsFirst.CALLS).hasValue(1);
    }

    @Test
    void aRunAskedForOverHttpIsASynchronousCallAndNotRetried() throws Exception {
        SyncScheduler s = scheduler(null, 99);
        InvocationResult result = s.runNow();
        assertThat(result.failed()).isTrue();
        Thread.sleep(200);
        assertThat(console).containsExactly("/_local/sync FAILED");
        assertThat(TestHandlers.FailsFirst.CALLS).hasValue(1);
        assertThat(s.failures()).isEmpty();
        assertThat(s.retrying()).isFalse();
    }
}
