package dev.netmeta.local.runner.invoke;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Asynchronous ("Event") invocations as Lambda handles them: accepted at once, run in the background, and retried
 * after a failure up to the function's {@code maximumRetryAttempts} (Lambda's default: 2). Lambda waits about one
 * and then two minutes between attempts; locally the waits are {@code retryDelayMillis} and twice that. An event
 * that still fails is reported (in AWS it would go to the on-failure destination).
 */
public final class AsyncInvoker implements AutoCloseable {

    private static final int DEFAULT_RETRIES = 2;

    private final ScheduledExecutorService delays;
    private final ExecutorService attempts;
    private final long retryDelayMillis;
    private final AtomicInteger pending = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public AsyncInvoker(long retryDelayMillis) {
        AtomicInteger n = new AtomicInteger();
        // one waiting thread per queued event: each waits for a free slot of its own function, so a long queue
        // for one function never holds up the events of another
        this.attempts = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "async-invoke-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.delays = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "async-retry");
            t.setDaemon(true);
            return t;
        });
        this.retryDelayMillis = retryDelayMillis;
    }

    /** Queues one event; returns at once, like an {@code InvocationType: Event} call answered with 202. */
    public void submit(LocalFunction function, byte[] payload) {
        submit(function, payload, result -> { });
    }

    /** Queues one event; {@code onDone} gets the last attempt's result (a failure only after every retry failed). */
    public void submit(LocalFunction function, byte[] payload, Consumer<InvocationResult> onDone) {
        submit(function, payload, () -> { }, onDone);
    }

    /** Queues one event and tells {@code callbacks} of its attempts' starts and its outcome. */
    public void submit(LocalFunction function, byte[] payload, AsyncCallbacks callbacks) {
        submit(function, payload, callbacks.onStart(), callbacks.onDone());
    }

    /**
     * As {@link #submit(LocalFunction, byte[], Consumer)}; {@code onStart} runs each time an attempt's handler is called
     * (not for an attempt that never gets a free slot before the runner stops).
     */
    public void submit(LocalFunction function, byte[] payload, Runnable onStart, Consumer<InvocationResult> onDone) {
        if (closed) {
            throw new IllegalStateException("the local runner is shutting down");
        }
        pending.incrementAndGet();
        schedule(function, payload, 0, 0, onStart, onDone);
    }

    private void schedule(LocalFunction function, byte[] payload, int attempt, long delayMillis, Runnable onStart,
                          Consumer<InvocationResult> onDone) {
        try {
            Runnable run = () -> attempts.execute(() -> attempt(function, payload, attempt, onStart, onDone));
            if (delayMillis == 0) {
                run.run();
            } else {
                delays.schedule(run, delayMillis, TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException rejected) {
            pending.decrementAndGet();
        }
    }

    private void attempt(LocalFunction function, byte[] payload, int attempt, Runnable onStart,
                         Consumer<InvocationResult> onDone) {
        try {
            InvocationResult result = function.invoke(payload, onStart);
            int retries = retries(function);
            boolean shutdown = closed || "Runtime.Shutdown".equals(result.errorType());
            if (result.failed() && attempt < retries && !shutdown) {
                pending.incrementAndGet(); // the retry is pending before this attempt stops counting
                schedule(function, payload, attempt + 1, retryDelayMillis * (attempt + 1), onStart, onDone);
                return;
            }
            if (result.failed() && !shutdown) {
                failures.add(function.key() + " " + result.requestId() + ": " + result.errorType() + ": "
                        + result.errorMessage() + " (after " + (attempt + 1) + " attempts)");
            }
            if (!shutdown) {
                onDone.accept(result);
            }
        } finally {
            pending.decrementAndGet();
        }
    }

    /** How often Lambda retries a failed asynchronous invocation of {@code function}: its {@code maximumRetryAttempts}, else 2. */
    public static int retries(LocalFunction function) {
        Integer configured = function.definition().maximumRetryAttempts();
        return configured == null ? DEFAULT_RETRIES : configured;
    }

    /** Events accepted and not yet finished (running, waiting for a slot, or waiting for a retry). */
    public int pending() {
        return pending.get();
    }

    /** Events that failed every attempt, newest last. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    @Override
    public void close() {
        closed = true;
        delays.shutdownNow();
        attempts.shutdownNow();
    }
}
