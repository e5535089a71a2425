package dev.netmeta.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** One JSON object per line on stdout (CloudWatch keeps it as a structured entry). Messages are redacted. */
public final class JsonLog {

    private static final ObjectMapper JSON = new ObjectMapper();

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
        line.put("message", redactor.redact(message));
        line.putAll(fields);
        write(line);
    }

    private void write(Map<String, Object> line) {
        try {
            out.println(redactor.redact(JSON.writeValueAsString(line)));
        } catch (JsonProcessingException e) {
            out.println("{\"level\":\"ERROR\",\"message\":\"cannot write log line\"}");
        }
    }
}
