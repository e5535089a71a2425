package dev.netmeta.local.runner.watch;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Whether a load report is about the version of an object the runner delivered, and not about an earlier version
 * under the same key (a replaced file keeps its key, and the old report stays until the new load writes its own).
 * A report that names the object's ETag ({@code eTag}, as S3 lists it) is matched on that, whatever its quoting.
 * A report without one is matched on time: it must have been written after the delivery (less a slack for the
 * one-second precision of S3 times), which cannot tell two versions apart when they are delivered close together.
 */
final class ReportVersion {

    static final Duration TIME_SLACK = Duration.ofSeconds(2);

    private ReportVersion() {
    }

    static boolean matches(JsonNode report, Instant reportLastModified, DeliveryState.Entry delivered) {
        String reported = report == null ? null : normalise(report.path("eTag").textValue());
        if (reported != null) {
            return reported.equals(normalise(delivered.eTag()));
        }
        return writtenSince(reportLastModified, delivered);
    }

    /** Whether the report's time in the bucket is not before the delivery, less {@link #TIME_SLACK}. */
    private static boolean writtenSince(Instant reportLastModified, DeliveryState.Entry delivered) {
        return !reportLastModified.isBefore(delivered.deliveredAt().minus(TIME_SLACK));
    }

    /**
     * Whether a report read for the delivery {@code delivered} finishes it: it is about the version delivered
     * ({@link #matches}) and was written by a load of this delivery — one that started at or after it
     * ({@link #startedSince}); a report of the same version that an earlier delivery's load left (an object loaded
     * before and delivered again by {@code POST /_local/load}, with the same ETag) says nothing of this one. Every load
     * of the delivery starts after it: the watcher records the delivery before it sends the event, Lambda's retries of
     * the event are new loads, a continuation's report carries the first invocation's start, and a start delivers again
     * with a new time. A report without a readable {@code startedAt} (an older load function) must have been written
     * after the delivery (its time in the bucket, less {@link #TIME_SLACK}).
     */
    static boolean ofDelivery(JsonNode report, Instant reportLastModified, DeliveryState.Entry delivered) {
        if (!matches(report, reportLastModified, delivered)) {
            return false;
        }
        Instant started = startedAt(report);
        return started != null ? !started.isBefore(millis(delivered)) : writtenSince(reportLastModified, delivered);
    }

    /**
     * Whether the report was written by a load that started at or after {@code delivered} (its {@code startedAt}, the
     * first invocation's start, on the same clock as the delivery's time): an earlier delivery of the same version —
     * the load that {@code POST /_local/load} delivered again — left a report with the same ETag. False when the
     * report has no readable {@code startedAt}.
     */
    static boolean startedSince(JsonNode report, DeliveryState.Entry delivered) {
        Instant started = startedAt(report);
        return started != null && !started.isBefore(millis(delivered));
    }

    /** The report's {@code startedAt}, or null when it has none that parses. */
    private static Instant startedAt(JsonNode report) {
        String startedAt = report == null ? null : report.path("startedAt").textValue();
        if (startedAt == null) {
            return null;
        }
        try {
            return Instant.parse(startedAt);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The delivery's time in milliseconds, as the report's are: the same instant reads as not before it. */
    private static Instant millis(DeliveryState.Entry delivered) {
        return delivered.deliveredAt().truncatedTo(ChronoUnit.MILLIS);
    }

    /** An ETag without its quotes and surrounding blanks, lower-cased (hex digits); null when there is none. */
    static String normalise(String eTag) {
        if (eTag == null) {
            return null;
        }
        String e = eTag.strip();
        if (e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"")) {
            e = e.substring(1, e.length() - 1).strip();
        }
        return e.isEmpty() ? null : e.toLowerCase(Locale.ROOT);
    }
}
