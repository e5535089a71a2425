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
        return !reportLastModified.isBefore(delivered.deliveredAt().minus(TIME_SLACK));
    }

    /**
     * Whether the report was written by a load that started at or after {@code delivered} (its {@code startedAt}, the
     * first invocation's start, on the same clock as the delivery's time): an earlier delivery of the same version —
     * the load that {@code POST /_local/load} delivered again — left a report with the same ETag. False when the
     * report has no readable {@code startedAt}.
     */
    static boolean startedSince(JsonNode report, DeliveryState.Entry delivered) {
        String startedAt = report == null ? null : report.path("startedAt").textValue();
        if (startedAt == null) {
            return false;
        }
        try {
            // the report's time has milliseconds, the delivery's more: the same instant reads as not before it
            return !Instant.parse(startedAt).isBefore(delivered.deliveredAt().truncatedTo(ChronoUnit.MILLIS));
        } catch (DateTimeParseException e) {
            return false;
        }
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
