package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * docs/SYNC.md "Checksums": the sync sends every file's CRC32C, S3 checks it against what arrived and keeps it as the
 * object's checksum — the one the load checks its download against. Through the real handler, FTP server and s3proxy,
 * on each of the three ways up (≤ one 8 MiB part: one PUT from a buffer; ≤ SYNC_STREAMING_PUT_MAX_MB: one PUT streamed
 * from FTP; larger: multipart).
 */
@ExtendWith(TestServers.class)
class SyncChecksumIT {

    private static final int MIB = 1024 * 1024;
    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    @Test
    void everyObjectIsStoredWithTheCrc32cOfItsFtpFile(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("SYNC_STREAMING_PUT_MAX_MB", "16");
            Path buffered = SyncFiles.write(t.ftpDir.resolve("buffered.csv.gz"), 3L * MIB + 3, 31);
            Path empty = SyncFiles.write(t.ftpDir.resolve("empty.csv.gz"), 0, 32);
            Path streamed = SyncFiles.write(t.ftpDir.resolve("streamed.csv.gz"), 12L * MIB + 5, 33);
            Path multipart = SyncFiles.write(t.ftpDir.resolve("multipart.csv.gz"), 20L * MIB + 17, 34);

            SyncSummary summary = new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).isEqualTo(4);
            assertThat(summary.getFailures()).isEmpty();
            assertThat(checksumOf(s3, t, "buffered.csv.gz").checksumCRC32C()).isEqualTo(crc32c(buffered));
            assertThat(checksumOf(s3, t, "empty.csv.gz").checksumCRC32C()).isEqualTo(crc32c(empty)).isEqualTo("AAAAAA==");
            GetObjectResponse whole = checksumOf(s3, t, "multipart.csv.gz");
            assertThat(whole.checksumCRC32C()).as("the whole object's, not a composite of the parts'")
                    .isEqualTo(crc32c(multipart));
            assertThat(String.valueOf(whole.checksumType())).isEqualTo("FULL_OBJECT");
            // The streamed PUT's CRC32C goes in an aws-chunked trailer: s3proxy 4.1.0 checks it (see below) but keeps
            // only a checksum sent as a header, so it gives none back; S3 (and MinIO) keep it.
            String streamedCrc = checksumOf(s3, t, "streamed.csv.gz").checksumCRC32C();
            if (embedded()) {
                assertThat(streamedCrc).as("s3proxy keeps no trailing checksum (if it does now: SYNC.md, LOAD.md)").isNull();
            } else {
                assertThat(streamedCrc).isEqualTo(crc32c(streamed));
            }
        }
    }

    /**
     * One byte of the body changed between the sync and S3 (a TCP proxy that inverts the byte after the first MiB a
     * connection sends): S3 refuses the upload for its checksum, the file fails for this run saying so, nothing is
     * stored and no multipart upload is left; the next run copies it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "buffered PUT,  3145731, 100, the PUT",
        "multipart,    20971537,   0, part 1",
    })
    void aByteChangedOnTheWayFailsTheFileAndStoresNothing(String path, long size, String streamingPutMaxMb,
                                                          String refused, FtpEndpoint ftp, S3Endpoint s3e)
            throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e);
             BreakingTcpProxy proxy = new BreakingTcpProxy(s3e.uri(), MIB)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString())
                    .with("SYNC_STREAMING_PUT_MAX_MB", streamingPutMaxMb);
            Path file = SyncFiles.write(t.ftpDir.resolve("changed.csv.gz"), size, 35);
            SyncHandler handler = new SyncHandler(t.env);

            proxy.changeLargeRequests(true);
            SyncSummary changed = handler.handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(changed.getCopied()).isZero();
            assertThat(changed.getFailures()).singleElement().satisfies(f -> {
                assertThat(f.getFile()).isEqualTo("changed.csv.gz");
                assertThat(f.getReason()).startsWith("ChecksumRefusedException: S3 refused " + refused + ": the CRC32C"
                        + " of the bytes it received is not the one the sync computed from the FTP data (BadDigest), so"
                        + " bytes were changed on the way; nothing was stored, the next run copies the file again"
                        + " <- S3Exception: ");
            });
            // s3proxy's filesystem back-end may keep the temporary file of a refused PUT as a "<key>-<uuid>" object
            // (a stand-in artefact; S3 stores nothing). The key itself must not exist.
            assertThat(t.objects(s3)).extracting(S3Object::key)
                    .allMatch(k -> SyncFiles.isCutPutLeftover(k, "raw/changed.csv.gz"), "s3proxy's leftover of the PUT");
            assertThat(t.pendingUploads(s3, "raw/changed.csv.gz")).isEmpty();

            proxy.changeLargeRequests(false);
            SyncSummary next = handler.handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(next.getCopied()).isEqualTo(1);
            assertThat(next.getFailures()).isEmpty();
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/changed.csv.gz")).isEqualTo(SyncFiles.sha256(file));
        }
    }

    /**
     * The streamed PUT's CRC32C travels in an aws-chunked trailer, which S3 checks (and S3ObjectStoreChecksumTest
     * shows it is sent). s3proxy 4.1.0 reads such a body only up to x-amz-decoded-content-length and never reaches the
     * trailer: the changed byte is stored. Pinned so that an s3proxy that starts checking it is noticed (SYNC.md).
     */
    @Test
    void s3proxyDoesNotCheckTheStreamedPutsTrailingChecksum(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        assumeTrue(embedded(), "s3proxy only");
        try (S3Client s3 = TestServers.s3Client(s3e);
             BreakingTcpProxy proxy = new BreakingTcpProxy(s3e.uri(), MIB)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString())
                    .with("SYNC_STREAMING_PUT_MAX_MB", "100");
            Path file = SyncFiles.write(t.ftpDir.resolve("changed.csv.gz"), 12L * MIB + 5, 36);

            proxy.changeLargeRequests(true);
            SyncSummary changed = new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(changed.getCopied()).isEqualTo(1);
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/changed.csv.gz")).isNotEqualTo(SyncFiles.sha256(file));
        }
    }

    private static GetObjectResponse checksumOf(S3Client s3, SyncTestSetup t, String file) {
        return s3.getObjectAsBytes(b -> b.bucket(t.bucket).key("raw/" + file).checksumMode(ChecksumMode.ENABLED)).response();
    }

    private static boolean embedded() {
        return System.getProperty(TestServers.BACKEND_PROPERTY, "embedded").equals("embedded");
    }

    /** A CRC32C as S3 writes it: four bytes, big-endian, base64. */
    private static String crc32c(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(Files.readAllBytes(file));
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
