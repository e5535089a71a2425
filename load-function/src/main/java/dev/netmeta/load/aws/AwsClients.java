package dev.netmeta.load.aws;

import dev.netmeta.model.AwsRegion;
import dev.netmeta.model.Env;
import dev.netmeta.model.EnvCredentials;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;

/** SDK v2 clients as the project's rules want them: url-connection HTTP, region from env, optional endpoint overrides. */
public final class AwsClients {

    private AwsClients() {
    }

    public static Region region(Env env) {
        return Region.of(AwsRegion.of(env));
    }

    /**
     * The keys of the environment map as {@link EnvCredentials} decides: session credentials (with the token) for
     * the Lambda role, plain keys for local runs, else the SDK's default chain.
     */
    public static AwsCredentialsProvider credentials(Env env) {
        return EnvCredentials.from(env)
                .<AwsCredentialsProvider>map(keys -> StaticCredentialsProvider.create(keys.isSession()
                        ? AwsSessionCredentials.create(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken())
                        : AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }

    public static SdkHttpClient httpClient() {
        return UrlConnectionHttpClient.builder().build();
    }

    /** An HTTP client whose connect and read (socket) timeouts are at most {@code timeout}. */
    public static SdkHttpClient httpClient(Duration timeout) {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(min(timeout, Duration.ofSeconds(10)))
                .socketTimeout(timeout)
                .build();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    public static S3Client s3(Env env, SdkHttpClient http) {
        var builder = S3Client.builder()
                .httpClient(http)
                .region(region(env))
                .credentialsProvider(credentials(env))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        String endpoint = env.get("AWS_ENDPOINT_URL_S3", null);
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        return builder.build();
    }

    public static LambdaClient lambda(Env env, SdkHttpClient http) {
        var builder = LambdaClient.builder()
                .httpClient(http)
                .region(region(env))
                .credentialsProvider(credentials(env));
        String endpoint = env.get("AWS_ENDPOINT_URL_LAMBDA", null);
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint));
        }
        return builder.build();
    }
}
