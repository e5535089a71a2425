package dev.netmeta.local.runner.watch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;


/**
 * The load function's report for one object ({@code <REPORTS_PREFIX><key>.json}, or the shorter name
 * {@code dev.netmeta.load.OutputKeys} gives it when that is longer than S3 allows; written by
 * {@code dev.netmeta.load.aws.S3ReportStore} from {@code dev.netmeta.load.LoadReport}): rows read / indexed /
 * rejected / skipped (records the format defines as not data, such as Suricata stats events), status and duration, and
 * the warnings about a file that loaded but looks wrong (none when the report has no {@code warnings}), read by the
 * field names that record has. A report whose status is {@code CONTINUING} (a continuation is pending) is not final;
 * a FAILED one says whether it is retried ({@link #failedForGood()}).
 */
public record LoadReport(String status, long rowsRead, long rowsIndexed, long rowsRejected, long rowsSkipped,
                         long durationMillis, String error, List<String> warnings, JsonNode raw) {

    public LoadReport {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /** A report without warnings. */
    public LoadReport(String status, long rowsRead, long rowsIndexed, long rowsRejected, long rowsSkipped,
                      long durationMillis, String error, JsonNode raw) {
        this(status, rowsRead, rowsIndexed, rowsRejected, rowsSkipped, durationMillis, error, List.of(), raw);
    }

    /** A report without skipped records ({@code rowsSkipped} 0) and without warnings. */
    public LoadReport(String status, long rowsRead, long rowsIndexed, long rowsRejected, long durationMillis,
                      String error, JsonNode raw) {
        this(status, rowsRead, rowsIndexed, rowsRejected, 0, durationMillis, error, raw);
    }

    public static LoadReport of(JsonNode json) {
        return new LoadReport(text(json, "status"), number(json, "rowsRead"), number(json, "indexed"),
                number(json, "rejected"), number(json, "skipped"), number(json, "durationMs"), text(json, "error"),
                texts(json, "warnings"), json);
    }

    public boolean finished() {
        return !dev.netmeta.load.LoadReport.Status.CONTINUING.name().equals(status);
    }

    public boolean succeeded() {
        return dev.netmeta.load.LoadReport.Status.SUCCEEDED.name().equals(status) && error == null;
    }

    /**
     * FAILED, and the invocation that wrote it — the S3-triggered one or a continuation — returned normally
     * ({@code "retryable": false}): nothing retries this version, as the same bytes with the same settings fail the
     * same way. False for a retryable failure, and for a report without {@code retryable} (an older load function's):
     * not known to be final.
     */
    public boolean failedForGood() {
        JsonNode retryable = raw == null ? null : raw.get("retryable");
        return dev.netmeta.load.LoadReport.Status.FAILED.name().equals(status) && retryable != null
                && retryable.isBoolean() && !retryable.booleanValue();
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The texts of an array field; none when it is absent (the load function leaves out an empty one). */
    private static List<String> texts(JsonNode json, String field) {
        JsonNode v = json.get(field);
        List<String> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            v.forEach(e -> out.add(e.asText()));
        }
        return out;
    }

    private static long number(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v != null && v.canConvertToLong() ? v.asLong() : -1;
    }
}
