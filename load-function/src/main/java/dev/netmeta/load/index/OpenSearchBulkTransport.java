package dev.netmeta.load.index;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;

/**
 * {@code POST /_bulk} with a pre-serialized NDJSON body ({@link OpenSearchHttp}): no typed operation objects per
 * document.
 */
public final class OpenSearchBulkTransport implements BulkTransport {

    private static final String NDJSON = "application/x-ndjson";

    private final OpenSearchHttp http;

    public OpenSearchBulkTransport(OpenSearchGenericClient client) {
        this.http = OpenSearchHttp.of(client);
    }

    @Override
    public BulkReply post(byte[] body, int length) throws IOException {
        byte[] exact = length == body.length ? body : Arrays.copyOf(body, length);
        OpenSearchHttp.Reply reply = http.execute("POST", "/_bulk", Map.of(), exact, NDJSON);
        return new BulkReply(reply.status(), reply.body());
    }
}
