package dev.netmeta.api;

import dev.netmeta.model.EnvCredentials;
import java.net.URI;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.OpenSearchTransport;
import org.opensearch.client.transport.aws.AwsSdk2Transport;
import org.opensearch.client.transport.aws.AwsSdk2TransportOptions;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Builds the one OpenSearch client of a container: Apache HttpClient 5 for {@code none}/{@code basic}, the AWS
 * SDK's url-connection client with SigV4 signing for {@code sigv4} ({@code es} or {@code aoss}).
 */
final class OpenSearchClients {

    /** Extra time the socket waits beyond the engine's own search timeout, so the engine's answer wins. */
    static final long SOCKET_MARGIN_MS = 2_000;
    static final long CONNECT_TIMEOUT_MS = 3_000;

    /** The client and a hook that drops pooled connections (used after a SnapStart restore). */
    record Built(OpenSearchClient client, Runnable closeIdleConnections) {
    }

    private OpenSearchClients() {
    }

    static Built create(ApiSettings settings, JacksonJsonpMapper mapper) {
        return settings.auth().equals("sigv4") ? sigv4(settings, mapper) : apache(settings, mapper);
    }

    private static Built apache(ApiSettings settings, JacksonJsonpMapper mapper) {
        URI url = settings.openSearchUrl();
        HttpHost host = new HttpHost(url.getScheme(), url.getHost(), port(url));
        Timeout socketTimeout = Timeout.ofMilliseconds(settings.searchTimeoutMs() + SOCKET_MARGIN_MS);
        PoolingAsyncClientConnectionManager connections = PoolingAsyncClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(CONNECT_TIMEOUT_MS))
                        .setSocketTimeout(socketTimeout)
                        .setValidateAfterInactivity(TimeValue.ofSeconds(10))
                        .build())
                .setTlsStrategy(ClientTlsStrategyBuilder.create().buildAsync())
                .setMaxConnTotal(10)
                .setMaxConnPerRoute(10)
                .build();
        BasicCredentialsProvider credentials = null;
        if (settings.auth().equals("basic")) {
            credentials = new BasicCredentialsProvider();
            credentials.setCredentials(new AuthScope(host),
                    new UsernamePasswordCredentials(settings.username(), settings.password().toCharArray()));
        }
        BasicCredentialsProvider finalCredentials = credentials;
        ApacheHttpClient5TransportBuilder builder = ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(mapper)
                .setRequestConfigCallback(r -> r.setResponseTimeout(socketTimeout))
                .setHttpClientConfigCallback(b -> {
                    b.setConnectionManager(connections);
                    if (finalCredentials != null) {
                        b.setDefaultCredentialsProvider(finalCredentials);
                    }
                    return b;
                });
        String path = url.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            builder.setPathPrefix(path);
        }
        OpenSearchTransport transport = builder.build();
        return new Built(new OpenSearchClient(transport), () -> connections.closeIdle(TimeValue.ZERO_MILLISECONDS));
    }

    private static Built sigv4(ApiSettings settings, JacksonJsonpMapper mapper) {
        SdkHttpClient http = UrlConnectionHttpClient.builder()
                .connectionTimeout(java.time.Duration.ofMillis(CONNECT_TIMEOUT_MS))
                .socketTimeout(java.time.Duration.ofMillis(settings.searchTimeoutMs() + SOCKET_MARGIN_MS))
                .build();
        AwsCredentialsProvider credentials = credentials(settings.credentials());
        String host = dev.netmeta.model.Sigv4Endpoint.host(settings.openSearchUrl());
        OpenSearchTransport transport = new AwsSdk2Transport(http, host, settings.sigv4Service(),
                Region.of(settings.region()),
                AwsSdk2TransportOptions.builder().setCredentials(credentials).setMapper(mapper).build());
        // The url-connection client keeps no pool this code can reach; HttpURLConnection retries a stale
        // keep-alive connection itself.
        return new Built(new OpenSearchClient(transport), () -> { });
    }

    /** Session credentials (with the token) for the Lambda role, plain keys for local runs, else the default chain. */
    static AwsCredentialsProvider credentials(EnvCredentials keys) {
        if (keys == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(keys.isSession()
                ? AwsSessionCredentials.create(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken())
                : AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey()));
    }

    private static int port(URI url) {
        if (url.getPort() > 0) {
            return url.getPort();
        }
        return url.getScheme().equals("https") ? 443 : 80;
    }
}
