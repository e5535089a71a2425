package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.net.ftp.FTPClient;
import org.junit.jupiter.api.Test;

/**
 * The client every FTP session uses: UTF-8 names and keep-alive sockets, as configured (not only the factory alone);
 * FTPS turns TLS 1.2 session tickets off unless the user set the JDK's switch.
 */
class FtpConnectorTest {

    private static final String TICKETS = FtpConnector.CLIENT_SESSION_TICKETS;

    @Test
    void ftpsTurnsTls12SessionTicketsOffUnlessTheUserSetTheSwitch() {
        String before = System.getProperty(TICKETS);
        Map<String, String> plain = Map.of("FTP_HOST", "127.0.0.1", "FTP_USER", "u", "BUCKET", "b");
        Map<String, String> ftps = new HashMap<>(plain);
        ftps.put("FTP_TLS", "explicit");
        try {
            System.clearProperty(TICKETS);
            new FtpConnector(SyncConfig.fromEnv(plain), new EnvSecretSource("pw"));
            assertThat(System.getProperty(TICKETS)).as("plain FTP leaves it alone").isNull();

            new FtpConnector(SyncConfig.fromEnv(ftps), new EnvSecretSource("pw"));
            assertThat(System.getProperty(TICKETS)).isEqualTo("false");

            System.setProperty(TICKETS, "true");
            new FtpConnector(SyncConfig.fromEnv(ftps), new EnvSecretSource("pw"));
            assertThat(System.getProperty(TICKETS)).as("the user's setting wins").isEqualTo("true");
        } finally {
            if (before == null) {
                System.clearProperty(TICKETS);
            } else {
                System.setProperty(TICKETS, before);
            }
        }
    }

    /**
     * A server that closes each session right after accepting the login (at the first command after PASS) used to fail
     * the run with commons-net's "Connection closed without indication." alone.
     */
    @Test
    void aSessionClosedRightAfterTheLoginIsNamedAsSuch() throws Exception {
        try (ScriptedFtpServer server = new ScriptedFtpServer("211 End", List.of(), Map.of())) {
            server.dropAt("TYPE", 1);
            FtpConnector connector = new FtpConnector(server.config(), new EnvSecretSource("pw"));

            assertThatThrownBy(connector::connect).isInstanceOf(IOException.class)
                    .hasMessage("FTP server 127.0.0.1:" + server.port() + " dropped the session right after the login of"
                            + " user 'u': Connection closed without indication.");
        }
    }

    @Test
    void sessionsSpeakTheConfiguredEncodingOverKeepAliveSockets() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread greeter = new Thread(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    out.write("220 ready\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    s.getInputStream().read(); // until the client hangs up
                } catch (Exception ignored) {
                    // the test's assertions say what went wrong
                }
            });
            greeter.start();
            Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "127.0.0.1", "FTP_USER", "u", "BUCKET", "b",
                    "FTP_PORT", Integer.toString(server.getLocalPort())));
            FTPClient client = new FtpConnector(SyncConfig.fromEnv(env), new EnvSecretSource("pw")).newClient();
            client.connect("127.0.0.1", server.getLocalPort());
            try {
                assertThat(client.getControlEncoding()).isEqualTo("UTF-8");
                assertThat(client.getKeepAlive()).as("the control socket comes from KeepAliveSocketFactory").isTrue();
                assertThat(client.getReplyCode()).isEqualTo(220);
            } finally {
                client.disconnect();
                greeter.join(5_000);
            }
        }
    }
}
