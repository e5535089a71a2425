package dev.netmeta.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP face of the search: routes {@code GET /metadata/search}, turns query parameters into
 * {@link SearchParameters}, runs the {@link SearchService}, writes the body in the requested format and maps every
 * failure to a status and a JSON error. Never lets an exception or a stack trace out.
 */
public final class SearchApi {

    static final String PATH = "/metadata/search";
    static final String NEXT_CURSOR_HEADER = "X-Next-Cursor";

    private final SearchService service;
    private final SearchParametersParser parser;
    private final ObjectMapper json;
    private final String corsAllowOrigin;
    private final RequestLog log;

    SearchApi(SearchService service, ObjectMapper json, int maxQueryLength, String corsAllowOrigin, RequestLog log) {
        this.service = service;
        this.parser = new SearchParametersParser(maxQueryLength);
        this.json = json;
        this.corsAllowOrigin = corsAllowOrigin;
        this.log = log;
    }

    public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent event) {
        long started = System.nanoTime();
        RequestLog.Entry entry = new RequestLog.Entry();
        entry.method = event.getHttpMethod();
        entry.path = event.getPath();
        APIGatewayProxyRequestEvent.ProxyRequestContext context = event.getRequestContext();
        if (context != null) {
            entry.requestId = context.getRequestId();
            if (context.getIdentity() != null) {
                entry.apiKeyId = ApiKeys.fingerprint(context.getIdentity().getApiKey());
            }
        }
        APIGatewayProxyResponseEvent response;
        try {
            response = route(event, entry);
        } catch (HitTooLargeException e) {
            response = error(e.status(), e.code(), e.getMessage(), entry);
            response.getHeaders().put(NEXT_CURSOR_HEADER, e.nextCursor());
        } catch (ApiException e) {
            response = error(e.status(), e.code(), e.getMessage(), entry);
        } catch (SearchBackendException e) {
            // the engine's own reason (an HTTP status, a parse error) when there is no lower-level cause
            entry.detail = e.getCause() != null ? describe(e.getCause()) : e.detail() != null ? e.detail() : e.getMessage();
            response = backendError(e, entry);
        } catch (RuntimeException e) {
            entry.detail = describe(e);
            response = error(500, "internal_error", "the search failed unexpectedly"
                    + (entry.requestId == null ? "" : "; quote request id " + entry.requestId + " when you report it"),
                    entry);
        }
        entry.status = response.getStatusCode();
        if (entry.query == null && entry.status >= 400) {
            requested(event, entry); // refused before q was read: the log still shows what the user sent
        }
        entry.durationMs = (System.nanoTime() - started) / 1_000_000;
        log.write(entry);
        return response;
    }

    private APIGatewayProxyResponseEvent route(APIGatewayProxyRequestEvent event, RequestLog.Entry entry) {
        if (!isSearchPath(event.getPath())) {
            throw new ApiException(404, "not_found", "no such resource; the API answers GET " + PATH);
        }
        String method = event.getHttpMethod() == null ? "" : event.getHttpMethod();
        if (method.equals("OPTIONS")) {
            return respond(204, null, "", null);
        }
        if (!method.equals("GET")) {
            APIGatewayProxyResponseEvent r = error(405, "method_not_allowed",
                    "method " + method + " is not allowed; use GET", entry);
            r.getHeaders().put("Allow", "GET, OPTIONS");
            return r;
        }
        SearchParameters params;
        try {
            params = parser.parse(parameters(event));
        } catch (SearchParametersParser.InvalidFieldName e) {
            throw service.withSuggestion(e); // "Flow Duration": the column is Flow_Duration (in sort or fields)
        }
        entry.query = params.query();
        entry.format = params.format().name().toLowerCase(Locale.ROOT);
        ResultWriter writer = ResultWriter.of(params.format(), json, params.fields());
        SearchResult result;
        try {
            result = service.search(params, writer);
        } catch (SearchBackendException e) {
            SearchBackendException mixed = service.withMixedTypes(e, params);
            throw withSentQuery(FieldPatterns.explain(mixed != e ? mixed : service.withValueField(e, params),
                    params.query()),
                    parameters(event).get("q"), params.query(), params.queryRewrites());
        }
        entry.hits = result.hits().size();
        entry.tookMs = result.tookMs();
        String body = writer.finish(result);
        return respond(200, params.format(), body, result.next());
    }

    /**
     * The request's {@code q} (stripped, as a success logs it) and its format, when valid, into the log entry of a
     * request refused before they were read (a q the guard refused, a bad {@code from}, an unknown parameter), so
     * that an operator sees what users get wrong; a q given twice logs the first. Error path only.
     */
    private static void requested(APIGatewayProxyRequestEvent event, RequestLog.Entry entry) {
        Map<String, List<String>> parameters = parameters(event);
        List<String> q = parameters.get("q");
        if (q != null && !q.isEmpty() && q.get(0) != null) {
            entry.query = q.get(0).strip();
        }
        List<String> format = parameters.get("format");
        String f = format == null || format.isEmpty() || format.get(0) == null ? "" : format.get(0);
        try {
            entry.format = (f.isBlank() ? OutputFormat.JSON : OutputFormat.parse(f)).name().toLowerCase(Locale.ROOT);
        } catch (ApiException unknownFormat) {
            // no format to log: the request's own mistake, which the error names
        }
    }

    /**
     * A query the engine refused whose text the API changed before sending it ({@code rewrites}: CIDR blocks on IP
     * fields quoted, a term {@code *} alone sent as {@code *:*}): the engine's message quotes the sent text and counts
     * its columns in it, so the message says what was sent, and names the rewrites that happened — else the user
     * reads quotes they never typed. A message whose quote of a long sent query was cut
     * ({@link OpenSearchErrors#shortened}: 1,030 words sent with OR between them, refused for the clause limit) gets
     * the note too, with the sent query cut the same way — else it showed an OR and a length the user never typed.
     */
    static SearchBackendException withSentQuery(SearchBackendException e, List<String> q, String sent,
                                                List<String> rewrites) {
        String typed = q == null || q.isEmpty() || q.get(0) == null ? null : q.get(0).strip();
        if (e.kind() != SearchBackendException.Kind.BAD_QUERY || sent == null || typed == null || rewrites.isEmpty()
                || sent.equals(typed) || e.getMessage() == null) {
            return e;
        }
        String quoted = e.getMessage().contains(sent) ? sent
                : e.getMessage().contains(OpenSearchErrors.shortened(sent)) ? OpenSearchErrors.shortened(sent) : null;
        if (quoted == null) {
            return e; // a message that does not quote the sent query (a sort key, a value's type)
        }
        return new SearchBackendException(e.kind(), e.getMessage() + " (q was sent as " + quoted + ": the API "
                + String.join(" and ", rewrites) + ", and the positions above count those characters)", e.detail(),
                e.getCause());
    }

    static boolean isSearchPath(String path) {
        if (path == null) {
            return false;
        }
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.equals(PATH) || p.endsWith(PATH);
    }

    /** Query parameters with all their values; API Gateway fills both maps, the multi-value one is complete. */
    static Map<String, List<String>> parameters(APIGatewayProxyRequestEvent event) {
        Map<String, List<String>> multi = event.getMultiValueQueryStringParameters();
        if (multi != null && !multi.isEmpty()) {
            return multi;
        }
        Map<String, String> single = event.getQueryStringParameters();
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (single != null) {
            single.forEach((k, v) -> out.put(k, v == null ? List.of() : List.of(v)));
        }
        return out;
    }

    private APIGatewayProxyResponseEvent backendError(SearchBackendException e, RequestLog.Entry entry) {
        switch (e.kind()) {
            case BAD_QUERY:
                return error(400, "bad_query", e.getMessage(), entry);
            case UNAVAILABLE:
                APIGatewayProxyResponseEvent r = error(503, "search_unavailable", e.getMessage(), entry);
                r.getHeaders().put("Retry-After", "1");
                return r;
            case TIMEOUT:
                return error(504, "search_timeout", e.getMessage(), entry);
            default:
                return error(502, "search_failed", e.getMessage(), entry);
        }
    }

    private APIGatewayProxyResponseEvent error(int status, String code, String message, RequestLog.Entry entry) {
        entry.error = code;
        ObjectNode body = json.createObjectNode();
        body.put("error", code);
        body.put("message", message);
        if (entry.requestId != null) {
            body.put("requestId", entry.requestId);
        }
        return respond(status, OutputFormat.JSON, body.toString(), null);
    }

    private APIGatewayProxyResponseEvent respond(int status, OutputFormat format, String body, String next) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (format != null) {
            headers.put("Content-Type", format.contentType());
        }
        if (format == OutputFormat.CSV) {
            headers.put("Content-Disposition", "attachment; filename=\"metadata.csv\"");
        }
        if (next != null) {
            headers.put(NEXT_CURSOR_HEADER, next);
        }
        headers.put("Cache-Control", "no-store");
        // bodies repeat what the caller sent (errors) or hold attacker-controlled network metadata (hits, exports)
        headers.put("X-Content-Type-Options", "nosniff");
        if (corsAllowOrigin != null) {
            headers.put("Access-Control-Allow-Origin", corsAllowOrigin);
            headers.put("Access-Control-Expose-Headers", NEXT_CURSOR_HEADER);
            if (status == 204) {
                headers.put("Access-Control-Allow-Methods", "GET, OPTIONS");
                headers.put("Access-Control-Allow-Headers", "Content-Type, X-Api-Key, Authorization");
                headers.put("Access-Control-Max-Age", "600");
            }
            if (!corsAllowOrigin.equals("*")) {
                headers.put("Vary", "Origin");
            }
        }
        return new APIGatewayProxyResponseEvent().withStatusCode(status).withHeaders(headers).withBody(body)
                .withIsBase64Encoded(false);
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return null;
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return t.getClass().getName() + (root != t ? " caused by " + root.getClass().getName() + ": "
                + root.getMessage() : ": " + t.getMessage());
    }
}
