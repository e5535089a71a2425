package dev.netmeta.sync;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * {@link ObjectStore} on S3 (SDK v2, synchronous client). Uploads read one part into a buffer, send it, and reuse
 * the buffer: memory per transfer is one part. The request body is served from that buffer without a copy.
 */
public final class S3ObjectStore implements ObjectStore {

    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public Map<String, Long> sizesUnder(String prefix) {
        Map<String, Long> sizes = new HashMap<>();
        ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
        for (S3Object o : s3.listObjectsV2Paginator(req).contents()) {
            sizes.put(o.key(), o.size());
        }
        return sizes;
    }

    @Override
    public OptionalLong sizeOf(String key) {
        try {
            return OptionalLong.of(s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(key).build()).contentLength());
        } catch (NoSuchKeyException e) {
            return OptionalLong.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return OptionalLong.empty();
            }
            throw e;
        }
    }

    @Override
    public long upload(String key, InputStream data, long expectedSize, int partSize, BooleanSupplier keepGoing)
            throws IOException {
        if (PartSizing.singlePut(expectedSize, partSize)) {
            return putSingle(key, data, (int) expectedSize);
        }
        return putMultipart(key, data, partSize, keepGoing);
    }

    private long putSingle(String key, InputStream data, int size) throws IOException {
        byte[] buf = new byte[size];
        int n = fill(data, buf);
        if (data.read() >= 0) { // reaching the end confirms the byte count (and the FTP transfer) before the PUT
            throw new FileChangedException("more than the listed " + size + " bytes arrived");
        }
        s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType(CONTENT_TYPE).contentLength((long) n).build(),
                body(buf, n));
        return n;
    }

    private long putMultipart(String key, InputStream data, int partSize, BooleanSupplier keepGoing) throws IOException {
        String uploadId = s3.createMultipartUpload(CreateMultipartUploadRequest.builder()
                .bucket(bucket).key(key).contentType(CONTENT_TYPE).build()).uploadId();
        try {
            byte[] buf = new byte[partSize];
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int n;
            while ((n = fill(data, buf)) > 0) {
                if (!keepGoing.getAsBoolean()) {
                    throw new TransferStoppedException("stopped after " + total + " bytes: the invocation is running out of time");
                }
                int partNumber = parts.size() + 1;
                String etag = s3.uploadPart(UploadPartRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                        .partNumber(partNumber).contentLength((long) n).build(), body(buf, n)).eTag();
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                total += n;
            }
            s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
            return total;
        } catch (IOException | RuntimeException | Error e) {
            abort(key, uploadId, e);
            throw e;
        }
    }

    private void abort(String key, String uploadId, Throwable cause) {
        try {
            s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
        } catch (RuntimeException abortFailure) {
            // Reported with the original failure; a bucket lifecycle rule (AbortIncompleteMultipartUpload) is the backstop.
            cause.addSuppressed(abortFailure);
        }
    }

    /** Reads until the buffer is full or the data ends; returns the number of bytes read (0 at the end). */
    private static int fill(InputStream in, byte[] buf) throws IOException {
        int off = 0;
        while (off < buf.length) {
            int r = in.read(buf, off, buf.length - off);
            if (r < 0) {
                break;
            }
            off += r;
        }
        return off;
    }

    private static RequestBody body(byte[] buf, int len) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, len), len, CONTENT_TYPE);
    }
}
