package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A server that never sends a modification time in its listing used to cost one MDTM per matching file per run, also
 * for every file already in the bucket. The time only matters for a file the diff would copy (the minimum-age rule):
 * MDTM is asked after the comparison with the bucket, for those files only — the outcome of the run is the same.
 */
class MdtmOnlyForFilesToCopyTest {

    private static final String FEAT = "211-Features:\r\n SIZE\r\n MDTM\r\n MLST size*;type*;modify*;\r\n211 End";
    /** An MLSD entry without {@code modify}: one file already in the bucket with this size, one new. */
    private static final List<String> LISTING = List.of("type=file;size=4; old.csv.gz", "type=file;size=4; new.csv.gz");
    private static final Instant NOW = Instant.parse("2024-06-01T00:00:00Z");

    @Test
    void mdtmIsAskedForTheNewFileOnlyAndAnOldEnoughOneIsCopied() throws Exception {
        Map<String, String> answers = answers("213 20240101120000", "213 20240101120000");
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, LISTING, answers)) {
            server.contents.put("/d/new.csv.gz", new byte[] {1, 2, 3, 4});
            Store store = new Store();

            SyncSummary s = service(server, store).runScheduled(() -> 900_000);

            assertThat(mdtms(server)).containsExactly("MDTM /d/new.csv.gz");
            assertThat(store.uploaded).containsExactly("raw/new.csv.gz");
            assertThat(s.getCopied()).isEqualTo(1);
            assertThat(s.getSkippedPresent()).isEqualTo(1);
            assertThat(s.getNew()).isEqualTo(1);
            assertThat(s.getFailures()).isEmpty();
        }
    }

    @Test
    void aNewFileWhoseMdtmIsYoungerThanTheMinimumAgeIsHeldBack() throws Exception {
        Map<String, String> answers = answers("213 20240531235930", "213 20240101120000");
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, LISTING, answers)) {
            Store store = new Store();

            SyncSummary s = service(server, store).runScheduled(() -> 900_000);

            assertThat(mdtms(server)).containsExactly("MDTM /d/new.csv.gz");
            assertThat(store.uploaded).isEmpty();
            assertThat(s.getSkippedUnstable()).isEqualTo(1);
            assertThat(s.getSkippedPresent()).isEqualTo(1);
            assertThat(s.getFailures()).isEmpty();
        }
    }

    @Test
    void aNewFileWhoseMdtmIsRefusedIsAFailureThatSaysWhy() throws Exception {
        Map<String, String> answers = answers("550 Could not get file modification time", "213 20240101120000");
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, LISTING, answers)) {
            Store store = new Store();

            SyncSummary s = service(server, store).runScheduled(() -> 900_000);

            assertThat(mdtms(server)).containsExactly("MDTM /d/new.csv.gz");
            assertThat(store.uploaded).isEmpty();
            assertThat(s.getSkippedPresent()).isEqualTo(1);
            assertThat(s.getNew()).isEqualTo(1);
            assertThat(s.getFailures()).singleElement().satisfies(f -> {
                assertThat(f.getFile()).isEqualTo("new.csv.gz");
                assertThat(f.getReason()).contains("no modification time", "not in its MLSD entry", "MDTM");
            });
            assertThat(server.logins()).as("the listing's session asks MDTM too").isEqualTo(1);
        }
    }

    private static Map<String, String> answers(String mdtmNew, String mdtmOld) {
        return Map.of("MDTM /d/new.csv.gz", mdtmNew, "MDTM /d/old.csv.gz", mdtmOld,
                "MLST /d/new.csv.gz", "250-Listing /d/new.csv.gz\r\n type=file;size=4;modify=20240101120000; new.csv.gz\r\n250 End");
    }

    private static List<String> mdtms(ScriptedFtpServer server) {
        return server.commands.stream().filter(c -> c.startsWith("MDTM")).toList();
    }

    private static SyncService service(ScriptedFtpServer server, Store store) {
        SyncConfig config = server.config();
        Redactor redactor = new Redactor(new EnvSecretSource("pw"));
        JsonLog log = new JsonLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), redactor);
        return new SyncService(config, server.source(), store, null, redactor, log, Clock.fixed(NOW, ZoneOffset.UTC),
                ThroughputStore.NONE);
    }

    /** A bucket holding {@code raw/old.csv.gz} with the listed size (4 bytes). */
    private static final class Store implements ObjectStore {
        final List<String> uploaded = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public KeySizes sizesOf(Set<String> keys, BooleanSupplier keepGoing) {
            return KeySizes.complete(Map.of("raw/old.csv.gz", 4L));
        }

        @Override
        public OptionalLong sizeOf(String key) {
            return key.equals("raw/old.csv.gz") ? OptionalLong.of(4) : OptionalLong.empty();
        }

        @Override
        public long upload(String key, java.io.InputStream data, long expectedSize, int partSize, BooleanSupplier keepGoing)
                throws java.io.IOException {
            long n = data.readAllBytes().length;
            uploaded.add(key);
            return n;
        }
    }
}
