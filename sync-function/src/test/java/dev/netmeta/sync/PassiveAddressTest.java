package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A hostile (or misconfigured) FTP server answers PASV with another host's address: "227 Entering Passive Mode
 * (h1,h2,h3,h4,p1,p2)" names any IP, so the sync would open a TCP connection from inside the Lambda (inside its VPC,
 * when it has one) to any host and port the server names — the FTP "PASV hijack", a port scanner and a way to reach
 * internal services. commons-net checks the peer only after it has connected and sent the command
 * (remote verification), and its default NAT workaround replaces only site-local addresses, and only when the control
 * host is not site-local itself. The data connection must go to the host of the control connection whatever the
 * answer says (as curl does by default since 7.74, {@code --ftp-skip-pasv-ip}).
 */
class PassiveAddressTest {

    private static final String FACTS = "type=file;size=3;modify=20240101120000;";

    @Test
    void theDataConnectionGoesToTheControlHostWhateverPasvNames() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer("211-Features:\r\n MLST type*;size*;modify*;\r\n211 End",
                List.of(FACTS + " a.csv.gz"), Map.of());
             // "another host": 127.0.0.2 (a loopback address too, so the test stays on this machine), same port
             ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), server.dataPort()), 8);
            AtomicInteger connectionsToOther = new AtomicInteger();
            Thread acceptor = new Thread(() -> {
                while (!other.isClosed()) {
                    try (Socket s = other.accept()) {
                        connectionsToOther.incrementAndGet();
                    } catch (Exception closed) {
                        return;
                    }
                }
            }, "other-host");
            acceptor.setDaemon(true);
            acceptor.start();
            server.pasvHost = "127,0,0,2";

            FtpRemoteFileSource source = server.source();
            RemoteListing listing;
            try {
                listing = source.list();
            } finally {
                source.releaseConnections();
            }

            assertThat(connectionsToOther.get()).as("connections opened to the host PASV named").isZero();
            assertThat(listing.files()).extracting(RemoteFile::path).containsExactly("a.csv.gz");
        }
    }
}
