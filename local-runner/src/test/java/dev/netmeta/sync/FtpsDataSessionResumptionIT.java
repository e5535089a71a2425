package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.sync.SessionReuseFtpsServer.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether FTPS data connections were resumed, seen from the client: the trust manager checks the server certificate
 * once per full handshake and never for a resumed one. The sync's client (MLSD, LIST, two RETRs) against the embedded
 * MINA server, which does not require reuse, and against {@link SessionReuseFtpsServer} both ways.
 */
@ExtendWith(TestServers.class)
class FtpsDataSessionResumptionIT {

    @Test
    void minaResumesTheDataConnectionsSessions(FtpEndpoint ftp) throws Exception {
        Path dir = Files.createDirectories(ftp.rootDir().resolve("resume-" + System.nanoTime()));
        SyncFiles.write(dir.resolve("a.csv.gz"), 100_000, 90);
        SyncFiles.write(dir.resolve("b.csv.gz"), 100_000, 91);

        int checks = fullHandshakes(ftp.host(), ftp.port(), ftp.user(), ftp.password(), ftp.trustStore(),
                ftp.trustStorePassword(), "/" + dir.getFileName());

        assertThat(checks).as("server certificate checks: the control connection only").isEqualTo(1);
    }

    @Test
    void aReuseRequiringServerGetsResumedSessions(@TempDir Path root) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("tls")));
        Path served = Files.createDirectories(root.resolve("ftp/d"));
        SyncFiles.write(served.resolve("a.csv.gz"), 100_000, 92);
        SyncFiles.write(served.resolve("b.csv.gz"), 100_000, 93);
        for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
            try (SessionReuseFtpsServer server = new SessionReuseFtpsServer(root.resolve("ftp"), protocol,
                    Mode.REQUIRE_REUSE, true, certificate)) {
                int checks = fullHandshakes("127.0.0.1", server.port(), SessionReuseFtpsServer.USER,
                        SessionReuseFtpsServer.PASSWORD, certificate.trustStore(), certificate.trustStorePassword(), "/d");

                assertThat(checks).as(protocol).isEqualTo(1);
                assertThat(server.dataConnections).as(protocol).hasSize(4).allMatch(SessionReuseFtpsServer.DataConnection::accepted);
            }
        }
    }

    @Test
    void aServerThatCannotResumeGetsAFullHandshakeForEachDataConnection(@TempDir Path root) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("tls")));
        Path served = Files.createDirectories(root.resolve("ftp/d"));
        SyncFiles.write(served.resolve("a.csv.gz"), 100_000, 94);
        SyncFiles.write(served.resolve("b.csv.gz"), 100_000, 95);
        try (SessionReuseFtpsServer server = new SessionReuseFtpsServer(root.resolve("ftp"), "TLSv1.3",
                Mode.NO_RESUMPTION, true, certificate)) {
            int checks = fullHandshakes("127.0.0.1", server.port(), SessionReuseFtpsServer.USER,
                    SessionReuseFtpsServer.PASSWORD, certificate.trustStore(), certificate.trustStorePassword(), "/d");

            assertThat(checks).as("control + MLSD + LIST + 2 RETR").isEqualTo(5);
        }
    }

    /** MLSD, LIST and RETR of each file with the sync's FTPS client; the number of server certificate checks. */
    private static int fullHandshakes(String host, int port, String user, String password, Path trustStore,
                                      String trustStorePassword, String dir) throws Exception {
        CountingTrustManager trust = new CountingTrustManager(trustStore, trustStorePassword);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {trust}, null);
        MlsdEntries.TlsClient client = new MlsdEntries.TlsClient(context);
        client.setEndpointCheckingEnabled(true);
        client.connect(host, port);
        try {
            assertThat(client.login(user, password)).as(client.getReplyString()).isTrue();
            client.execPBSZ(0);
            client.execPROT("P");
            client.enterLocalPassiveMode();
            client.setFileType(FTP.BINARY_FILE_TYPE);
            assertThat(client.mlistDir(dir)).extracting(FTPFile::getName).contains("a.csv.gz", "b.csv.gz");
            assertThat(client.listFiles(dir)).extracting(FTPFile::getName).contains("a.csv.gz", "b.csv.gz");
            for (String name : new String[] {"a.csv.gz", "b.csv.gz"}) {
                try (InputStream in = client.retrieveFileStream(dir + "/" + name)) {
                    assertThat(in).as(client.getReplyString()).isNotNull();
                    assertThat(in.readAllBytes()).hasSize(100_000);
                }
                assertThat(client.completePendingCommand()).as(client.getReplyString()).isTrue();
            }
            return trust.serverChecks.get();
        } finally {
            client.logout();
            client.disconnect();
        }
    }

    /** The JDK's PKIX trust manager for one trust store, counting the server certificate checks. */
    private static final class CountingTrustManager extends X509ExtendedTrustManager {
        final AtomicInteger serverChecks = new AtomicInteger();
        private final X509ExtendedTrustManager pkix;

        CountingTrustManager(Path trustStore, String password) throws IOException, GeneralSecurityException {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(trustStore)) {
                store.load(in, password.toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            pkix = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            serverChecks.incrementAndGet();
            pkix.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            serverChecks.incrementAndGet();
            pkix.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            serverChecks.incrementAndGet();
            pkix.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            pkix.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            pkix.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pkix.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }
}
