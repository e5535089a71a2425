package dev.netmeta.load.aws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.netmeta.load.OutputKeys;
import dev.netmeta.load.Reject;
import dev.netmeta.load.RejectLine;
import dev.netmeta.load.RejectSink;
import dev.netmeta.load.RejectWriter;
import dev.netmeta.load.RemoteCallFailedException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
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
 * file is done; beyond one part (8 MiB) they stream out as a multipart upload, so the writer holds at most one part
 * however bad the file is; a failure aborts the upload and saves nothing. A sink counts the bytes of its object, the
 * carried-over lines included, and refuses the line that would take it past its bound (LOAD_MAX_REJECTS_BYTES) and
 * every later one. A file without rejects removes an outdated rejects object of an earlier version.
 */
public final class S3RejectWriter implements RejectWriter {

    /** The size of a part of the multipart upload, and the most rejects bytes a writer holds. */
    public static final int PART_BYTES = 8 * 1024 * 1024;
    private static final JsonFactory JSON = new JsonFactory();
    private static final String CONTENT_TYPE = "application/x-ndjson";

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
    public RejectSink open(String bucket, String key, long carryOverBelow, long maxBytes) {
        Sink sink = new Sink(bucket, objectKey(key), maxBytes);
        if (carryOverBelow > 0) {
            try {
                remote("reading the earlier rejects " + sink.location(), () -> sink.carryOver(carryOverBelow));
            } catch (RuntimeException e) {
                sink.abandon(e); // more than a part carried over has started a multipart upload: the caller
                throw e;         // gets no sink to close, so it is aborted here
            }
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

    /**
     * Holds at most one part ({@link #PART_BYTES}): a line that crosses the boundary is split between two parts (S3
     * joins them again), and a part goes up from the buffer itself, without a copy. When anything fails — a part,
     * the completion, carrying over the earlier rejects — the multipart upload is aborted and the sink saves nothing
     * after that: the earlier rejects object stays as it was, and no upload is left behind (unless the abort fails
     * too; the bucket's lifecycle rule removes such uploads).
     */
    private final class Sink implements RejectSink {
        private static final int FIRST_CAPACITY = 64 * 1024;

        private final String bucket;
        private final String key;
        private final long maxBytes;
        private final List<CompletedPart> parts = new ArrayList<>();
        private byte[] buffer = new byte[0];
        private int filled;
        private String uploadId;
        private boolean written;
        /** Bytes of the rejects object so far: carried over and written (uploaded parts and the buffer). */
        private long size;
        /** A line was refused for {@link #maxBytes}: no later one is written either. */
        private boolean full;
        /** Why the rejects cannot be saved any more; the multipart upload (if any) was aborted then. */
        private RuntimeException failure;

        Sink(String bucket, String key, long maxBytes) {
            this.bucket = bucket;
            this.key = key;
            this.maxBytes = maxBytes;
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
        public boolean write(Reject reject) {
            byte[] line = RejectLine.encode(reject); // outside the lock: bulk workers write rejects too
            synchronized (this) {
                if (full || line.length > maxBytes - size) {
                    full = true;
                    return false;
                }
                remote("writing the rejects " + location(), () -> append(line, line.length));
                return true;
            }
        }

        private void append(byte[] bytes, int length) {
            if (failure != null) {
                throw failedBefore("written");
            }
            written = true;
            size += length;
            int offset = 0;
            while (offset < length) {
                int n = Math.min(length - offset, PART_BYTES - filled);
                if (buffer.length < filled + n) {
                    buffer = Arrays.copyOf(buffer, Math.min(PART_BYTES, Math.max(filled + n,
                            Math.max(FIRST_CAPACITY, 2 * buffer.length))));
                }
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                if (filled == PART_BYTES) {
                    uploadPart();
                }
            }
        }

        private void uploadPart() {
            try {
                if (uploadId == null) {
                    uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE))
                            .uploadId();
                }
                int number = parts.size() + 1;
                String eTag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(number),
                        body()).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
                filled = 0;
            } catch (RuntimeException e) {
                abandon(e);
                throw e;
            }
        }

        /** The buffered bytes, read from the buffer as often as the client needs (signing, retries). */
        private RequestBody body() {
            byte[] bytes = buffer;
            int length = filled;
            return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                    CONTENT_TYPE);
        }

        /** Nothing of this sink will be saved: aborts the multipart upload, keeping the first failure. */
        void abandon(RuntimeException cause) {
            if (failure != null) {
                return;
            }
            failure = cause;
            buffer = new byte[0];
            filled = 0;
            if (uploadId != null) {
                try {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
                } catch (RuntimeException abortFailure) {
                    cause.addSuppressed(abortFailure); // the upload is left to the bucket's lifecycle rule
                }
                uploadId = null;
            }
        }

        private RemoteCallFailedException failedBefore(String what) {
            return new RemoteCallFailedException("the rejects " + location() + " cannot be " + what
                    + ": an earlier write of them failed and nothing of them is saved (" + failure.getMessage() + ")",
                    failure);
        }

        private String location() {
            return "s3://" + bucket + "/" + key;
        }

        @Override
        public synchronized void close() {
            if (failure != null) {
                throw failedBefore("saved");
            }
            remote("saving the rejects " + location(), this::save);
        }

        private void save() {
            try {
                if (uploadId != null) {
                    if (filled > 0) {
                        uploadPart();
                    }
                    s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
                            .multipartUpload(m -> m.parts(parts)));
                    uploadId = null;
                } else if (written) {
                    s3.putObject(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE), body());
                } else {
                    s3.deleteObject(b -> b.bucket(bucket).key(key));
                }
            } catch (RuntimeException e) {
                abandon(e);
                throw e;
            }
        }
    }
}
