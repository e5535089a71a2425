package dev.netmeta.api;

import java.util.List;

/**
 * One page request to the {@link SearchBackend}, or a count.
 *
 * @param query       Lucene query string ("" = all documents)
 * @param fromMillis  inclusive lower bound on timestamp, or null
 * @param toMillis    exclusive upper bound on timestamp, or null
 * @param sort        user sort keys; the backend appends its unique tiebreaker ({@link SearchBackend#tiebreakerValues()})
 * @param searchAfter sort values of the last hit already seen (user keys + tiebreaker), or empty for the start
 * @param size        how many hits to fetch
 * @param fields      fields to return (empty = all)
 * @param timeoutMs   how long the engine may take
 * @param countOnly   the exact number of matching documents and no hit (size 0, no sort): the engine counts every
 *                    match instead of stopping at 10,000 ({@code track_total_hits})
 */
public record BackendQuery(String query, Long fromMillis, Long toMillis, List<SortField> sort,
                           List<Object> searchAfter, int size, List<String> fields, long timeoutMs, boolean countOnly) {

    public BackendQuery {
        sort = List.copyOf(sort);
        searchAfter = searchAfter == null ? List.of() : java.util.Collections.unmodifiableList(
                new java.util.ArrayList<>(searchAfter));
        fields = List.copyOf(fields);
    }

    /** A page request (not a count). */
    public BackendQuery(String query, Long fromMillis, Long toMillis, List<SortField> sort, List<Object> searchAfter,
                        int size, List<String> fields, long timeoutMs) {
        this(query, fromMillis, toMillis, sort, searchAfter, size, fields, timeoutMs, false);
    }
}
