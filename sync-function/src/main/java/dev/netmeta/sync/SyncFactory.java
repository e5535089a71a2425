package dev.netmeta.sync;

import dev.netmeta.model.AwsRegion;
import dev.netmeta.model.EnvCredentials;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/** Wires the sync function from its environment: config, SDK clients (built once per container), adapters, service. */
public final class SyncFactory {

    private SyncFactory() {
    }

    public static SyncService create(Map<String, String> env) {
        SyncConfig config = SyncConfig.fromEnv(env);
        Region region = region(env);
        AwsCredentialsProvider credentials = credentials(env);
        SdkHttpClient http = httpClient();

        Supplier<SsmClient> ssm = ssmClient(env, region, credentials, http); // built on first use, if ever
        SecretSource secret = secretSource(env, ssm);
        Redactor redactor = new Redactor(secret);

        S3Client s3 = s3Client(env, region, credentials, http);
        ObjectStore store = new S3ObjectStore(s3, config.bucket(), config.streamingPutMaxBytes());
        ThroughputStore throughput = config.throughputStateKey() == null ? ThroughputStore.NONE
                : new S3ThroughputStore(s3, config.bucket(), config.throughputStateKey(), Clock.systemUTC());

        SelfInvoker invoker = null;
        if (config.functionName() != null) {
            Supplier<LambdaClient> lambda = memoize(() -> {
                var b = LambdaClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
                String endpoint = env.get("AWS_ENDPOINT_URL_LAMBDA");
                if (endpoint != null && !endpoint.isBlank()) {
                    b.endpointOverride(URI.create(endpoint));
                }
                return b.build();
            });
            invoker = new LambdaSelfInvoker(lambda, config.functionName());
        }

        RemoteFileSource source = new FtpRemoteFileSource(config,
                new FtpConnector(config, secret, FtpTrust.of(config, ssm, Clock.systemUTC())));
        return new SyncService(config, source, store, invoker, redactor, new JsonLog(System.out, redactor), Clock.systemUTC(),
                throughput);
    }

    /** The S3 client the sync uses, from the same environment variables (public for the benchmark's upload leg). */
    public static S3Client s3Client(Map<String, String> env) {
        return s3Client(env, region(env), credentials(env), httpClient());
    }

    /** {@code AWS_REGION} as every function reads it: blank is unset ({@code AWS_REGION=} in a local shell). */
    static Region region(Map<String, String> env) {
        return Region.of(AwsRegion.of(env));
    }

    static SdkHttpClient httpClient() {
        return new StreamingHttpClient(Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    static S3Client s3Client(Map<String, String> env, Region region, AwsCredentialsProvider credentials, SdkHttpClient http) {
        var s3 = S3Client.builder().region(region).credentialsProvider(credentials).httpClient(http)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        HttpSigner<AwsCredentialsIdentity> signer = AwsV4HttpSigner.create();
        String s3Endpoint = env.get("AWS_ENDPOINT_URL_S3");
        if (s3Endpoint != null && !s3Endpoint.isBlank()) {
            URI endpoint = URI.create(s3Endpoint.trim());
            s3.endpointOverride(endpoint).forcePathStyle(true);
            if ("http".equalsIgnoreCase(endpoint.getScheme())) {
                signer = new UnsignedPayloadSigner(); // as over HTTPS: see UnsignedPayloadSigner
            }
        }
        // the streamed PUT's aws-chunked body without the SDK's chunk copies: see ChecksumTrailerSigner
        return s3.putAuthScheme(SigV4Scheme.with(new ChecksumTrailerSigner(signer))).build();
    }

    /** One SSM client for the password and the trusted certificates, built when the first of them is fetched. */
    static Supplier<SsmClient> ssmClient(Map<String, String> env, Region region, AwsCredentialsProvider credentials,
                                         SdkHttpClient http) {
        return memoize(() -> {
            var b = SsmClient.builder().region(region).credentialsProvider(credentials).httpClient(http);
            String endpoint = env.get("AWS_ENDPOINT_URL_SSM");
            if (endpoint != null && !endpoint.isBlank()) {
                b.endpointOverride(URI.create(endpoint));
            }
            return b.build();
        });
    }

    /** SSM SecureString when FTP_PASSWORD_PARAM is set (fetched lazily, once); FTP_PASSWORD only without it. */
    static SecretSource secretSource(Map<String, String> env, Supplier<SsmClient> ssm) {
        String param = env.get("FTP_PASSWORD_PARAM");
        if (param != null && !param.isBlank()) {
            return new SsmSecretSource(ssm, param.trim());
        }
        String plain = env.get("FTP_PASSWORD");
        if (plain == null) {
            throw new IllegalArgumentException(
                    "Set FTP_PASSWORD_PARAM (name of an SSM SecureString parameter holding the FTP password), "
                            + "or FTP_PASSWORD for local runs");
        }
        return new EnvSecretSource(plain);
    }

    /** Session credentials (with the token) for the Lambda role, plain keys for local runs, else the default chain. */
    static AwsCredentialsProvider credentials(Map<String, String> env) {
        return EnvCredentials.from(env)
                .<AwsCredentialsProvider>map(keys -> StaticCredentialsProvider.create(keys.isSession()
                        ? AwsSessionCredentials.create(keys.accessKeyId(), keys.secretAccessKey(), keys.sessionToken())
                        : AwsBasicCredentials.create(keys.accessKeyId(), keys.secretAccessKey())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
    }

    static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = supplier.get();
                        }
                        v = value;
                    }
                }
                return v;
            }
        };
    }
}
