package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.sync.SessionReuseFtpsServer.DataConnection;
import dev.netmeta.sync.SessionReuseFtpsServer.Mode;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * FTPS data connections against a server that requires them to resume the control connection's TLS session, as
 * vsftpd does by default ({@code require_ssl_reuse=YES}; {@link SessionReuseFtpsServer}), and against one that cannot
 * resume at all: listing (MLSD, or LIST without MLST) and RETR, TLS 1.2 and TLS 1.3, several sessions in parallel;
 * TLS 1.2 with vsftpd's session timeout.
 */
@ExtendWith(TestServers.class)
class SyncFtpsSessionReuseIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");
    private static final String CLIENT_SESSION_TICKETS = "jdk.tls.client.enableSessionTicketExtension";

    @ParameterizedTest(name = "{0}, MLST {1}")
    @CsvSource({"TLSv1.2, true", "TLSv1.2, false", "TLSv1.3, true", "TLSv1.3, false"})
    void listingAndRetrResumeTheControlSession(String protocol, boolean mlst, S3Endpoint s3e, @TempDir Path root)
            throws Exception {
        syncFourFiles(protocol, mlst, 0, s3e, root);
    }

    /**
     * TLS 1.2 against a server with vsftpd's session timeout ({@code INT_MAX}; see {@link SessionReuseFtpsServer}),
     * from a JVM where {@code jdk.tls.client.enableSessionTicketExtension} is not set (as the Lambda's): the sync turns
     * TLS 1.2 session tickets off, so the control connection's session gets an id the server keeps and the data
     * connections resume it. Offering tickets (as before), the server resumed nothing and refused the listing
     * ({@code 522}).
     */
    @ParameterizedTest(name = "MLST {0}")
    @ValueSource(booleans = {true, false})
    void tls12ResumesBySessionIdAgainstVsftpdsSessionTimeout(boolean mlst, S3Endpoint s3e, @TempDir Path root)
            throws Exception {
        String before = System.getProperty(CLIENT_SESSION_TICKETS);
        System.clearProperty(CLIENT_SESSION_TICKETS);
        try {
            syncFourFiles("TLSv1.2", mlst, SessionReuseFtpsServer.VSFTPD_SESSION_TIMEOUT, s3e, root);
            assertThat(System.getProperty(CLIENT_SESSION_TICKETS)).isEqualTo("false");
        } finally {
            if (before == null) {
                System.clearProperty(CLIENT_SESSION_TICKETS);
            } else {
                System.setProperty(CLIENT_SESSION_TICKETS, before);
            }
        }
    }

    /** A scheduled run copying four files from a reuse-requiring server, in parallel sessions. */
    private static void syncFourFiles(String protocol, boolean mlst, int sessionTimeout, S3Endpoint s3e, Path root)
            throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("tls")));
        Path served = Files.createDirectories(root.resolve("ftp"));
        for (int i = 0; i < 4; i++) {
            SyncFiles.write(served.resolve("f" + i + ".csv.gz"), 200_000 + i, 70 + i);
        }
        try (S3Client s3 = TestServers.s3Client(s3e);
             SessionReuseFtpsServer ftp = new SessionReuseFtpsServer(served, protocol, Mode.REQUIRE_REUSE, mlst, certificate)
                     .sessionTimeout(sessionTimeout).retrAfterLogins(2)) {
            Map<String, String> env = env(s3e, s3, ftp.env(certificate));

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getFailures()).as("server saw: %s", ftp.dataConnections).isEmpty();
            assertThat(summary.getCopied()).isEqualTo(4);
            for (int i = 0; i < 4; i++) {
                assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/f" + i + ".csv.gz"))
                        .isEqualTo(SyncFiles.sha256(served.resolve("f" + i + ".csv.gz")));
            }
            assertThat(ftp.dataConnections).allMatch(DataConnection::accepted)
                    .anyMatch(d -> d.command().startsWith(mlst ? "MLSD" : "LIST"))
                    .filteredOn(d -> d.command().startsWith("RETR")).hasSize(4);
            // the server holds each RETR until a second session logged in (10 s at most): whether the other workers
            // log in before the first one has copied all four files no longer decides it; a sync copying in one
            // session waits the 10 s out and fails it
            assertThat(ftp.commands).filteredOn(c -> c.startsWith("USER")).as("parallel sessions").hasSizeGreaterThan(1);
        }
    }

    /** A copy-file event (the fan-out's): RETR without a listing before it on the session. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void aCopyFileRetrResumesTheControlSession(String protocol, S3Endpoint s3e, @TempDir Path root) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("tls")));
        Path served = Files.createDirectories(root.resolve("ftp"));
        Path file = SyncFiles.write(served.resolve("c.csv.gz"), 500_000, 82);
        try (S3Client s3 = TestServers.s3Client(s3e);
             SessionReuseFtpsServer ftp = new SessionReuseFtpsServer(served, protocol, Mode.REQUIRE_REUSE, true, certificate)) {
            Map<String, String> env = env(s3e, s3, ftp.env(certificate));
            CopyFileRequest request = new CopyFileRequest("c.csv.gz", Files.size(file),
                    Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS));

            SyncSummary summary = new SyncHandler(env).handleRequest(SyncCopyIT.copyEvent(request),
                    TestLambdaContext.realTime(900_000));

            assertThat(summary.getFailures()).as("server saw: %s", ftp.dataConnections).isEmpty();
            assertThat(summary.getCopied()).isEqualTo(1);
            assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/c.csv.gz")).isEqualTo(SyncFiles.sha256(file));
            assertThat(ftp.dataConnections).extracting(DataConnection::toString).containsExactly("RETR /c.csv.gz accepted");
        }
    }

    /**
     * A transfer whose data connection fails after the server's 150 leaves the server's reply to it (here 522) unread:
     * its session must not take the next file, whose commands would then read the previous file's reply.
     */
    @Test
    void aSessionWhoseDataConnectionFailedIsNotReused(S3Endpoint s3e, @TempDir Path root) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("tls")));
        Path served = Files.createDirectories(root.resolve("ftp"));
        SyncFiles.write(served.resolve("a.csv.gz"), 1000, 83);
        SyncFiles.write(served.resolve("b.csv.gz"), 1000, 84);
        try (S3Client s3 = TestServers.s3Client(s3e);
             SessionReuseFtpsServer ftp = new SessionReuseFtpsServer(served, "TLSv1.2", Mode.REFUSE_RETR, true, certificate)) {
            Map<String, String> env = env(s3e, s3, ftp.env(certificate));
            env.put("SYNC_CONCURRENCY", "1");

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).isZero();
            assertThat(ftp.dataConnections).extracting(DataConnection::command)
                    .containsExactly("MLSD /", "RETR /a.csv.gz", "RETR /b.csv.gz");
            assertThat(summary.getFailures()).hasSize(2).allSatisfy(f -> assertThat(f.getReason()).contains("SSLHandshakeException"));
            assertThat(ftp.commands).filteredOn(c -> c.startsWith("USER")).as("a new session after the failed one").hasSize(2);
        }
    }

    @Test
    void aServerThatCannotResumeGetsFullHandshakes(S3Endpoint s3e, @TempDir Path root) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("tls")));
        Path served = Files.createDirectories(root.resolve("ftp"));
        Path file = SyncFiles.write(served.resolve("a.csv.gz"), 300_000, 80);
        try (S3Client s3 = TestServers.s3Client(s3e);
             SessionReuseFtpsServer ftp = new SessionReuseFtpsServer(served, "TLSv1.3", Mode.NO_RESUMPTION, true, certificate)) {
            Map<String, String> env = env(s3e, s3, ftp.env(certificate));

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).isEqualTo(1);
            assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/a.csv.gz")).isEqualTo(SyncFiles.sha256(file));
            assertThat(ftp.dataConnections).allMatch(DataConnection::accepted).hasSize(2); // MLSD, RETR
        }
    }

    /**
     * A data connection that is not resumed is verified as the control connection is: a data certificate that is
     * trusted but issued for another name than the control connection's host is refused, unless host-name
     * verification is turned off.
     */
    @Test
    void aDataConnectionsFullHandshakeChecksTheControlsHostName(S3Endpoint s3e, @TempDir Path root) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("tls")));
        SelfSignedCertificate other = SelfSignedCertificate.forHostName(Files.createDirectories(root.resolve("tls-other")),
                "ftp.example.test");
        Path both = trustStore(root.resolve("both.p12"), certificate, other);
        Path served = Files.createDirectories(root.resolve("ftp"));
        SyncFiles.write(served.resolve("a.csv.gz"), 1000, 81);
        try (S3Client s3 = TestServers.s3Client(s3e);
             SessionReuseFtpsServer ftp = new SessionReuseFtpsServer(served, "TLSv1.2", Mode.NO_RESUMPTION, true,
                     certificate, other)) {
            Map<String, String> env = env(s3e, s3, ftp.env(both, "both-pw"));

            assertThatThrownBy(() -> new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("127.0.0.1 found"); // JSSE: "No subject alternative names matching IP address 127.0.0.1 found"

            env.put("FTP_TLS_VERIFY_HOSTNAME", "false");
            assertThat(new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)).getCopied()).isEqualTo(1);
        }
    }

    /** A PKCS12 trust store (password {@code both-pw}) holding the certificates of both. */
    private static Path trustStore(Path file, SelfSignedCertificate... certificates) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (SelfSignedCertificate c : certificates) {
            KeyStore one = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(c.trustStore())) {
                one.load(in, c.trustStorePassword().toCharArray());
            }
            trust.setCertificateEntry("cert-" + trust.size(), one.getCertificate(one.aliases().nextElement()));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            trust.store(out, "both-pw".toCharArray());
        }
        return file;
    }

    private static Map<String, String> env(S3Endpoint s3e, S3Client s3, Map<String, String> ftp) {
        String bucket = "it-reuse-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, String> env = new HashMap<>(ftp);
        env.put("BUCKET", bucket);
        env.put("SYNC_CONCURRENCY", "3");
        env.putAll(s3e.env());
        return env;
    }
}
