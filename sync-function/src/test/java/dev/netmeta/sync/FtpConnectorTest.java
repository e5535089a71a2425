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
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.TrustManager;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.api.Test;

/**
 * The client every FTP session uses: UTF-8 names and keep-alive sockets, as configured (not only the factory alone);
 * FTPS turns TLS 1.2 session tickets off unless the user set the JDK's switch; the trusted certificates are read
 * once, by the first FTPS session, and never for plain FTP.
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

    /**
     * The first FTPS sessions of a run open in parallel: the trusted certificates are read and parsed once, and both
     * sessions get the same trust manager. The first read waits (up to a second) for a second one to begin — which
     * happened with the unsynchronized check-then-build this replaced.
     */
    @Test
    void parallelFirstFtpsSessionsBuildTheTrustManagerOnce() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch secondRead = new CountDownLatch(2);
        FtpTrust trust = new FtpTrust("the test's certificates", () -> {
            reads.incrementAndGet();
            secondRead.countDown();
            try {
                secondRead.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null; // the JVM's CA certificates
        });
        Map<String, String> env = Map.of("FTP_HOST", "127.0.0.1", "FTP_USER", "u", "BUCKET", "b", "FTP_TLS", "explicit");
        FtpConnector connector = new FtpConnector(SyncConfig.fromEnv(env), new EnvSecretSource("pw"), trust);
        CyclicBarrier start = new CyclicBarrier(2);
        Callable<TrustManager> firstSession = () -> {
            start.await(10, TimeUnit.SECONDS);
            return connector.trustManager();
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<TrustManager> one = pool.submit(firstSession);
            Future<TrustManager> two = pool.submit(firstSession);

            assertThat(one.get(10, TimeUnit.SECONDS)).isSameAs(two.get(10, TimeUnit.SECONDS)).isNotNull();
            assertThat(reads).as("the trusted certificates read once").hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Plain FTP does no TLS work: the trusted certificates are not read, neither when built nor for a session. */
    @Test
    void plainFtpNeverReadsTheTrustedCertificates() throws Exception {
        FtpTrust trust = new FtpTrust("the test's certificates", () -> {
            throw new AssertionError("plain FTP read the trusted certificates");
        });
        Map<String, String> env = Map.of("FTP_HOST", "127.0.0.1", "FTP_USER", "u", "BUCKET", "b");
        FtpConnector connector = new FtpConnector(SyncConfig.fromEnv(env), new EnvSecretSource("pw"), trust);

        assertThat(connector.newClient()).isNotInstanceOf(FTPSClient.class);
    }
}
