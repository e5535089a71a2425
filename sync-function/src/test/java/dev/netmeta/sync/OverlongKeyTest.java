package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.sync.PreTransferCheckTest.FakeSource;
import dev.netmeta.sync.PreTransferCheckTest.FakeStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * S3 refuses keys over 1,024 bytes (UTF-8). A file whose key would be longer is a failure that names the reason
 * before any byte is transferred — not S3's "KeyTooLongError" after the download has started, run after run.
 */
class OverlongKeyTest {

    private static final Instant NOW = Instant.parse("2026-11-27T02:00:00Z");
    private static final Instant OLD = NOW.minusSeconds(3600);
    /** With the default prefix "raw/": 4 + 1,014 + 7 = 1,025 bytes. */
    private static final String LONG = "d/".repeat(507) + ".csv.gz";
    /** 1,024 bytes exactly with the prefix: still allowed. */
    private static final String FITS = "d/".repeat(506) + "a.csv.gz";

    @Test
    void aScheduledRunReportsAFileWhoseKeyWouldBeTooLongAndCopiesNothingOfIt() {
        FakeStore store = new FakeStore();
        SyncSummary s = service(new FakeSource(new RemoteFile(LONG, 4, OLD), new RemoteFile(LONG, 4, OLD)), store)
                .runScheduled(() -> 900_000);

        assertThat(store.uploaded).isEmpty();
        assertThat(s.getListed()).isEqualTo(1);
        assertThat(s.getFailed()).isEqualTo(1);
        assertThat(s.getFailures().get(0).getFile()).isEqualTo(LONG);
        assertThat(s.getFailures().get(0).getReason())
                .isEqualTo("its S3 key would be 1025 bytes (UTF-8), more than the 1024 S3 allows: shorten the path on"
                        + " the FTP server or RAW_PREFIX");
    }

    @Test
    void aKeyOfExactly1024BytesIsCopied() {
        FakeStore store = new FakeStore();
        SyncSummary s = service(new FakeSource(new RemoteFile(FITS, 4, OLD), new RemoteFile(FITS, 4, OLD)), store)
                .runScheduled(() -> 900_000);

        assertThat(s.getFailed()).isZero();
        assertThat(store.uploaded).singleElement().satisfies(k -> assertThat(k.getBytes(StandardCharsets.UTF_8)).hasSize(1024));
    }

    @Test
    void aCopyFileEventForSuchAFileIsRejectedWithTheReason() {
        FakeStore store = new FakeStore();
        SyncSummary s = service(new FakeSource(null, new RemoteFile(LONG, 4, OLD)), store)
                .copyFile(new CopyFileRequest(LONG, 4, OLD), () -> 900_000);

        assertThat(store.uploaded).isEmpty();
        assertThat(s.getFailed()).isEqualTo(1);
        assertThat(s.getFailures().get(0).getReason()).startsWith("its S3 key would be 1025 bytes");
    }

    private static SyncService service(FakeSource source, FakeStore store) {
        SyncConfig config = SyncConfig.fromEnv(Map.of("FTP_HOST", "h", "FTP_USER", "u", "BUCKET", "b",
                "SYNC_FANOUT_ENABLED", "false", "SYNC_STATE_KEY", ""));
        Redactor redactor = new Redactor(new EnvSecretSource("pw"));
        JsonLog log = new JsonLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), redactor);
        return new SyncService(config, source, store, null, redactor, log, Clock.fixed(NOW, ZoneOffset.UTC),
                ThroughputStore.NONE);
    }
}
