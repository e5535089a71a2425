package dev.netmeta.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
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

    /** The streaming API: two fields do not need data binding's cold start (see {@link JsonLog}). */
    private static final JsonFactory JSON = new JsonFactory();

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
            double bps = bytesPerSecond(body);
            if (!(bps > 0) || Double.isInfinite(bps)) {
                throw new IllegalStateException("s3://" + bucket + "/" + key + " has no positive bytesPerSecond");
            }
            return OptionalDouble.of(bps);
        } catch (IOException e) {
            throw new IllegalStateException("s3://" + bucket + "/" + key + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** The top-level number {@code bytesPerSecond} of the state object, NaN when it is missing or not a number. */
    private static double bytesPerSecond(byte[] body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Double.NaN;
            }
            double value = Double.NaN;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.getCurrentName();
                JsonToken t = p.nextToken();
                if (name.equals("bytesPerSecond") && t.isNumeric()) {
                    value = p.getDoubleValue();
                } else {
                    p.skipChildren();
                }
            }
            return value;
        }
    }

    @Override
    public void write(double bytesPerSecond) {
        ByteArrayOutputStream state = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.createGenerator(state)) {
            g.writeStartObject();
            g.writeNumberField("bytesPerSecond", bytesPerSecond);
            g.writeStringField("updated", clock.instant().toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the throughput state: " + e.getMessage(), e);
        }
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"),
                RequestBody.fromBytes(state.toByteArray()));
    }
}
