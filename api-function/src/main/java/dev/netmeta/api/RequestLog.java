package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

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
        // the streaming generator, not a tree: one line per request, on every request's path
        ByteArrayOutputStream text = new ByteArrayOutputStream(256);
        try (JsonGenerator line = json.getFactory().createGenerator(text)) { // UTF-8 bytes: no charset encoder
            line.writeStartObject();
            line.writeStringField("msg", "api.request");
            line.writeStringField("requestId", e.requestId);
            if (e.apiKeyId != null) {
                line.writeStringField("apiKeyFingerprint", e.apiKeyId);
            }
            line.writeStringField("method", e.method);
            line.writeStringField("path", e.path);
            if (e.query != null) {
                line.writeStringField("q", e.query.length() > MAX_QUERY_CHARS
                        ? e.query.substring(0, MAX_QUERY_CHARS) + "..." : e.query);
            }
            if (e.format != null) {
                line.writeStringField("format", e.format);
            }
            line.writeNumberField("status", e.status);
            if (e.error != null) {
                line.writeStringField("error", e.error);
            }
            if (e.detail != null) {
                line.writeStringField("detail", e.detail);
            }
            if (e.hits != null) {
                line.writeNumberField("hits", e.hits);
            }
            if (e.tookMs != null) {
                line.writeNumberField("tookMs", e.tookMs);
            }
            line.writeNumberField("durationMs", e.durationMs);
            line.writeEndObject();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
        text.write('\n');
        out.write(text.toByteArray(), 0, text.size()); // the line and its end in one write
        out.flush();
    }
}
