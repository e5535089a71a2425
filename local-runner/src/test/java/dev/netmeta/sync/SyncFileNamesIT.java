package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** File names and sizes: the S3 key is the FTP path under RAW_PREFIX, byte-identical, at every size boundary. */
@ExtendWith(TestServers.class)
class SyncFileNamesIT {

    private static final int MIB = 1024 * 1024;
    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    /** Non-ASCII names: the S3 key must be the file's name, not its UTF-8 bytes read as ISO-8859-1. */
    @Test
    void nonAsciiFileNameKeepsItsNameInTheKey(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3);
            Path file = SyncFiles.write(t.ftpDir.resolve("München-日本.csv.gz"), 1000, 101);

            SyncSummary summary = new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getFailures()).isEmpty();
            assertThat(t.objects(s3)).extracting(S3Object::key).containsExactly("raw/München-日本.csv.gz");
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/München-日本.csv.gz")).isEqualTo(SyncFiles.sha256(file));
        }
    }

    /** Names with characters that need escaping in URLs (space, #, %, +, &, ?, =) keep their exact names as keys. */
    @Test
    void urlSpecialCharactersInNamesAreKeptInTheKey(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("SYNC_STREAMING_PUT_MAX_MB", "0");
            Path small = SyncFiles.write(t.ftpDir.resolve("dir with space/a b#c%20d+e&f=g.csv.gz"), 1000, 102);
            Path multi = SyncFiles.write(t.ftpDir.resolve("p%2Fq/x+y#z.csv.gz"), 9L * MIB, 103);

            SyncSummary summary = new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getFailures()).isEmpty();
            assertThat(t.objects(s3)).extracting(S3Object::key).containsExactlyInAnyOrder(
                    "raw/dir with space/a b#c%20d+e&f=g.csv.gz", "raw/p%2Fq/x+y#z.csv.gz");
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/dir with space/a b#c%20d+e&f=g.csv.gz")).isEqualTo(SyncFiles.sha256(small));
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/p%2Fq/x+y#z.csv.gz")).isEqualTo(SyncFiles.sha256(multi));
            // a second run finds them present (the diff compares the decoded keys)
            SyncSummary second = new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000));
            assertThat(second.getSkippedPresent()).isEqualTo(2);
        }
    }

    /** Sizes exactly at the boundaries: part size, streamed-PUT maximum, a multiple of the part size (multipart). */
    @Test
    void filesExactlyAtTheSizeBoundariesAreCopied(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("SYNC_STREAMING_PUT_MAX_MB", "16")
                    .with("SYNC_PART_SIZE_MB", "5");
            Path atPart = SyncFiles.write(t.ftpDir.resolve("part.csv.gz"), 5L * MIB, 104);
            Path atStreamMax = SyncFiles.write(t.ftpDir.resolve("stream.csv.gz"), 16L * MIB, 105);
            Path multiple = SyncFiles.write(t.ftpDir.resolve("multi.csv.gz"), 20L * MIB, 106);

            SyncSummary summary = new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getFailures()).isEmpty();
            assertThat(summary.getCopied()).isEqualTo(3);
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/part.csv.gz")).isEqualTo(SyncFiles.sha256(atPart));
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/stream.csv.gz")).isEqualTo(SyncFiles.sha256(atStreamMax));
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/multi.csv.gz")).isEqualTo(SyncFiles.sha256(multiple));
            assertThat(t.pendingUploads(s3, "raw/")).isEmpty();
        }
    }

}
