package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.netmeta.load.RetentionDays;
import dev.netmeta.local.runner.manifest.FunctionDefinition;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sync's FTP trust settings in the local run: SSM is not there, the runner's own setting replaces it; and
 * {@code --index-retention-days} replaces INDEX_RETENTION_DAYS where the manifest declares it.
 */
class FunctionEnvironmentTest {

    private static final Path PEM = Path.of("/certs/ftp-ca.pem");

    @Test
    void theTrustedCertificateFileReplacesTheSsmParameter() {
        Map<String, String> env = syncEnvironment(new Backends.Ftp("ftp.example.net", 21, "u", "p", true, null, null,
                PEM, "/in", "external"));

        assertThat(env).containsEntry("FTP_TLS", "explicit").containsEntry("FTP_TRUSTED_CERT_FILE", PEM.toString())
                .doesNotContainKeys("FTP_TRUSTED_CERT_PARAM", "FTP_TRUSTSTORE", "FTP_TRUSTSTORE_PASSWORD",
                        "FTP_PASSWORD_PARAM");
    }

    @Test
    void withoutOneTheJvmsCertificatesAreTrusted() {
        Map<String, String> env = syncEnvironment(new Backends.Ftp("ftp.example.net", 21, "u", "p", true, null, null,
                null, "/in", "external"));

        assertThat(env).containsEntry("FTP_TLS", "explicit")
                .doesNotContainKeys("FTP_TRUSTED_CERT_PARAM", "FTP_TRUSTED_CERT_FILE", "FTP_TRUSTSTORE");
    }

    @Test
    void aTrustStoreIsPassedOnWithItsPassword() {
        Map<String, String> env = syncEnvironment(new Backends.Ftp("127.0.0.1", 2121, "u", "p", true,
                Path.of("/tmp/trust.p12"), "secret", null, "/", "embedded"));

        assertThat(env).containsEntry("FTP_TRUSTSTORE", "/tmp/trust.p12").containsEntry("FTP_TRUSTSTORE_PASSWORD", "secret")
                .doesNotContainKeys("FTP_TRUSTED_CERT_PARAM", "FTP_TRUSTED_CERT_FILE");
    }

    @Test
    void theIndexRetentionOptionReplacesTheManifestsValueWhereItIsDeclared() {
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        declared.put("INDEX_PREFIX", TextNode.valueOf("metadata"));
        declared.put("INDEX_RETENTION_DAYS", TextNode.valueOf("off"));
        FunctionDefinition retention = new FunctionDefinition("retention", "dev.netmeta.load.RetentionHandler", 300,
                512, declared, List.of(), List.of(), List.of(), null, null);
        FunctionDefinition api = new FunctionDefinition("api", "dev.netmeta.api.ApiHandler", 28, 1024,
                Map.of("INDEX_PREFIX", TextNode.valueOf("metadata")), List.of(), List.of(), List.of(), null, null);
        Backends backends = new Backends();
        backends.s3(new Backends.S3(URI.create("http://127.0.0.1:9000"), "a", "s", "us-east-1", "s3"), null);

        assertThat(FunctionEnvironment.build(retention, "netmeta-local-retention", "bucket", backends,
                "http://127.0.0.1:3000", Map.of(), null).environment())
                .as("without the option: the manifest's").containsEntry("INDEX_RETENTION_DAYS", "off");
        assertThat(FunctionEnvironment.build(retention, "netmeta-local-retention", "bucket", backends,
                "http://127.0.0.1:3000", Map.of(), new RetentionDays(30)).environment())
                .containsEntry("INDEX_RETENTION_DAYS", "30");
        assertThat(FunctionEnvironment.build(api, "netmeta-local-api", "bucket", backends, "http://127.0.0.1:3000",
                Map.of(), new RetentionDays(30)).environment())
                .as("a function that does not declare it does not get it").doesNotContainKey("INDEX_RETENTION_DAYS");
    }

    /** The manifest's sync environment as the deploy has it: an SSM parameter for the password and the certificate. */
    private static Map<String, String> syncEnvironment(Backends.Ftp ftp) {
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        declared.put("BUCKET", TextNode.valueOf("deployed-bucket"));
        declared.put("FTP_HOST", TextNode.valueOf("deployed-host"));
        declared.put("FTP_PASSWORD_PARAM", TextNode.valueOf("/netmeta/ftp-password"));
        declared.put("FTP_TLS", TextNode.valueOf("explicit"));
        declared.put("FTP_TRUSTED_CERT_PARAM", TextNode.valueOf("/netmeta/ftp-ca"));
        FunctionDefinition sync = new FunctionDefinition("sync", "dev.netmeta.sync.SyncHandler", 900, 1024, declared,
                List.of(), List.of(), List.of(), null, null);
        Backends backends = new Backends();
        backends.s3(new Backends.S3(URI.create("http://127.0.0.1:9000"), "a", "s", "us-east-1", "s3"), null);
        backends.ftp(ftp, null);
        FunctionEnvironment.Result result = FunctionEnvironment.build(sync, "netmeta-local-sync", "bucket", backends,
                "http://127.0.0.1:3000", Map.of(), null);
        assertThat(result.unavailable()).isEmpty();
        return result.environment();
    }
}
