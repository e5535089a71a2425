package dev.netmeta.local.testing;

import java.net.URI;
import java.util.Map;

/** Where a test finds the S3-compatible server (path-style) and the static credentials it accepts. */
public record S3Endpoint(URI uri, String accessKey, String secretKey, String region) {

    /** The environment entries a function reads to reach this server (see docs/CONTRACTS.md). */
    public Map<String, String> env() {
        return Map.of(
                "AWS_ENDPOINT_URL_S3", uri.toString(),
                "AWS_ACCESS_KEY_ID", accessKey,
                "AWS_SECRET_ACCESS_KEY", secretKey,
                "AWS_REGION", region);
    }

    @Override
    public String toString() {
        return "S3Endpoint[uri=" + uri + ", accessKey=" + accessKey + ", secretKey=***, region=" + region + "]";
    }
}
