package dev.netmeta.load.aws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.netmeta.load.OutputKeys;
import dev.netmeta.load.Reject;
import dev.netmeta.load.RejectSink;
import dev.netmeta.load.RejectWriter;
import dev.netmeta.load.RemoteCallFailedException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Rejects as NDJSON at {@code s3://<bucket>/<REJECTS_PREFIX><key>.ndjson} (a name {@link OutputKeys} shortens when
 * it would be longer than S3 allows), one object per source file:
 * {@code {"source":…,"line":…,"position":…,"reason":…,"raw":…}}. Small rejects go up with one PutObject when the
 * file is done; beyond one part (8 MiB) they stream out as a multipart upload, so memory stays bounded however
 * bad the file is. A file without rejects removes an outdated rejects object of an earlier version.
 */
public final class S3RejectWriter implements RejectWriter {

    static final int PART_BYTES = 8 * 1024 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    private final S3Client s3;
    private final String prefix;

    public S3RejectWriter(S3Client s3, String prefix) {
        this.s3 = s3;
        this.prefix = prefix;
    }

    public String objectKey(String key) {
        return OutputKeys.rejects(prefix, key);
    }

    @Override
    public String location(String bucket, String key) {
        return "s3://" + bucket + "/" + objectKey(key);
    }

    @Override
    public RejectSink open(String bucket, String key, long carryOverBelow) {
        Sink sink = new Sink(bucket, objectKey(key));
        if (carryOverBelow > 0) {
            remote("reading the earlier rejects " + sink.location(), () -> sink.carryOver(carryOverBelow));
        }
        return sink;
    }

    /** S3 failures become {@link RemoteCallFailedException}: worth another try, unlike a bad input file. */
    private static void remote(String what, Runnable call) {
        try {
            call.run();
        } catch (SdkException | UncheckedIOException e) {
            throw new RemoteCallFailedException(what + " failed: " + e.getMessage(), e);
        }
    }

    private final class Sink implements RejectSink {
        private final String bucket;
        private final String key;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final List<CompletedPart> parts = new ArrayList<>();
        private String uploadId;
        private boolean written;

        Sink(String bucket, String key) {
            this.bucket = bucket;
            this.key = key;
        }

        /**
         * Starts from the rejects earlier invocations saved for the same file, keeping the lines of records before
         * {@code below}: the later ones were written by an attempt that is being retried, and are read again.
         */
        void carryOver(long below) {
            try (InputStream previous = new BufferedInputStream(s3.getObject(b -> b.bucket(bucket).key(key)))) {
                ByteArrayOutputStream line = new ByteArrayOutputStream(256);
                int b;
                while ((b = previous.read()) >= 0) {
                    line.write(b);
                    if (b == '\n') {
                        keepIfBefore(line, below);
                    }
                }
                keepIfBefore(line, below);
            } catch (NoSuchKeyException e) {
                // nothing rejected before
            } catch (IOException e) {
                throw new UncheckedIOException("reading the earlier rejects s3://" + bucket + "/" + key + " failed", e);
            }
        }

        private void keepIfBefore(ByteArrayOutputStream line, long below) throws IOException {
            byte[] bytes = line.toByteArray();
            if (bytes.length > 0 && position(bytes) < below) {
                append(bytes, bytes.length);
                if (bytes[bytes.length - 1] != '\n') {
                    append(new byte[] {'\n'}, 1);
                }
            }
            line.reset();
        }

        /** The {@code position} field of one rejects line (Long.MAX_VALUE when it has none: dropped). */
        private static long position(byte[] line) throws IOException {
            try (JsonParser p = JSON.createParser(line)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    return Long.MAX_VALUE;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    if ("position".equals(name)) {
                        return p.getLongValue();
                    }
                    p.skipChildren();
                }
                return Long.MAX_VALUE;
            }
        }

        @Override
        public synchronized void write(Reject reject) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            try (JsonGenerator g = JSON.createGenerator(line)) {
                g.writeStartObject();
                g.writeStringField("source", reject.source());
                g.writeNumberField("line", reject.line());
                g.writeNumberField("position", reject.position());
                g.writeStringField("reason", reject.reason());
                g.writeStringField("raw", reject.raw());
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            line.write('\n');
            remote("writing the rejects " + location(), () -> append(line.toByteArray(), line.size()));
        }

        private void append(byte[] bytes, int length) {
            buffer.write(bytes, 0, length);
            written = true;
            if (buffer.size() >= PART_BYTES) {
                uploadPart();
            }
        }

        private void uploadPart() {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType("application/x-ndjson"))
                        .uploadId();
            }
            int number = parts.size() + 1;
            String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                    RequestBody.fromBytes(buffer.toByteArray())).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
            buffer.reset();
        }

        @Override
        public String location() {
            return "s3://" + bucket + "/" + key;
        }

        @Override
        public synchronized void close() {
            remote("saving the rejects " + location(), this::save);
        }

        private void save() {
            try {
                if (uploadId != null) {
                    if (buffer.size() > 0) {
                        uploadPart();
                    }
                    s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(parts)));
                } else if (written) {
                    s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/x-ndjson"),
                            RequestBody.fromBytes(buffer.toByteArray()));
                } else {
                    s3.deleteObject(b -> b.bucket(bucket).key(key));
                }
            } catch (RuntimeException e) {
                if (uploadId != null) {
                    try {
                        s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                    } catch (RuntimeException ignored) {
                        // the original failure matters more
                    }
                }
                throw e;
            }
        }
    }
}
