package dev.netmeta.api;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The search engine behind the API: runs one page of a query. */
public interface SearchBackend {

    /**
     * Runs one page. Hits come in a total order: the request's sort keys, then a unique tiebreaker, so that
     * {@link SearchHit#sortValues()} of any hit can be passed back as {@link BackendQuery#searchAfter()}.
     *
     * @throws SearchBackendException when the query is refused, the engine cannot be reached, is overloaded or
     *                                does not answer in time
     */
    SearchPage search(BackendQuery query);

    /**
     * Which of {@code names} (field names, no patterns) some index has: the answer for names a query uses
     * ({@link UnknownFields}). Null when the backend cannot tell — it has no index at all, or the lookup failed — so
     * that the search runs unchecked rather than failing because of the check.
     */
    default Set<String> existingFields(List<String> names) {
        return null;
    }

    /**
     * As {@link #existingFields(List)}, asked again for names that the list of every name
     * ({@link #fieldNames}) has and an earlier answer did not: only an answer older than that list is asked for again
     * (the field's first index came in between), a newer one is kept (a list older than the answer does not overrule
     * it: the field's last index went away). Never waits longer than {@code budgetMs} for a request, never throws;
     * without an answer in that time, the list counts only over answers older than it. Null when the backend cannot
     * tell at all. The default asks {@link #existingFields(List)}.
     */
    default Set<String> existingFields(List<String> names, long budgetMs) {
        return existingFields(names);
    }

    /**
     * Every field name some index has (metadata fields left out), to suggest the spelling of a name no index has —
     * asked on that error path only ({@link UnknownFields}). Never waits longer than {@code budgetMs}, never throws:
     * null when the backend cannot tell in that time (no budget, a slow or busy engine, a failed lookup), so that the
     * error is answered without a suggestion rather than late or as another error.
     */
    default Set<String> fieldNames(long budgetMs) {
        return null;
    }

    /**
     * For each of {@code patterns} (field name patterns of q, escapes removed: {@code *} for any characters), the fields
     * some daily index has whose names match it and their mapping types, to tell a regular expression that would match
     * nothing on every one of them ({@link NonTextPatterns#refuseRegexpsOnFieldPatterns}). All of them are asked
     * together and waited for at most {@code budgetMs} in all, so that a query with many patterns leaves its search as
     * much time as one with a single pattern. Never throws: a pattern whose fields the backend cannot tell (no index,
     * no answer in time, a failed lookup) is left out of the answer, so that the search runs as it would have.
     */
    default Map<String, Map<String, Set<String>>> patternFieldTypes(List<String> patterns, long budgetMs) {
        return Map.of();
    }

    /**
     * The mapping types the daily indices have for each of {@code names} (a field no index has is left out), from the
     * answers {@link #existingFields} cached: asked on the error path of a refused search only
     * ({@link SearchService#withMixedTypes}). Never throws: null when the backend cannot tell.
     */
    default Map<String, Set<String>> fieldTypes(List<String> names) {
        return null;
    }

    /**
     * For a field whose mapping type differs between daily indices, the days of each type (type → days), from the answer
     * {@link #fieldTypes} has just given (no request of its own): asked on the same error path only. Empty when the
     * backend cannot tell.
     */
    default Map<String, DaySpans> fieldDays(String field) {
        return Map.of();
    }

    /** How many sort values the backend appends to the request's own keys: the values of its unique tiebreaker. */
    int tiebreakerValues();
}
