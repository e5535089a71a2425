package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Paths with {@code *}, {@code ?} or {@code [} are never the argument of a listing or an {@code MLST}: servers read
 * them as patterns (MINA FtpServer in MLSD and MLST too; {@link FtpGlobs}). A directory {@code br[1]} is entered and
 * listed without an argument, and the check before the transfer of {@code a[1].csv.gz} asks SIZE and MDTM — found by
 * {@code SyncGroundTruthIT}, where such a directory was not walked (or named a failure under a name that does not
 * exist) and such a file was skipped as unstable on every run.
 */
class GlobCharactersInPathsTest {

    private static final String FEAT = "211-Features:\r\n SIZE\r\n MDTM\r\n MLST size*;type*;modify*;\r\n211 End";
    private static final String OLD = "modify=20240101120000";

    @Test
    void aDirectoryWithGlobCharactersIsEnteredAndListedWithoutAnArgument() throws Exception {
        // the listing of any MLSD without its own: the content of br[1]
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, List.of("type=file;size=4;" + OLD + "; c.csv.gz"),
                Map.of("CWD /d/br[1]", "250 ok", "CWD /d/x?y", "550 No such directory."))) {
            server.listings.put("/d", List.of("type=file;size=4;" + OLD + "; a.csv.gz", "type=dir;" + OLD + "; br[1]",
                    "type=dir;" + OLD + "; x?y"));
            SyncConfig config = server.config(Map.of("FTP_RECURSIVE", "true"));
            FtpRemoteFileSource source = new FtpRemoteFileSource(config, new FtpConnector(config, new EnvSecretSource("pw")));
            RemoteListing listing;
            try {
                listing = source.list();
            } finally {
                source.releaseConnections();
            }

            assertThat(listing.files()).extracting(RemoteFile::path).containsExactlyInAnyOrder("a.csv.gz", "br[1]/c.csv.gz");
            assertThat(listing.unreadable()).singleElement().satisfies(f -> {
                assertThat(f.getFile()).isEqualTo("x?y/");
                assertThat(f.getReason()).contains("cannot list this directory", "550 No such directory.");
            });
            assertThat(server.commands).contains("MLSD /d", "CWD /d/br[1]", "MLSD", "CWD /d/x?y")
                    .noneMatch(c -> c.startsWith("MLSD /d/"));
        }
    }

    @Test
    void theCheckBeforeTheTransferOfAFileWithGlobCharactersAsksSizeAndMdtmReadAsUtc() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, List.of(), Map.of(
                "SIZE /d/a[1]?.csv.gz", "213 4", "MDTM /d/a[1]?.csv.gz", "213 20240101120000"))) {
            FtpRemoteFileSource source = server.source();
            try (RemoteFileSource.Download d = source.open("a[1]?.csv.gz")) {
                assertThat(d.current()).hasValueSatisfying(f -> {
                    assertThat(f.size()).isEqualTo(4);
                    // an MLST server's MDTM is UTC (RFC 3659), not FTP_SERVER_TIMEZONE (Europe/Berlin here)
                    assertThat(f.modified()).isEqualTo(Instant.parse("2024-01-01T12:00:00Z"));
                });
            } finally {
                source.releaseConnections();
            }
            assertThat(server.commands).noneMatch(c -> c.startsWith("MLST"));
        }
    }
}
