package dev.netmeta.local.runner.watch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.load.LoadContinuation;
import dev.netmeta.local.runner.events.Json;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The payload the load function's continuation ({@code loadContinue}) is invoked with, rebuilt from the
 * {@code CONTINUING} report a load saved where it stopped — what the load itself sends it when its time runs out
 * ({@link LoadContinuation}, the same bean, serialized by Jackson as {@code LambdaContinuationScheduler} does):
 * the object's version (its ETag), the position of the first record not indexed, the counts so far, the number of
 * invocations and when the first one started. The continuation opens that version with {@code If-Match} and goes on
 * from the position; the version's last-modified time, which the report does not carry, is the bucket's
 * ({@link #continuable}). The first reject's text (for the error of a file that runs over {@code LOAD_MAX_REJECTS} later) is not in the report
 * either: such an error then names the rejects of the continued part only.
 */
final class ContinuationPayload {

    private ContinuationPayload() {
    }

    /**
     * The continuation of the load that saved {@code report}, or null when the report is not a CONTINUING one with a
     * position, an ETag and a start time.
     */
    static LoadContinuation of(JsonNode report) {
        if (report == null || LoadReport.of(report).finished() || !report.path("nextPosition").canConvertToLong()
                || report.path("eTag").textValue() == null || report.path("bucket").textValue() == null
                || report.path("key").textValue() == null) {
            return null;
        }
        Instant startedAt;
        try {
            startedAt = Instant.parse(report.path("startedAt").asText());
        } catch (DateTimeParseException e) {
            return null;
        }
        LoadContinuation c = new LoadContinuation();
        c.setBucket(report.get("bucket").textValue());
        c.setKey(report.get("key").textValue());
        c.setEtag(report.get("eTag").textValue());
        c.setNextPosition(report.get("nextPosition").asLong());
        c.setAttempt(report.path("invocations").asInt(1));
        c.setStartedAt(startedAt.toEpochMilli());
        c.setRowsRead(report.path("rowsRead").asLong());
        c.setIndexed(report.path("indexed").asLong());
        c.setRejected(report.path("rejected").asLong());
        c.setSkipped(report.path("skipped").asLong());
        c.setExpired(report.path("expired").asLong()); // absent (0) without records past the index retention
        List<String> warnings = new ArrayList<>();
        report.path("warnings").forEach(w -> warnings.add(w.asText()));
        c.setWarnings(warnings.isEmpty() ? null : warnings);
        return c;
    }

    /**
     * Whether a load that began at {@code startedAtMillis} (its first invocation) can be continued on the object
     * version the bucket holds, last modified at {@code modified} (null: not that version, or unreadable): only when
     * the object was written before the load began. A later time with the same ETag is a copy of the same content
     * made after the load began (between the stop and this start, say) — another version all the same, whose records
     * without a timestamp belong into another daily index: the load function would refuse to continue on it, and
     * without its time (0) it could not tell and the final cleanup would remove the first part's documents. Such an
     * object is loaded again from its first row.
     */
    static boolean continuable(Instant modified, long startedAtMillis) {
        return modified != null && modified.toEpochMilli() <= startedAtMillis;
    }

    static byte[] json(LoadContinuation continuation) {
        try {
            return Json.MAPPER.writeValueAsBytes(continuation);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
