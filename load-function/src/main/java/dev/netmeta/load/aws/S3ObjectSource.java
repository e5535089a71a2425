package dev.netmeta.load.aws;

import dev.netmeta.load.ObjectGoneException;
import dev.netmeta.load.ObjectSource;
import dev.netmeta.load.ObjectVersion;
import dev.netmeta.load.SourceObject;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Streams objects with GetObject (never buffered whole); a continuation pins the version with If-Match; HeadObject
 * tells the current version (ETag and last-modified time) before and after the documents of other versions are removed.
 */
public final class S3ObjectSource implements ObjectSource {

    private final S3Client s3;

    public S3ObjectSource(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public SourceObject open(String bucket, String key, String eTag) throws IOException {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket).key(key);
        if (eTag != null) {
            request.ifMatch(eTag);
        }
        try {
            ResponseInputStream<GetObjectResponse> stream = s3.getObject(request.build());
            return new S3Object(stream);
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

    private static final class S3Object implements SourceObject {
        private final ResponseInputStream<GetObjectResponse> stream;

        S3Object(ResponseInputStream<GetObjectResponse> stream) {
            this.stream = stream;
        }

        @Override
        public InputStream stream() {
            return new FilterInputStream(stream) {
                // the SDK may report a broken download as an unchecked exception: make it the I/O error it is
                @Override
                public int read() throws IOException {
                    try {
                        return super.read();
                    } catch (SdkException e) {
                        throw new IOException("reading the object failed: " + e.getMessage(), e);
                    }
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return super.read(b, off, len);
                    } catch (SdkException e) {
                        throw new IOException("reading the object failed: " + e.getMessage(), e);
                    }
                }
            };
        }

        @Override
        public String eTag() {
            return stream.response().eTag();
        }

        @Override
        public String versionId() {
            return stream.response().versionId();
        }

        @Override
        public ObjectVersion version() {
            var modified = stream.response().lastModified();
            return new ObjectVersion(eTag(), modified == null ? 0 : modified.toEpochMilli());
        }

        @Override
        public long lastModifiedMillis() {
            var modified = stream.response().lastModified();
            return modified == null ? System.currentTimeMillis() : modified.toEpochMilli();
        }

        @Override
        public long size() {
            Long length = stream.response().contentLength();
            return length == null ? -1 : length;
        }

        @Override
        public void close() {
            // abort() drops the connection instead of draining the rest of a large object
            stream.abort();
            try {
                stream.close();
            } catch (IOException | RuntimeException ignored) {
                // already aborted
            }
        }
    }
}
