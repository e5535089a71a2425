package dev.netmeta.load;

import dev.netmeta.model.Fields;
import dev.netmeta.model.FieldValues;
import dev.netmeta.model.IndexNames;
import java.util.Map;

/**
 * The daily index of a document, from its {@code timestamp} (UTC day); a record without one goes to the day the
 * object was last modified, which is stable across re-deliveries and continuations. Consecutive records of the
 * same day reuse the name (no date arithmetic per record for sorted ISO-8601 UTC timestamps).
 */
final class DailyIndex {

    private static final long DAY = 86_400_000L;

    private final String prefix;
    private final String fallback;
    private long lastDay = Long.MIN_VALUE;
    private String lastName;
    private String lastIsoDate;

    DailyIndex(String prefix, long lastModifiedMillis) {
        this.prefix = prefix;
        this.fallback = IndexNames.daily(prefix, lastModifiedMillis);
    }

    String of(Map<String, Object> document) {
        Object ts = document.get(Fields.TIMESTAMP);
        if (ts instanceof Number n) {
            lastIsoDate = null;
            return forMillis(n.longValue());
        }
        if (ts instanceof String s) {
            if (lastIsoDate != null && s.length() > 10 && s.charAt(s.length() - 1) == 'Z' && s.startsWith(lastIsoDate)) {
                return lastName;
            }
            String name = forMillis(FieldValues.parseTimestamp(s));
            lastIsoDate = s.length() > 10 && s.charAt(10) == 'T' && s.charAt(s.length() - 1) == 'Z' ? s.substring(0, 10) : null;
            return name;
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
