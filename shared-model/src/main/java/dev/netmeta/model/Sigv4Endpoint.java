package dev.netmeta.model;

import java.net.URI;

/**
 * The {@code host[:port]} that opensearch-java's {@code AwsSdk2Transport} takes for SigV4 requests. That transport
 * always speaks HTTPS to the host's root: an {@code OPENSEARCH_URL} with another scheme or with a path would be
 * searched at another URL than the one configured, so such a URL is refused at start instead. (AWS domain and
 * collection endpoints are {@code https://host} without a path.)
 */
public final class Sigv4Endpoint {

    private Sigv4Endpoint() {
    }

    public static String host(URI url) {
        String path = url.getRawPath();
        if (!"https".equalsIgnoreCase(url.getScheme()) || (path != null && !path.isEmpty() && !path.equals("/"))
                || url.getRawQuery() != null) {
            throw new IllegalArgumentException("OPENSEARCH_URL must be https://host[:port] without a path when "
                    + "OPENSEARCH_AUTH=sigv4 (an AWS domain or collection endpoint), got '" + url + "'");
        }
        return url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost();
    }
}
