package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A listing (or a download) opens its passive data connection before it sends its command; when the server drops the
 * session at that command ({@code 421}, or the end of the control stream), commons-net throws from inside its
 * data-connection set-up and leaves the connected data socket to the garbage collector — one open socket (and file
 * descriptor, and the server's passive slot) per drop, on a walk that goes on after drops. The client closes it.
 */
@Timeout(60)
class DataConnectionAtADropTest {

    private static final String MLST = "211-Features:\r\n MLST size*;type*;modify*;\r\n211 End";
    private static final String NO_MLST = "211-Features:\r\n SIZE\r\n MDTM\r\n211 End";

    @Test
    void theDataConnectionOfAnMlsdTheSessionDroppedAtIsClosed() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer(MLST,
                List.of("type=file;size=4;modify=20240101120000; a.csv.gz"), Map.of())) {
            server.dropAt("MLSD", 1);
            FtpRemoteFileSource source = server.source();

            RemoteListing listing = source.list();
            source.releaseConnections();

            assertThat(listing.files()).extracting(RemoteFile::path).as("listed on the new session")
                    .containsExactly("a.csv.gz");
            assertThat(listing.drops().count()).isEqualTo(1);
            assertClosedByTheClient(server);
        }
    }

    @Test
    void theDataConnectionOfAListTheSessionDroppedAtIsClosed() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer(NO_MLST,
                List.of("-rw-r--r--   1 ftp      ftp             4 Jan 02 03:04 a.csv.gz"), Map.of())) {
            server.dropAt("LIST", 1);
            FtpRemoteFileSource source = server.source();

            RemoteListing listing = source.list();
            source.releaseConnections();

            assertThat(listing.files()).extracting(RemoteFile::path).containsExactly("a.csv.gz");
            assertClosedByTheClient(server);
        }
    }

    @Test
    void theDataConnectionOfARetrTheSessionDroppedAtIsClosed() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer(MLST, List.of(),
                Map.of("MLST /d/a.csv.gz", "250-Listing\r\n type=file;size=4;modify=20240101120000; /d/a.csv.gz\r\n250 End"))) {
            server.contents.put("/d/a.csv.gz", new byte[] {1, 2, 3, 4});
            server.dropAt("RETR", 1);
            FtpRemoteFileSource source = server.source();

            try (RemoteFileSource.Download download = source.open("a.csv.gz")) {
                assertThatThrownBy(download::stream).isInstanceOf(IOException.class);
            }

            assertClosedByTheClient(server);
            source.releaseConnections();
        }
    }

    private static void assertClosedByTheClient(ScriptedFtpServer server) throws IOException {
        assertThat(server.droppedDataConnections).hasSize(1);
        Socket data = server.droppedDataConnections.get(0);
        data.setSoTimeout(3_000);
        int read;
        try {
            read = data.getInputStream().read();
        } catch (SocketTimeoutException e) {
            read = -2; // still open at the client: left to the garbage collector
        }
        assertThat(read).as("the client closed its end of the data connection (-1), not left it open (-2)")
                .isEqualTo(-1);
    }
}
