package dev.netmeta.load.index;

import dev.netmeta.model.Env;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * The opensearch-java transport from {@code OPENSEARCH_URL} and {@code OPENSEARCH_AUTH}: {@code none} or
 * {@code basic} ({@code OPENSEARCH_USERNAME}/{@code OPENSEARCH_PASSWORD}) over Apache HttpClient 5; {@code sigv4}
 * over {@code AwsSdk2Transport} with the url-connection client, service {@code OPENSEARCH_SIGV4_SERVICE}
 * ({@code es} or {@code aoss}) and the function's own credentials.
 */
public final class OpenSearchConnection {

    private OpenSearchConnection() {
    }

    /**
     * Connect and response timeout of every OpenSearch request: a quarter of the time margin (at least 1 s), so a
     * request started before the bulk session's last-attempt point (half the margin) ends before it gives up.
     */
    public static Duration requestTimeout(long timeMarginMillis) {
        return Duration.ofMillis(Math.max(1_000, timeMarginMillis / 4));
    }

    /** The transport with the default timeouts (tools and benchmarks). */
    public static OpenSearchTransport transport(Env env, SdkHttpClient awsHttp, Region region,
                                                AwsCredentialsProvider credentials) {
        return transport(env, awsHttp, region, credentials, Duration.ofSeconds(30));
    }

    /**
     * @param awsHttp the HTTP client for SigV4 (its own timeouts apply)
     * @param timeout connect/response timeout of the Apache client (none/basic auth)
     */
    public static OpenSearchTransport transport(Env env, SdkHttpClient awsHttp, Region region,
                                                AwsCredentialsProvider credentials, Duration timeout) {
        URI url = url(env.require("OPENSEARCH_URL"));
        String auth = env.get("OPENSEARCH_AUTH", "none").toLowerCase();
        return switch (auth) {
            case "none" -> apache(url, null, null, timeout);
            case "basic" -> apache(url, env.require("OPENSEARCH_USERNAME"), env.require("OPENSEARCH_PASSWORD"),
                    timeout);
            case "sigv4" -> {
                String service = env.get("OPENSEARCH_SIGV4_SERVICE", "es");
                if (!service.equals("es") && !service.equals("aoss")) {
                    throw new IllegalArgumentException("OPENSEARCH_SIGV4_SERVICE must be es or aoss, got '" + service + "'");
                }
                // AwsSdk2Transport always speaks https to the host's root: another scheme or a path is refused
                String host = dev.netmeta.model.Sigv4Endpoint.host(url);
                yield new AwsSdk2Transport(awsHttp, host, service, region,
                        AwsSdk2TransportOptions.builder().setCredentials(credentials)
                                .setMapper(new JacksonJsonpMapper()).build());
            }
            default -> throw new IllegalArgumentException("OPENSEARCH_AUTH must be none, basic or sigv4, got '" + auth + "'");
        };
    }

    public static OpenSearchGenericClient generic(OpenSearchTransport transport) {
        return new OpenSearchGenericClient(transport);
    }

    private static URI url(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getHost() == null || uri.getScheme() == null) {
                throw new URISyntaxException(value, "needs a scheme and a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("OPENSEARCH_URL is not a valid URL: " + e.getMessage());
        }
    }

    private static OpenSearchTransport apache(URI url, String user, String password, Duration timeout) {
        HttpHost host = new HttpHost(url.getScheme(), url.getHost(), url.getPort() > 0 ? url.getPort()
                : "https".equals(url.getScheme()) ? 443 : 80);
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(new JacksonJsonpMapper())
                .setConnectionConfigCallback(c -> c
                        .setConnectTimeout(Timeout.of(Math.min(timeout.toMillis(), 10_000), TimeUnit.MILLISECONDS))
                        .setSocketTimeout(Timeout.of(timeout)))
                .setRequestConfigCallback(r -> r.setResponseTimeout(Timeout.of(timeout)));
        if (url.getPath() != null && url.getPath().length() > 1) {
            builder.setPathPrefix(url.getPath());
        }
        if (user != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(host), new UsernamePasswordCredentials(user, password.toCharArray()));
            builder.setHttpClientConfigCallback(b -> b.setDefaultCredentialsProvider(credentials));
        }
        return builder.build();
    }
}
