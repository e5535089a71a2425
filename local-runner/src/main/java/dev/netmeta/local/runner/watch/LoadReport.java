package dev.netmeta.local.runner.watch;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Set;

/**
 * The load function's report for one object ({@code <REPORTS_PREFIX><key>.json}): rows read / indexed / rejected,
 * status and duration. A report whose status says the load is still going (a continuation is pending) is not final.
 */
public record LoadReport(String status, long rowsRead, long rowsIndexed, long rowsRejected, long durationMillis,
                         String error, JsonNode raw) {

    private static final Set<String> NOT_FINAL = Set.of("in_progress", "in-progress", "running", "continuing",
            "continued", "partial", "pending", "started");

    public static LoadReport of(JsonNode json) {
        return new LoadReport(text(json, "status"),
                number(json, "rowsRead", "read", "records", "recordsRead"),
                number(json, "rowsIndexed", "indexed", "recordsIndexed"),
                number(json, "rowsRejected", "rejected", "recordsRejected"),
                number(json, "durationMillis", "durationMs", "tookMillis", "millis"),
                text(json, "error"), json);
    }

    /** The object key the report is about, when the report names it. */
    public static String sourceKey(JsonNode json) {
        for (String field : new String[]{"key", "sourceKey", "objectKey"}) {
            if (json.path(field).isTextual()) {
                return json.get(field).textValue();
            }
        }
        return null;
    }

    public boolean finished() {
        return status == null || !NOT_FINAL.contains(status.toLowerCase(Locale.ROOT));
    }

    public boolean succeeded() {
        return finished() && (status == null || !status.toLowerCase(Locale.ROOT).startsWith("fail")) && error == null;
    }

    private static String text(JsonNode json, String field) {
        JsonNode v = json.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static long number(JsonNode json, String... fields) {
        for (String f : fields) {
            JsonNode v = json.get(f);
            if (v != null && v.canConvertToLong()) {
                return v.asLong();
            }
        }
        return -1;
    }
}
