package dev.netmeta.local.runner.sync;

import dev.netmeta.local.runner.events.ScheduledEventJson;
import dev.netmeta.local.runner.invoke.AsyncInvoker;
import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.invoke.LocalFunction;
import dev.netmeta.local.runner.manifest.ManifestReader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The EventBridge schedule of a scheduled function — the sync's, and each other one's (the index retention) with
 * its own instance: a {@code ScheduledEvent} (or the rule's constant input) at start and then at every interval of
 * the rate. {@link #runNow} runs it at once for {@code POST /_local/sync}. Runs never overlap: a run asked for while
 * one is going waits for it, then runs.
 *
 * <p>EventBridge invokes the function asynchronously, so a scheduled run that fails is retried as Lambda retries
 * asynchronous invocations: up to the function's {@code maximumRetryAttempts} (default 2), locally after
 * {@code retryDelayMillis} and then twice that (Lambda: about one and two minutes). A run that fails every attempt
 * is listed in {@link #failures()} (in AWS it goes to the dead-letter queue). {@code POST /_local/sync} is a
 * synchronous call and is not retried: its caller sees the failure.
 */
public final class SyncScheduler implements AutoCloseable {

    private static final String SHUTDOWN = "Runtime.Shutdown";

    private final LocalFunction function;
    private final String region;
    private final String ruleName;
    private final String constantInput;
    private final Duration interval;
    private final SyncProgress progress;
    private final long retryDelayMillis;
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger retriesWaiting = new AtomicInteger();
    private final ReentrantLock running = new ReentrantLock();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "schedule");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    public SyncScheduler(LocalFunction function, String region, String constantInput, Duration interval,
                         long retryDelayMillis, SyncProgress progress) {
        this.function = function;
        this.region = region;
        this.ruleName = function.name() + "-schedule";
        this.constantInput = constantInput;
        this.interval = interval;
        this.retryDelayMillis = retryDelayMillis;
        this.progress = progress;
    }

    /** First run now (in the background), then every interval (when there is one). */
    public void start() {
        if (interval == null) {
            timer.execute(() -> scheduled("start", 0));
        } else {
            timer.scheduleAtFixedRate(() -> scheduled("schedule", 0), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public InvocationResult runNow() {
        return run("/_local/sync", 0, -1);
    }

    public boolean busy() {
        return running.isLocked();
    }

    /** A failed scheduled run waits for its retry. */
    public boolean retrying() {
        return retriesWaiting.get() > 0;
    }

    /** Scheduled runs that failed every attempt, newest last (same form as the asynchronous invocations' failures). */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    private void scheduled(String trigger, int attempt) {
        if (attempt > 0) {
            retriesWaiting.decrementAndGet();
        }
        int retries = AsyncInvoker.retries(function);
        InvocationResult result = run(trigger, attempt, retries);
        if (result == null || !result.failed() || closed || SHUTDOWN.equals(result.errorType())) {
            return;
        }
        if (attempt < retries) {
            retriesWaiting.incrementAndGet();
            try {
                timer.schedule(() -> scheduled(trigger, attempt + 1), retryDelay(attempt), TimeUnit.MILLISECONDS);
            } catch (RuntimeException shuttingDown) {
                retriesWaiting.decrementAndGet(); // closed meanwhile: Lambda's shutdown drops the retry too
            }
        } else {
            failures.add(function.key() + " " + result.requestId() + ": " + result.errorType() + ": "
                    + result.errorMessage() + " (after " + (attempt + 1) + " attempts)");
        }
    }

    private long retryDelay(int attempt) {
        return retryDelayMillis * (attempt + 1);
    }

    /** One invocation; {@code retries} &lt; 0 for a synchronous call (no retries, not listed as a failed event). */
    private InvocationResult run(String trigger, int attempt, int retries) {
        running.lock();
        try {
            if (closed) {
                return null;
            }
            String event = constantInput != null ? constantInput
                    : ScheduledEventJson.scheduled(region, ManifestReader.ACCOUNT_ID, ruleName, Instant.now());
            InvocationResult result = function.invoke(event.getBytes(StandardCharsets.UTF_8));
            progress.syncFinished(label(trigger, attempt, retries, result), result);
            return result;
        } catch (RuntimeException e) {
            // a scheduled run must never kill the schedule
            return null;
        } finally {
            running.unlock();
        }
    }

    /** The trigger as the console shows it: {@code schedule}, {@code schedule, retry 1 of 2; retried in 4 s}. */
    private String label(String trigger, int attempt, int retries, InvocationResult result) {
        StringBuilder label = new StringBuilder(trigger);
        if (attempt > 0) {
            label.append(", retry ").append(attempt).append(" of ").append(retries);
        }
        if (result.failed() && retries >= 0 && !SHUTDOWN.equals(result.errorType())) {
            label.append(attempt < retries
                    ? "; retried in " + Math.round(retryDelay(attempt) / 1000.0) + " s"
                    : "; no retry left, listed in failedEvents");
        }
        return label.toString();
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
    }
}
