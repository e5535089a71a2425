package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** FTPS as the server sees it: both channels encrypted, and the certificate's host name checked by default. */
@ExtendWith(TestServers.class)
class SyncFtpsVerificationIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    @Test
    void theControlAndTheDataConnectionAreEncrypted(S3Endpoint s3e, @TempDir Path root) throws Exception {
        Path file = SyncFiles.write(root.resolve("ftp/in/a.csv.gz"), 300_000, 41);
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(Files.createDirectories(root.resolve("tls")));
        List<String> seen = new CopyOnWriteArrayList<>(); // each command, with whether its channels were encrypted
        DefaultFtplet recorder = new DefaultFtplet() {
            @Override
            public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
                String command = request.getCommand().toUpperCase();
                seen.add(command + (request.hasArgument() && !command.equals("PASS") ? " " + request.getArgument() : "")
                        + (command.equals("RETR") ? " control=" + session.isSecure() + " data="
                        + session.getDataConnection().isSecure() : ""));
                return super.beforeCommand(session, request);
            }
        };
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = new TestFtpServer(root.resolve("ftp"), recorder, certificate)) {
            Map<String, String> env = env(s3e, s3, ftp, certificate);

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).isEqualTo(1);
            assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/a.csv.gz")).isEqualTo(SyncFiles.sha256(file));
            assertThat(seen).startsWith("AUTH TLS").contains("PBSZ 0", "PROT P", "RETR /in/a.csv.gz control=true data=true");
            int firstData = seen.indexOf(seen.stream().filter(c -> c.startsWith("MLSD") || c.startsWith("LIST")).findFirst().orElseThrow());
            assertThat(seen.indexOf("PROT P")).as("PROT P before the first data connection: %s", seen).isLessThan(firstData);
        }
    }

    @Test
    void aCertificateForAnotherHostNameIsRefusedUnlessVerificationIsTurnedOff(S3Endpoint s3e, @TempDir Path root) throws Exception {
        SyncFiles.write(root.resolve("ftp/in/a.csv.gz"), 1000, 42);
        SelfSignedCertificate other = SelfSignedCertificate.forHostName(Files.createDirectories(root.resolve("tls")),
                "ftp.example.test");
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = new TestFtpServer(root.resolve("ftp"), null, other)) {
            Map<String, String> env = env(s3e, s3, ftp, other); // trusted, but issued for another name than 127.0.0.1

            assertThatThrownBy(() -> new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("Cannot connect to FTP server 127.0.0.1")
                    .hasMessageContaining("127.0.0.1 found"); // JSSE: "No subject alternative names matching IP address 127.0.0.1 found"

            env.put("FTP_TLS_VERIFY_HOSTNAME", "false");
            assertThat(new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000)).getCopied()).isEqualTo(1);
        }
    }

    private static Map<String, String> env(S3Endpoint s3e, S3Client s3, TestFtpServer ftp, SelfSignedCertificate trusted) {
        String bucket = "it-ftps-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, String> env = new HashMap<>(ftp.env("/in"));
        env.put("FTP_TLS", "explicit");
        env.put("FTP_TRUSTSTORE", trusted.trustStore().toString());
        env.put("FTP_TRUSTSTORE_PASSWORD", trusted.trustStorePassword());
        env.put("BUCKET", bucket);
        env.putAll(s3e.env());
        return env;
    }
}
