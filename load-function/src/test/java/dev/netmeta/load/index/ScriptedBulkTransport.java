package dev.netmeta.load.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * A stand-in for the {@code _bulk} endpoint in unit tests: parses each NDJSON body, keeps the accepted documents
 * by id (like an index would) and answers each item with the status the test's script picks.
 */
public final class ScriptedBulkTransport implements BulkTransport {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final Map<String, JsonNode> stored = new ConcurrentHashMap<>();
    /** The daily indices the documents were sent to. */
    public final java.util.Set<String> indices = ConcurrentHashMap.newKeySet();
    final List<Integer> requestSizes = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> requestBytes = Collections.synchronizedList(new ArrayList<>());
    private final ToIntFunction<String> itemStatus;

    /** @param itemStatus status for an item id on this delivery (called once per item per request) */
    public ScriptedBulkTransport(ToIntFunction<String> itemStatus) {
        this.itemStatus = itemStatus;
    }

    @Override
    public BulkReply post(byte[] body, int length) throws IOException {
        String[] lines = new String(body, 0, length, StandardCharsets.UTF_8).split("\n");
        requestSizes.add(lines.length / 2);
        requestBytes.add(length);
        StringBuilder reply = new StringBuilder("{\"took\":1,\"errors\":");
        StringBuilder items = new StringBuilder();
        boolean errors = false;
        for (int i = 0; i + 1 < lines.length; i += 2) {
            JsonNode action = JSON.readTree(lines[i]).get("index");
            String id = action.get("_id").asText();
            indices.add(action.get("_index").asText());
            int status = itemStatus.applyAsInt(id);
            if (i > 0) {
                items.append(',');
            }
            items.append("{\"index\":{\"_index\":\"").append(action.get("_index").asText())
                    .append("\",\"_id\":\"").append(id).append("\",\"status\":").append(status);
            if (status / 100 == 2) {
                stored.put(id, JSON.readTree(lines[i + 1]));
            } else {
                errors = true;
                items.append(",\"error\":{\"type\":\"").append(status == 400 ? "mapper_parsing_exception"
                        : "es_rejected_execution_exception").append("\",\"reason\":\"scripted ").append(status)
                        .append("\"}");
            }
            items.append("}}");
        }
        reply.append(errors).append(",\"items\":[").append(items).append("]}");
        return new BulkReply(200, reply.toString().getBytes(StandardCharsets.UTF_8));
    }
}
