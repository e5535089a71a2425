package dev.netmeta.load.aws;

import dev.netmeta.load.Deadline;
import dev.netmeta.load.LoadLog;
import dev.netmeta.load.ObjectGoneException;
import dev.netmeta.load.ObjectSource;
import dev.netmeta.load.ObjectVersion;
import dev.netmeta.load.SourceObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.ChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Streams objects with GetObject (never buffered whole); a continuation pins the version with If-Match; HeadObject
 * tells the current version (ETag and last-modified time) before and after the documents of other versions are removed.
 * A download that breaks is resumed where it broke with a ranged GetObject pinned to the first answer's ETag
 * ({@link ResumingStream}), each resume one {@code "load download resumed"} log line. The first GetObject asks for the
 * object's checksum ({@code x-amz-checksum-mode: ENABLED}): a whole-object one ({@link ObjectChecksum}) is compared with
 * every byte handed on, across resumes; a mismatch is one {@code "load download checksum mismatch"} log line and fails
 * the load retryably.
 */
public final class S3ObjectSource implements ObjectSource {

    private final S3Client s3;
    private final LoadLog log;
    private final ResumingStream.Pause pause;

    public S3ObjectSource(S3Client s3, LoadLog log) {
        this(s3, log, Thread::sleep);
    }

    S3ObjectSource(S3Client s3, LoadLog log, ResumingStream.Pause pause) {
        this.s3 = s3;
        this.log = log;
        this.pause = pause;
    }

    @Override
    public SourceObject open(String bucket, String key, String eTag, Deadline readingTime) throws IOException {
        // the whole object's checksum comes with the first answer only (a ranged one carries none): ResumingStream
        // checks it over every byte it hands on, across resumes, so the SDK's own check of this one body is skipped
        // (it would run the same checksum a second time, and not see the resumed bytes)
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key)
                .checksumMode(ChecksumMode.ENABLED)
                .overrideConfiguration(o -> o.putExecutionAttribute(
                        SdkExecutionAttribute.HTTP_RESPONSE_CHECKSUM_VALIDATION, ChecksumValidation.FORCE_SKIP));
        if (eTag != null) {
            request.ifMatch(eTag);
        }
        ResponseInputStream<GetObjectResponse> stream = get(bucket, key, request.build());
        GetObjectResponse first = stream.response();
        String source = "s3://" + bucket + "/" + key;
        // never without the ETag: an unpinned ranged GET could append another version's bytes
        ResumingStream.Reopener rest = first.eTag() == null ? null : position -> {
            // the same version or nothing: a replaced object answers 412, which is ObjectGoneException(replaced)
            ResponseInputStream<GetObjectResponse> ranged = get(bucket, key, GetObjectRequest.builder().bucket(bucket)
                    .key(key).ifMatch(first.eTag()).range("bytes=" + position + "-").build());
            return new ResumingStream.Rest(new Aborting(ranged), ranged.response().sdkHttpResponse().statusCode(),
                    ranged.response().contentRange());
        };
        ResumingStream.Listener resumed = (position, size, resumes, reason) ->
                log.downloadResumed(bucket, key, first.eTag(), position, size, resumes, reason);
        ResumingStream.Mismatch mismatch = (algorithm, expected, actual, size, resumes) ->
                log.downloadChecksumMismatch(bucket, key, first.eTag(), algorithm, expected, actual, size, resumes);
        return new S3Object(first, new ResumingStream(source, new Aborting(stream), size(first), rest, readingTime,
                resumed, pause, ObjectChecksum.of(first), mismatch));
    }

    /** GetObject, its refusals as this source's exceptions. */
    private ResponseInputStream<GetObjectResponse> get(String bucket, String key, GetObjectRequest request)
            throws IOException {
        try {
            return s3.getObject(request);
        } catch (NoSuchKeyException e) {
            throw new ObjectGoneException("s3://" + bucket + "/" + key + " no longer exists");
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ObjectGoneException("s3://" + bucket + "/" + key
                        + " was replaced by a new version while it was loaded", true);
            }
            if (e.statusCode() == 404) {
                throw new ObjectGoneException("s3://" + bucket + "/" + key + " no longer exists");
            }
            throw new IOException("GetObject s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("GetObject s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public ObjectVersion currentVersion(String bucket, String key) throws IOException {
        try {
            HeadObjectResponse head = s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build());
            return new ObjectVersion(head.eTag(), head.lastModified() == null ? 0 : head.lastModified().toEpochMilli());
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw new IOException("HeadObject s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("HeadObject s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    private static long size(GetObjectResponse response) {
        Long length = response.contentLength();
        return length == null ? -1 : length;
    }

    /** A GetObject body whose {@code close()} drops the connection instead of draining the rest of a large object. */
    private static final class Aborting extends FilterInputStream {
        private final ResponseInputStream<GetObjectResponse> stream;

        Aborting(ResponseInputStream<GetObjectResponse> stream) {
            super(stream);
            this.stream = stream;
        }

        @Override
        public void close() {
            stream.abort();
            try {
                stream.close();
            } catch (IOException | RuntimeException ignored) {
                // already aborted
            }
        }
    }

    /** The version opened by the first GetObject; its bytes through the resuming stream. */
    private static final class S3Object implements SourceObject {
        private final GetObjectResponse response;
        private final ResumingStream stream;

        S3Object(GetObjectResponse response, ResumingStream stream) {
            this.response = response;
            this.stream = stream;
        }

        @Override
        public InputStream stream() {
            return stream;
        }

        @Override
        public String eTag() {
            return response.eTag();
        }

        @Override
        public String versionId() {
            return response.versionId();
        }

        @Override
        public ObjectVersion version() {
            var modified = response.lastModified();
            return new ObjectVersion(eTag(), modified == null ? 0 : modified.toEpochMilli());
        }

        @Override
        public long lastModifiedMillis() {
            var modified = response.lastModified();
            return modified == null ? System.currentTimeMillis() : modified.toEpochMilli();
        }

        @Override
        public long size() {
            return S3ObjectSource.size(response);
        }

        @Override
        public IOException failure() {
            return stream.failure();
        }

        @Override
        public String verifyRest() throws IOException {
            return stream.verifyRest();
        }

        @Override
        public void close() {
            stream.close();
        }
    }
}
