package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** Workers that cannot get an FTP session leave their files to the others; with no session at all the files fail. */
class SessionLimitTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void withOneSessionAllowedEveryFileIsCopiedByTheWorkerThatHasIt() {
        SyncSummary s = run(1, 12);
        assertThat(s.getFailures()).isEmpty();
        assertThat(s.getCopied()).isEqualTo(12);
    }

    @Test
    void withNoSessionAtAllEveryFileFailsWithTheServersAnswer() {
        SyncSummary s = run(0, 6);
        assertThat(s.getCopied()).isZero();
        assertThat(s.getFailures()).hasSize(6)
                .allSatisfy(f -> assertThat(f.getReason()).contains("421 Too many connections"));
    }

    private static SyncSummary run(int sessions, int files) {
        Semaphore limit = new Semaphore(sessions);
        List<RemoteFile> listed = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            listed.add(new RemoteFile("f" + i + ".csv.gz", 4, NOW.minusSeconds(3600)));
        }
        RemoteFileSource source = new RemoteFileSource() {
            @Override
            public RemoteListing list() {
                return RemoteListing.of(listed);
            }

            @Override
            public Download open(String path) throws SessionUnavailableException {
                if (!limit.tryAcquire()) {
                    throw new SessionUnavailableException("FTP server closed the connection: 421 Too many connections", null);
                }
                return new Download() {
                    @Override
                    public Optional<RemoteFile> current() {
                        return listed.stream().filter(f -> f.path().equals(path)).findFirst();
                    }

                    @Override
                    public InputStream stream() {
                        return new ByteArrayInputStream(new byte[] {1, 2, 3, 4});
                    }

                    @Override
                    public void close() {
                        limit.release();
                    }
                };
            }
        };
        Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "h", "FTP_USER", "u", "BUCKET", "b",
                "SYNC_FANOUT_ENABLED", "false", "SYNC_STATE_KEY", "", "SYNC_CONCURRENCY", "4"));
        Redactor redactor = new Redactor(new EnvSecretSource("pw"));
        JsonLog log = new JsonLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), redactor);
        SyncService service = new SyncService(SyncConfig.fromEnv(env), source, new PreTransferCheckTest.FakeStore(), null,
                redactor, log, Clock.fixed(NOW, ZoneOffset.UTC), ThroughputStore.NONE);
        return service.runScheduled(() -> 900_000);
    }

    @Test
    void aRefusedLoginThatNamesASessionLimitIsNotBlamedOnThePassword() {
        assertThat(FtpConnector.sessionLimit("530 Sorry, the maximum number of clients (4) from your host are already connected.")).isTrue();
        assertThat(FtpConnector.sessionLimit("421 Too many users, sorry")).isTrue();
        assertThat(FtpConnector.sessionLimit("530 Login incorrect.")).isFalse();
        assertThat(FtpConnector.sessionLimit("530 Authentication failed.")).isFalse();
    }
}
