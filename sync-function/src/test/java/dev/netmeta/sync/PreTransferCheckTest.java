package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The check right before a transfer looks at the file again (MLST, SIZE + MDTM or LIST) and compares its size and its
 * modification time: a file rewritten in place since the listing (same size, new time, possibly still being written)
 * and a copy-file event that reaches a file younger than the minimum age are skipped as unstable, not copied.
 */
class PreTransferCheckTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Instant OLD = NOW.minusSeconds(3600);

    @Test
    void scheduledRunSkipsAFileModifiedSinceTheListingEvenWithTheSameSize() {
        FakeSource source = new FakeSource(new RemoteFile("a.csv.gz", 4, OLD), new RemoteFile("a.csv.gz", 4, NOW.minusSeconds(2)));
        FakeStore store = new FakeStore();

        SyncSummary s = service(source, store).runScheduled(() -> 900_000);

        assertThat(store.uploaded).as("uploaded keys").isEmpty();
        assertThat(s.getSkippedUnstable()).isEqualTo(1);
    }

    @Test
    void copyFileInvocationSkipsAFileYoungerThanTheMinimumAge() {
        // the event carries the listing of a run hours ago; the file now on the server was written 2 s ago
        FakeSource source = new FakeSource(null, new RemoteFile("a.csv.gz", 4, NOW.minusSeconds(2)));
        FakeStore store = new FakeStore();

        SyncSummary s = service(source, store).copyFile(new CopyFileRequest("a.csv.gz", 4, OLD), () -> 900_000);

        assertThat(store.uploaded).as("uploaded keys").isEmpty();
        assertThat(s.getSkippedUnstable()).isEqualTo(1);
    }

    @Test
    void aFileTheServerGivesNoTimeForIsAFailureThatSaysWhyNotAnEndlessSkip() {
        FakeSource source = new FakeSource(new RemoteFile("a.csv.gz", 4, null), new RemoteFile("a.csv.gz", 4, OLD));
        FakeStore store = new FakeStore();

        SyncSummary s = service(source, store).runScheduled(() -> 900_000);

        assertThat(store.uploaded).as("uploaded keys").isEmpty();
        assertThat(s.getSkippedUnstable()).isZero();
        assertThat(s.getNew()).isEqualTo(1);
        assertThat(s.getFailures()).singleElement().satisfies(f -> {
            assertThat(f.getFile()).isEqualTo("a.csv.gz");
            assertThat(f.getReason()).contains("no modification time", "MDTM", "not copied");
        });
    }

    @Test
    void aFileWithoutATimeRightBeforeTheTransferIsSkippedAsUnstable() {
        FakeSource source = new FakeSource(new RemoteFile("a.csv.gz", 4, OLD), new RemoteFile("a.csv.gz", 4, null));
        FakeStore store = new FakeStore();

        SyncSummary s = service(source, store).runScheduled(() -> 900_000);

        assertThat(store.uploaded).as("uploaded keys").isEmpty();
        assertThat(s.getSkippedUnstable()).isEqualTo(1);
        assertThat(s.getFailures()).isEmpty();
    }

    @Test
    void aFileWithoutASizeRightBeforeTheTransferIsSkippedAndTheLogSaysSo() {
        FakeSource source = new FakeSource(new RemoteFile("a.csv.gz", 4, OLD), new RemoteFile("a.csv.gz", -1, OLD));
        FakeStore store = new FakeStore();
        ByteArrayOutputStream logged = new ByteArrayOutputStream();

        SyncSummary s = service(source, store, logged).runScheduled(() -> 900_000);

        assertThat(store.uploaded).as("uploaded keys").isEmpty();
        assertThat(s.getSkippedUnstable()).isEqualTo(1);
        assertThat(logged.toString(StandardCharsets.UTF_8))
                .contains("skipped (no size from the server right before the transfer)")
                .doesNotContain("changed since listing");
    }

    private static SyncService service(FakeSource source, FakeStore store) {
        return service(source, store, new ByteArrayOutputStream());
    }

    private static SyncService service(FakeSource source, FakeStore store, ByteArrayOutputStream logged) {
        Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "h", "FTP_USER", "u", "BUCKET", "b",
                "SYNC_FANOUT_ENABLED", "false", "SYNC_STATE_KEY", ""));
        SyncConfig config = SyncConfig.fromEnv(env);
        Redactor redactor = new Redactor(new EnvSecretSource("pw"));
        JsonLog log = new JsonLog(new PrintStream(logged, true, StandardCharsets.UTF_8), redactor);
        return new SyncService(config, source, store, null, redactor, log, Clock.fixed(NOW, ZoneOffset.UTC), ThroughputStore.NONE);
    }

    /** Lists {@code listed} (if any); {@code open} reports {@code current} and 4 bytes of data. */
    static final class FakeSource implements RemoteFileSource {
        private final RemoteFile listed;
        private final RemoteFile current;

        FakeSource(RemoteFile listed, RemoteFile current) {
            this.listed = listed;
            this.current = current;
        }

        @Override
        public RemoteListing list() {
            return RemoteListing.of(listed == null ? List.of() : List.of(listed));
        }

        @Override
        public Download open(String relativePath) {
            return new Download() {
                @Override
                public Optional<RemoteFile> current() {
                    return Optional.of(current);
                }

                @Override
                public InputStream stream() {
                    return new ByteArrayInputStream(new byte[] {1, 2, 3, 4});
                }

                @Override
                public void close() {
                }
            };
        }
    }

    static final class FakeStore implements EmptyBucketStore {
        final List<String> uploaded = new ArrayList<>();

        @Override
        public long upload(String key, InputStream data, long expectedSize, int partSize, BooleanSupplier keepGoing)
                throws IOException {
            long n = data.readAllBytes().length;
            uploaded.add(key);
            return n;
        }
    }
}
