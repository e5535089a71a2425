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
 * {@code retentionDays} is {@code "off"} or the number of days; {@code oldestDayKept} (today − N, UTC,
 * {@code uuuu-MM-dd}) is the oldest day whose index stays, absent when off. {@code kept} counts the daily indices
 * of the prefix that stay, {@code deleted} names the indices deleted, {@code failed} each index whose deletion
 * failed with the reason (the invocation then fails).
 */
@JsonPropertyOrder({"indexPrefix", "retentionDays", "oldestDayKept", "kept", "deleted", "failed", "durationMs"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class RetentionSummary {

    private final String indexPrefix;
    private final Object retentionDays;
    private final String oldestDayKept;
    private final int kept;
    private final List<String> deleted;
    private final Map<String, String> failed;
    private final long durationMs;

    public RetentionSummary(String indexPrefix, RetentionDays retentionDays, String oldestDayKept, int kept,
                            List<String> deleted, Map<String, String> failed, long durationMs) {
        this.indexPrefix = indexPrefix;
        this.retentionDays = retentionDays.off() ? "off" : retentionDays.days();
        this.oldestDayKept = oldestDayKept;
        this.kept = kept;
        this.deleted = List.copyOf(deleted);
        this.failed = Collections.unmodifiableMap(new LinkedHashMap<>(failed));
        this.durationMs = durationMs;
    }

    public String getIndexPrefix() {
        return indexPrefix;
    }

    /** {@code "off"} or the number of days. */
    public Object getRetentionDays() {
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
