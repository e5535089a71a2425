package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.net.ftp.FTPSClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * An FTPS server whose certificate a private CA issued (not self-signed), over real TLS sessions with the embedded
 * MINA server: the CA's certificate as the trusted one (the usual set-up), the server's certificate alone without its
 * CA (accepted as it is, as a self-signed one is), a certificate of another CA, and a certificate the trusted CA
 * issued for another host name (refused by the host-name check). The server sends the chain [its certificate, the
 * CA's], as servers of a private CA are set up; one test's server sends its certificate alone (set up without its
 * CA's), the CA's trusted. The trusted certificates come from FTP_TRUSTED_CERT_FILE, which is read as
 * FTP_TRUSTED_CERT_PARAM's value is (PemCertificates).
 */
@ExtendWith(TestServers.class)
class SyncFtpsPrivateCaIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");
    private static final String LOOPBACK = "SAN=ip:127.0.0.1,dns:localhost";

    @Test
    void aServerCertificateIssuedByAPrivateCaIsTrustedThroughTheCasCertificate(S3Endpoint s3e, @TempDir Path root)
            throws Exception {
        Path file = SyncFiles.write(root.resolve("ftp/in/a.csv.gz"), 300_000, 61);
        PrivateCa ca = PrivateCa.create(root.resolve("ca"), "netmeta test CA");
        SelfSignedCertificate server = ca.issue(root.resolve("server"), "CN=localhost, O=netmeta test", LOOPBACK);
        List<X509Certificate> chain = PrivateCa.chain(server);
        assertThat(chain).as("the server sends its certificate and the CA's").hasSize(2);
        assertThat(chain.get(0).getIssuerX500Principal()).as("not self-signed: issued by the CA")
                .isEqualTo(ca.certificate().getSubjectX500Principal())
                .isNotEqualTo(chain.get(0).getSubjectX500Principal());
        chain.get(0).verify(ca.certificate().getPublicKey());
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = new TestFtpServer(root.resolve("ftp"), null, server)) {
            assertThat(chainSentBy(ftp)).as("what the server sends in the handshake").isEqualTo(chain);
            Map<String, String> env = env(ftp, s3e, s3);
            assertThatThrownBy(() -> new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .as("the JVM's CAs do not know the private CA")
                    .isInstanceOf(SyncException.class).hasMessageContaining("PKIX path building failed")
                    .hasMessageContaining("not issued by the JVM's CA certificates");

            env.put("FTP_TRUSTED_CERT_FILE", Files.writeString(root.resolve("trusted-ca.pem"), ca.pem()).toString());
            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getFailures()).isEmpty();
            assertThat(summary.getCopied()).isEqualTo(1);
            assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/a.csv.gz")).isEqualTo(SyncFiles.sha256(file));
        }
    }

    /**
     * The server's own certificate trusted without the CA that issued it: the JDK's PKIX trust manager takes a trusted
     * certificate presented as the server's as it is (the chain behind it is not built), exactly as a self-signed one
     * — a pin on that one certificate, to be replaced when the server's certificate is renewed.
     */
    @Test
    void theServersOwnCertificateIsTrustedWithoutItsCa(S3Endpoint s3e, @TempDir Path root) throws Exception {
        SyncFiles.write(root.resolve("ftp/in/a.csv.gz"), 1000, 62);
        PrivateCa ca = PrivateCa.create(root.resolve("ca"), "netmeta test CA");
        SelfSignedCertificate server = ca.issue(root.resolve("server"), "CN=localhost, O=netmeta test", LOOPBACK);
        assertThat(server.pem()).as("the server's certificate, not the CA's").isNotEqualTo(ca.pem())
                .isEqualTo(PrivateCa.pem(PrivateCa.chain(server).get(0)));
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = new TestFtpServer(root.resolve("ftp"), null, server)) {
            Map<String, String> env = env(ftp, s3e, s3);
            env.put("FTP_TRUSTED_CERT_FILE", Files.writeString(root.resolve("trusted-server.pem"), server.pem()).toString());

            assertThat(new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)).getCopied())
                    .isEqualTo(1);
        }
    }

    /**
     * A server set up without its CA's certificate sends its own alone, and only the CA's is trusted: the JDK's PKIX
     * trust manager finds the issuer among the trust anchors (by name, then the signature), so the chain is complete
     * without the CA's certificate on the wire. What the server really sends is read off a TLS handshake first — the
     * other tests here see a server that sends both.
     */
    @Test
    void aServerThatSendsOnlyItsOwnCertificateIsTrustedThroughTheCasCertificate(S3Endpoint s3e, @TempDir Path root)
            throws Exception {
        Path file = SyncFiles.write(root.resolve("ftp/in/a.csv.gz"), 1000, 65);
        PrivateCa ca = PrivateCa.create(root.resolve("ca"), "netmeta test CA");
        SelfSignedCertificate server = PrivateCa.withoutTheCasCertificate(
                ca.issue(root.resolve("server"), "CN=localhost, O=netmeta test", LOOPBACK));
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = new TestFtpServer(root.resolve("ftp"), null, server)) {
            List<X509Certificate> sent = chainSentBy(ftp);
            assertThat(sent).as("the server sends its own certificate alone").hasSize(1);
            assertThat(sent.get(0).getIssuerX500Principal()).as("issued by the CA it does not send")
                    .isEqualTo(ca.certificate().getSubjectX500Principal());
            Map<String, String> env = env(ftp, s3e, s3);
            env.put("FTP_TRUSTED_CERT_FILE", Files.writeString(root.resolve("trusted-ca.pem"), ca.pem()).toString());

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getFailures()).isEmpty();
            assertThat(summary.getCopied()).isEqualTo(1);
            assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/a.csv.gz")).isEqualTo(SyncFiles.sha256(file));
        }
    }

    @Test
    void aCertificateOfAnotherCaIsRefusedNamingTheTrustedCertificates(S3Endpoint s3e, @TempDir Path root)
            throws Exception {
        SyncFiles.write(root.resolve("ftp/in/a.csv.gz"), 1000, 63);
        PrivateCa trusted = PrivateCa.create(root.resolve("trusted-ca"), "netmeta test CA");
        PrivateCa other = PrivateCa.create(root.resolve("other-ca"), "netmeta test CA"); // same name, another key
        SelfSignedCertificate server = other.issue(root.resolve("server"), "CN=localhost, O=netmeta test", LOOPBACK);
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = new TestFtpServer(root.resolve("ftp"), null, server)) {
            Map<String, String> env = env(ftp, s3e, s3);
            Path pem = Files.writeString(root.resolve("trusted-ca.pem"), trusted.pem());
            env.put("FTP_TRUSTED_CERT_FILE", pem.toString());

            assertThatThrownBy(() -> new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("Cannot connect to FTP server 127.0.0.1:" + ftp.port() + " (explicit TLS)")
                    .hasMessageContaining("the server's certificate is not issued by the certificates in file '" + pem
                            + "' (FTP_TRUSTED_CERT_FILE)");
            assertThat(s3.listObjectsV2(b -> b.bucket(env.get("BUCKET"))).contents()).isEmpty();
        }
    }

    /**
     * The trusted CA vouches for the certificate, but it names another host: the host-name check (on by default)
     * refuses it, saying which name the certificate lacks — not that the CA is unknown.
     */
    @Test
    void aCertificateTheCaIssuedForAnotherHostNameIsRefused(S3Endpoint s3e, @TempDir Path root) throws Exception {
        SyncFiles.write(root.resolve("ftp/in/a.csv.gz"), 1000, 64);
        PrivateCa ca = PrivateCa.create(root.resolve("ca"), "netmeta test CA");
        SelfSignedCertificate server = ca.issue(root.resolve("server"), "CN=ftp.example.test, O=netmeta test",
                "SAN=dns:ftp.example.test");
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = new TestFtpServer(root.resolve("ftp"), null, server)) {
            Map<String, String> env = env(ftp, s3e, s3);
            env.put("FTP_TRUSTED_CERT_FILE", Files.writeString(root.resolve("trusted-ca.pem"), ca.pem()).toString());

            assertThatThrownBy(() -> new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("Cannot connect to FTP server 127.0.0.1:" + ftp.port() + " (explicit TLS)")
                    .hasMessageContaining("No subject alternative names matching IP address 127.0.0.1 found — the"
                            + " server's certificate does not name '127.0.0.1' (FTP_HOST): set FTP_HOST to a name the"
                            + " certificate lists")
                    .hasMessageNotContaining("not issued by");
            assertThat(s3.listObjectsV2(b -> b.bucket(env.get("BUCKET"))).contents()).isEmpty();
        }
    }

    /**
     * The certificate chain the server sends in an explicit-TLS handshake (AUTH TLS), as a client sees it: recorded by
     * a trust manager that accepts any chain — it is never used to log in.
     */
    private static List<X509Certificate> chainSentBy(TestFtpServer ftp) throws Exception {
        List<X509Certificate> sent = new ArrayList<>();
        FTPSClient client = new FTPSClient(false);
        client.setTrustManager(new X509TrustManager() {
            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                sent.addAll(List.of(chain));
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                throw new UnsupportedOperationException("a client's trust manager");
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        });
        try {
            client.connect("127.0.0.1", ftp.port()); // sends AUTH TLS and completes the handshake
        } finally {
            client.disconnect();
        }
        return sent;
    }

    /** FTPS into a new bucket, no trust setting yet. */
    private static Map<String, String> env(TestFtpServer ftp, S3Endpoint s3e, S3Client s3) {
        Map<String, String> env = new HashMap<>(ftp.syncEnv("/in", s3e, s3, "it-ftps-ca-"));
        env.put("FTP_TLS", "explicit");
        return env;
    }
}
