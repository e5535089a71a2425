package dev.netmeta.api;

import java.util.List;

/**
 * One page request to the {@link SearchBackend}.
 *
 * @param query       Lucene query string ("" = all documents)
 * @param fromMillis  inclusive lower bound on timestamp, or null
 * @param toMillis    exclusive upper bound on timestamp, or null
 * @param sort        user sort keys; the backend appends its unique tiebreaker ({@link SearchBackend#tiebreakerValues()})
 * @param searchAfter sort values of the last hit already seen (user keys + tiebreaker), or empty for the start
 * @param size        how many hits to fetch
 * @param fields      fields to return (empty = all)
 * @param timeoutMs   how long the engine may take
 */
public record BackendQuery(String query, Long fromMillis, Long toMillis, List<SortField> sort,
                           List<Object> searchAfter, int size, List<String> fields, long timeoutMs) {

    public BackendQuery {
        sort = List.copyOf(sort);
        searchAfter = searchAfter == null ? List.of() : java.util.Collections.unmodifiableList(
                new java.util.ArrayList<>(searchAfter));
        fields = List.copyOf(fields);
    }
}
