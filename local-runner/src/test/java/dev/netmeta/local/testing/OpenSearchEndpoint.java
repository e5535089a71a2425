package dev.netmeta.local.testing;

import java.net.URI;
import java.util.Map;

/** Where a test finds OpenSearch: {@code http://host:port}, no authentication. */
public record OpenSearchEndpoint(URI uri) {

    /** The environment entries a function reads to reach this OpenSearch (see docs/CONTRACTS.md). */
    public Map<String, String> env() {
        return Map.of("OPENSEARCH_URL", uri.toString(), "OPENSEARCH_AUTH", "none");
    }
}
