package dev.netmeta.local.testing;

import java.util.UUID;
import java.util.function.Supplier;

import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * JUnit 5 extension giving integration tests real servers: {@code @ExtendWith(TestServers.class)}, then declare
 * {@link OpenSearchEndpoint}, {@link S3Endpoint} or {@link FtpEndpoint} parameters (test methods, constructors,
 * lifecycle methods).
 *
 * <p>Each server starts lazily, on the first parameter that needs it, once per test JVM (kept in the root
 * {@link ExtensionContext.Store}, stopped when the JVM's test run ends). Tests share them: a test creates its own bucket,
 * index prefix or FTP subdirectory.
 *
 * <p>Back-end: the embedded servers, or with {@code -Pcontainers} (system property {@code netmeta.it.backend=containers})
 * OpenSearch and MinIO in Docker containers; FTP is always embedded.
 */
public final class TestServers implements ParameterResolver {

    public static final String BACKEND_PROPERTY = "netmeta.it.backend";

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestServers.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == OpenSearchEndpoint.class || type == S3Endpoint.class || type == FtpEndpoint.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (type == OpenSearchEndpoint.class) {
            return started(context, type, containers() ? ContainerBackend::openSearch : EmbeddedBackend::openSearch);
        }
        if (type == S3Endpoint.class) {
            return started(context, type, containers() ? ContainerBackend::s3 : EmbeddedBackend::s3);
        }
        if (type == FtpEndpoint.class) {
            return started(context, type, EmbeddedBackend::ftp);
        }
        throw new ParameterResolutionException("TestServers cannot provide " + type.getName());
    }

    private static Object started(ExtensionContext context, Class<?> key, Supplier<RunningServer<?>> start) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        // The store closes AutoCloseable values when the root context (the whole test run in this JVM) ends.
        RunningServer<?> server = store.getOrComputeIfAbsent(key, k -> start.get(), RunningServer.class);
        return server.endpoint();
    }

    private static boolean containers() {
        String backend = System.getProperty(BACKEND_PROPERTY, "embedded");
        return switch (backend) {
            case "embedded" -> false;
            case "containers" -> true;
            default -> throw new ParameterResolutionException(
                    BACKEND_PROPERTY + " must be 'embedded' or 'containers', was '" + backend + "'");
        };
    }

    /**
     * {@code prefix} plus a random suffix, lower case letters, digits and '-': valid as a bucket name, an index prefix
     * and a directory name, so that tests sharing a server do not see each other's data.
     */
    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * An S3 client configured as the functions configure theirs against a local endpoint: url-connection HTTP client,
     * static credentials, path-style, checksums only when required (see {@code EmbeddedS3}). Close it after use.
     */
    public static S3Client s3Client(S3Endpoint endpoint) {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint.uri())
                .forcePathStyle(true)
                .region(Region.of(endpoint.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(endpoint.accessKey(), endpoint.secretKey())))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /**
     * An opensearch-java client (Apache HttpClient 5 transport, Jackson mapper). Close it with
     * {@code client._transport().close()}.
     */
    public static OpenSearchClient openSearchClient(OpenSearchEndpoint endpoint) {
        HttpHost host = new HttpHost(endpoint.uri().getScheme(), endpoint.uri().getHost(), endpoint.uri().getPort());
        return new OpenSearchClient(ApacheHttpClient5TransportBuilder.builder(host)
                .setMapper(new JacksonJsonpMapper())
                .build());
    }
}
