package dev.netmeta.load.index;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

/**
 * One HTTP exchange with OpenSearch with a pre-serialized body, through opensearch-java's generic client (every
 * transport: Apache HttpClient 5 for none/basic auth, {@code AwsSdk2Transport} for SigV4); a script in unit tests.
 */
@FunctionalInterface
public interface OpenSearchHttp {

    Reply execute(String method, String path, Map<String, String> parameters, byte[] body, String contentType)
            throws IOException;

    /** Status and body of an answer. */
    record Reply(int status, byte[] body) {
    }

    static OpenSearchHttp of(OpenSearchGenericClient client) {
        return (method, path, parameters, body, contentType) -> {
            try (Response response = client.execute(Requests.create(method, path, List.of(), parameters,
                    Body.from(body, contentType)))) {
                return new Reply(response.getStatus(), response.getBody().map(Body::bodyAsBytes).orElse(new byte[0]));
            }
        };
    }
}
