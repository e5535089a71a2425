package dev.netmeta.load.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.load.RetentionIndices;
import dev.netmeta.load.RetentionIndices.BusyException;
import dev.netmeta.model.IndexNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

/**
 * The retention's two requests, and no others (RetentionRole grants exactly these, by path):
 * {@code GET /_cat/indices/<prefix>-*?format=json&h=index&expand_wildcards=open,closed} — the names only, of open and
 * closed indices (a closed expired index takes disk too; daily indices are never hidden) — and
 * {@code DELETE /<index>} with one explicit name, never a wildcard, a comma list or an alias.
 */
public final class OpenSearchRetentionIndices implements RetentionIndices {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchGenericClient client;

    public OpenSearchRetentionIndices(OpenSearchGenericClient client) {
        this.client = client;
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        String path = "/_cat/indices/" + IndexNames.requireValidPrefix(prefix) + "-*";
        try (Response response = client.execute(Requests.create("GET", path, List.of(),
                Map.of("format", "json", "h", "index", "expand_wildcards", "open,closed"), null))) {
            String body = response.getBody().map(Body::bodyAsString).orElse("");
            if (response.getStatus() != 200) {
                throw new IOException("GET " + path + ": HTTP " + response.getStatus() + " " + shorten(body));
            }
            List<String> names = new ArrayList<>();
            JsonNode rows = JSON.readTree(body.getBytes(StandardCharsets.UTF_8));
            if (rows == null || !rows.isArray()) {
                throw new IOException("GET " + path + ": not a JSON array: " + shorten(body));
            }
            for (JsonNode row : rows) {
                String name = row.path("index").asText(null);
                if (name != null) {
                    names.add(name);
                }
            }
            return names;
        }
    }

    @Override
    public void delete(String name) throws IOException {
        if (name.isEmpty() || name.indexOf('*') >= 0 || name.indexOf(',') >= 0 || name.startsWith("_")
                || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not one index name: '" + name + "'");
        }
        try (Response response = client.execute(Requests.create("DELETE", "/" + name, List.of(), Map.of(), null))) {
            int status = response.getStatus();
            if (status / 100 != 2 && status != 404) { // 404: gone already (another run, a person): what was wanted
                String body = response.getBody().map(Body::bodyAsString).orElse("");
                if (status == 400 && body.contains("snapshot_in_progress_exception")) {
                    // "Cannot delete indices that are being snapshotted": OpenSearch Service's hourly snapshot
                    throw new BusyException("HTTP " + status + " " + shorten(body));
                }
                throw new IOException("HTTP " + status + " " + shorten(body));
            }
        }
    }

    private static String shorten(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
