package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.server.EmbeddedFtp;
import dev.netmeta.local.server.FtpSettings;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** An FTP server that allows fewer sessions than SYNC_CONCURRENCY. */
@ExtendWith(TestServers.class)
class SyncConnectionLimitIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    /**
     * The FTP server allows fewer sessions per user than SYNC_CONCURRENCY (a common setting: 2–3). The docs promise
     * no deadlock and no lost file; the run should still copy everything on the sessions it gets.
     */
    @Test
    void serverLoginLimitBelowConcurrencyStillCopiesEveryFile(S3Endpoint s3e, @TempDir Path root) throws Exception {
        try (EmbeddedFtp ftp = EmbeddedFtp.start(FtpSettings.of(root, "limited", "pw-" + UUID.randomUUID()).withMaxLoginsPerUser(2));
             S3Client s3 = TestServers.s3Client(s3e)) {
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                files.add(SyncFiles.write(root.resolve("in/f" + i + ".csv.gz"), 200_000 + i, 200 + i));
            }
            String bucket = "it-limit-" + UUID.randomUUID().toString().substring(0, 8);
            s3.createBucket(b -> b.bucket(bucket));
            Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", ftp.host(), "FTP_PORT", Integer.toString(ftp.port()),
                    "FTP_USER", ftp.user(), "FTP_PASSWORD", ftp.password(), "FTP_REMOTE_DIR", "/in",
                    "FTP_TIMEOUT_MS", "20000", "BUCKET", bucket, "SYNC_CONCURRENCY", "4"));
            env.putAll(s3e.env());

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getFailures()).as("failures").isEmpty();
            assertThat(summary.getCopied()).isEqualTo(8);
        }
    }

}
