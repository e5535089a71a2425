package dev.netmeta.sync;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32C;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * {@link ObjectStore} on S3 (SDK v2, synchronous client). Three ways up, by size: up to one part, read into a
 * buffer and one PutObject (retryable); up to {@code streamingPutMax}, one PutObject streamed straight from the
 * source (no buffer); larger, a multipart upload that reads one part into a buffer, sends it and reuses the buffer.
 * Memory per transfer is at most one part.
 *
 * <p>Every object goes up with a CRC32C of all its bytes, which S3 checks against what arrived (a mismatch is a
 * {@code BadDigest} error and no object) and keeps as the object's FULL_OBJECT checksum — the one the load function
 * checks its download against (CRC64NVME, S3's default without one, needs the native aws-crt library). Where the
 * bytes are in a buffer the value is computed here from the buffer and sent as a header: the single PUT's
 * {@code x-amz-checksum-crc32c}; a multipart upload's parts each with their own, and the completion with the whole
 * object's (a running CRC32C over every part in order, {@code x-amz-checksum-type: FULL_OBJECT}). A streamed PUT
 * learns its value only after the last byte: it goes as an {@code aws-chunked} trailer
 * ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}), signed by the SDK and encoded by {@link AwsChunkedCrc32cBody} (see
 * {@link ChecksumTrailerSigner}). CRC32C is {@link CRC32C} (a JDK intrinsic, tens of GB/s).
 */
public final class S3ObjectStore implements ObjectStore {

    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Client s3;
    private final String bucket;
    private final long streamingPutMax;
    private final int listPageSize;

    /**
     * @param streamingPutMax files larger than one part and up to this size go in one streamed PutObject (no part
     *                        buffer, one request); larger ones in a multipart upload. 0 = always multipart.
     */
    public S3ObjectStore(S3Client s3, String bucket, long streamingPutMax) {
        this(s3, bucket, streamingPutMax, 1000);
    }

    S3ObjectStore(S3Client s3, String bucket, long streamingPutMax, int listPageSize) {
        this.s3 = s3;
        this.bucket = bucket;
        this.streamingPutMax = streamingPutMax;
        this.listPageSize = listPageSize;
    }

    /**
     * Lists only the range the keys can be in: under their longest common prefix, and no further than the greatest
     * of them (S3 returns keys in UTF-8 binary order). Entries for other keys are dropped as the pages arrive.
     */
    @Override
    public KeySizes sizesOf(Set<String> keys, BooleanSupplier keepGoing) {
        if (keys.isEmpty()) {
            return KeySizes.complete(Map.of());
        }
        String greatest = null;
        String common = null;
        for (String k : keys) {
            greatest = greatest == null || KeySizes.compareUtf8(k, greatest) > 0 ? k : greatest;
            common = common == null ? k : commonPrefix(common, k);
        }
        Map<String, Long> sizes = new HashMap<>();
        String last = null;
        ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(common).maxKeys(listPageSize).build();
        for (ListObjectsV2Response page : s3.listObjectsV2Paginator(req)) {
            for (S3Object o : page.contents()) {
                if (keys.contains(o.key())) {
                    sizes.put(o.key(), o.size());
                }
                last = o.key();
            }
            boolean pastGreatest = last != null && KeySizes.compareUtf8(last, greatest) >= 0;
            if (pastGreatest || !Boolean.TRUE.equals(page.isTruncated())) {
                return new KeySizes(sizes, true, last);
            }
            if (!keepGoing.getAsBoolean()) {
                return new KeySizes(sizes, false, last);
            }
        }
        return new KeySizes(sizes, true, last);
    }

    private static String commonPrefix(String a, String b) {
        int n = Math.min(a.length(), b.length());
        int i = 0;
        while (i < n && a.charAt(i) == b.charAt(i)) {
            i++;
        }
        if (i > 0 && Character.isHighSurrogate(a.charAt(i - 1))) {
            i--; // never split a surrogate pair
        }
        return a.substring(0, i);
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
    public long upload(String key, InputStream source, long expectedSize, int partSize, BooleanSupplier keepGoing)
            throws IOException {
        // the byte count is this store's promise (no object unless exactly expectedSize bytes arrived), so it is
        // checked here, whatever the caller passes
        InputStream data = source instanceof ExactLengthInputStream ? source : new ExactLengthInputStream(source, expectedSize);
        if (PartSizing.singlePut(expectedSize, partSize)) {
            return putSingle(key, data, (int) expectedSize);
        }
        if (expectedSize <= streamingPutMax) {
            return putStreaming(key, data, expectedSize, keepGoing);
        }
        return putMultipart(key, data, partSize, keepGoing);
    }

    private long putSingle(String key, InputStream data, int size) throws IOException {
        byte[] buf = new byte[size];
        int n = fill(data, buf);
        data.read(); // reaching the end confirms the byte count (and the FTP transfer) before the PUT, also of an empty file
        try {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType(CONTENT_TYPE).contentLength((long) n)
                    .checksumCRC32C(crc32c(buf, n)).build(), body(buf, n));
        } catch (S3Exception e) {
            throwIfChecksumRefused(e, "the PUT");
            throw e;
        }
        return n;
    }

    /**
     * One PutObject whose body is the data stream itself. S3 stores the object only when all {@code size} bytes
     * arrived; an exception while reading (file changed, FTP cut) aborts the request, so nothing appears. The stream
     * cannot be replayed: a refusal before the body was opened (a 5xx answer to {@code Expect: 100-continue}, a
     * connection that could not be made) is retried by the SDK as any request; once the body has started, a failure
     * fails the file for this run. Its CRC32C is known only at the end: it is computed as the body goes out and sent
     * as an {@code aws-chunked} trailer ({@link AwsChunkedCrc32cBody}), which S3 checks against the bytes that
     * arrived.
     */
    private long putStreaming(String key, InputStream data, long size, BooleanSupplier keepGoing) throws IOException {
        if (!keepGoing.getAsBoolean()) {
            throw new TransferStoppedException("not started: the invocation is running out of time");
        }
        AtomicBoolean opened = new AtomicBoolean();
        AtomicReference<IOException> sourceFailure = new AtomicReference<>();
        RequestBody body = RequestBody.fromContentProvider(() -> {
            if (!opened.compareAndSet(false, true)) {
                throw new IllegalStateException("the first attempt failed and the FTP data stream cannot be sent twice;"
                        + " the file is retried by the next run");
            }
            return new FilterInputStream(data) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    try {
                        return super.read(b, off, len);
                    } catch (IOException e) {
                        sourceFailure.compareAndSet(null, e);
                        throw e;
                    }
                }

                @Override
                public int read() throws IOException {
                    try {
                        return super.read();
                    } catch (IOException e) {
                        sourceFailure.compareAndSet(null, e);
                        throw e;
                    }
                }

                @Override
                public void close() {
                    // the download owns the stream
                }
            };
        }, size, CONTENT_TYPE);
        try {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key).contentType(CONTENT_TYPE).contentLength(size)
                    .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).build(), body);
        } catch (RuntimeException e) {
            IOException source = sourceFailure.get();
            if (source != null) { // the FTP side failed (e.g. the file changed): report that, not the SDK's retry
                source.addSuppressed(e);
                throw source;
            }
            if (e instanceof S3Exception s3e) {
                throwIfChecksumRefused(s3e, "the streamed PUT");
            }
            throw e;
        }
        return size;
    }

    /**
     * Created as a FULL_OBJECT CRC32C upload: each part carries its own CRC32C, and the completion the whole object's,
     * run over the parts' buffers in order — S3 combines the parts' values and refuses the completion when the result
     * differs, so the object's checksum is of its bytes, not of the parts' checksums (which the load could not check).
     */
    private long putMultipart(String key, InputStream data, int partSize, BooleanSupplier keepGoing) throws IOException {
        String uploadId = s3.createMultipartUpload(CreateMultipartUploadRequest.builder()
                .bucket(bucket).key(key).contentType(CONTENT_TYPE)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT).build()).uploadId();
        try {
            byte[] buf = new byte[partSize];
            List<CompletedPart> parts = new ArrayList<>();
            CRC32C whole = new CRC32C();
            long total = 0;
            int n;
            while ((n = fill(data, buf)) > 0) {
                if (!keepGoing.getAsBoolean()) {
                    throw new TransferStoppedException("stopped after " + total + " bytes: the invocation is running out of time");
                }
                int partNumber = parts.size() + 1;
                String partCrc = crc32c(buf, n);
                String etag;
                try {
                    etag = s3.uploadPart(UploadPartRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                            .partNumber(partNumber).contentLength((long) n).checksumCRC32C(partCrc).build(), body(buf, n)).eTag();
                } catch (S3Exception e) {
                    throwIfChecksumRefused(e, "part " + partNumber);
                    throw e;
                }
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).checksumCRC32C(partCrc).build());
                whole.update(buf, 0, n);
                total += n;
            }
            try {
                s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                        .checksumCRC32C(base64(whole)).checksumType(ChecksumType.FULL_OBJECT)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
            } catch (S3Exception e) {
                throwIfChecksumRefused(e, "the completion of the multipart upload (the whole object's CRC32C)");
                throw e;
            }
            return total;
        } catch (IOException | RuntimeException | Error e) {
            abort(key, uploadId, e);
            throw e;
        }
    }

    /**
     * S3's refusal of a request's checksum as a {@link ChecksumRefusedException} that says what it means (an I/O
     * failure: the file fails for this run); any other answer is left to the caller to throw as it is.
     */
    private static void throwIfChecksumRefused(S3Exception e, String what) throws ChecksumRefusedException {
        if (ChecksumRefusedException.refusedForItsChecksum(e)) {
            throw new ChecksumRefusedException(what, e);
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

    /** The CRC32C of the first {@code len} bytes of {@code buf}, as S3 writes it: base64 of its 4 bytes, big-endian. */
    private static String crc32c(byte[] buf, int len) {
        CRC32C crc = new CRC32C();
        crc.update(buf, 0, len);
        return base64(crc);
    }

    private static String base64(CRC32C crc) {
        int v = (int) crc.getValue();
        return Base64.getEncoder().encodeToString(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    }

    private static RequestBody body(byte[] buf, int len) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buf, 0, len), len, CONTENT_TYPE);
    }
}
