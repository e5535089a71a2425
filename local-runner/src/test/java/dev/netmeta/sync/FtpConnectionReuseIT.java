package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.server.EmbeddedFtp;
import dev.netmeta.local.server.FtpSettings;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * FTP sessions are kept between files: a run logs in about once per parallel stream, not once per file, and logs
 * every session out at its end; a kept session the server has dropped meanwhile is replaced, not a failed file.
 * Each test has an FTP server of its own, so its login counts are its own.
 */
@ExtendWith(TestServers.class)
class FtpConnectionReuseIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    @Test
    void aRunLogsInOncePerStreamAndLogsOutAtTheEnd(S3Endpoint s3e, @TempDir Path root) throws Exception {
        try (EmbeddedFtp ftp = EmbeddedFtp.start(FtpSettings.of(root, "reuse", "pw-" + UUID.randomUUID()));
             S3Client s3 = TestServers.s3Client(s3e)) {
            List<Path> files = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                files.add(SyncFiles.write(root.resolve("in/f" + i + ".csv.gz"), 100_000 + i, i));
            }
            Map<String, String> env = env(ftp, s3e, s3, "/in");
            env.put("SYNC_CONCURRENCY", "3");

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).isEqualTo(12);
            assertThat(summary.getFailures()).isEmpty();
            for (int i = 0; i < 12; i++) {
                assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/f" + i + ".csv.gz")).isEqualTo(SyncFiles.sha256(files.get(i)));
            }
            // the listing's session is kept and taken by a stream: at most 3 sessions for 12 files (1 + 12 before)
            assertThat(ftp.totalLogins()).isBetween(1, 3);
            awaitNoSessions(ftp);
        }
    }

    @Test
    void aKeptSessionTheServerDroppedIsReplacedByANewOne(@TempDir Path root) throws Exception {
        try (EmbeddedFtp ftp = EmbeddedFtp.start(FtpSettings.of(root, "idle", "pw-" + UUID.randomUUID()).withMaxIdleSeconds(1))) {
            Path file = SyncFiles.write(root.resolve("in/late.csv.gz"), 300_000, 9);
            Map<String, String> env = new HashMap<>(ftpEnv(ftp, "/in"));
            env.put("BUCKET", "unused");
            SyncConfig config = SyncConfig.fromEnv(env);
            FtpRemoteFileSource source = new FtpRemoteFileSource(config, new FtpConnector(config, new EnvSecretSource(ftp.password())));

            assertThat(source.list().files()).extracting(RemoteFile::path).containsExactly("late.csv.gz"); // its session is kept
            // the server ends the idle session (MINA looks for idle sessions once a second: 1–2 s here, more on a busy
            // machine — a fixed sleep could end first, and the kept session would be reused, one login short)
            awaitNoSessions(ftp);

            byte[] copied;
            try (RemoteFileSource.Download download = source.open("late.csv.gz"); InputStream in = download.stream()) {
                assertThat(download.current()).isPresent();
                copied = in.readAllBytes();
            }
            source.releaseConnections();

            assertThat(copied).isEqualTo(Files.readAllBytes(file));
            assertThat(ftp.totalLogins()).isEqualTo(2);
            awaitNoSessions(ftp);
        }
    }

    private static Map<String, String> ftpEnv(EmbeddedFtp ftp, String dir) {
        return Map.of("FTP_HOST", ftp.host(), "FTP_PORT", Integer.toString(ftp.port()), "FTP_USER", ftp.user(),
                "FTP_PASSWORD", ftp.password(), "FTP_REMOTE_DIR", dir, "SYNC_MIN_AGE_SECONDS", "0", "FTP_TIMEOUT_MS", "20000");
    }

    private static Map<String, String> env(EmbeddedFtp ftp, S3Endpoint s3e, S3Client s3, String dir) {
        String bucket = "it-reuse-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, String> env = new HashMap<>(ftpEnv(ftp, dir));
        env.putAll(s3e.env());
        env.put("BUCKET", bucket);
        return env;
    }

    /**
     * Waits until the server has no session logged in: it counts a logout when it has processed the QUIT (a moment
     * after the client sent it) or closed an idle session. The deadline is generous: only a session that never ends
     * reaches it.
     */
    private static void awaitNoSessions(EmbeddedFtp ftp) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (ftp.currentLogins() > 0 && System.nanoTime() < giveUp) {
            Thread.sleep(20);
        }
        assertThat(ftp.currentLogins()).as("sessions still logged in after 30 s").isZero();
    }
}
