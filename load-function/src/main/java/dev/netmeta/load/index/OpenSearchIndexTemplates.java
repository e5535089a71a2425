package dev.netmeta.load.index;

import dev.netmeta.load.IndexTemplates;
import dev.netmeta.load.RemoteCallFailedException;
import dev.netmeta.model.IndexTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

/**
 * {@code PUT _index_template/<name>} with the shared template, once per container (PUT is idempotent, so two
 * containers doing it at once is fine). A failure is retried by the next file.
 */
public final class OpenSearchIndexTemplates implements IndexTemplates {

    private final OpenSearchGenericClient client;
    private final String prefix;
    private volatile boolean installed;

    public OpenSearchIndexTemplates(OpenSearchGenericClient client, String prefix) {
        this.client = client;
        this.prefix = prefix;
    }

    @Override
    public void ensureInstalled() {
        if (installed) {
            return;
        }
        synchronized (this) {
            if (installed) {
                return;
            }
            String path = "/_index_template/" + IndexTemplate.name(prefix);
            byte[] body = IndexTemplate.json(prefix).getBytes(StandardCharsets.UTF_8);
            try (Response response = client.execute(Requests.create("PUT", path, List.of(), Map.of(),
                    Body.from(body, "application/json")))) {
                if (response.getStatus() / 100 != 2) {
                    String reply = response.getBody().map(Body::bodyAsString).orElse("");
                    throw new RemoteCallFailedException("installing the index template failed: HTTP "
                            + response.getStatus() + " " + reply, null);
                }
            } catch (IOException | RuntimeException e) {
                if (e instanceof RemoteCallFailedException r) {
                    throw r;
                }
                throw new RemoteCallFailedException("installing the index template " + path + " failed: " + e, e);
            }
            installed = true;
        }
    }
}
