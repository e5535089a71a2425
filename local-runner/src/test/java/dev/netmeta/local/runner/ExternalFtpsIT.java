package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.server.EmbeddedFtp;
import dev.netmeta.local.server.FtpSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runner against an external FTPS server whose certificate is self-signed — the embedded FTPS server standing in
 * for it, reached only through {@code --ftp-url ftps://…} — with that certificate given as PEM by
 * {@code --ftp-trusted-cert}: the sync verifies the server (certificate and host name) against that file alone, and
 * the file put on the server is copied, loaded and searchable.
 */
class ExternalFtpsIT {

    @TempDir
    Path dir;
    private LocalPipeline pipeline;
    private final PipelineConsole console = new PipelineConsole();

    @AfterEach
    void stop() {
        console.stopAndShow(pipeline, "");
    }

    @Test
    void aSelfSignedFtpsServerIsTrustedThroughItsPemCertificate() throws Exception {
        Path served = Files.createDirectories(dir.resolve("served"));
        try (EmbeddedFtp ftps = EmbeddedFtp.start(FtpSettings.of(served, "someone", "its-password").withFtps(true))) {
            Path file = Files.copy(TestFiles.csv(dir.resolve("in"), "a.csv.gz", 800), served.resolve("a.csv.gz"));
            // a finished file of a real server: a younger one is skipped as still being written
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
            Path pem = Files.writeString(dir.resolve("server.pem"), ftps.certificatePem());

            pipeline = LocalPipeline.start(RunnerOptions.parse(new String[]{"--data-dir", dir.resolve("data").toString(),
                            "--port", "0", "--manifest", LocalRunnerIT.projectManifest().toString(),
                            "--ftp-url", "ftps://someone:its-password@127.0.0.1:" + ftps.port() + "/"},
                    Map.of("NETMETA_FTP_TRUSTED_CERT", pem.toString())), console.stream(), Map.of());
            RunnerClient client = new RunnerClient(pipeline.baseUrl());
            JsonNode status = client.awaitIdle();

            assertThat(status.at("/sync/last/copied").asInt()).as("the sync at start, over FTPS").isEqualTo(1);
            assertThat(status.at("/objects/raw~1a.csv.gz/state").asText()).isEqualTo("loaded");
            assertThat(client.indexed("metadata")).isEqualTo(800);
            assertThat(client.sync().get("skippedPresent").asInt()).as("a second session, verified again").isEqualTo(1);
            assertThat(ftps.totalLogins()).isGreaterThanOrEqualTo(2);
            assertThat(console.text()).contains("ftps://someone@127.0.0.1:" + ftps.port()
                    + "/ (external, trusting the certificates in " + pem + ")");
        }
    }
}
