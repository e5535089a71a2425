package dev.netmeta.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/**
 * One JSON line per request on stdout: request id, API key fingerprint (never the key), method, path, status, error code,
 * hit count, durations and the query (truncated).
 */
final class RequestLog {

    private static final int MAX_QUERY_CHARS = 300;

    private final ObjectMapper json;
    private final PrintStream out;

    RequestLog(ObjectMapper json, PrintStream out) {
        this.json = json;
        this.out = out;
    }

    /** One request's summary; fields not known stay out of the line. */
    static final class Entry {
        String requestId;
        String apiKeyId; // fingerprint, see ApiKeys
        String method;
        String path;
        String query;
        String format;
        int status;
        String error;
        String detail;
        Integer hits;
        Long tookMs;
        long durationMs;
    }

    void write(Entry e) {
        ObjectNode line = json.createObjectNode();
        line.put("msg", "api.request");
        line.put("requestId", e.requestId);
        if (e.apiKeyId != null) {
            line.put("apiKeyFingerprint", e.apiKeyId);
        }
        line.put("method", e.method);
        line.put("path", e.path);
        if (e.query != null) {
            line.put("q", e.query.length() > MAX_QUERY_CHARS ? e.query.substring(0, MAX_QUERY_CHARS) + "..." : e.query);
        }
        if (e.format != null) {
            line.put("format", e.format);
        }
        line.put("status", e.status);
        if (e.error != null) {
            line.put("error", e.error);
        }
        if (e.detail != null) {
            line.put("detail", e.detail);
        }
        if (e.hits != null) {
            line.put("hits", e.hits);
        }
        if (e.tookMs != null) {
            line.put("tookMs", e.tookMs);
        }
        line.put("durationMs", e.durationMs);
        out.println(line.toString());
    }
}
