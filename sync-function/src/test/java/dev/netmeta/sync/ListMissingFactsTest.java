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
import org.junit.jupiter.api.Test;

/**
 * A LIST line whose time or size commons-net cannot read (a month name in another language, an ISO date, a size
 * beyond a long) gives an entry without that fact, like an MLSD entry without {@code modify} or {@code size}: it is
 * asked with SIZE on the same session, or with MDTM once the run would copy the file (read in FTP_SERVER_TIMEZONE, as
 * for any server without MLST), and
 * a file whose time or size stays unknown is a failure that says why. Such a file used to count as "just written" on
 * every run: held back as skippedUnstable forever, without a word.
 */
class ListMissingFactsTest {

    private static final String FEAT = "211-Features:\r\n SIZE\r\n MDTM\r\n211 End";
    private static final List<String> LISTING = List.of(
            "-rw-r--r--   1 ftp      ftp            10 Jan 10  2018 dated.csv.gz",
            "-rw-r--r--   1 ftp      ftp            20 2024-01-02 03:04 undated.csv.gz",
            "-rw-r--r--   1 ftp      ftp      99999999999999999999 Jan 10  2018 unsized.csv.gz",
            "-rw-r--r--   1 ftp      ftp      99999999999999999999 Okt 10  2018 bare.csv.gz",
            "-rw-r--r--   1 ftp      ftp             5 Okt 10  2018 other.txt");
    private static final Map<String, String> ANSWERS = Map.of(
            "MDTM /d/undated.csv.gz", "213 20240102030405",
            "SIZE /d/unsized.csv.gz", "213 30",
            "MDTM /d/bare.csv.gz", "550 Could not get file modification time",
            "SIZE /d/bare.csv.gz", "550 Could not get file size",
            "CWD /d", "250 ok");
    /** The end of 10 January 2018 in Europe/Berlin: a LIST date stands for its whole day. */
    private static final Instant END_OF_JAN_10 = Instant.parse("2018-01-10T23:00:00Z");
    /** MDTM 20240102030405 read in Europe/Berlin (FTP_SERVER_TIMEZONE), as MDTM of any server without MLST. */
    private static final Instant UNDATED_MDTM = Instant.parse("2024-01-02T02:04:05Z");

    @Test
    void factsALineLacksAreAskedWithSizeAndMdtmOnTheListingsSession() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, LISTING, ANSWERS)) {
            FtpRemoteFileSource source = server.source();
            try {
                RemoteListing listing = source.list();

                assertThat(listing.files()).containsExactlyInAnyOrder(
                        new RemoteFile("dated.csv.gz", 10, END_OF_JAN_10),
                        new RemoteFile("undated.csv.gz", 20, null),
                        new RemoteFile("unsized.csv.gz", 30, END_OF_JAN_10),
                        new RemoteFile("bare.csv.gz", -1, null));
                assertThat(server.commands).as("the listing: SIZE for what a line lacks, only for files that match; no MDTM")
                        .filteredOn(c -> c.startsWith("MDTM") || c.startsWith("SIZE"))
                        .containsExactlyInAnyOrder("SIZE /d/unsized.csv.gz", "SIZE /d/bare.csv.gz");

                List<RemoteFile> timeless = listing.files().stream().filter(f -> f.modified() == null).toList();
                assertThat(source.completeTimes(timeless, () -> true).completed())
                        .as("MDTM for the files without a time a run would copy")
                        .containsExactlyInAnyOrder(new RemoteFile("undated.csv.gz", 20, UNDATED_MDTM),
                                new RemoteFile("bare.csv.gz", -1, null));
                assertThat(server.commands).filteredOn(c -> c.startsWith("MDTM"))
                        .containsExactlyInAnyOrder("MDTM /d/undated.csv.gz", "MDTM /d/bare.csv.gz");
            } finally {
                source.releaseConnections();
            }
            assertThat(server.logins()).as("one session for all of it").isEqualTo(1);
        }
    }

    @Test
    void withoutSizeAndMdtmTheFactsALineLacksStayUnknownRatherThanJustWritten() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer("211 No features", LISTING, ANSWERS)) {
            FtpRemoteFileSource source = server.source();
            try {
                assertThat(source.list().files()).containsExactlyInAnyOrder(
                        new RemoteFile("dated.csv.gz", 10, END_OF_JAN_10),
                        new RemoteFile("undated.csv.gz", 20, null),
                        new RemoteFile("unsized.csv.gz", -1, END_OF_JAN_10),
                        new RemoteFile("bare.csv.gz", -1, null));
                assertThat(server.commands).noneMatch(c -> c.startsWith("MDTM") || c.startsWith("SIZE"));
            } finally {
                source.releaseConnections();
            }
        }
    }

    @Test
    void theCheckBeforeTheTransferAsksMdtmForALineWithoutATimeToo() throws Exception {
        // MDTM without SIZE: the check falls back to the parent's listing, whose line for the file has no time
        try (ScriptedFtpServer server = new ScriptedFtpServer("211-Features:\r\n MDTM\r\n211 End", LISTING, ANSWERS)) {
            FtpRemoteFileSource source = server.source();
            try (RemoteFileSource.Download d = source.open("undated.csv.gz")) {
                assertThat(d.current()).contains(new RemoteFile("undated.csv.gz", 20, UNDATED_MDTM));
            } finally {
                source.releaseConnections();
            }
        }
    }

    @Test
    void aListedFileWhoseTimeOrSizeStaysUnknownIsAFailureThatNamesTheListing() throws Exception {
        List<String> lines = List.of(LISTING.get(3), // bare.csv.gz: SIZE and MDTM refused
                "-rw-r--r--   1 ftp      ftp            20 2024-01-02 03:04 timeless.csv.gz"); // MDTM not answered
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, lines, ANSWERS)) {
            SyncConfig config = server.config();
            PreTransferCheckTest.FakeStore store = new PreTransferCheckTest.FakeStore();
            Redactor redactor = new Redactor(new EnvSecretSource("pw"));
            JsonLog log = new JsonLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), redactor);
            SyncService service = new SyncService(config, new FtpRemoteFileSource(config,
                    new FtpConnector(config, new EnvSecretSource("pw"))), store, null, redactor, log,
                    Clock.fixed(Instant.parse("2024-06-01T00:00:00Z"), ZoneOffset.UTC), ThroughputStore.NONE);

            SyncSummary s = service.runScheduled(() -> 900_000);

            assertThat(s.getSkippedUnstable()).as("not held back as 'just written'").isZero();
            assertThat(s.getNew()).isEqualTo(2);
            assertThat(store.uploaded).isEmpty();
            assertThat(s.getFailures()).extracting(FileFailure::getFile).containsExactlyInAnyOrder("bare.csv.gz", "timeless.csv.gz");
            assertThat(s.getFailures()).filteredOn(f -> f.getFile().equals("bare.csv.gz")).singleElement()
                    .satisfies(f -> assertThat(f.getReason()).contains("neither a size nor a modification time",
                            "LIST line", "SIZE and MDTM", "not copied").doesNotContain("MLSD"));
            assertThat(s.getFailures()).filteredOn(f -> f.getFile().equals("timeless.csv.gz")).singleElement()
                    .satisfies(f -> assertThat(f.getReason()).contains("no modification time", "LIST line", "MDTM")
                            .doesNotContain("MLSD"));
        }
    }

    @Test
    void theReasonNamesTheListingTheFileCameFrom() {
        RemoteFile noTime = new RemoteFile("a.csv.gz", 4, null);
        assertThat(SyncService.unknownSizeOrTimeReason(noTime, "MLSD"))
                .contains("no modification time", "not in its MLSD entry, and MDTM not announced or refused");
        assertThat(SyncService.unknownSizeOrTimeReason(noTime, "LIST"))
                .contains("no modification time", "not readable from its LIST line, and MDTM not announced or refused")
                .doesNotContain("MLSD");
        assertThat(SyncService.unknownSizeOrTimeReason(new RemoteFile("a.csv.gz", -1, Instant.EPOCH), "LIST"))
                .contains("no size", "SIZE not announced").doesNotContain("MDTM");
    }
}
