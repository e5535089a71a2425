package dev.netmeta.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One JSON line per retention run on stdout, as the load and the sync print theirs: {@code "retention off"},
 * {@code "retention done"}, or {@code "level":"ERROR"} with {@code "retention failed"} (a deletion or the listing
 * failed: the invocation fails too) — and the summary's fields.
 */
public final class RetentionLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> FIELDS = new TypeReference<>() {
    };

    private final PrintStream out;

    public RetentionLog(PrintStream out) {
        this.out = out;
    }

    void off(RetentionSummary summary) {
        print("retention off", null, summary, null);
    }

    void done(RetentionSummary summary) {
        print("retention done", null, summary, null);
    }

    void failed(RetentionSummary summary, String error) {
        print("retention failed", "ERROR", summary, error);
    }

    private void print(String message, String level, RetentionSummary summary, String error) {
        Map<String, Object> line = new LinkedHashMap<>();
        if (level != null) {
            line.put("level", level);
        }
        line.put("message", message);
        if (error != null) {
            line.put("error", error);
        }
        JSON.convertValue(summary, FIELDS).forEach(line::putIfAbsent);
        try {
            out.println(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            out.println("{\"message\":\"retention log failed\"}");
        }
    }
}
