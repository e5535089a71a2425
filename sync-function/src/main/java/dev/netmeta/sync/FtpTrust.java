package dev.netmeta.sync;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * What an FTPS server's certificate chain must lead to: the JVM's CA certificates, or — for a private CA or a
 * self-signed server certificate — exactly the certificates the user names, which then REPLACE the JVM's CAs (a
 * pin: a private server has no business presenting a public CA's certificate, and no public CA can then vouch for
 * an impostor). One of, in this order of preference:
 * <ul>
 * <li>{@code FTP_TRUSTED_CERT_PARAM}: the name of an SSM parameter holding PEM certificates (the deployable way;
 * read with the password's SSM client);</li>
 * <li>{@code FTP_TRUSTED_CERT_FILE}: a PEM file (local runs);</li>
 * <li>{@code FTP_TRUSTSTORE} (+ {@code FTP_TRUSTSTORE_PASSWORD}): a PKCS12/JKS trust store file (local runs).</li>
 * </ul>
 * The anchors are loaded when the first FTPS connection of the container needs them (and kept by
 * {@link FtpConnector}); a failure is a {@link SyncException} naming the setting and its value, never the content.
 */
final class FtpTrust {

    /** The JVM's CA certificates ({@code cacerts}). */
    static final FtpTrust JVM = new FtpTrust("the JVM's CA certificates", () -> null);

    private final String description;
    private final Supplier<KeyStore> anchors;

    /** @param anchors supplies the trust anchors (null: the JVM's CA certificates) on each {@link #anchors()} call */
    FtpTrust(String description, Supplier<KeyStore> anchors) {
        this.description = description;
        this.anchors = anchors;
    }

    /** From the configuration; {@code ssm} is used only with {@code FTP_TRUSTED_CERT_PARAM}. */
    static FtpTrust of(SyncConfig config, Supplier<SsmClient> ssm, Clock clock) {
        if (config.trustedCertParam() != null) {
            String source = "SSM parameter '" + config.trustedCertParam() + "' (FTP_TRUSTED_CERT_PARAM)";
            SsmParameter parameter = new SsmParameter(ssm, config.trustedCertParam(),
                    "the FTP server's trusted certificates (FTP_TRUSTED_CERT_PARAM)");
            return pem(source, ", e.g. stored with aws ssm put-parameter --value file://ca.pem", parameter::value, clock);
        }
        if (config.trustedCertFile() != null) {
            Path file = Path.of(config.trustedCertFile());
            String source = "file '" + file + "' (FTP_TRUSTED_CERT_FILE)";
            return pem(source, "", () -> {
                try {
                    // any bytes decode: only the base64 inside the blocks counts
                    return Files.readString(file, StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new SyncException("Cannot read the FTP server's trusted certificates from " + source + ": "
                            + e, null);
                }
            }, clock);
        }
        if (config.trustStore() != null) {
            return new FtpTrust("the trust store '" + config.trustStore() + "' (FTP_TRUSTSTORE)",
                    () -> keyStoreFile(config.trustStore(), config.trustStorePassword()));
        }
        return JVM;
    }

    private static FtpTrust pem(String source, String howToPutThem, Supplier<String> text, Clock clock) {
        return new FtpTrust("the certificates in " + source, () -> PemCertificates.trustStore(
                PemCertificates.parse(text.get(), source, howToPutThem, clock.instant())));
    }

    private static KeyStore keyStoreFile(String file, String password) {
        try {
            // PKCS12 and JKS both load through the default type on Java 9+ (keystore.type.compat)
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            try (InputStream in = Files.newInputStream(Path.of(file))) {
                store.load(in, password == null ? null : password.toCharArray());
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new SyncException("Cannot load the FTP trust store '" + file + "': " + e.getMessage(), e);
        }
    }

    /** The trust anchors, or null for the JVM's CA certificates. @throws SyncException naming the setting */
    KeyStore anchors() {
        return anchors.get();
    }

    /** Whether these are the JVM's CA certificates (no setting of the user's). */
    boolean isJvmDefault() {
        return this == JVM;
    }

    /** What the chain is checked against, for messages: "the certificates in SSM parameter '…'". */
    @Override
    public String toString() {
        return description;
    }
}
