package dev.netmeta.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.model.Fields;
import dev.netmeta.model.IndexNames;
import dev.netmeta.model.IndexTemplate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts canonical documents into daily indices of a test's own prefix, the way the load function does: index
 * template from shared-model, {@code <prefix>-yyyy.MM.dd} by UTC timestamp, explicit ids, the provenance fields
 * {@code sourceFile}/{@code sourceRecord} (one fixture file, records numbered in the order given, unless a document
 * brings its own), bulk, refresh.
 */
final class SearchIndexFixture {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final URI openSearch;
    final String prefix;

    private long records;
    private boolean templateInstalled;

    SearchIndexFixture(URI openSearch, String prefix) throws IOException, InterruptedException {
        this(openSearch, prefix, true);
    }

    private SearchIndexFixture(URI openSearch, String prefix, boolean template) throws IOException, InterruptedException {
        this.openSearch = openSearch;
        this.prefix = prefix;
        if (template) {
            installTemplate();
        }
    }

    /**
     * Without the index template: indices created from here on get OpenSearch's dynamic mapping only, and the alias
     * {@code <prefix>} the api searches (every version of the template gave it) until {@link #installTemplate}.
     */
    static SearchIndexFixture withoutTemplate(URI openSearch, String prefix) throws IOException, InterruptedException {
        return new SearchIndexFixture(openSearch, prefix, false);
    }

    void installTemplate() throws IOException, InterruptedException {
        send("PUT", "/_index_template/" + IndexTemplate.name(prefix), IndexTemplate.json(prefix), "application/json");
        templateInstalled = true;
    }

    /** The file name the fixture's documents come from unless they say otherwise. */
    String sourceFile() {
        return "fixture/" + prefix + ".csv";
    }

    /**
     * Bulk-indexes documents (each must have an epoch-millis {@code timestamp}) under the given ids with their
     * provenance, then refreshes.
     */
    void index(Map<String, Map<String, Object>> docsById) throws IOException, InterruptedException {
        index(docsById, true);
    }

    /** As a loader from before the provenance fields: documents without {@code sourceFile}/{@code sourceRecord}. */
    void indexWithoutProvenance(Map<String, Map<String, Object>> docsById) throws IOException, InterruptedException {
        index(docsById, false);
    }

    private void index(Map<String, Map<String, Object>> docsById, boolean provenance)
            throws IOException, InterruptedException {
        StringBuilder bulk = new StringBuilder();
        int n = 0;
        for (Map.Entry<String, Map<String, Object>> e : docsById.entrySet()) {
            Map<String, Object> doc = new LinkedHashMap<>(e.getValue());
            if (provenance) {
                doc.putIfAbsent(Fields.SOURCE_FILE, sourceFile());
                doc.putIfAbsent(Fields.SOURCE_RECORD, records++);
            }
            long ts = ((Number) doc.get("timestamp")).longValue();
            String index = prefix + "-" + DAY.format(Instant.ofEpochMilli(ts));
            bulk.append(json.writeValueAsString(Map.of("index", Map.of("_index", index, "_id", e.getKey()))))
                    .append('\n').append(json.writeValueAsString(doc)).append('\n');
            if (++n % 5000 == 0) {
                flush(bulk);
            }
        }
        flush(bulk);
        if (!templateInstalled) {
            send("POST", "/_aliases", json.writeValueAsString(Map.of("actions", List.of(Map.of("add",
                    Map.of("index", prefix + "-*", "alias", IndexNames.alias(prefix)))))), "application/json");
        }
        send("POST", "/" + prefix + "-*/_refresh", "", "application/json");
    }

    private void flush(StringBuilder bulk) throws IOException, InterruptedException {
        if (bulk.length() == 0) {
            return;
        }
        JsonNode r = json.readTree(send("POST", "/_bulk", bulk.toString(), "application/x-ndjson"));
        if (r.path("errors").asBoolean()) {
            throw new IllegalStateException("bulk failed: " + r.toString().substring(0, 1000));
        }
        bulk.setLength(0);
    }

    String send(String method, String path, String body, String contentType) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(openSearch.resolve(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    static Map<String, Object> doc(String timestamp, String srcIp, String dstIp, int dstPort, String host) {
        return Map.of("timestamp", Instant.parse(timestamp).toEpochMilli(), "srcIp", srcIp, "dstIp", dstIp,
                "srcPort", 50000, "dstPort", dstPort, "proto", "tcp", "host", host, "bytesOut", 100L, "bytesIn", 2000L);
    }

    static List<String> ids(JsonNode body) {
        List<String> ids = new java.util.ArrayList<>();
        body.path("hits").forEach(h -> ids.add(h.path("id").asText()));
        return ids;
    }
}
