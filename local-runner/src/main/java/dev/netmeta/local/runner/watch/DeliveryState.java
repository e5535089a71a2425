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
     * (a continuation's too) says {@code "retryable": false}.
     */
    public record Entry(String eTag, long size, Instant deliveredAt, Status status, JsonNode report, String error,
                        boolean failedForGood) {

        public Entry(String eTag, long size, Instant deliveredAt, Status status, JsonNode report, String error) {
            this(eTag, size, deliveredAt, status, report, error, false);
        }

        Entry with(Status newStatus, JsonNode newReport, String newError) {
            return new Entry(eTag, size, deliveredAt, newStatus, newReport, newError, failedForGood);
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
                            v.path("failedForGood").asBoolean(false)));
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

    /** Records a delivery (before the event is sent) and returns the event's sequence number. */
    public synchronized long delivered(String key, String eTag, long size) {
        entries.put(key, new Entry(eTag, size, Instant.now(), Status.DELIVERED, null, null));
        sequence++;
        save();
        return sequence;
    }

    public synchronized void loaded(String key, JsonNode report) {
        loaded(key, report, false);
    }

    /**
     * The final report of {@code key}'s delivery was read; {@code failedForGood}: it says the load failed for good,
     * marked at once with the report (a mark the entry has already is kept).
     */
    public synchronized void loaded(String key, JsonNode report, boolean failedForGood) {
        Entry e = entries.get(key);
        if (e != null) {
            entries.put(key, new Entry(e.eTag(), e.size(), e.deliveredAt(), Status.LOADED, report, null,
                    e.failedForGood() || failedForGood));
            save();
        }
    }

    public synchronized void failed(String key, String error) {
        Entry e = entries.get(key);
        if (e != null && e.status() == Status.DELIVERED) {
            entries.put(key, e.with(Status.FAILED, null, error));
            save();
        }
    }

    /**
     * The invocation that version {@code eTag} of {@code key} was delivered to returned normally saying its load
     * FAILED: not delivered again at a start (a new version is a new delivery, without this mark).
     */
    public synchronized void failedForGood(String key, String eTag) {
        Entry e = entries.get(key);
        if (e != null && e.eTag().equals(eTag) && !e.failedForGood()) {
            entries.put(key, new Entry(e.eTag(), e.size(), e.deliveredAt(), e.status(), e.report(), e.error(), true));
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
