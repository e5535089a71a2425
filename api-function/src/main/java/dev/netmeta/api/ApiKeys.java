package dev.netmeta.api;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Names the caller's API key in logs without revealing it. The proxy event carries the key itself in
 * {@code requestContext.identity.apiKey}; the event class of aws-lambda-java-events has no {@code apiKeyId}.
 * A short SHA-256 fingerprint tells callers apart and can be matched against a known key offline, but cannot
 * be turned back into the key.
 */
final class ApiKeys {

    private ApiKeys() {
    }

    static String fingerprint(String apiKey) {
        if (apiKey == null || apiKey.isEmpty()) {
            return null;
        }
        // on every request that carries a key: the per-thread digest, not a provider lookup and String.format
        byte[] digest = CursorCodec.sha256(apiKey.getBytes(StandardCharsets.UTF_8));
        return "sha256:" + HexFormat.of().formatHex(digest, 0, 8);
    }
}
