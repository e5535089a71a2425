package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RFC 3659 lets a server leave any fact out of an MLSD/MLST entry. The sync asks for the ones it needs with
 * {@code OPTS MLST}, and what an entry still lacks with SIZE and MDTM on the same session — SIZE during the listing,
 * MDTM only when asked to complete the times of files a run would copy; an entry without a time used to count as
 * "just written" on every run.
 */
class MlsdMissingFactsTest {

    private static final String FEAT = "211-Features:\r\n SIZE\r\n MDTM\r\n MLST size*;type*;modify;perm*;\r\n211 End";
    private static final List<String> LISTING = List.of(
            "type=file;size=10;modify=20240101120000; dated.csv.gz",
            "type=file;size=20; undated.csv.gz",
            "type=file;modify=20240101120000; unsized.csv.gz",
            "type=file; bare.csv.gz",
            "type=file;size=5; other.txt");
    private static final Map<String, String> ANSWERS = Map.of(
            "OPTS MLST type;size;modify;", "501 Option not understood",
            "MDTM /d/undated.csv.gz", "213 20240102030405",
            "SIZE /d/unsized.csv.gz", "213 30",
            "MDTM /d/bare.csv.gz", "550 Could not get file modification time",
            "SIZE /d/bare.csv.gz", "213 40",
            "MLST /d/undated.csv.gz", "250-Listing /d/undated.csv.gz\r\n type=file;size=20; undated.csv.gz\r\n250 End");

    @Test
    void factsAnEntryLacksAreAskedWithSizeAndMdtmOnTheListingsSession() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, LISTING, ANSWERS)) {
            FtpRemoteFileSource source = server.source();
            try {
                factsAnEntryLacksAreAsked(server, source);
            } finally {
                source.releaseConnections();
            }
            assertThat(server.logins()).as("one session for all of it").isEqualTo(1);
        }
    }

    private static void factsAnEntryLacksAreAsked(ScriptedFtpServer server, FtpRemoteFileSource source) throws Exception {
        RemoteListing listing = source.list();

        assertThat(listing.files()).containsExactlyInAnyOrder(
                new RemoteFile("dated.csv.gz", 10, Instant.parse("2024-01-01T12:00:00Z")),
                new RemoteFile("undated.csv.gz", 20, null),
                new RemoteFile("unsized.csv.gz", 30, Instant.parse("2024-01-01T12:00:00Z")),
                new RemoteFile("bare.csv.gz", 40, null));
        assertThat(server.commands).contains("OPTS MLST type;size;modify;");
        assertThat(server.commands).as("the listing: SIZE for what an entry lacks, only for files that match; no MDTM")
                .filteredOn(c -> c.startsWith("MDTM") || c.startsWith("SIZE"))
                .containsExactlyInAnyOrder("SIZE /d/unsized.csv.gz", "SIZE /d/bare.csv.gz");

        List<RemoteFile> timeless = listing.files().stream().filter(f -> f.modified() == null).toList();
        assertThat(source.completeTimes(timeless, () -> true).completed())
                .as("MDTM for the files without a time a run would copy")
                .containsExactlyInAnyOrder(
                        new RemoteFile("undated.csv.gz", 20, Instant.parse("2024-01-02T03:04:05Z")), // UTC, like MLSD
                        new RemoteFile("bare.csv.gz", 40, null));
        assertThat(server.commands).filteredOn(c -> c.startsWith("MDTM"))
                .containsExactlyInAnyOrder("MDTM /d/undated.csv.gz", "MDTM /d/bare.csv.gz");

        try (RemoteFileSource.Download d = source.open("undated.csv.gz")) {
            assertThat(d.current()).as("the check before the transfer: MLST, then MDTM")
                    .contains(new RemoteFile("undated.csv.gz", 20, Instant.parse("2024-01-02T03:04:05Z")));
        }
    }

    @Test
    void noOptsMlstWhenTheServerSendsTheNeededFactsAlready() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT.replace("modify;", "modify*;"), LISTING, ANSWERS)) {
            FtpRemoteFileSource source = server.source();
            try {
                source.list();
            } finally {
                source.releaseConnections();
            }
            assertThat(server.commands).isNotEmpty().noneMatch(c -> c.startsWith("OPTS"));
        }
    }
}
