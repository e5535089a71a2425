package dev.netmeta.api;

import java.util.List;

/**
 * A validated search request.
 *
 * @param query      the Lucene query string after guarding (empty = all documents)
 * @param fromMillis inclusive lower bound on {@code timestamp} in epoch millis, or null
 * @param toMillis   exclusive upper bound on {@code timestamp} in epoch millis, or null
 * @param size       how many hits to return at most
 * @param sort       sort keys (the unique tiebreaker is added by the backend)
 * @param fields     fields to return (empty = all)
 * @param cursor     the opaque cursor of the previous page, or null for the first page
 * @param format     JSON page or NDJSON/CSV export
 * @param queryFields the field names {@code query} uses that are outside the data contract, which some daily index
 *                    must have ({@link QueryGuard#fieldsToCheck}); empty for most queries
 * @param queryRewrites what the guard changed in the typed q to make {@code query}, as the "(q was sent as …)" note
 *                      of a refused query names it ({@code QueryGuard.Guarded#rewrites}); empty: sent as typed
 * @param fromMath   {@code from} as date math relative to now ({@code now-1d}), resolved per search; then
 *                   {@code fromMillis} is null. Null when {@code from} is absolute or absent
 * @param toMath     as {@code fromMath}, for {@code to}
 * @param extraValues values of {@code query} on extra columns that match nothing if the column is a whole number
 *                    ({@code Flow_Duration:1.5}) or a number ({@code Flow_Duration:[100 TO 5]}) in every daily index
 *                    ({@code QueryGuard.Guarded#extraValues}, {@link ExtraColumnValues}); empty for most queries
 */
public record SearchParameters(String query, Long fromMillis, Long toMillis, int size, List<SortField> sort,
                               List<String> fields, String cursor, OutputFormat format, List<String> queryFields,
                               List<String> queryRewrites, DateMath fromMath, DateMath toMath,
                               List<ExtraColumnValues.Value> extraValues) {

    public SearchParameters {
        sort = List.copyOf(sort);
        fields = List.copyOf(fields);
        queryFields = queryFields == null ? List.of() : List.copyOf(queryFields);
        queryRewrites = queryRewrites == null ? List.of() : List.copyOf(queryRewrites);
        extraValues = extraValues == null ? List.of() : List.copyOf(extraValues);
    }

    /** Parameters whose query has no value on an extra column to check against the column's type. */
    public SearchParameters(String query, Long fromMillis, Long toMillis, int size, List<SortField> sort,
                            List<String> fields, String cursor, OutputFormat format, List<String> queryFields,
                            List<String> queryRewrites, DateMath fromMath, DateMath toMath) {
        this(query, fromMillis, toMillis, size, sort, fields, cursor, format, queryFields, queryRewrites, fromMath,
                toMath, List.of());
    }

    /** Parameters whose {@code from} and {@code to} are absolute or absent. */
    public SearchParameters(String query, Long fromMillis, Long toMillis, int size, List<SortField> sort,
                            List<String> fields, String cursor, OutputFormat format, List<String> queryFields,
                            List<String> queryRewrites) {
        this(query, fromMillis, toMillis, size, sort, fields, cursor, format, queryFields, queryRewrites, null, null,
                List.of());
    }

    /** Parameters whose query uses no field outside the data contract. */
    public SearchParameters(String query, Long fromMillis, Long toMillis, int size, List<SortField> sort,
                            List<String> fields, String cursor, OutputFormat format) {
        this(query, fromMillis, toMillis, size, sort, fields, cursor, format, List.of(), List.of(), null, null,
                List.of());
    }
}
