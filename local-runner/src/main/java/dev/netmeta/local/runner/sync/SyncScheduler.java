package dev.netmeta.local.runner.sync;

import dev.netmeta.local.runner.events.ScheduledEventJson;
import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.invoke.LocalFunction;
import dev.netmeta.local.runner.manifest.ManifestReader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The EventBridge schedule of the scheduled function: a {@code ScheduledEvent} (or the rule's constant input) at
 * start and then at every interval of the rate. {@link #runNow} runs it at once for {@code POST /_local/sync}. Runs
 * never overlap: a run asked for while one is going waits for it, then runs.
 */
public final class SyncScheduler implements AutoCloseable {

    private final LocalFunction function;
    private final String region;
    private final String ruleName;
    private final String constantInput;
    private final Duration interval;
    private final SyncProgress progress;
    private final ReentrantLock running = new ReentrantLock();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schedule");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public SyncScheduler(LocalFunction function, String region, String constantInput, Duration interval, SyncProgress progress) {
        this.function = function;
        this.region = region;
        this.ruleName = function.name() + "-schedule";
        this.constantInput = constantInput;
        this.interval = interval;
        this.progress = progress;
    }

    /** First run now (in the background), then every interval (when there is one). */
    public void start() {
        if (interval == null) {
            timer.execute(() -> run("start"));
        } else {
            timer.scheduleAtFixedRate(() -> run("schedule"), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public InvocationResult runNow() {
        return run("/_local/sync");
    }

    public boolean busy() {
        return running.isLocked();
    }

    private InvocationResult run(String trigger) {
        running.lock();
        try {
            if (closed) {
                return null;
            }
            String event = constantInput != null ? constantInput
                    : ScheduledEventJson.scheduled(region, ManifestReader.ACCOUNT_ID, ruleName, Instant.now());
            InvocationResult result = function.invoke(event.getBytes(StandardCharsets.UTF_8));
            progress.syncFinished(trigger, result);
            return result;
        } catch (RuntimeException e) {
            // a scheduled run must never kill the schedule
            return null;
        } finally {
            running.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }
}
