package dev.netmeta.load;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of the retention did; returned by {@link RetentionHandler} and logged as one JSON line. A class with
 * getters (not a record) because the Lambda runtime client serializes the handler's result by its getters.
 * {@code retentionDays} is the number of days, and {@code oldestDayKept} (today − N, UTC, {@code uuuu-MM-dd}) the
 * oldest day whose index stays; both are absent when the retention is off (the log line's message then says
 * {@code "retention off"}). {@code kept} counts the daily indices of the prefix that stay, {@code deleted} names the
 * indices deleted, {@code failed} each index whose deletion failed with the reason (the invocation then fails).
 * <p>
 * {@code retentionDays} is always a JSON number (decision): it was the string {@code "off"} or a number, two types
 * for one field, and log tools take a field's type from the values they meet — an OpenSearch log index maps it
 * {@code long} from the first number and then rejects every line with {@code "off"} (or maps it as text and
 * compares numbers as strings), and CloudWatch Logs Insights cannot compare or aggregate {@code "off"} with the
 * numbers. No number stands for off: 0 would read as "keep no day" (and is no valid setting), so off is the
 * field's absence, as {@code oldestDayKept}'s already was. {@code enabled} says it in so many words (a returned
 * summary carries no log message, and an absent field is easy to misread as "nothing to do").
 */
@JsonPropertyOrder({"indexPrefix", "enabled", "retentionDays", "oldestDayKept", "kept", "deleted", "failed", "durationMs"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RetentionSummary {

    private final String indexPrefix;
    private final Integer retentionDays;
    private final String oldestDayKept;
    private final int kept;
    private final List<String> deleted;
    private final Map<String, String> failed;
    private final long durationMs;

    public RetentionSummary(String indexPrefix, RetentionDays retentionDays, String oldestDayKept, int kept,
                            List<String> deleted, Map<String, String> failed, long durationMs) {
        this.indexPrefix = indexPrefix;
        this.retentionDays = retentionDays.off() ? null : retentionDays.days();
        this.oldestDayKept = oldestDayKept;
        this.kept = kept;
        this.deleted = List.copyOf(deleted);
        this.failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        this.durationMs = durationMs;
    }

    public String getIndexPrefix() {
        return indexPrefix;
    }

    /** Whether the retention is on: false when INDEX_RETENTION_DAYS is off (nothing listed, nothing deleted). */
    public boolean isEnabled() {
        return retentionDays != null;
    }

    /** The number of days; null (absent from the JSON) when the retention is off. */
    public Integer getRetentionDays() {
        return retentionDays;
    }

    public String getOldestDayKept() {
        return oldestDayKept;
    }

    public int getKept() {
        return kept;
    }

    public List<String> getDeleted() {
        return deleted;
    }

    public Map<String, String> getFailed() {
        return failed;
    }

    public long getDurationMs() {
        return durationMs;
    }

    /** One line for an exception or a console: {@code retention 30 days (oldest day kept 2026-10-28): 2 deleted…}. */
    @Override
    public String toString() {
        if (oldestDayKept == null) {
            return "retention off: every daily index of " + indexPrefix + " is kept";
        }
        StringBuilder b = new StringBuilder("retention " + retentionDays + " days of " + indexPrefix
                + " (oldest day kept " + oldestDayKept + "): " + kept + " kept, " + deleted.size() + " deleted");
        if (!deleted.isEmpty()) {
            b.append(" ").append(deleted);
        }
        if (!failed.isEmpty()) {
            b.append(", ").append(failed.size()).append(" failed: ");
            failed.forEach((name, reason) -> b.append(name).append(" (").append(reason).append("); "));
            b.setLength(b.length() - 2);
        }
        return b.toString();
    }
}
