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
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The deployable way to trust a self-signed (or private-CA) FTPS server: its certificate, PEM, in an SSM parameter
 * named by FTP_TRUSTED_CERT_PARAM, read through the same SSM endpoint as the password (a stand-in here), with
 * certificate and host-name verification on. Without it the run fails with an error that names the setting.
 */
@ExtendWith(TestServers.class)
class SyncFtpsTrustedCertificateIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");
    private static final String PASSWORD_PARAM = "/netmeta/ftp-password";
    private static final String CERT_PARAM = "/netmeta/ftp-ca";

    @Test
    void theServersCertificateFromTheSsmParameterIsTrusted(S3Endpoint s3e, @TempDir Path root) throws Exception {
        Path file = SyncFiles.write(root.resolve("ftp/in/a.csv.gz"), 200_000, 51);
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("tls")));
        try (S3Client s3 = TestServers.s3Client(s3e); SsmStandIn ssm = new SsmStandIn();
             TestFtpServer ftp = new TestFtpServer(root.resolve("ftp"), null, certificate)) {
            ssm.put(PASSWORD_PARAM, ftp.password).put(CERT_PARAM, certificate.pem());
            Map<String, String> env = env(ftp, s3e, s3, ssm);
            env.put("FTP_TRUSTED_CERT_PARAM", CERT_PARAM);

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).isEqualTo(1);
            assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/a.csv.gz")).isEqualTo(SyncFiles.sha256(file));
            assertThat(ssm.requested()).as("each parameter read once, through the one SSM endpoint")
                    .containsExactlyInAnyOrder(PASSWORD_PARAM, CERT_PARAM);
        }
    }

    @Test
    void withoutTheParameterTheRunFailsNamingTheSetting(S3Endpoint s3e, @TempDir Path root) throws Exception {
        SyncFiles.write(root.resolve("ftp/in/a.csv.gz"), 1000, 52);
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("tls")));
        SelfSignedCertificate another = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("other")));
        try (S3Client s3 = TestServers.s3Client(s3e); SsmStandIn ssm = new SsmStandIn();
             TestFtpServer ftp = new TestFtpServer(root.resolve("ftp"), null, certificate)) {
            ssm.put(PASSWORD_PARAM, ftp.password).put(CERT_PARAM, another.pem());
            Map<String, String> env = env(ftp, s3e, s3, ssm);

            assertThatThrownBy(() -> new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("Cannot connect to FTP server 127.0.0.1:" + ftp.port() + " (explicit TLS)")
                    .hasMessageContaining("PKIX path building failed")
                    .hasMessageContaining("the server's certificate is not issued by the JVM's CA certificates; for a"
                            + " private CA or a self-signed certificate put it (PEM) in an SSM parameter and name that in"
                            + " FTP_TRUSTED_CERT_PARAM (deploy parameter ftpTrustedCertParam, docs/DEPLOY.md)");

            // a certificate of the same name but not this server's: as after the server renewed its self-signed one
            env.put("FTP_TRUSTED_CERT_PARAM", CERT_PARAM);
            assertThatThrownBy(() -> new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("Cannot connect to FTP server 127.0.0.1:" + ftp.port() + " (explicit TLS)")
                    .hasMessageContaining("the server's certificate is not issued by the certificates in SSM parameter"
                            + " '/netmeta/ftp-ca' (FTP_TRUSTED_CERT_PARAM)");

            env.put("FTP_TRUSTED_CERT_PARAM", "/netmeta/not-created");
            assertThatThrownBy(() -> new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .isInstanceOf(SyncException.class)
                    .hasMessage("Cannot read the FTP server's trusted certificates (FTP_TRUSTED_CERT_PARAM) from SSM"
                            + " parameter '/netmeta/not-created': ParameterNotFound (400)");
            assertThat(s3.listObjectsV2(b -> b.bucket(env.get("BUCKET"))).contents()).isEmpty();
        }
    }

    @Test
    void locallyAPemFileDoesTheSame(S3Endpoint s3e, @TempDir Path root) throws Exception {
        SyncFiles.write(root.resolve("ftp/in/a.csv.gz"), 1000, 53);
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("tls")));
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = new TestFtpServer(root.resolve("ftp"), null, certificate)) {
            Map<String, String> env = new HashMap<>(ftp.syncEnv("/in", s3e, s3, "it-ftps-pem-"));
            env.put("FTP_TLS", "explicit");
            env.put("FTP_TRUSTED_CERT_FILE", Files.writeString(root.resolve("server.pem"), certificate.pem()).toString());

            assertThat(new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)).getCopied()).isEqualTo(1);
        }
    }

    /** FTPS with the password from the SSM stand-in, no trust setting yet. */
    private static Map<String, String> env(TestFtpServer ftp, S3Endpoint s3e, S3Client s3, SsmStandIn ssm) {
        Map<String, String> env = new HashMap<>(ftp.syncEnv("/in", s3e, s3, "it-ftps-ssm-"));
        env.remove("FTP_PASSWORD");
        env.put("FTP_PASSWORD_PARAM", PASSWORD_PARAM);
        env.put("FTP_TLS", "explicit");
        env.putAll(ssm.env());
        return env;
    }
}
