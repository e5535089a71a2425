package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which certificates an FTPS server is checked against, from which setting, and the errors naming that setting. */
class FtpTrustTest {

    private static final Clock CLOCK = Clock.fixed(PemCertificatesTest.NOW, ZoneOffset.UTC);
    private static final String PARAM = "/netmeta/ftp-ca";

    @Test
    void theCertificatesOfTheSsmParameterAreTheOnlyAnchorsReadOnFirstUseWithTheGivenClient() throws Exception {
        FakeSsm ssm = new FakeSsm(Map.of(PARAM, PemCertificatesTest.CA + PemCertificatesTest.SERVER));
        FtpTrust trust = FtpTrust.of(config(Map.of("FTP_TRUSTED_CERT_PARAM", PARAM)), () -> ssm, CLOCK);
        assertThat(ssm.calls).as("nothing read before the first FTPS connection").hasValue(0);

        KeyStore anchors = trust.anchors();
        assertThat(Collections.list(anchors.aliases())).containsExactlyInAnyOrder("trusted-1", "trusted-2");
        assertThat(trust.isJvmDefault()).isFalse();
        assertThat(trust).hasToString("the certificates in SSM parameter '/netmeta/ftp-ca' (FTP_TRUSTED_CERT_PARAM)");
        trust.anchors();
        assertThat(ssm.calls).as("the parameter is read once").hasValue(1);
    }

    @Test
    void aMissingOrWrongParameterIsAnErrorNamingIt() {
        FtpTrust missing = FtpTrust.of(config(Map.of("FTP_TRUSTED_CERT_PARAM", PARAM)), () -> new FakeSsm(Map.of()), CLOCK);
        assertThatThrownBy(missing::anchors).isInstanceOf(SyncException.class)
                .hasMessage("Cannot read the FTP server's trusted certificates (FTP_TRUSTED_CERT_PARAM) from SSM"
                        + " parameter '/netmeta/ftp-ca': ParameterNotFound (400)");

        FtpTrust password = FtpTrust.of(config(Map.of("FTP_TRUSTED_CERT_PARAM", PARAM)),
                () -> new FakeSsm(Map.of(PARAM, "hunter2")), CLOCK); // e.g. the password parameter's name given
        assertThatThrownBy(password::anchors).isInstanceOf(SyncException.class)
                .hasMessageStartingWith("SSM parameter '/netmeta/ftp-ca' (FTP_TRUSTED_CERT_PARAM) holds no PEM certificate")
                .hasMessageEndingWith("(the server's certificate or its CA's, e.g. stored with aws ssm put-parameter"
                        + " --value file://ca.pem)")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aFileWithoutACertificateGetsNoAdviceOnSsmParameters(@TempDir Path dir) throws IOException {
        // the local runner's --ftp-trusted-cert /etc/hostname said "… e.g. stored with --value file://ca.pem", the
        // parameter's advice, for a file the user had named
        Path text = Files.writeString(dir.resolve("server.pem"), "not a certificate\n");
        assertThatThrownBy(() -> FtpTrust.of(config(Map.of("FTP_TRUSTED_CERT_FILE", text.toString())),
                FtpTrustTest::noSsm, CLOCK).anchors()).isInstanceOf(SyncException.class)
                .hasMessage("file '" + text + "' (FTP_TRUSTED_CERT_FILE) holds no PEM certificate: expected one or more"
                        + " blocks from '-----BEGIN CERTIFICATE-----' to '-----END CERTIFICATE-----' (the server's"
                        + " certificate or its CA's)");
    }

    @Test
    void aPemFileWorksLikeTheParameter(@TempDir Path dir) throws IOException {
        Path pem = Files.writeString(dir.resolve("ca.pem"), PemCertificatesTest.CA);
        FtpTrust trust = FtpTrust.of(config(Map.of("FTP_TRUSTED_CERT_FILE", pem.toString())), FtpTrustTest::noSsm, CLOCK);
        assertThat(trust.anchors()).satisfies(store -> assertThat(store.size()).isEqualTo(1));

        Path absent = dir.resolve("absent.pem");
        assertThatThrownBy(() -> FtpTrust.of(config(Map.of("FTP_TRUSTED_CERT_FILE", absent.toString())), FtpTrustTest::noSsm,
                CLOCK).anchors()).isInstanceOf(SyncException.class)
                .hasMessageStartingWith("Cannot read the FTP server's trusted certificates from file '" + absent
                        + "' (FTP_TRUSTED_CERT_FILE): java.nio.file.NoSuchFileException");
    }

    @Test
    void withoutASettingTheJvmsCaCertificatesAreUsed() {
        FtpTrust trust = FtpTrust.of(config(Map.of()), FtpTrustTest::noSsm, CLOCK);
        assertThat(trust.isJvmDefault()).isTrue();
        assertThat(trust.anchors()).isNull();
    }

    @Test
    void onlyOneTrustSettingAndTheCertificateSettingsOnlyWithFtps() {
        assertThatThrownBy(() -> config(Map.of("FTP_TRUSTED_CERT_PARAM", PARAM, "FTP_TRUSTSTORE", "/t.p12")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("set only one of FTP_TRUSTED_CERT_PARAM, FTP_TRUSTED_CERT_FILE and FTP_TRUSTSTORE (the"
                        + " certificates of one are trusted, they are not combined)");
        assertThatThrownBy(() -> config(Map.of("FTP_TRUSTED_CERT_PARAM", PARAM, "FTP_TLS", "none")))
                .hasMessageStartingWith("FTP_TRUSTED_CERT_PARAM is set but FTP_TLS is 'none'");
        assertThat(config(Map.of("FTP_TRUSTED_CERT_PARAM", " ")).trustedCertParam())
                .as("the manifest's empty default: not set").isNull();
    }

    @Test
    void anUntrustedServerCertificateNamesWhatItWasCheckedAgainstAndTheSetting() {
        Exception untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertPathBuilderException("unable to find valid certification path to requested target"));

        FtpConnector jvm = new FtpConnector(config(Map.of()), new EnvSecretSource("pw"));
        assertThat(jvm.untrustedHint(untrusted)).isEqualTo(" — the server's certificate is not issued by the JVM's CA"
                + " certificates; for a private CA or a self-signed certificate put it (PEM) in an SSM parameter and name"
                + " that in FTP_TRUSTED_CERT_PARAM (deploy parameter ftpTrustedCertParam, docs/DEPLOY.md)");

        SyncConfig pinned = config(Map.of("FTP_TRUSTED_CERT_PARAM", PARAM));
        FtpConnector ssm = new FtpConnector(pinned, new EnvSecretSource("pw"), FtpTrust.of(pinned, FtpTrustTest::noSsm, CLOCK));
        assertThat(ssm.untrustedHint(untrusted)).isEqualTo(" — the server's certificate is not issued by the"
                + " certificates in SSM parameter '/netmeta/ftp-ca' (FTP_TRUSTED_CERT_PARAM)");
        Exception otherKey = new SSLHandshakeException("PKIX path validation failed"); // same name, another key
        otherKey.initCause(new CertPathValidatorException("signature check failed", null, null, -1,
                CertPathValidatorException.BasicReason.INVALID_SIGNATURE));
        assertThat(ssm.untrustedHint(otherKey)).isEqualTo(ssm.untrustedHint(untrusted));
        Exception expired = new SSLHandshakeException("PKIX path validation failed");
        expired.initCause(new CertPathValidatorException("validity check failed", null, null, -1,
                CertPathValidatorException.BasicReason.EXPIRED));
        assertThat(ssm.untrustedHint(expired)).as("JSSE's own message says it").isEmpty();
        assertThat(ssm.untrustedHint(new IOException("Connection refused"))).isEmpty();
    }

    /** JSSE's host-name messages (sun.security.util.HostnameChecker) name neither FTP_HOST nor a way out. */
    @Test
    void aCertificateForAnotherHostNamesFtpHostAndTheWayOut() {
        FtpConnector connector = new FtpConnector(config(Map.of()), new EnvSecretSource("pw"));
        String hint = " — the server's certificate does not name 'ftp.example.net' (FTP_HOST): set FTP_HOST to a name the"
                + " certificate lists, or have the certificate issued for this one (FTP_TLS_VERIFY_HOSTNAME=false turns"
                + " the check off: then a certificate the trusted certificates vouch for is accepted whatever host it was"
                + " issued for)";
        for (String jsse : new String[] {"No subject alternative names matching IP address 10.0.0.5 found",
                "No subject alternative DNS name matching ftp.example.net found.", "No name matching ftp.example.net found",
                "No subject alternative names present"}) {
            Exception handshake = new SSLHandshakeException(jsse);
            handshake.initCause(new CertificateException(jsse));
            assertThat(connector.hostNameHint(handshake)).as(jsse).isEqualTo(hint);
            assertThat(connector.untrustedHint(handshake)).as(jsse).isEmpty();
        }
        Exception untrusted = new SSLHandshakeException("PKIX path building failed");
        untrusted.initCause(new CertPathBuilderException("unable to find valid certification path to requested target"));
        assertThat(connector.hostNameHint(untrusted)).isEmpty();
        assertThat(connector.hostNameHint(new SSLHandshakeException("No name matching x found"))).as("not the check's")
                .isEmpty();
    }

    private static software.amazon.awssdk.services.ssm.SsmClient noSsm() {
        throw new AssertionError("no SSM call expected");
    }

    private static SyncConfig config(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "ftp.example.net", "FTP_USER", "u", "BUCKET", "b",
                "FTP_TLS", "explicit"));
        env.putAll(settings);
        return SyncConfig.fromEnv(env);
    }
}
