package dev.netmeta.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON object per line on stdout (CloudWatch keeps it as a structured entry). Messages are redacted.
 *
 * <p>Written with Jackson's streaming generator, not data binding: a scheduled run logs once or twice, and data
 * binding in the run's cold JVM (an {@code ObjectMapper}, then reflection over {@link SyncSummary}) loaded a few
 * hundred classes per run, about 70 of them inside the handler call (sync benchmark, class-loading log).
 */
public final class JsonLog {

    private static final JsonFactory JSON = new JsonFactory();

    private final PrintStream out;
    private final Redactor redactor;

    public JsonLog(PrintStream out, Redactor redactor) {
        this.out = out;
        this.redactor = redactor;
    }

    public void summary(SyncSummary summary) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", summary.getFailed() > 0 ? "WARN" : "INFO");
        line.put("message", "sync summary");
        line.put("summary", summary);
        write(line);
    }

    public void event(String level, String message, Map<String, Object> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("level", level);
        line.put("message", message);
        line.putAll(fields);
        write(line);
    }

    private void write(Map<String, Object> line) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            writeValue(g, line);
        } catch (IOException | RuntimeException e) {
            out.println("{\"level\":\"ERROR\",\"message\":\"cannot write log line\"}");
            return;
        }
        out.println(text);
    }

    /**
     * Maps, collections, numbers, booleans, the summary and null as JSON; anything else as its string. Every string
     * is redacted before it is written: once JSON-escaped, a password with a quote or backslash would no longer match.
     */
    private void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof SyncSummary) {
            // before Map, which it is too: the log line names at most LOGGED_FAILURES of its failures
            ((SyncSummary) v).writeJson(g, redactor::redact);
        } else if (v instanceof Map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                g.writeFieldName(redactor.redact(String.valueOf(e.getKey())));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Collection) {
            g.writeStartArray();
            for (Object element : (Collection<?>) v) {
                writeValue(g, element);
            }
            g.writeEndArray();
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else {
            g.writeString(redactor.redact(v.toString()));
        }
    }
}
