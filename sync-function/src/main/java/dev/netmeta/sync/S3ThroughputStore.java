package dev.netmeta.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@link ThroughputStore} as one small JSON object the function writes itself, e.g.
 * {@code s3://<bucket>/state/sync-throughput.json} = {@code {"bytesPerSecond":1.2E8,"updated":"…"}}. It lives
 * outside the raw prefix, so it never starts a load and never looks like a file to sync.
 */
public final class S3ThroughputStore implements ThroughputStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final Clock clock;

    public S3ThroughputStore(S3Client s3, String bucket, String key, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.clock = clock;
    }

    @Override
    public OptionalDouble read() {
        byte[] body;
        try {
            body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return OptionalDouble.empty();
        }
        try {
            JsonNode value = JSON.readTree(body).path("bytesPerSecond");
            double bps = value.asDouble();
            if (!value.isNumber() || !(bps > 0) || Double.isInfinite(bps)) {
                throw new IllegalStateException("s3://" + bucket + "/" + key + " has no positive bytesPerSecond");
            }
            return OptionalDouble.of(bps);
        } catch (IOException e) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + " is not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public void write(double bytesPerSecond) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("bytesPerSecond", bytesPerSecond);
        state.put("updated", clock.instant().toString());
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                    RequestBody.fromBytes(JSON.writeValueAsBytes(state)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the throughput state: " + e.getMessage(), e);
        }
    }
}
