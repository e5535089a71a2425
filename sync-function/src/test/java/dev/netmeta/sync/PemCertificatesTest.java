package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PEM text → trust anchors, and the errors a user sees for a parameter or file that does not hold what it should.
 * The fixtures (made with keytool) are valid from 2025-01-01 to 2034-12-30; the tests pass their own "now".
 */
class PemCertificatesTest {

    static final String CA = fixture("netmeta-test-ca.pem");
    static final String SERVER = fixture("netmeta-test-server.pem");
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final String SOURCE = "SSM parameter '/netmeta/ftp-ca' (FTP_TRUSTED_CERT_PARAM)";

    @Test
    void oneCertificateBecomesTheOnlyTrustAnchor() throws Exception {
        List<X509Certificate> certificates = PemCertificates.parse(CA, SOURCE, NOW);
        assertThat(certificates).singleElement().satisfies(c ->
                assertThat(c.getSubjectX500Principal().getName()).isEqualTo("CN=netmeta test ca,O=netmeta test"));

        KeyStore store = PemCertificates.trustStore(certificates);
        assertThat(Collections.list(store.aliases())).containsExactly("trusted-1");
        assertThat(store.isCertificateEntry("trusted-1")).isTrue();
        assertThat(store.getCertificate("trusted-1")).isEqualTo(certificates.get(0));
    }

    @Test
    void severalCertificatesWithTextAroundThemAndWindowsLineEndings() {
        String bundle = "# our CA and the server's own\r\nSubject: CN=netmeta test ca\r\n" + CA.replace("\n", "\r\n")
                + "\r\n" + SERVER + "trailing words\n";
        assertThat(PemCertificates.parse(bundle, SOURCE, NOW))
                .extracting(c -> c.getSubjectX500Principal().getName())
                .containsExactly("CN=netmeta test ca,O=netmeta test", "CN=netmeta test server,O=netmeta test");
    }

    @Test
    void noCertificateAtAllNamesTheSourceAndWhatIsExpected() {
        for (String text : new String[] {null, "", "not a certificate", "MIIBejCCAR+gAwIBAgIIeGJCc93LHnMwCgYI"}) {
            assertThatThrownBy(() -> PemCertificates.parse(text, SOURCE, NOW)).isInstanceOf(SyncException.class)
                    .hasMessageStartingWith(SOURCE + " holds no PEM certificate: expected one or more blocks from"
                            + " '-----BEGIN CERTIFICATE-----' to '-----END CERTIFICATE-----'")
                    .hasMessageNotContaining("MIIB");
        }
    }

    @Test
    void aPrivateKeyIsRefusedWithoutQuotingIt() {
        String key = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n";
        assertThatThrownBy(() -> PemCertificates.parse(CA + key, SOURCE, NOW)).isInstanceOf(SyncException.class)
                .hasMessageStartingWith(SOURCE + " holds a 'PRIVATE KEY' block; only CERTIFICATE blocks are read")
                .hasMessageContaining("a private key does not belong there")
                .hasMessageNotContaining("MIGH");
        assertThatThrownBy(() -> PemCertificates.parse("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----", SOURCE, NOW))
                .hasMessage(SOURCE + " holds a 'X509 CRL' block; only CERTIFICATE blocks are read");
    }

    @Test
    void aBlockThatIsNoCertificateOrIsCutOffIsNamedByItsPlace() {
        assertThatThrownBy(() -> PemCertificates.parse(CA + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
                SOURCE, NOW)).isInstanceOf(SyncException.class)
                .hasMessageStartingWith("certificate 2 in " + SOURCE + " is not a readable X.509 certificate: ");
        assertThatThrownBy(() -> PemCertificates.parse("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----",
                SOURCE, NOW)).hasMessageStartingWith("certificate 1 in " + SOURCE + " is not a readable X.509 certificate: ");
        String cut = CA.substring(0, CA.indexOf("-----END"));
        assertThatThrownBy(() -> PemCertificates.parse(cut, SOURCE, NOW))
                .hasMessage("certificate 1 in " + SOURCE + " has no '-----END CERTIFICATE-----' line (cut off?)");
    }

    @Test
    void anExpiredOrNotYetValidCertificateIsRefusedWithItsSubjectAndDate() {
        assertThatThrownBy(() -> PemCertificates.parse(CA + SERVER, SOURCE, Instant.parse("2035-01-01T00:00:00Z")))
                .isInstanceOf(SyncException.class)
                .hasMessage("certificate 1 in " + SOURCE + " (CN=netmeta test ca,O=netmeta test) expired on"
                        + " 2034-12-30T00:00:00Z: put the current certificate there");
        assertThatThrownBy(() -> PemCertificates.parse(CA + SERVER, SOURCE, Instant.parse("2024-12-31T23:59:59Z")))
                .hasMessage("certificate 1 in " + SOURCE + " (CN=netmeta test ca,O=netmeta test) is valid only from"
                        + " 2025-01-01T00:00:00Z on");
    }

    static String fixture(String name) {
        try (InputStream in = PemCertificatesTest.class.getResourceAsStream("/pem/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
