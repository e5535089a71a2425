package dev.netmeta.sync;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM text ({@code -----BEGIN CERTIFICATE-----} blocks, as {@code openssl} and every CA hand them out) read into an
 * in-memory trust store with the JDK's {@link CertificateFactory}: the FTPS server's own certificate, or the private CA
 * that issued it, or several of them. Text outside the blocks (an {@code openssl x509 -text} dump, comments) is skipped
 * like OpenSSL does; any other block is refused, a private key with a word on where it does not belong. Every error
 * names where the text came from ({@code source}), never the text itself: certificates are public, but the text is a
 * value the user put there, and a pasted key would be a secret (docs/SYNC.md, "Security").
 */
final class PemCertificates {

    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");

    private PemCertificates() {
    }

    /**
     * The certificates in {@code pem}, each valid at {@code now}.
     *
     * @param source where the text came from, as the user named it, e.g. {@code SSM parameter '/netmeta/ftp-ca'
     *               (FTP_TRUSTED_CERT_PARAM)}
     * @throws SyncException naming {@code source}: no certificate, a block that is not one, a certificate that does
     *                       not parse, one expired or not valid yet
     */
    static List<X509Certificate> parse(String pem, String source, Instant now) {
        return parse(pem, source, "", now);
    }

    /**
     * As {@link #parse(String, String, Instant)}, with {@code howToPutThem} (", e.g. …") after "the server's
     * certificate or its CA's" when there is none: how the text gets into an SSM parameter is no advice for a file.
     */
    static List<X509Certificate> parse(String pem, String source, String howToPutThem, Instant now) {
        List<X509Certificate> certificates = new ArrayList<>();
        CertificateFactory factory = x509();
        Matcher begin = BEGIN.matcher(pem == null ? "" : pem);
        int from = 0;
        while (begin.find(from)) {
            String type = begin.group(1);
            String end = "-----END " + type + "-----";
            int endAt = pem.indexOf(end, begin.end());
            if (!type.equals("CERTIFICATE")) {
                throw new SyncException(source + " holds a '" + type + "' block; only CERTIFICATE blocks are read"
                        + (type.endsWith("PRIVATE KEY") ? " — a private key does not belong there: the sync needs only"
                        + " the certificate, and no key should sit in a parameter or file others can read" : ""), null);
            }
            int n = certificates.size() + 1;
            if (endAt < 0) {
                throw new SyncException("certificate " + n + " in " + source + " has no '" + end + "' line (cut off?)",
                        null);
            }
            X509Certificate certificate;
            try {
                byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin.end(), endAt));
                certificate = (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new SyncException("certificate " + n + " in " + source + " is not a readable X.509 certificate: "
                        + e.getMessage(), null);
            }
            requireValid(certificate, n, source, now);
            certificates.add(certificate);
            from = endAt + end.length();
        }
        if (certificates.isEmpty()) {
            throw new SyncException(source + " holds no PEM certificate: expected one or more blocks from"
                    + " '-----BEGIN CERTIFICATE-----' to '-----END CERTIFICATE-----' (the server's certificate or its"
                    + " CA's" + howToPutThem + ")", null);
        }
        return certificates;
    }

    /** A trust store of exactly these certificates, each one a trust anchor. */
    static KeyStore trustStore(List<X509Certificate> certificates) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("trusted-" + (i + 1), certificates.get(i));
            }
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build an in-memory trust store: " + e.getMessage(), e);
        }
    }

    private static void requireValid(X509Certificate certificate, int n, String source, Instant now) {
        String which = "certificate " + n + " in " + source + " (" + certificate.getSubjectX500Principal().getName() + ")";
        Instant notAfter = certificate.getNotAfter().toInstant();
        Instant notBefore = certificate.getNotBefore().toInstant();
        if (now.isAfter(notAfter)) {
            throw new SyncException(which + " expired on " + notAfter + ": put the current certificate there", null);
        }
        if (now.isBefore(notBefore)) {
            throw new SyncException(which + " is valid only from " + notBefore + " on", null);
        }
    }

    private static CertificateFactory x509() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
        }
    }
}
