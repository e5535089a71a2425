package dev.netmeta.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.opensearch.client.opensearch.OpenSearchClient;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** One test's isolated slice of the embedded servers: its own index prefix, and helpers to look at the outcome. */
final class LoadTestEnvironment {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a {@link dev.netmeta.local.testing.TestLambdaContext} reports once "out of time": less than this
     * environment's LOAD_TIME_MARGIN_MS (60 s), so reading stops, but enough for the requests in flight to settle. */
    static final long RUN_OUT_MILLIS = 50_000;

    final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    final S3Client s3;
    final OpenSearchClient openSearch;
    private final S3Endpoint s3Endpoint;
    private final OpenSearchEndpoint openSearchEndpoint;

    LoadTestEnvironment(S3Endpoint s3Endpoint, OpenSearchEndpoint openSearchEndpoint) {
        this.s3Endpoint = s3Endpoint;
        this.openSearchEndpoint = openSearchEndpoint;
        this.s3 = TestServers.s3Client(s3Endpoint);
        this.openSearch = TestServers.openSearchClient(openSearchEndpoint);
    }

    /** The load function's environment as serverless.yml sets it, pointed at the embedded servers. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(s3Endpoint.env());
        env.put("OPENSEARCH_URL", openSearchEndpoint.uri().toString());
        env.put("OPENSEARCH_AUTH", "none");
        env.put("INDEX_PREFIX", prefix);
        env.put("BULK_MAX_DOCS", "300");
        env.put("BULK_CONCURRENCY", "2");
        env.put("LOAD_TIME_MARGIN_MS", "60000");
        return env;
    }

    /** {@link #env()} with the continuation function, whose asynchronous invocations {@code lambda} records. */
    Map<String, String> env(LambdaInvokeStandIn lambda) {
        Map<String, String> env = env();
        env.put("CONTINUATION_FUNCTION_NAME", "netmeta-dev-loadContinue");
        env.put("AWS_ENDPOINT_URL_LAMBDA", lambda.uri().toString());
        return env;
    }

    void bucket(String bucket) {
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException e) {
            // shared by several tests
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }

    void put(String bucket, String key, byte[] content) {
        bucket(bucket);
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }

    String text(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
    }

    boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** The report of {@code key}, where the load function saves it (REPORTS_PREFIX {@code reports/}). */
    JsonNode report(String bucket, String key) {
        try {
            return JSON.readTree(text(bucket, OutputKeys.report("reports/", key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Documents under this test's prefix (after a refresh), optionally matching a query_string query. */
    long count(String query) {
        try {
            openSearch.indices().refresh(r -> r.index(prefix + "-*"));
            return openSearch.count(c -> {
                c.index(prefix + "-*");
                if (query != null) {
                    c.query(q -> q.queryString(qs -> qs.query(query)));
                }
                return c;
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long count() {
        return count(null);
    }
}
