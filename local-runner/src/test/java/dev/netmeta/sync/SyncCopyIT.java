package dev.netmeta.sync;

import dev.netmeta.local.testing.TestLambdaContext;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

@ExtendWith(TestServers.class)
class SyncCopyIT {

    private static final int MIB = 1024 * 1024;
    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    @Test
    void newFilesInNestedDirectoriesAreCopiedByteIdenticalAndOthersIgnored(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            // ≤ 8 MiB: one buffered PUT; ≤ 16 MiB: one streamed PUT; larger: multipart
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("FTP_PATTERNS", "*.csv.gz,*.log.gz")
                    .with("SYNC_STREAMING_PUT_MAX_MB", "16");
            Path small = SyncFiles.write(t.ftpDir.resolve("2018-05-09-metadata.csv.gz"), 1234, 1);
            Path streamed = SyncFiles.write(t.ftpDir.resolve("2018/05/10/flows.csv.gz"), 12L * MIB + 5, 14);
            Path multipart = SyncFiles.write(t.ftpDir.resolve("2018/05/09/flows.csv.gz"), 20L * MIB + 17, 2);
            Path exactPart = SyncFiles.write(t.ftpDir.resolve("zeek/conn.log.gz"), 8L * MIB, 3);
            Path empty = SyncFiles.write(t.ftpDir.resolve("zeek/empty.log.gz"), 0, 4);
            SyncFiles.write(t.ftpDir.resolve("notes.txt"), 10, 5);
            SyncFiles.write(t.ftpDir.resolve("2018/flows.csv"), 10, 6);

            SyncSummary summary = new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getListed()).isEqualTo(5);
            assertThat(summary.getNew()).isEqualTo(5);
            assertThat(summary.getCopied()).isEqualTo(5);
            assertThat(summary.getFailures()).isEmpty();
            assertThat(summary.getBytes()).isEqualTo(1234 + 12L * MIB + 5 + 20L * MIB + 17 + 8L * MIB);
            assertThat(t.objects(s3)).extracting(S3Object::key).containsExactlyInAnyOrder(
                    "raw/2018-05-09-metadata.csv.gz", "raw/2018/05/10/flows.csv.gz", "raw/2018/05/09/flows.csv.gz",
                    "raw/zeek/conn.log.gz", "raw/zeek/empty.log.gz");
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/2018/05/10/flows.csv.gz")).isEqualTo(SyncFiles.sha256(streamed));
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/2018-05-09-metadata.csv.gz")).isEqualTo(SyncFiles.sha256(small));
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/2018/05/09/flows.csv.gz")).isEqualTo(SyncFiles.sha256(multipart));
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/zeek/conn.log.gz")).isEqualTo(SyncFiles.sha256(exactPart));
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/zeek/empty.log.gz")).isEqualTo(SyncFiles.sha256(empty));
            assertThat(t.pendingUploads(s3, "raw/")).isEmpty();
        }
    }

    @Test
    void presentFilesAreSkippedWithoutTransferringData(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3);
            SyncFiles.write(t.ftpDir.resolve("a.csv.gz"), 3 * MIB, 7);
            SyncFiles.write(t.ftpDir.resolve("d/b.csv.gz"), 12 * MIB, 8);
            SyncHandler handler = new SyncHandler(t.env);
            assertThat(handler.handleRequest(TICK, TestLambdaContext.realTime(900_000)).getCopied()).isEqualTo(2);
            Instant firstCopy = s3.headObject(h -> h.bucket(t.bucket).key("raw/d/b.csv.gz")).lastModified();

            SyncSummary second = handler.handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(second.getListed()).isEqualTo(2);
            assertThat(second.getSkippedPresent()).isEqualTo(2);
            assertThat(second.getNew()).isZero();
            assertThat(second.getCopied()).isZero();
            assertThat(second.getBytes()).isZero();
            assertThat(s3.headObject(h -> h.bucket(t.bucket).key("raw/d/b.csv.gz")).lastModified()).isEqualTo(firstCopy);
        }
    }

    @Test
    void fileWhoseSizeChangedIsCopiedAgain(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3);
            Path file = SyncFiles.write(t.ftpDir.resolve("a.csv.gz"), 10 * MIB, 9);
            SyncFiles.write(t.ftpDir.resolve("b.csv.gz"), 1000, 10);
            SyncHandler handler = new SyncHandler(t.env);
            assertThat(handler.handleRequest(TICK, TestLambdaContext.realTime(900_000)).getCopied()).isEqualTo(2);

            Files.write(file, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
            SyncFiles.age(file, 600);
            SyncSummary second = handler.handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(second.getNew()).isEqualTo(1);
            assertThat(second.getCopied()).isEqualTo(1);
            assertThat(second.getSkippedPresent()).isEqualTo(1);
            assertThat(second.getBytes()).isEqualTo(10L * MIB + 3);
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/a.csv.gz")).isEqualTo(SyncFiles.sha256(file));
        }
    }

    @Test
    void fileStillBeingWrittenIsSkippedUntilItIsOldEnough(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("SYNC_MIN_AGE_SECONDS", "300");
            Path growing = SyncFiles.write(t.ftpDir.resolve("growing.csv.gz"), 2 * MIB, 11);
            SyncFiles.age(growing, 5); // written to 5 s ago
            SyncFiles.write(t.ftpDir.resolve("done.csv.gz"), MIB, 12);
            SyncHandler handler = new SyncHandler(t.env);

            SyncSummary first = handler.handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(first.getSkippedUnstable()).isEqualTo(1);
            assertThat(first.getCopied()).isEqualTo(1);
            assertThat(t.objects(s3)).extracting(S3Object::key).containsExactly("raw/done.csv.gz");

            Files.write(growing, new byte[1000], StandardOpenOption.APPEND); // the writer finishes …
            SyncFiles.age(growing, 301);                                      // … and the file settles
            SyncSummary second = handler.handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(second.getCopied()).isEqualTo(1);
            assertThat(second.getSkippedUnstable()).isZero();
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/growing.csv.gz")).isEqualTo(SyncFiles.sha256(growing));
        }
    }

    @Test
    void fileWhoseSizeChangedSinceListingIsSkipped(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3);
            Path file = SyncFiles.write(t.ftpDir.resolve("a.csv.gz"), 9 * MIB, 13);
            SyncHandler handler = new SyncHandler(t.env);
            // a copy-file request carries the size of the listing; the file has grown since then
            CopyFileRequest listed = new CopyFileRequest("a.csv.gz", 9L * MIB - 100, Instant.now().minusSeconds(3600));

            SyncSummary summary = handler.handleRequest(copyEvent(listed), TestLambdaContext.realTime(900_000));

            assertThat(summary.getSkippedUnstable()).isEqualTo(1);
            assertThat(summary.getCopied()).isZero();
            assertThat(t.objects(s3)).isEmpty();
            assertThat(t.pendingUploads(s3, "raw/")).isEmpty();
            assertThat(Files.size(file)).isEqualTo(9L * MIB);
        }
    }

    static ScheduledEvent copyEvent(CopyFileRequest request) throws Exception {
        Path json = Files.createTempFile("copy-file", ".json");
        try {
            Files.writeString(json, request.toPayloadJson());
            return EventLoader.loadScheduledEvent(json.toString());
        } finally {
            Files.deleteIfExists(json);
        }
    }
}
