package dev.netmeta.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

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
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(16);
            for (int i = 0; i < 8; i++) {
                hex.append(String.format("%02x", digest[i]));
            }
            return "sha256:" + hex;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
