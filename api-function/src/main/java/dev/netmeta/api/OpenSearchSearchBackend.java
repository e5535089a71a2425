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
import java.util.Optional;
import org.opensearch.client.json.JsonData;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.SortOptions;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch._types.mapping.FieldType;
import org.opensearch.client.opensearch._types.query_dsl.Operator;
import org.opensearch.client.opensearch._types.query_dsl.Query;
import org.opensearch.client.opensearch.core.SearchRequest;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * {@link SearchBackend} on OpenSearch: one guarded {@code query_string} query plus a {@code timestamp} range filter
 * over all daily indices of the prefix, sorted by the user's keys and then by the provenance fields
 * {@code sourceFile} + {@code sourceRecord} as unique tiebreaker, paged with {@code search_after}.
 *
 * <p>Why not {@code _id}: sorting on {@code _id} loads its field data onto the heap of every data node (deprecated in
 * OpenSearch, uncached heap per index), while the provenance fields are a {@code keyword} and a {@code long} with
 * doc values (on disk, paged in by the OS). They are unique per bucket: the loader writes the object's S3 key and
 * the record's position in it, the same pair the document id is derived from. Documents without them (loaded
 * before they existed) sort last among equal keys ({@code missing: _last}), and an index without their mapping
 * sorts as if every value were missing ({@code unmapped_type}) instead of failing the search.
 *
 * <p>The request is built with opensearch-java's typed model; it is sent through the client's generic API and the
 * answer is read by {@link SearchResponseReader}, which keeps each document as the raw JSON OpenSearch sent. The
 * typed response model (JSON-P, objects per hit, then maps, then JSON again) cost the handler about 0.5 ms per
 * 50-hit page in the benchmark, 10-20 % of a small query on the embedded node.
 */
public final class OpenSearchSearchBackend implements SearchBackend {

    /** Field searched by terms without a field name ({@code q=google.com}). */
    static final String DEFAULT_FIELD = Fields.HOST;
    /** Upper bound on the automaton of a wildcard or regular expression term (OpenSearch's own default). */
    static final int MAX_DETERMINIZED_STATES = 10_000;
    /** Appended to every sort, in this order, ascending: unique per bucket (one deployment = one bucket). */
    static final List<String> TIEBREAKER = List.of(Fields.SOURCE_FILE, Fields.SOURCE_RECORD);

    static final Map<String, String> URL_PARAMETERS = Map.of("ignore_unavailable", "true",
            "allow_no_indices", "true", "allow_partial_search_results", "false");

    private static final FieldValue MISSING_LAST = FieldValue.of("_last");

    private final OpenSearchGenericClient client;
    private final String endpoint;
    private final ObjectMapper json;
    private final SearchResponseReader responseReader;

    public OpenSearchSearchBackend(OpenSearchClient client, String indexPattern, ObjectMapper json) {
        this.client = client == null ? null : client.generic();
        this.endpoint = "/" + indexPattern + "/_search";
        this.json = json;
        this.responseReader = new SearchResponseReader(json.getFactory());
    }

    @Override
    public int tiebreakerValues() {
        return TIEBREAKER.size();
    }

    @Override
    public SearchPage search(BackendQuery q) {
        String body = request(q).toJsonString();
        byte[] answer;
        int status;
        try (Response response = client.execute(Requests.builder().method("POST").endpoint(endpoint)
                .query(URL_PARAMETERS).json(body).build())) {
            status = response.getStatus();
            Optional<Body> content = response.getBody();
            answer = content.isPresent() ? content.get().bodyAsBytes() : new byte[0];
        } catch (IOException | RuntimeException e) {
            throw fromTransport(e, q.timeoutMs());
        }
        if (status >= 300) {
            throw fromStatus(status, errorJson(answer));
        }
        try {
            return responseReader.read(answer);
        } catch (IOException e) {
            throw new SearchBackendException(SearchBackendException.Kind.FAILED,
                    "the search engine returned an answer this API cannot read", e);
        }
    }

    SearchRequest request(BackendQuery q) {
        List<SortOptions> sort = new ArrayList<>(q.sort().size() + TIEBREAKER.size());
        for (SortField s : q.sort()) {
            sort.add(SortOptions.of(o -> o.field(f -> f.field(s.field())
                    .order(s.descending() ? SortOrder.Desc : SortOrder.Asc)
                    .unmappedType(unmappedType(s.field())))));
        }
        for (String field : TIEBREAKER) {
            sort.add(SortOptions.of(o -> o.field(f -> f.field(field).order(SortOrder.Asc)
                    .missing(MISSING_LAST).unmappedType(unmappedType(field)))));
        }
        List<FieldValue> after = new ArrayList<>(q.searchAfter().size());
        for (Object v : q.searchAfter()) {
            after.add(fieldValue(v));
        }
        return SearchRequest.of(r -> {
            r.timeout(q.timeoutMs() + "ms")
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

    /** Maps an error status and the {@code error} object of OpenSearch's answer (may be null). */
    static SearchBackendException fromStatus(int status, JsonNode error) {
        if (status == 429 || status == 502 || status == 503) {
            return new SearchBackendException(SearchBackendException.Kind.UNAVAILABLE,
                    "the search engine is overloaded or unavailable (HTTP " + status + "); try again shortly");
        }
        if (status == 504) {
            return new SearchBackendException(SearchBackendException.Kind.TIMEOUT,
                    "the search engine did not answer in time");
        }
        if (status == 400) {
            return new SearchBackendException(SearchBackendException.Kind.BAD_QUERY, OpenSearchErrors.readable(error));
        }
        return new SearchBackendException(SearchBackendException.Kind.FAILED, "the search engine failed the search"
                + " (HTTP " + status + (error == null ? "" : ": " + OpenSearchErrors.readable(error)) + ")");
    }

    private JsonNode errorJson(byte[] answer) {
        try {
            JsonNode node = json.readTree(answer);
            return node == null || !node.path("error").isObject() ? null : node.path("error");
        } catch (IOException | RuntimeException notJson) {
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

}
