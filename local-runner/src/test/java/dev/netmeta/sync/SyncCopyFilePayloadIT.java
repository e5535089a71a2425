package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

/** Copy-file payloads are untrusted input: they must never act outside the configured directory. */
@ExtendWith(TestServers.class)
class SyncCopyFilePayloadIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    /**
     * A copy-file payload is untrusted input ("an event can never reach outside the configured directory"). A path
     * with CR/LF would pass the pattern ("*" matches CR and LF), and commons-net writes a path into the control
     * connection verbatim: the payload could smuggle an FTP command (here DELE of another file). It must be refused
     * before any FTP command is sent.
     */
    @Test
    void copyFilePathWithCrLfCannotInjectFtpCommands(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3);
            Path victim = SyncFiles.write(t.ftpDir.resolve("victim.csv.gz"), 1000, 107);
            String path = "a.csv.gz\r\nDELE " + t.remoteDir + "/victim.csv.gz";
            CopyFileRequest request = new CopyFileRequest(path, 1000, Instant.now().minusSeconds(3600));

            SyncSummary summary = new SyncHandler(t.env).handleRequest(SyncCopyIT.copyEvent(request),
                    TestLambdaContext.realTime(900_000));

            assertThat(victim).as("a file on the FTP server deleted by a copy-file payload").exists();
            assertThat(summary.getMode()).isEqualTo("copy-file");
            assertThat(summary.getCopied()).isZero();
            assertThat(summary.getFailures()).singleElement().extracting(FileFailure::getReason).asString()
                    .contains("must not contain control characters");
        }
    }

    /** The copy-file path's own pattern check also holds for patterns with directories. */
    @Test
    void copyFileOutsideAPathPatternIsRefused(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("FTP_PATTERNS", "zeek/**/*.log.gz");
            SyncFiles.write(t.ftpDir.resolve("other/x.log.gz"), 100, 109);
            CopyFileRequest request = new CopyFileRequest("other/x.log.gz", 100, Instant.now().minusSeconds(3600));
            // answered, not thrown: Lambda's retries could not change the outcome
            SyncSummary summary = new SyncHandler(t.env).handleRequest(SyncCopyIT.copyEvent(request),
                    TestLambdaContext.realTime(900_000));
            assertThat(summary.getFailures()).singleElement().satisfies(f -> {
                assertThat(f.getFile()).isEqualTo("other/x.log.gz");
                assertThat(f.getReason()).contains("does not match FTP_PATTERNS");
            });
            assertThat(t.objects(s3)).isEmpty();
        }
    }

}
