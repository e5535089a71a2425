package dev.netmeta.model;

import java.util.Map;
import java.util.Optional;

/**
 * AWS keys given in a function's environment map — the one rule every function follows, without the SDK (each
 * function turns the result into its SDK credentials provider).
 * <ul>
 *   <li>{@code AWS_ACCESS_KEY_ID} + {@code AWS_SECRET_ACCESS_KEY} + {@code AWS_SESSION_TOKEN}: temporary (session)
 *       credentials — what Lambda sets for the function's role; the token must travel with every request.</li>
 *   <li>the two keys without a token: long-term keys (local runs against s3proxy, MinIO, …).</li>
 *   <li>none of the three: {@link Optional#empty()} — the SDK's default chain (also the container credentials that
 *       Lambda gives a SnapStart function instead of the variables).</li>
 * </ul>
 * Blank values count as absent. Half a key pair, or a token without keys, is a configuration error.
 * {@link #toString()} never shows a key or the token.
 */
public final class EnvCredentials {

    public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";

    private final String accessKeyId;
    private final String secretAccessKey;
    private final String sessionToken;

    private EnvCredentials(String accessKeyId, String secretAccessKey, String sessionToken) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
        this.sessionToken = sessionToken;
    }

    public static Optional<EnvCredentials> from(Map<String, String> env) {
        return from(Env.of(env));
    }

    /** @throws IllegalArgumentException naming the variables when only part of the credentials is set */
    public static Optional<EnvCredentials> from(Env env) {
        String id = env.get(ACCESS_KEY_ID, null);
        String secret = env.get(SECRET_ACCESS_KEY, null);
        String token = env.get(SESSION_TOKEN, null);
        if (id == null && secret == null) {
            if (token != null) {
                throw new IllegalArgumentException(SESSION_TOKEN + " is set without " + ACCESS_KEY_ID + " and "
                        + SECRET_ACCESS_KEY + ": set all three, or none to use the default credentials chain");
            }
            return Optional.empty();
        }
        if (id == null || secret == null) {
            throw new IllegalArgumentException((id == null ? SECRET_ACCESS_KEY : ACCESS_KEY_ID) + " is set without "
                    + (id == null ? ACCESS_KEY_ID : SECRET_ACCESS_KEY)
                    + ": set both, or neither to use the default credentials chain");
        }
        return Optional.of(new EnvCredentials(id, secret, token));
    }

    public String accessKeyId() {
        return accessKeyId;
    }

    public String secretAccessKey() {
        return secretAccessKey;
    }

    /** The session token of temporary credentials, or {@code null} for long-term keys. */
    public String sessionToken() {
        return sessionToken;
    }

    public boolean isSession() {
        return sessionToken != null;
    }

    @Override
    public String toString() {
        return "EnvCredentials[" + (isSession() ? "session" : "long-term") + " keys from the environment]";
    }
}
