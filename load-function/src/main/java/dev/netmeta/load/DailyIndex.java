package dev.netmeta.load;

import dev.netmeta.model.Fields;
import dev.netmeta.model.IndexNames;
import java.util.Map;

/**
 * The daily index of a document, from its {@code timestamp} (UTC day); a record without one goes to the day the
 * object was last modified, which is stable across re-deliveries and continuations. Consecutive records of the
 * same day reuse the name.
 */
final class DailyIndex {

    private static final long DAY = 86_400_000L;

    private final String prefix;
    private final String fallback;
    private long lastDay = Long.MIN_VALUE;
    private String lastName;

    DailyIndex(String prefix, long lastModifiedMillis) {
        this.prefix = prefix;
        this.fallback = IndexNames.daily(prefix, lastModifiedMillis);
    }

    String of(Map<String, Object> document) {
        // RecordMapper turns every canonical timestamp into a Long (epoch millis); anything else has none
        if (document.get(Fields.TIMESTAMP) instanceof Number millis) {
            return forMillis(millis.longValue());
        }
        return fallback;
    }

    private String forMillis(long millis) {
        long day = Math.floorDiv(millis, DAY);
        if (day != lastDay) {
            lastDay = day;
            lastName = IndexNames.daily(prefix, millis);
        }
        return lastName;
    }
}
