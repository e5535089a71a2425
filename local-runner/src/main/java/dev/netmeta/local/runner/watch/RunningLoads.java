package dev.netmeta.local.runner.watch;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load invocations that run or wait now — the S3-triggered function's and its continuations' — each named by the
 * delivery it works for (key and sequence), not by its key alone: while an earlier version's load still runs, the
 * key's new version is another delivery with invocations of its own, and each keeps its own name (at the stop, in
 * {@code POST /_local/load}'s refusal, for its answer).
 */
final class RunningLoads {

    /** One delivery of a key: its {@link DeliveryState.Entry#sequence}. */
    record Delivery(String key, long sequence) {

        static Delivery of(String key, DeliveryState.Entry entry) {
            return new Delivery(key, entry.sequence());
        }
    }

    /** What an invocation runs: the event of the delivery, or a continuation of its load. */
    enum Kind { EVENT, CONTINUATION }

    /**
     * One invocation, queued or running. {@code entry}: the delivery as it was when the invocation was queued (its
     * version and time); null for a continuation of a version the runner did not deliver (a replaced one).
     * {@code started}: an attempt's handler was called — it ran, not only waited for a free slot — also after it ended.
     */
    record Invocation(long id, String key, DeliveryState.Entry entry, Kind kind, String function,
                      AtomicBoolean started) {

        /** Its delivery; null when it works for none ({@code entry} null). */
        Delivery delivery() {
            return entry == null ? null : Delivery.of(key, entry);
        }

        boolean hasStarted() {
            return started.get();
        }
    }

    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Invocation> running = new ConcurrentHashMap<>();

    Invocation add(String key, DeliveryState.Entry entry, Kind kind, String function) {
        Invocation i = new Invocation(ids.incrementAndGet(), key, entry, kind, function, new AtomicBoolean());
        running.put(i.id(), i);
        return i;
    }

    /** Its last attempt ended. */
    void ended(Invocation i) {
        running.remove(i.id());
    }

    boolean isEmpty() {
        return running.isEmpty();
    }

    List<Invocation> snapshot() {
        return List.copyOf(running.values());
    }

    /** An invocation of {@code key} that runs or waits — a started one first, then the earliest queued. */
    Optional<Invocation> ofKey(String key) {
        return running.values().stream().filter(i -> i.key().equals(key))
                .min((a, b) -> a.hasStarted() != b.hasStarted() ? (a.hasStarted() ? -1 : 1)
                        : Long.compare(a.id(), b.id()));
    }
}
