package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A listing whose data connection breaks while the control connection stays: the server sends part of the entries,
 * then {@code 426} instead of {@code 226}. commons-net returns the part as if it were the whole directory; the walk
 * must not take it for one (the files left out would be missing from the run without a word), and the check before
 * a transfer must not read a name missing from it as a file gone.
 */
class CutListingTest {

    private static final String FEAT = "211-Features:\r\n MLST size*;type*;modify*;\r\n211 End";
    private static final String OLD = "modify=20240101120000";

    @Test
    void aListingCutOffOnceIsAskedAgainOnTheSameSessionAndEveryFileIsFound() throws Exception {
        try (ScriptedFtpServer server = treeServer()) {
            server.cutListingAt("MLSD", 1, 3); // the first listing of /d and the first of /d/sub

            RemoteListing listing = list(server);

            assertThat(listing.files()).extracting(RemoteFile::path)
                    .containsExactlyInAnyOrder("a.csv.gz", "b.csv.gz", "sub/c.csv.gz", "sub/d.csv.gz");
            assertThat(listing.unreadable()).isEmpty();
            assertThat(server.commands).filteredOn(c -> c.startsWith("MLSD"))
                    .containsExactly("MLSD /d", "MLSD /d", "MLSD /d/sub", "MLSD /d/sub");
            assertThat(server.logins()).isEqualTo(1);
        }
    }

    @Test
    void aSubDirectoryCutOffTwiceIsAFailureOfItsOwnAndTheRestIsWalked() throws Exception {
        try (ScriptedFtpServer server = treeServer()) {
            server.cutListingAt("MLSD", 2, 3);

            RemoteListing listing = list(server);

            assertThat(listing.files()).extracting(RemoteFile::path).containsExactlyInAnyOrder("a.csv.gz", "b.csv.gz");
            assertThat(listing.unreadable()).singleElement().satisfies(f -> {
                assertThat(f.getFile()).isEqualTo("sub/");
                assertThat(f.getReason()).contains("cut off twice", "426 Connection closed; transfer aborted.",
                        "not synced this run", "the next run lists it again");
            });
        }
    }

    @Test
    void aRemoteDirectoryCutOffTwiceFailsTheListing() throws Exception {
        try (ScriptedFtpServer server = treeServer()) {
            server.cutListingAt("MLSD", 1, 2);

            assertThatThrownBy(() -> list(server)).isInstanceOf(IOException.class)
                    .hasMessageContaining("Cannot list FTP directory '/d': its listing was cut off twice (426");
        }
    }

    @Test
    void aServerThatCutsTheListingAndDropsTheSessionAtItsSecondAskGetsNoThirdSession() throws Exception {
        try (ScriptedFtpServer server = treeServer()) {
            server.cutListingAt("MLSD", 1, 3, 5, 7).dropAt("MLSD", 2, 4, 6, 8); // /d: cut, then dropped, every time

            assertThatThrownBy(() -> list(server)).isInstanceOf(IOException.class)
                    .hasMessageContaining("dropped too before it answered anything (2 sessions dropped in this walk)");
            assertThat(server.logins()).as("the cut answer is no progress: one new session, not one per cut")
                    .isEqualTo(2);
        }
    }

    @Test
    void theCheckBeforeATransferDoesNotTakeAnEmptyCutListingForAFileGone() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer("211 End", List.of(), Map.of("CWD /d", "250 ok"))) {
            server.cutListingAt("LIST", 1); // the data connection broke before the first entry

            assertThatThrownBy(() -> server.source().open("b.csv.gz")).isInstanceOf(IOException.class)
                    .hasMessage("the listing of '/d' (the check of 'b.csv.gz' before its transfer) was cut off: "
                            + "426 Connection closed; transfer aborted.");
        }
    }

    @Test
    void theCheckBeforeATransferDoesNotTakeANameMissingFromACutListingForAFileGone() throws Exception {
        // no MLST, SIZE or MDTM: the check finds the file in its directory's LIST
        try (ScriptedFtpServer server = new ScriptedFtpServer("211 End", List.of(
                "-rw-r--r--   1 u g        4 Jan 01  2024 a.csv.gz",
                "-rw-r--r--   1 u g        4 Jan 01  2024 b.csv.gz"), Map.of("CWD /d", "250 ok"))) {
            server.cutListingAt("LIST", 1);

            assertThatThrownBy(() -> server.source().open("b.csv.gz")).isInstanceOf(IOException.class)
                    .hasMessage("the listing of '/d' (the check of 'b.csv.gz' before its transfer) was cut off: "
                            + "426 Connection closed; transfer aborted.");
        }
    }

    private static ScriptedFtpServer treeServer() throws Exception {
        ScriptedFtpServer server = new ScriptedFtpServer(FEAT, List.of(), Map.of());
        server.listings.put("/d", List.of("type=file;size=4;" + OLD + "; a.csv.gz",
                "type=file;size=4;" + OLD + "; b.csv.gz", "type=dir;" + OLD + "; sub"));
        server.listings.put("/d/sub", List.of("type=file;size=4;" + OLD + "; c.csv.gz",
                "type=file;size=4;" + OLD + "; d.csv.gz"));
        return server;
    }

    /** The recursive walk of /d, its kept session ended (the scripted server serves one session at a time). */
    private static RemoteListing list(ScriptedFtpServer server) throws IOException {
        SyncConfig config = server.config(Map.of("FTP_RECURSIVE", "true"));
        FtpRemoteFileSource source = new FtpRemoteFileSource(config, new FtpConnector(config, new EnvSecretSource("pw")));
        try {
            return source.list();
        } finally {
            source.releaseConnections();
        }
    }
}
