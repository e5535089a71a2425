package dev.netmeta.local.runner.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeta.local.runner.events.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the runner has delivered to the S3-triggered function, kept in a JSON file under the data directory and
 * rewritten atomically (temp file + move) after every change, so a restart — even after {@code kill -9} — knows
 * which objects are finished (they have a load report) and which must be delivered again.
 */
public final class DeliveryState {

    public enum Status { DELIVERED, LOADED, FAILED }

    /**
     * One object: the version delivered (eTag), when, its status, and its load report once there is one.
     * {@code failedForGood}: the load of this delivery FAILED in a way the load function does not retry, as the same
     * bytes fail the same way — the invocation it was delivered to returned normally saying so, or its final report
     * (a continuation's too) says {@code "retryable": false}. {@code sequence}: the delivery's number (the S3 event's
     * sequencer), which tells two deliveries of one key apart — a new version, or the same one loaded again — so the
     * answer of an earlier delivery's invocation never changes a later one; 0 in a state written by an older runner.
     */
    public record Entry(String eTag, long size, Instant deliveredAt, Status status, JsonNode report, String error,
                        boolean failedForGood, long sequence) {

        public Entry(String eTag, long size, Instant deliveredAt, Status status, JsonNode report, String error,
                     boolean failedForGood) {
            this(eTag, size, deliveredAt, status, report, error, failedForGood, 0);
        }

        public Entry(String eTag, long size, Instant deliveredAt, Status status, JsonNode report, String error) {
            this(eTag, size, deliveredAt, status, report, error, false);
        }

        Entry with(Status newStatus, JsonNode newReport, String newError, boolean newFailedForGood) {
            return new Entry(eTag, size, deliveredAt, newStatus, newReport, newError, newFailedForGood, sequence);
        }
    }

    private final Path file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private long sequence;

    private DeliveryState(Path file) {
        this.file = file;
    }

    public static DeliveryState open(Path file) {
        DeliveryState state = new DeliveryState(file);
        if (Files.exists(file)) {
            try {
                JsonNode root = Json.MAPPER.readTree(file.toFile());
                state.sequence = root.path("sequence").asLong(0);
                root.path("objects").fields().forEachRemaining(e -> {
                    JsonNode v = e.getValue();
                    state.entries.put(e.getKey(), new Entry(v.path("eTag").asText(), v.path("size").asLong(),
                            Instant.parse(v.path("deliveredAt").asText()), Status.valueOf(v.path("status").asText()),
                            v.hasNonNull("report") ? v.get("report") : null,
                            v.hasNonNull("error") ? v.get("error").asText() : null,
                            v.path("failedForGood").asBoolean(false), v.path("sequence").asLong(0)));
                });
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot read the runner's state " + file + " (" + e.getMessage()
                        + "); move it away to start over: objects will then be delivered again, which the load "
                        + "function handles without duplicates", e);
            }
        }
        return state;
    }

    public synchronized Entry get(String key) {
        return entries.get(key);
    }

    public synchronized Map<String, Entry> snapshot() {
        return new LinkedHashMap<>(entries);
    }

    /**
     * Records a delivery (before the event is sent) and returns it; its {@link Entry#sequence} is the event's
     * sequencer.
     */
    public synchronized Entry delivered(String key, String eTag, long size) {
        sequence++;
        Entry e = new Entry(eTag, size, Instant.now(), Status.DELIVERED, null, null, false, sequence);
        entries.put(key, e);
        save();
        return e;
    }

    /**
     * The final report of {@code key}'s delivery was read; {@code failedForGood}: it says the load failed for good,
     * marked at once with the report (a mark the entry has already is kept).
     */
    public synchronized void loaded(String key, JsonNode report, boolean failedForGood) {
        Entry e = entries.get(key);
        if (e != null) {
            entries.put(key, e.with(Status.LOADED, report, null, e.failedForGood() || failedForGood));
            save();
        }
    }

    /**
     * The invocations of delivery {@code sequence} of {@code key} failed every attempt: its delivery FAILED, unless a
     * report was read meanwhile or the key has been delivered again since. Whether the entry changed.
     */
    public synchronized boolean failed(String key, long sequence, String error) {
        Entry e = entries.get(key);
        if (e != null && e.sequence() == sequence && e.status() == Status.DELIVERED) {
            entries.put(key, e.with(Status.FAILED, null, error, e.failedForGood()));
            save();
            return true;
        }
        return false;
    }

    /**
     * The invocation that delivery {@code sequence} of {@code key} went to returned normally saying its load FAILED:
     * not delivered again at a start (a later delivery — a new version, or {@code POST /_local/load} — starts without
     * this mark, and an earlier delivery's answer does not give it one).
     */
    public synchronized void failedForGood(String key, long sequence) {
        Entry e = entries.get(key);
        if (e != null && e.sequence() == sequence && !e.failedForGood()) {
            entries.put(key, e.with(e.status(), e.report(), e.error(), true));
            save();
        }
    }

    private void save() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("sequence", sequence);
        ObjectNode objects = root.putObject("objects");
        entries.forEach((key, e) -> {
            ObjectNode o = objects.putObject(key);
            o.put("eTag", e.eTag());
            o.put("size", e.size());
            o.put("deliveredAt", e.deliveredAt().toString());
            o.put("status", e.status().name());
            if (e.report() != null) {
                o.set("report", e.report());
            }
            if (e.error() != null) {
                o.put("error", e.error());
            }
            if (e.failedForGood()) {
                o.put("failedForGood", true);
            }
            o.put("sequence", e.sequence());
        });
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the runner's state " + file, e);
        }
    }
}
