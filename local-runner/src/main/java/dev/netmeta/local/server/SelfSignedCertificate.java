package dev.netmeta.local.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A fresh self-signed certificate for 127.0.0.1/localhost: a PKCS12 key store for the server (made by the JDK's
 * {@code keytool}, no extra crypto library needed) and a PKCS12 trust store holding only that certificate, for clients
 * (FTPS of {@link EmbeddedFtp}; HTTPS stand-ins in the integration tests).
 */
public record SelfSignedCertificate(Path keyStore, String keyStorePassword, String alias, Path trustStore,
                                    String trustStorePassword) {

    private static final String PASSWORD_VARIABLE = "NETMETA_KEYSTORE_PASSWORD";

    public static SelfSignedCertificate generate(Path dir) {
        return generate(dir, "CN=localhost, O=netmeta local", "SAN=ip:127.0.0.1,dns:localhost");
    }

    /** A certificate for another host name only (tests of host-name verification: it does not name 127.0.0.1). */
    public static SelfSignedCertificate forHostName(Path dir, String hostName) {
        return generate(dir, "CN=" + hostName + ", O=netmeta test", "SAN=dns:" + hostName);
    }

    private static SelfSignedCertificate generate(Path dir, String dname, String san) {
        String alias = "netmeta-ftp";
        String keyPassword = randomPassword();
        String trustPassword = randomPassword();
        Path keyStore = dir.resolve("server-keystore.p12");
        Path trustStore = dir.resolve("client-truststore.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        run(keyPassword, List.of(keytool.toString(), "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "30", "-dname", dname, "-ext", san,
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE));
        writeTrustStore(keyStore, keyPassword, alias, trustStore, trustPassword);
        return new SelfSignedCertificate(keyStore, keyPassword, alias, trustStore, trustPassword);
    }

    private static void writeTrustStore(Path keyStore, String keyPassword, String alias, Path trustStore,
                                        String trustPassword) {
        try (InputStream in = Files.newInputStream(keyStore); OutputStream out = Files.newOutputStream(trustStore)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, keyPassword.toCharArray());
            Certificate certificate = keys.getCertificate(alias);
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(alias, certificate);
            trust.store(out, trustPassword.toCharArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trust store " + trustStore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build trust store from " + keyStore, e);
        }
    }

    /** The certificate as {@code openssl x509} writes it (PEM), for a client that takes PEM ({@code --ftp-trusted-cert}). */
    public String pem() {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, trustStorePassword.toCharArray());
            byte[] der = store.getCertificate(alias).getEncoded();
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trust store " + trustStore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the certificate of " + trustStore, e);
        }
    }

    /** The password goes to keytool through its environment, never on a command line other processes can read. */
    private static void run(String password, List<String> command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put(PASSWORD_VARIABLE, password);
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed (exit " + process.exitValue() + "): "
                        + new String(output, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
