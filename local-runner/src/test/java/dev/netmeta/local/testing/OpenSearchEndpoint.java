package dev.netmeta.local.testing;

import java.net.URI;

/** Where a test finds OpenSearch: {@code http://host:port}, no authentication. */
public record OpenSearchEndpoint(URI uri) {
}
