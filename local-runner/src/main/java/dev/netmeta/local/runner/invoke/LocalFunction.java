package dev.netmeta.local.runner.invoke;

import dev.netmeta.local.runner.manifest.FunctionDefinition;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * One function of the manifest, run the way Lambda runs it: execution environments (handler instances) are created
 * on demand and reused one invocation at a time; at most {@code concurrency} run at once; every invocation gets a
 * {@code Context} whose deadline is the manifest's timeout. An invocation that outlives its timeout is reported as
 * {@code Task timed out}, its thread is interrupted and its environment discarded, as Lambda discards a timed-out
 * sandbox. Lambda also stops the code that ran in it; a thread cannot be stopped, so a handler that ignores the
 * interrupt keeps its concurrency slot until its thread really ends (with a {@code WARN} line), and the function never
 * runs more at once than its concurrency allows.
 *
 * <p>The runner's stop ({@link #close(long)}) gives running invocations a grace; in its last part it brings their
 * deadline forward to its end ({@link #bringDeadlineForward}): from then on {@code getRemainingTimeInMillis()} answers
 * at most the time left of it, so a handler that watches its clock (the load, the sync) winds down as at its own
 * deadline — the load stops reading, settles and saves its report — instead of being interrupted in the middle of its
 * work when the grace is over.
 */
public final class LocalFunction implements AutoCloseable {

    /** How long a timed-out handler gets to end after its interrupt before the runner warns that it goes on. */
    private static final long INTERRUPT_GRACE_MILLIS = 250;
    /**
     * The last part of a stop's grace, in which the running invocations see its end as their deadline: time for a
     * handler that watches its clock to wind down (the load: stop reading, settle, save its report — well under a
     * second here), after a first part in which they run on and may finish.
     */
    private static final long WIND_DOWN_MILLIS = 2_000;

    private final FunctionDefinition definition;
    private final String name;
    private final String arn;
    private final Map<String, String> environment;
    private final FunctionLog log;
    private final ClassLoader loader;
    private final Semaphore slots;
    private final int concurrency;
    private final ConcurrentLinkedDeque<HandlerInstance> idle = new ConcurrentLinkedDeque<>();
    private final ExecutorService workers;
    private final AtomicInteger running = new AtomicInteger();
    private final ContextClock clock;
    private volatile boolean closed;
    /** The end of the stop's grace once its wind-down began ({@link #bringDeadlineForward}): the running invocations' deadline. */
    private volatile long stopDeadlineMillis = Long.MAX_VALUE;

    public LocalFunction(FunctionDefinition definition, String name, String region, Map<String, String> environment,
                         int concurrency, FunctionLog log) {
        this(definition, name, region, environment, concurrency, log, ContextClock.WALL);
    }

    /** As above, with the clock the handlers' {@code Context} reads (the timeout is enforced on the wall clock). */
    public LocalFunction(FunctionDefinition definition, String name, String region, Map<String, String> environment,
                         int concurrency, FunctionLog log, ContextClock clock) {
        this.definition = definition;
        this.clock = clock;
        this.name = name;
        this.arn = "arn:aws:lambda:" + region + ":000000000000:function:" + name;
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.loader = defaultLoader();
        this.concurrency = Math.max(1, concurrency);
        this.slots = new Semaphore(this.concurrency, true);
        AtomicInteger threads = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "fn-" + definition.key() + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.workers = Executors.newCachedThreadPool(factory);
    }

    public String key() {
        return definition.key();
    }

    public String name() {
        return name;
    }

    public FunctionDefinition definition() {
        return definition;
    }

    public Map<String, String> environment() {
        return environment;
    }

    /** Checks that the handler string names a class and method the runner can call (no code of the handler runs). */
    public static void checkHandler(FunctionDefinition definition) {
        HandlerInstance.check(definition.handlerClass(), definition.handlerMethod(), defaultLoader());
    }

    private static ClassLoader defaultLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : LocalFunction.class.getClassLoader();
    }

    /**
     * Invocations running now (not those waiting for a free slot), including timed-out ones whose handler has not
     * ended yet.
     */
    public int running() {
        return running.get();
    }

    /** Runs one invocation and waits for its outcome (a Lambda RequestResponse invocation). */
    public InvocationResult invoke(byte[] payload) {
        return invoke(payload, false, 0, NOTHING);
    }

    /**
     * As {@link #invoke(byte[])}; {@code started} runs on the handler's thread when the handler is called (after its
     * {@code START} line), not for an invocation that never starts (no free slot before the runner stops).
     */
    public InvocationResult invoke(byte[] payload, Runnable started) {
        return invoke(payload, false, 0, started);
    }

    private static final Runnable NOTHING = () -> { };

    /**
     * As {@link #invoke(byte[])}, for a caller that stops waiting at {@code startByNanos} (in {@link System#nanoTime}
     * terms), as API Gateway's integration does at its timeout: when none of the function's concurrency slots frees
     * by then, the invocation never starts (no slot taken, no handler called, no {@code START} line; a {@code WARN}
     * line says so) and its result is {@link InvocationResult#NOT_STARTED} — in AWS an invocation that could not
     * start is throttled or runs elsewhere, it never runs later for an answer nobody gets. One that gets a slot by
     * then runs as any other, to its end or its own timeout, whether its caller still waits or not.
     */
    public InvocationResult invokeStartingBy(byte[] payload, long startByNanos) {
        return invoke(payload, true, startByNanos, NOTHING);
    }

    private InvocationResult invoke(byte[] payload, boolean startDeadline, long startByNanos, Runnable started) {
        String requestId = UUID.randomUUID().toString();
        long queuedAt = System.currentTimeMillis();
        if (closed) {
            return InvocationResult.error(requestId, "Runtime.Shutdown", "the local runner is shutting down", 0);
        }
        try {
            if (!startDeadline) {
                slots.acquire();
            } else if (!slots.tryAcquire(Math.max(0, startByNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                long waited = System.currentTimeMillis() - queuedAt;
                String message = "waited " + waited + " ms for one of the function's " + concurrency
                        + " concurrency slots, all taken, until its caller gave up";
                log.warn(requestId, "not started: " + message + " (API Gateway's integration timeout); it is dropped "
                        + "and never runs");
                return InvocationResult.error(requestId, InvocationResult.NOT_STARTED, message, waited);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return InvocationResult.error(requestId, "Runtime.Shutdown", "interrupted while waiting for a free slot", 0);
        }
        running.incrementAndGet();
        return run(requestId, payload, queuedAt, new Slot(), started);
    }

    /**
     * The concurrency slot of one invocation, freed once: by the handler's thread when it ends, or by the caller when
     * that thread never started. {@code ended} and {@code warned} (guarded by the slot) keep the two WARN lines about a
     * handler that outlives its timeout in order.
     */
    private final class Slot {
        private static final int WAITING = 0;
        private static final int STARTED = 1;
        private static final int ABANDONED = 2;
        private final AtomicInteger state = new AtomicInteger(WAITING);
        private final CountDownLatch freed = new CountDownLatch(1);
        private boolean ended;
        private boolean warned;

        /** Called first on the handler's thread: false when the caller gave the invocation up before it started. */
        boolean start() {
            return state.compareAndSet(WAITING, STARTED);
        }

        /** Called by the caller when it gives the invocation up: frees the slot unless the handler's thread has it. */
        void abandon() {
            if (state.compareAndSet(WAITING, ABANDONED)) {
                free();
            }
        }

        void free() {
            running.decrementAndGet();
            slots.release();
            freed.countDown();
        }
    }

    private InvocationResult run(String requestId, byte[] payload, long queuedAt, Slot slot, Runnable started) {
        long timeoutMillis = definition.timeoutSeconds() * 1000L;
        AtomicReference<HandlerInstance> holder = new AtomicReference<>();
        AtomicLong startedAt = new AtomicLong();
        AtomicLong timedOutAt = new AtomicLong();
        Future<byte[]> future;
        try {
            future = workers.submit(() -> {
                if (!slot.start()) {
                    return null;
                }
                try {
                    return handle(requestId, payload, timeoutMillis, holder, startedAt, started);
                } finally {
                    synchronized (slot) {
                        slot.ended = true;
                        if (slot.warned) {
                            log.warn(requestId, "the handler of this timed-out invocation has ended, "
                                    + (System.currentTimeMillis() - timedOutAt.get()) + " ms after its timeout; its "
                                    + "concurrency slot is free again");
                        }
                    }
                    slot.free();
                }
            });
        } catch (RejectedExecutionException e) {
            slot.abandon();
            return InvocationResult.error(requestId, "Runtime.Shutdown", "the local runner is shutting down", 0);
        }
        try {
            // init has its own budget in Lambda (10 s); locally the deadline counts from the start of the handler call
            byte[] response = awaitWithDeadline(future, startedAt, timeoutMillis);
            long took = System.currentTimeMillis() - startedAt.get();
            log.write(requestId, "END RequestId: " + requestId + " Duration: " + took + " ms");
            release(holder.get());
            return new InvocationResult(requestId, response, null, null, took);
        } catch (TimeoutException e) {
            timedOutAt.set(System.currentTimeMillis());
            future.cancel(true);
            discard(holder.get());
            String message = "Task timed out after " + definition.timeoutSeconds() + ".00 seconds";
            log.write(requestId, message);
            warnIfStillRunning(requestId, slot);
            return InvocationResult.error(requestId, "Sandbox.Timedout", message, timeoutMillis);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof ExecutionException inner ? inner.getCause() : e.getCause();
            long took = System.currentTimeMillis() - (startedAt.get() == 0 ? queuedAt : startedAt.get());
            log.write(requestId, "ERROR " + stackTrace(cause));
            if (holder.get() == null || cause instanceof Error) {
                discard(holder.get()); // init failed or the environment is broken: the next invocation starts fresh
            } else {
                release(holder.get());
            }
            String type = holder.get() == null ? "Runtime.InitError" : cause.getClass().getName();
            return InvocationResult.error(requestId, type, String.valueOf(cause.getMessage()), took);
        } catch (InterruptedException e) {
            future.cancel(true);
            slot.abandon();
            Thread.currentThread().interrupt();
            return InvocationResult.error(requestId, "Runtime.Shutdown", "interrupted", System.currentTimeMillis() - queuedAt);
        }
    }

    /**
     * Lambda stops the execution environment of a timed-out invocation; here its thread is interrupted, and a handler
     * that does not give up keeps running: say so, as its slot stays taken until it ends.
     */
    private void warnIfStillRunning(String requestId, Slot slot) {
        try {
            if (slot.freed.await(INTERRUPT_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (slot) {
            if (!slot.ended) {
                slot.warned = true;
                log.warn(requestId, "the handler still runs " + INTERRUPT_GRACE_MILLIS + " ms after its timeout: it "
                        + "ignored the interrupt. Lambda would have stopped its execution environment; locally its "
                        + "thread goes on and keeps one of the function's " + concurrency + " concurrency slots until "
                        + "it ends");
            }
        }
    }

    private byte[] handle(String requestId, byte[] payload, long timeoutMillis, AtomicReference<HandlerInstance> holder,
                          AtomicLong startedAt, Runnable started) throws Exception {
        HandlerInstance instance = idle.pollFirst();
        if (instance == null) {
            long t0 = System.currentTimeMillis();
            instance = HandlerInstance.create(definition.handlerClass(), definition.handlerMethod(), environment, loader);
            log.write(requestId, "INIT " + definition.handlerClass() + " in " + (System.currentTimeMillis() - t0) + " ms");
        }
        holder.set(instance);
        startedAt.set(System.currentTimeMillis());
        log.write(requestId, "START RequestId: " + requestId + " Version: $LATEST");
        IntSupplier ownDeadline = clock.remainingTime(definition.key(), startedAt.get() + timeoutMillis, timeoutMillis);
        LocalContext context = new LocalContext(requestId, name, arn, () -> remaining(ownDeadline),
                definition.memorySize(), log.loggerFor(requestId));
        started.run();
        try {
            return instance.invoke(payload, context);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new ExecutionException(t);
        }
    }

    /** The time left until the invocation's own deadline, or until the end of the stop's grace when that is sooner. */
    private int remaining(IntSupplier ownDeadline) {
        int own = ownDeadline.getAsInt();
        long stop = stopDeadlineMillis;
        return stop == Long.MAX_VALUE ? own : (int) Math.min(own, Math.max(0, stop - System.currentTimeMillis()));
    }

    private static byte[] awaitWithDeadline(Future<byte[]> future, AtomicLong startedAt, long timeoutMillis)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            try {
                return future.get(250, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long started = startedAt.get();
                if (started != 0 && System.currentTimeMillis() > started + timeoutMillis) {
                    throw e;
                }
            }
        }
    }

    private void release(HandlerInstance instance) {
        if (instance == null) {
            return;
        }
        if (closed) {
            instance.close();
        } else {
            idle.addFirst(instance);
        }
    }

    private static void discard(HandlerInstance instance) {
        if (instance != null) {
            instance.close();
        }
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /**
     * Stops taking invocations and gives the running ones {@code graceMillis}: they run on as they were until its last
     * part ({@link #WIND_DOWN_MILLIS}, at most half of it), when their deadline is brought forward to its end; those
     * that still run when it is over are interrupted.
     */
    public void close(long graceMillis) {
        stopAll(List.of(this), graceMillis);
    }

    /**
     * Stops {@code functions} at once, as {@link #close(long)} stops one: none starts a new invocation, and the running
     * ones of all of them share the one grace.
     */
    public static void stopAll(Collection<LocalFunction> functions, long graceMillis) {
        long end = System.currentTimeMillis() + graceMillis;
        functions.forEach(LocalFunction::beginStop);
        functions.forEach(f -> f.awaitEnded(end - Math.min(WIND_DOWN_MILLIS, graceMillis / 2)));
        functions.forEach(f -> f.bringDeadlineForward(end));
        functions.forEach(f -> f.awaitStop(end));
    }

    /** The stop begins: no new invocation starts (each answers {@code Runtime.Shutdown}); running ones go on. */
    private void beginStop() {
        closed = true;
        workers.shutdown();
    }

    /** Waits until {@code untilMillis} at most for the running invocations to end. */
    private void awaitEnded(long untilMillis) {
        try {
            workers.awaitTermination(Math.max(0, untilMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The running invocations' deadline is {@code graceEndMillis} from now on, as if their timeout ended then: their
     * {@code Context}'s remaining time counts down to it, and a handler that watches it winds down.
     */
    private void bringDeadlineForward(long graceEndMillis) {
        stopDeadlineMillis = graceEndMillis;
    }

    /** Waits until {@code graceEndMillis} for the running invocations to end, then interrupts those that still run. */
    private void awaitStop(long graceEndMillis) {
        try {
            if (!workers.awaitTermination(Math.max(0, graceEndMillis - System.currentTimeMillis()), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
                workers.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
        HandlerInstance instance;
        while ((instance = idle.pollFirst()) != null) {
            instance.close();
        }
    }

    @Override
    public void close() {
        close(5_000);
    }
}
