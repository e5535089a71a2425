package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * vsftpd answers {@code LIST} of a directory that does not exist with an empty listing and {@code 226} (seen with
 * vsftpd 3.0.3): a mistyped {@code FTP_REMOTE_DIR} read as an empty directory, "0 listed" on every run and no error.
 * An empty LIST of the remote directory is therefore checked with {@code CWD}.
 */
class ListEmptyRemoteDirTest {

    private static final String FEAT = "211-Features:\r\n SIZE\r\n MDTM\r\n211 End";

    @Test
    void anEmptyListingOfADirectoryTheServerCannotEnterIsAClearError() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, List.of(),
                Map.of("CWD /d", "550 Failed to change directory."))) {
            FtpRemoteFileSource source = server.source();
            try {
                assertThatThrownBy(source::list)
                        .isInstanceOf(IOException.class)
                        .hasMessageContaining("Cannot list FTP directory '/d'")
                        .hasMessageContaining("550 Failed to change directory.")
                        .hasMessageContaining("FTP_REMOTE_DIR");
            } finally {
                source.releaseConnections();
            }
        }
    }

    @Test
    void anEmptyDirectoryThatExistsListsNoFiles() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT, List.of(), Map.of("CWD /d", "250 ok"))) {
            FtpRemoteFileSource source = server.source();
            try {
                RemoteListing listing = source.list();

                assertThat(listing.files()).isEmpty();
                assertThat(listing.unreadable()).isEmpty();
                assertThat(server.commands).contains("LIST /d", "CWD /d");
            } finally {
                source.releaseConnections();
            }
        }
    }

    @Test
    void aListingWithEntriesNeedsNoCheck() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer(FEAT,
                List.of("-rw-r--r--   1 ftp      ftp            10 Jan 10  2018 a.csv.gz"), Map.of())) {
            FtpRemoteFileSource source = server.source();
            try {
                assertThat(source.list().files()).extracting(RemoteFile::path).containsExactly("a.csv.gz");
                assertThat(server.commands).noneMatch(c -> c.startsWith("CWD"));
            } finally {
                source.releaseConnections();
            }
        }
    }
}
