package dev.netmeta.sync;

import dev.netmeta.local.testing.TestLambdaContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith(TestServers.class)
class SyncFtpsIT {

    private static final int MIB = 1024 * 1024;
    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    @Test
    void explicitFtpsWithSelfSignedCertificateTrustedByConfiguration(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3);
            t.env.putAll(ftp.ftpsEnv());
            Path file = SyncFiles.write(t.ftpDir.resolve("tls/a.csv.gz"), 10L * MIB + 5, 31);

            SyncSummary summary = new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).isEqualTo(1);
            assertThat(summary.getFailures()).isEmpty();
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/tls/a.csv.gz")).isEqualTo(SyncFiles.sha256(file));
        }
    }

    @Test
    void selfSignedCertificateIsRejectedWithoutTheTrustStore(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("FTP_TLS", "explicit");
            SyncFiles.write(t.ftpDir.resolve("a.csv.gz"), 100, 32);

            assertThatThrownBy(() -> new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("Cannot connect to FTP server")
                    .hasMessageContaining("explicit TLS");
            assertThat(t.objects(s3)).isEmpty();
        }
    }
}
