package dev.netmeta.api;

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

    /** How many sort values the backend appends to the request's own keys: the values of its unique tiebreaker. */
    int tiebreakerValues();
}
