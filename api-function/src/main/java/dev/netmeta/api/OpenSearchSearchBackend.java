package dev.netmeta.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.model.Fields;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.mapping.FieldType;
import org.opensearch.client.opensearch._types.query_dsl.Operator;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.core.search.TotalHits;
import org.opensearch.client.opensearch.core.search.TotalHitsRelation;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * {@link SearchBackend} on OpenSearch: one guarded {@code query_string} query plus a {@code timestamp} range filter
 * over all daily indices of the prefix, sorted by the user's keys and {@code _id} as unique tiebreaker, paged with
 * {@code search_after}.
 */
public final class OpenSearchSearchBackend implements SearchBackend {

    /** Field searched by terms without a field name ({@code q=google.com}). */
    static final String DEFAULT_FIELD = Fields.HOST;
    /** Upper bound on the automaton of a wildcard or regular expression term (OpenSearch's own default). */
    static final int MAX_DETERMINIZED_STATES = 10_000;
    static final String TIEBREAKER = "_id";

    private final OpenSearchClient client;
    private final String indexPattern;
    private final ObjectMapper json;

    public OpenSearchSearchBackend(OpenSearchClient client, String indexPattern, ObjectMapper json) {
        this.client = client;
        this.indexPattern = indexPattern;
        this.json = json;
    }

    @Override
    public SearchPage search(BackendQuery q) {
        SearchRequest request = request(q);
        SearchResponse<Map<String, Object>> response;
        try {
            response = client.search(request, mapType());
        } catch (OpenSearchException e) {
            throw fromOpenSearch(e);
        } catch (IOException | RuntimeException e) {
            throw fromTransport(e, q.timeoutMs());
        }
        return page(response);
    }

    SearchRequest request(BackendQuery q) {
        List<SortOptions> sort = new ArrayList<>(q.sort().size() + 1);
        for (SortField s : q.sort()) {
            sort.add(SortOptions.of(o -> o.field(f -> f.field(s.field())
                    .order(s.descending() ? SortOrder.Desc : SortOrder.Asc)
                    .unmappedType(unmappedType(s.field())))));
        }
        sort.add(SortOptions.of(o -> o.field(f -> f.field(TIEBREAKER).order(SortOrder.Asc))));
        List<FieldValue> after = new ArrayList<>(q.searchAfter().size());
        for (Object v : q.searchAfter()) {
            after.add(fieldValue(v));
        }
        return SearchRequest.of(r -> {
            r.index(indexPattern)
                    .ignoreUnavailable(true)
                    .allowNoIndices(true)
                    .allowPartialSearchResults(false)
                    .timeout(q.timeoutMs() + "ms")
                    .size(q.size())
                    .query(query(q))
                    .sort(sort);
            if (!after.isEmpty()) {
                r.searchAfter(after);
            }
            if (!q.fields().isEmpty()) {
                r.source(s -> s.filter(f -> f.includes(q.fields())));
            }
            return r;
        });
    }

    static Query query(BackendQuery q) {
        Query text = q.query().isEmpty()
                ? Query.of(b -> b.matchAll(m -> m))
                : Query.of(b -> b.queryString(s -> s.query(q.query())
                        .defaultField(DEFAULT_FIELD)
                        .defaultOperator(Operator.Or)
                        .allowLeadingWildcard(false)
                        .lenient(false)
                        .analyzeWildcard(false)
                        .maxDeterminizedStates(MAX_DETERMINIZED_STATES)));
        if (q.fromMillis() == null && q.toMillis() == null) {
            return text;
        }
        Query range = Query.of(b -> b.range(r -> {
            r.field(Fields.TIMESTAMP).format("epoch_millis");
            if (q.fromMillis() != null) {
                r.gte(JsonData.of(q.fromMillis()));
            }
            if (q.toMillis() != null) {
                r.lt(JsonData.of(q.toMillis()));
            }
            return r;
        }));
        return Query.of(b -> b.bool(bool -> bool.must(text).filter(range)));
    }

    private static FieldType unmappedType(String field) {
        switch (Fields.typeOf(field)) {
            case IP:
                return FieldType.Ip;
            case DATE:
                return FieldType.Date;
            case INTEGER:
                return FieldType.Integer;
            case LONG:
                return FieldType.Long;
            default:
                return FieldType.Keyword;
        }
    }

    static FieldValue fieldValue(Object v) {
        if (v == null) {
            return FieldValue.NULL;
        } else if (v instanceof Long || v instanceof Integer) {
            return FieldValue.of(((Number) v).longValue());
        } else if (v instanceof Number) {
            return FieldValue.of(((Number) v).doubleValue());
        } else if (v instanceof Boolean) {
            return FieldValue.of((Boolean) v);
        }
        return FieldValue.of(v.toString());
    }

    private static Object sortValue(FieldValue v) {
        if (v.isLong()) {
            return v.longValue();
        } else if (v.isDouble()) {
            return v.doubleValue();
        } else if (v.isString()) {
            return v.stringValue();
        } else if (v.isBoolean()) {
            return v.booleanValue();
        }
        return null;
    }

    private static SearchPage page(SearchResponse<Map<String, Object>> response) {
        List<SearchHit> hits = new ArrayList<>(response.hits().hits().size());
        for (Hit<Map<String, Object>> h : response.hits().hits()) {
            List<Object> sortValues = new ArrayList<>(h.sort().size());
            for (FieldValue v : h.sort()) {
                sortValues.add(sortValue(v));
            }
            Map<String, Object> source = h.source() == null ? Map.of() : h.source();
            hits.add(new SearchHit(h.id(), h.index(), source, sortValues));
        }
        TotalHits total = response.hits().total();
        long value = total == null ? hits.size() : total.value();
        boolean exact = total == null || total.relation() == TotalHitsRelation.Eq;
        return new SearchPage(value, exact, response.took(), response.timedOut(), hits);
    }

    SearchBackendException fromOpenSearch(OpenSearchException e) {
        int status = e.status();
        if (status == 429 || status == 503) {
            return new SearchBackendException(SearchBackendException.Kind.UNAVAILABLE,
                    "the search engine is overloaded or unavailable (HTTP " + status + "); try again shortly", e);
        }
        if (status == 504) {
            return new SearchBackendException(SearchBackendException.Kind.TIMEOUT,
                    "the search engine did not answer in time", e);
        }
        JsonNode error = errorJson(e);
        if (status == 400) {
            return new SearchBackendException(SearchBackendException.Kind.BAD_QUERY, OpenSearchErrors.readable(error), e);
        }
        return new SearchBackendException(SearchBackendException.Kind.FAILED,
                "the search engine failed the search (HTTP " + status + ": " + OpenSearchErrors.readable(error) + ")", e);
    }

    private JsonNode errorJson(OpenSearchException e) {
        try {
            return e.error() == null ? null : json.readTree(e.error().toJsonString());
        } catch (IOException | RuntimeException ignored) {
            return null;
        }
    }

    static SearchBackendException fromTransport(Exception e, long timeoutMs) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ResponseException) {
                int status = ((ResponseException) t).status();
                if (status == 429 || status == 502 || status == 503) {
                    return new SearchBackendException(SearchBackendException.Kind.UNAVAILABLE,
                            "the search engine is overloaded or unavailable (HTTP " + status + "); try again shortly", e);
                }
                if (status == 504) {
                    return new SearchBackendException(SearchBackendException.Kind.TIMEOUT,
                            "the search engine did not answer in time", e);
                }
                return new SearchBackendException(SearchBackendException.Kind.FAILED,
                        "the search engine answered HTTP " + status, e);
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return new SearchBackendException(SearchBackendException.Kind.TIMEOUT,
                        "the search engine did not answer within " + timeoutMs + " ms", e);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new SearchBackendException(SearchBackendException.Kind.UNAVAILABLE,
                        "the search engine cannot be reached; try again shortly", e);
            }
        }
        if (e instanceof IOException) {
            return new SearchBackendException(SearchBackendException.Kind.UNAVAILABLE,
                    "the connection to the search engine failed; try again shortly", e);
        }
        return new SearchBackendException(SearchBackendException.Kind.FAILED,
                "the search engine returned an answer this API cannot read", e);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Class<Map<String, Object>> mapType() {
        return (Class) Map.class;
    }
}
