package dev.netmeta.load.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

/**
 * {@code POST /_bulk} with a pre-serialized NDJSON body through opensearch-java's generic client: works over every
 * transport (Apache HttpClient 5 for none/basic auth, {@code AwsSdk2Transport} for SigV4) and avoids building typed
 * operation objects per document.
 */
public final class OpenSearchBulkTransport implements BulkTransport {

    private static final String NDJSON = "application/x-ndjson";

    private final OpenSearchGenericClient client;

    public OpenSearchBulkTransport(OpenSearchGenericClient client) {
        this.client = client;
    }

    @Override
    public BulkReply post(byte[] body, int length) throws IOException {
        byte[] exact = length == body.length ? body : Arrays.copyOf(body, length);
        try (Response response = client.execute(Requests.create("POST", "/_bulk", List.of(), Map.of(),
                Body.from(exact, NDJSON)))) {
            byte[] reply = response.getBody().map(Body::bodyAsBytes).orElse(new byte[0]);
            return new BulkReply(response.getStatus(), reply);
        }
    }
}
