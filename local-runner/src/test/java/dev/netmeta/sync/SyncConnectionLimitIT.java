package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.server.EmbeddedFtp;
import dev.netmeta.local.server.FtpSettings;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
     * The FTP server allows fewer sessions per user than SYNC_CONCURRENCY (common settings are 2–3; here 1). The docs
     * promise no deadlock and no lost file; the run should still copy everything on the sessions it gets. The server
     * must actually have refused a login (its 421 to USER): else the limit was never reached and the test would prove
     * nothing — and the sync must have said it went on with fewer parallel transfers.
     *
     * <p>Why a limit of 1: MINA checks the limit at USER against the sessions already past PASS, so logins that arrive
     * together can all pass a limit of 2 (with 2, one run had one of three parallel logins refused — by timing). With
     * 1, the listing's session, which the sync keeps logged in for the first transfer, holds the only place, and every
     * further login is refused.
     */
    @Test
    void serverLoginLimitBelowConcurrencyStillCopiesEveryFile(S3Endpoint s3e, @TempDir Path root) throws Exception {
        try (EmbeddedFtp ftp = EmbeddedFtp.start(FtpSettings.of(root, "limited", "pw-" + UUID.randomUUID()).withMaxLoginsPerUser(1));
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

            PrintStream original = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            SyncSummary summary;
            try {
                SyncHandler handler = new SyncHandler(env); // logs to the stdout it finds at construction
                summary = handler.handleRequest(TICK, TestLambdaContext.realTime(900_000));
            } finally {
                System.setOut(original);
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            original.print(log);

            assertThat(ftp.refusedLogins()).as("logins the server refused (its per-user limit of 1 reached)")
                    .isPositive();
            assertThat(log).as("the sync's log").contains("no further FTP session, continuing with fewer parallel"
                    + " transfers").contains("421");
            assertThat(summary.getFailures()).as("failures").isEmpty();
            assertThat(summary.getCopied()).isEqualTo(8);
            for (int i = 0; i < files.size(); i++) {
                assertThat(SyncFiles.sha256(s3, bucket, "raw/f" + i + ".csv.gz")).isEqualTo(SyncFiles.sha256(files.get(i)));
            }
        }
    }

}
