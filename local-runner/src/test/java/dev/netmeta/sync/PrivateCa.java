package dev.netmeta.sync;

import dev.netmeta.local.server.SelfSignedCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private certificate authority for the FTPS tests, made as {@link SelfSignedCertificate} makes its certificates:
 * with the JDK's {@code keytool} (no extra crypto library). The CA's certificate is self-signed and marked as a CA
 * (basic constraints {@code CA:true}, key usage {@code keyCertSign}); {@link #issue} makes a server key and a
 * certificate for it signed by the CA, as a real private CA hands them out.
 */
final class PrivateCa {

    private static final String PASSWORD_VARIABLE = "NETMETA_KEYSTORE_PASSWORD";
    private static final String CA_ALIAS = "ca";
    private static final String SERVER_ALIAS = "netmeta-ftp";

    private final Path keyStore;
    private final String password;
    private final X509Certificate certificate;

    private PrivateCa(Path keyStore, String password, X509Certificate certificate) {
        this.keyStore = keyStore;
        this.password = password;
        this.certificate = certificate;
    }

    /** A new CA named {@code CN=commonName, O=netmeta test}, its files in {@code dir}. */
    static PrivateCa create(Path dir, String commonName) throws IOException {
        Path keyStore = Files.createDirectories(dir).resolve("ca-keystore.p12");
        String password = randomPassword();
        keytool(password, "-genkeypair", "-alias", CA_ALIAS, "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
                "-dname", "CN=" + commonName + ", O=netmeta test", "-ext", "bc:c", "-ext", "KU:c=keyCertSign,cRLSign",
                "-storetype", "PKCS12", "-keystore", keyStore.toString(),
                "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE);
        Path pem = dir.resolve("ca.pem");
        keytool(password, "-exportcert", "-rfc", "-alias", CA_ALIAS, "-keystore", keyStore.toString(),
                "-storepass:env", PASSWORD_VARIABLE, "-file", pem.toString());
        return new PrivateCa(keyStore, password, certificates(Files.readString(pem)).get(0));
    }

    /** The CA's certificate, PEM: what a user of a private CA puts in FTP_TRUSTED_CERT_PARAM. */
    String pem() {
        return pem(certificate);
    }

    X509Certificate certificate() {
        return certificate;
    }

    /**
     * A server certificate issued by this CA for {@code san} (keytool's {@code -ext} syntax, e.g.
     * {@code SAN=ip:127.0.0.1,dns:localhost}), with key usage and {@code serverAuth} as a CA issues them. Its key store
     * (for {@code EmbeddedFtp.loopbackListener}) holds the key with the chain [server certificate, CA certificate], so
     * the server sends both, as servers of a private CA are set up; its trust store holds the server certificate
     * alone ({@link SelfSignedCertificate#pem()} is that certificate, not the CA's).
     */
    SelfSignedCertificate issue(Path dir, String dname, String san) throws IOException {
        Files.createDirectories(dir);
        Path serverKeyStore = dir.resolve("server-keystore.p12");
        String serverPassword = randomPassword();
        keytool(serverPassword, "-genkeypair", "-alias", SERVER_ALIAS, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "30", "-dname", dname, "-storetype", "PKCS12", "-keystore", serverKeyStore.toString(),
                "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE);
        Path request = dir.resolve("server.csr");
        keytool(serverPassword, "-certreq", "-alias", SERVER_ALIAS, "-keystore", serverKeyStore.toString(),
                "-storepass:env", PASSWORD_VARIABLE, "-file", request.toString());
        Path issued = dir.resolve("server.pem");
        keytool(password, "-gencert", "-alias", CA_ALIAS, "-keystore", keyStore.toString(),
                "-storepass:env", PASSWORD_VARIABLE, "-rfc", "-validity", "30", "-infile", request.toString(),
                "-outfile", issued.toString(), "-ext", san, "-ext", "KU:c=digitalSignature,keyEncipherment",
                "-ext", "EKU=serverAuth");
        X509Certificate server = certificates(Files.readString(issued)).get(0);
        Path trustStore = dir.resolve("client-truststore.p12");
        String trustPassword = randomPassword();
        try {
            KeyStore keys = load(serverKeyStore, serverPassword);
            Key key = keys.getKey(SERVER_ALIAS, serverPassword.toCharArray());
            keys.setKeyEntry(SERVER_ALIAS, key, serverPassword.toCharArray(), new Certificate[] {server, certificate});
            try (OutputStream out = Files.newOutputStream(serverKeyStore)) {
                keys.store(out, serverPassword.toCharArray());
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(SERVER_ALIAS, server);
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trust.store(out, trustPassword.toCharArray());
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot install the issued certificate in " + serverKeyStore, e);
        }
        return new SelfSignedCertificate(serverKeyStore, serverPassword, SERVER_ALIAS, trustStore, trustPassword);
    }

    /**
     * The same server key and certificate, its key store rewritten to hold the chain [server certificate] alone: a
     * server set up without its CA's certificate (an "incomplete chain"), which then sends only its own.
     */
    static SelfSignedCertificate withoutTheCasCertificate(SelfSignedCertificate issued) throws IOException {
        try {
            KeyStore keys = load(issued.keyStore(), issued.keyStorePassword());
            char[] password = issued.keyStorePassword().toCharArray();
            Key key = keys.getKey(issued.alias(), password);
            Certificate server = keys.getCertificateChain(issued.alias())[0];
            keys.setKeyEntry(issued.alias(), key, password, new Certificate[] {server});
            try (OutputStream out = Files.newOutputStream(issued.keyStore())) {
                keys.store(out, password);
            }
            return issued;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot rewrite " + issued.keyStore(), e);
        }
    }

    /** The certificate chain the key store of {@link #issue} holds: the server's, then the CA's. */
    static List<X509Certificate> chain(SelfSignedCertificate issued) throws IOException {
        try {
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : load(issued.keyStore(), issued.keyStorePassword()).getCertificateChain(issued.alias())) {
                chain.add((X509Certificate) c);
            }
            return chain;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read " + issued.keyStore(), e);
        }
    }

    static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(certificate.getEncoded()) + "\n-----END CERTIFICATE-----\n";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> list = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                list.add((X509Certificate) c);
            }
            return list;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("keytool wrote no readable certificate", e);
        }
    }

    /** The password goes to keytool through its environment, never on a command line other processes can read. */
    private static void keytool(String password, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put(PASSWORD_VARIABLE, password);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool " + arguments[0] + " did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running keytool", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + arguments[0] + " failed (exit " + process.exitValue() + "): "
                    + new String(output, StandardCharsets.UTF_8).strip());
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
