package dev.netmeta.load;

import dev.netmeta.model.Fields;
import dev.netmeta.model.IndexNames;
import java.util.Map;

/**
 * The daily index of a document, from its {@code timestamp} (UTC day); a record without one goes to the day the
 * object was last modified, which is stable across re-deliveries and continuations. Consecutive records of the
 * same day reuse the name. With an index retention, a record whose day is before the oldest day kept has no index
 * ({@code null}): one comparison of the day each record has anyway.
 */
final class DailyIndex {

    private static final long DAY = 86_400_000L;

    private final String prefix;
    private final String fallback;
    /** {@link RetentionDays#oldestEpochDayKept}: {@link Long#MIN_VALUE} without a retention. */
    private final long oldestDayKept;
    private long lastDay = Long.MIN_VALUE;
    private String lastName;

    DailyIndex(String prefix, long lastModifiedMillis, long oldestEpochDayKept) {
        this.prefix = prefix;
        this.oldestDayKept = oldestEpochDayKept;
        this.fallback = Math.floorDiv(lastModifiedMillis, DAY) < oldestEpochDayKept ? null
                : IndexNames.daily(prefix, lastModifiedMillis);
    }

    /** The daily index of the document, or null when its day is past the index retention. */
    String of(Map<String, Object> document) {
        // RecordMapper turns every canonical timestamp into a Long (epoch millis); anything else has none
        if (document.get(Fields.TIMESTAMP) instanceof Number millis) {
            return forMillis(millis.longValue());
        }
        return fallback;
    }

    private String forMillis(long millis) {
        long day = Math.floorDiv(millis, DAY);
        if (day < oldestDayKept) {
            return null;
        }
        if (day != lastDay) {
            lastDay = day;
            lastName = IndexNames.daily(prefix, millis);
        }
        return lastName;
    }
}
