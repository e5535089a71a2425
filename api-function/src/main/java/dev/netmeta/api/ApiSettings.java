package dev.netmeta.api;

import dev.netmeta.model.AwsRegion;
import dev.netmeta.model.Env;
import dev.netmeta.model.EnvCredentials;
import dev.netmeta.model.IndexNames;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * The api function's configuration, read once from the environment; bad values fail init with the variable's name.
 * {@code credentials} are the AWS keys of the environment map for {@code sigv4} ({@code null}: the default chain).
 */
record ApiSettings(URI openSearchUrl, String auth, String username, String password, String sigv4Service,
                   String region, String indexAlias, String corsAllowOrigin, long searchTimeoutMs,
                   int maxQueryLength, EnvCredentials credentials) {

    static final long DEFAULT_SEARCH_TIMEOUT_MS = 10_000;
    /**
     * The most a request may wait for OpenSearch, so that its worst case still fits the function's 28 s (API Gateway
     * stops waiting at 29 s): a request sends at most two OpenSearch requests one after the other that can each wait
     * up to this + {@link OpenSearchClients#SOCKET_MARGIN_MS} at the socket (the {@code _field_caps} lookup of a field
     * outside the data contract, then the search; or an export's pages, of which the last starts before half of this
     * has passed) — 2 × (11 + 2) = 26 s, and 2 s to answer. At 25 s (the earlier maximum) the worst case was 54 s:
     * Lambda's timeout, and API Gateway's bare error instead of the api's own 504.
     */
    static final long MAX_SEARCH_TIMEOUT_MS = 11_000;
    static final int DEFAULT_MAX_QUERY_LENGTH = 4096;

    static ApiSettings from(Map<String, String> variables) {
        Env env = Env.of(variables);
        String url = env.require("OPENSEARCH_URL");
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("OPENSEARCH_URL is not a valid URL");
        }
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("OPENSEARCH_URL must be an http:// or https:// URL with a host");
        }
        String auth = env.get("OPENSEARCH_AUTH", "none").toLowerCase(Locale.ROOT);
        if (!auth.equals("none") && !auth.equals("basic") && !auth.equals("sigv4")) {
            throw new IllegalArgumentException("OPENSEARCH_AUTH must be none, basic or sigv4, not '" + auth + "'");
        }
        String username = env.get("OPENSEARCH_USERNAME", null);
        String password = variables.get("OPENSEARCH_PASSWORD"); // as given: a password may start or end with a space
        if (auth.equals("basic") && (username == null || password == null)) {
            throw new IllegalArgumentException("OPENSEARCH_AUTH=basic needs OPENSEARCH_USERNAME and OPENSEARCH_PASSWORD");
        }
        String service = env.get("OPENSEARCH_SIGV4_SERVICE", "es").toLowerCase(Locale.ROOT);
        if (!service.equals("es") && !service.equals("aoss")) {
            throw new IllegalArgumentException("OPENSEARCH_SIGV4_SERVICE must be es or aoss, not '" + service + "'");
        }
        String prefix = IndexNames.prefix(env);
        long timeout = number(env, "SEARCH_TIMEOUT_MS", DEFAULT_SEARCH_TIMEOUT_MS, 100, MAX_SEARCH_TIMEOUT_MS);
        int maxQuery = (int) number(env, "MAX_QUERY_LENGTH", DEFAULT_MAX_QUERY_LENGTH, 1, 100_000);
        return new ApiSettings(uri, auth, username, password, service, AwsRegion.of(env),
                IndexNames.alias(prefix), env.get("CORS_ALLOW_ORIGIN", null), timeout, maxQuery,
                auth.equals("sigv4") ? EnvCredentials.from(env).orElse(null) : null);
    }

    private static long number(Env env, String name, long fallback, long min, long max) {
        long n = env.getLong(name, fallback);
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + n);
        }
        return n;
    }

    @Override
    public String toString() {
        return "ApiSettings[openSearchUrl=" + openSearchUrl.getScheme() + "://" + openSearchUrl.getHost()
                + ", auth=" + auth + ", indexAlias=" + indexAlias + ", searchTimeoutMs=" + searchTimeoutMs + "]";
    }
}
