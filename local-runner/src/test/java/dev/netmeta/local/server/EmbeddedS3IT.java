package dev.netmeta.local.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

@ExtendWith(TestServers.class)
class EmbeddedS3IT {

    private static final int MIB = 1024 * 1024;

    private static String newBucket(S3Client s3) {
        String bucket = TestServers.uniqueName("it-s3");
        s3.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void putListAndGetReturnTheSameBytes(S3Endpoint endpoint) {
        try (S3Client s3 = TestServers.s3Client(endpoint)) {
            String bucket = newBucket(s3);
            byte[] small = "ts,srcIp\n1,10.0.0.1\n".getBytes(StandardCharsets.UTF_8);
            s3.putObject(p -> p.bucket(bucket).key("raw/2026/11/flows.csv"), RequestBody.fromBytes(small));

            List<S3Object> listed = s3.listObjectsV2(l -> l.bucket(bucket).prefix("raw/")).contents();

            assertThat(listed).extracting(S3Object::key, S3Object::size).containsExactly(
                    tuple("raw/2026/11/flows.csv", (long) small.length));
            assertThat(s3.getObjectAsBytes(g -> g.bucket(bucket).key("raw/2026/11/flows.csv")).asByteArray())
                    .isEqualTo(small);
        }
    }

    @Test
    void multipartUploadOfStreamedPartsIsByteIdentical(S3Endpoint endpoint) {
        try (S3Client s3 = TestServers.s3Client(endpoint)) {
            String bucket = newBucket(s3);
            String key = "raw/big.csv.gz";
            byte[] first = randomBytes(5 * MIB + 123, 1);
            byte[] last = randomBytes(MIB / 2, 2);

            String uploadId = s3.createMultipartUpload(c -> c.bucket(bucket).key(key)).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            int partNumber = 1;
            for (byte[] part : List.of(first, last)) {
                int number = partNumber++;
                InputStream stream = new ByteArrayInputStream(part); // streamed, not a byte[] body
                String etag = s3.uploadPart(u -> u.bucket(bucket).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) part.length), RequestBody.fromInputStream(stream, part.length)).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(c -> c.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));

            byte[] expected = new byte[first.length + last.length];
            System.arraycopy(first, 0, expected, 0, first.length);
            System.arraycopy(last, 0, expected, first.length, last.length);
            assertThat(s3.headObject(h -> h.bucket(bucket).key(key)).contentLength()).isEqualTo(expected.length);
            assertThat(s3.getObjectAsBytes(g -> g.bucket(bucket).key(key)).asByteArray()).isEqualTo(expected);
            assertThat(s3.listMultipartUploads(l -> l.bucket(bucket).prefix(key)).uploads()).isEmpty();
        }
    }

    @Test
    void abortedMultipartUploadLeavesNoUploadAndNoObject(S3Endpoint endpoint) {
        try (S3Client s3 = TestServers.s3Client(endpoint)) {
            String bucket = newBucket(s3);
            String key = "raw/interrupted.csv.gz";
            String uploadId = s3.createMultipartUpload(c -> c.bucket(bucket).key(key)).uploadId();
            s3.uploadPart(u -> u.bucket(bucket).key(key).uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(randomBytes(5 * MIB, 3)));

            // Listed with the key as prefix: s3proxy also lists without one, MinIO lists only per object name.
            assertThat(s3.listMultipartUploads(l -> l.bucket(bucket).prefix(key)).uploads())
                    .extracting(MultipartUpload::key, MultipartUpload::uploadId)
                    .containsExactly(tuple(key, uploadId));

            s3.abortMultipartUpload(a -> a.bucket(bucket).key(key).uploadId(uploadId));

            assertThat(s3.listMultipartUploads(l -> l.bucket(bucket).prefix(key)).uploads()).isEmpty();
            assertThat(s3.listObjectsV2(l -> l.bucket(bucket)).contents()).isEmpty();
        }
    }

    @Test
    void wrongSecretIsRefused(S3Endpoint endpoint) {
        S3Endpoint wrong = new S3Endpoint(endpoint.uri(), endpoint.accessKey(), "not-the-secret", endpoint.region());
        try (S3Client s3 = TestServers.s3Client(wrong)) {
            S3Exception e = catchThrowableOfType(S3Exception.class, () -> s3.listBuckets());
            assertThat(e.statusCode()).isEqualTo(403);
        }
    }

    /** S3 refuses keys over 1,024 UTF-8 bytes; s3proxy alone would store them, so code that breaks on AWS would pass. */
    @Test
    void keysOverS3sLimitOf1024BytesAreRefusedAsS3RefusesThem(S3Endpoint endpoint) {
        try (S3Client s3 = TestServers.s3Client(endpoint)) {
            String bucket = newBucket(s3);
            String fits = ("raw/" + "é".repeat(100) + "/").repeat(4) + "x".repeat(1024 - 4 * 205);
            String over = fits + "y";
            assertThat(fits.getBytes(StandardCharsets.UTF_8)).hasSize(1024);

            s3.putObject(p -> p.bucket(bucket).key(fits), RequestBody.fromString("fits"));
            S3Exception put = catchThrowableOfType(S3Exception.class,
                    () -> s3.putObject(p -> p.bucket(bucket).key(over), RequestBody.fromString("too long")));
            S3Exception copy = catchThrowableOfType(S3Exception.class, () -> s3.copyObject(c -> c
                    .sourceBucket(bucket).sourceKey(fits).destinationBucket(bucket).destinationKey(over)));
            S3Exception multipart = catchThrowableOfType(S3Exception.class,
                    () -> s3.createMultipartUpload(m -> m.bucket(bucket).key(over)));

            assertThat(s3.getObjectAsBytes(g -> g.bucket(bucket).key(fits)).asUtf8String()).isEqualTo("fits");
            for (S3Exception e : List.of(put, copy, multipart)) {
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("KeyTooLongError");
            }
            assertThat(s3.listObjectsV2(l -> l.bucket(bucket)).contents()).extracting(S3Object::key)
                    .containsExactly(fits);
        }
    }

    @Test
    void serverOnAGivenDirectoryKeepsObjectsAcrossRestarts(@TempDir Path dir) {
        try (EmbeddedS3 server = EmbeddedS3.start(dir); S3Client s3 = clientFor(server)) {
            s3.createBucket(b -> b.bucket("kept"));
            s3.putObject(p -> p.bucket("kept").key("a/b.txt"), RequestBody.fromString("still here"));
        }
        try (EmbeddedS3 server = EmbeddedS3.start(dir); S3Client s3 = clientFor(server)) {
            assertThat(s3.getObjectAsBytes(g -> g.bucket("kept").key("a/b.txt")).asUtf8String()).isEqualTo("still here");
        }
    }

    /** The load benchmark's servers: their data under its --dir, not in the system's temporary directory, and gone after. */
    @Test
    void aTemporaryServerInAGivenDirectoryKeepsItsDataThereUntilItCloses(@TempDir Path parent) {
        Path data;
        try (EmbeddedS3 server = EmbeddedS3.startTemporary(parent); S3Client s3 = clientFor(server)) {
            data = server.dataDir();
            assertThat(data.getParent()).isEqualTo(parent.toAbsolutePath());
            s3.createBucket(b -> b.bucket("bench"));
            s3.putObject(p -> p.bucket("bench").key("raw/x.csv"), RequestBody.fromString("x"));
            assertThat(data.resolve("bench")).isDirectory();
        }
        assertThat(data).doesNotExist();
        assertThat(parent).isDirectory();
    }

    private static S3Client clientFor(EmbeddedS3 server) {
        return TestServers.s3Client(new S3Endpoint(server.endpoint(), server.accessKey(), server.secretKey(), server.region()));
    }
}
