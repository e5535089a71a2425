package dev.netmeta.sync;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Clock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPClientConfig;
import org.apache.commons.net.ftp.FTPConnectionClosedException;
import org.apache.commons.net.ftp.FTPReply;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * Opens logged-in FTP/FTPS control connections: passive mode, binary type, the MLSD facts the sync reads
 * ({@link MlstFacts}), connect/control/data timeouts, TCP keep-alive probes after a minute of silence
 * ({@link KeepAliveSocketFactory}), the configured control encoding. Explicit FTPS ({@code AUTH TLS},
 * {@code PBSZ 0}, {@code PROT P}) verifies the server certificate against the configured trust anchors
 * ({@link FtpTrust}: the certificates the user names, or the JVM's CA certificates) and, by default, the host name — commons-net's own default trust manager checks only validity dates,
 * so it is never used; its data connections resume the control connection's TLS session
 * ({@link ResumingFtpsClient}), for which TLS 1.2 connections offer no session tickets
 * ({@link #offerNoTls12SessionTickets()}).
 */
public final class FtpConnector {

    /** Control and data buffers; also the read buffer of a download ({@link FtpRemoteFileSource}). */
    static final int BUFFER = 256 * 1024;

    /** The JDK's switch for TLS 1.2 session tickets (RFC 5077) on the client side: on unless {@code false}. */
    static final String CLIENT_SESSION_TICKETS = "jdk.tls.client.enableSessionTicketExtension";

    private final SyncConfig config;
    private final SecretSource secret;
    private final FtpTrust trust;
    /** Built by the first FTPS session of the container ({@link #trustManager()}); guarded by {@code this}. */
    private TrustManager trustManager;

    /** Trusting what the file settings name, or the JVM's CA certificates (tests, local runs). */
    public FtpConnector(SyncConfig config, SecretSource secret) {
        this(config, secret, FtpTrust.of(config, () -> {
            throw new IllegalStateException("FTP_TRUSTED_CERT_PARAM needs an SSM client: see SyncFactory");
        }, Clock.systemUTC()));
    }

    FtpConnector(SyncConfig config, SecretSource secret, FtpTrust trust) {
        this.config = config;
        this.secret = secret;
        this.trust = trust;
        if (config.tls()) {
            offerNoTls12SessionTickets();
        }
    }

    /**
     * Sets {@value #CLIENT_SESSION_TICKETS} to {@code false} unless it is set already (the user's value wins), so that
     * TLS 1.2 data connections resume the control connection's session by its session id. With tickets offered,
     * OpenSSL servers that require reuse fail every TLS 1.2 data connection: vsftpd sets its session timeout to
     * {@code INT_MAX}, OpenSSL then answers a client that offers tickets with an empty session id and a ticket whose
     * lifetime hint is 2147483647 s, JSSE discards tickets over 7 days ({@code Discarding NewSessionTicket with
     * lifetime 2147483647}) and offers a session id it assigned itself, which the server never knew: {@code 522
     * SSL connection failed: session reuse required}. Without the extension OpenSSL gives the session an id, keeps it
     * in its cache and resumes it.
     *
     * <p>JSSE reads the property when an {@link SSLContext} is created (its client session cache), not once per JVM:
     * it holds for the FTPS contexts, all created after this constructor, and for every other TLS context this JVM
     * creates from now on (in the sync: the default context of the S3 and Lambda HTTPS connections, if not created
     * before). It only concerns TLS 1.2 and older; TLS 1.3 resumption (pre-shared keys) does not depend on it. See
     * docs/SYNC.md.
     */
    static synchronized void offerNoTls12SessionTickets() {
        if (System.getProperty(CLIENT_SESSION_TICKETS) == null) {
            System.setProperty(CLIENT_SESSION_TICKETS, "false");
        }
    }

    public FTPClient connect() throws IOException {
        FTPClient client = newClient();
        String where = config.ftpHost() + ":" + config.ftpPort();
        boolean ok = false;
        try {
            try {
                client.connect(config.ftpHost(), config.ftpPort());
            } catch (FTPConnectionClosedException e) {
                // e.g. "421 Too many connections": commons-net's message drops the server's text, the reply has it
                throw new IOException("FTP server " + where + " closed the connection at the greeting: " + reply(client)
                        + " (a session limit? see SYNC_CONCURRENCY in docs/SYNC.md)", e);
            } catch (IOException e) {
                throw new IOException("Cannot connect to FTP server " + where + (config.tls() ? " (explicit TLS)" : "")
                        + ": " + e.getMessage() + untrustedHint(e) + hostNameHint(e), e);
            }
            if (!FTPReply.isPositiveCompletion(client.getReplyCode())) {
                throw new IOException("FTP server " + where + " refused the connection: " + reply(client));
            }
            client.setSoTimeout((int) config.ftpTimeout().toMillis());
            boolean loggedIn;
            try {
                loggedIn = client.login(config.ftpUser(), sendable(secret.password()));
            } catch (FTPConnectionClosedException e) {
                throw new IOException("FTP server " + where + " closed the session at login of user '" + config.ftpUser()
                        + "': " + reply(client) + " (a per-user session limit below the parallel transfers? see"
                        + " SYNC_CONCURRENCY in docs/SYNC.md)", e);
            }
            if (!loggedIn) {
                String reply = reply(client);
                throw new SyncException("FTP login failed for user '" + config.ftpUser() + "' on " + where
                        + ": " + reply + (sessionLimit(reply)
                        ? " (the server's session limit: keep SYNC_CONCURRENCY at or below it, see docs/SYNC.md)"
                        : " (check the user and the password parameter)"), null);
            }
            try {
                if (client instanceof FTPSClient ftps) {
                    ftps.execPBSZ(0);
                    ftps.execPROT("P");
                }
                if (!client.setFileType(FTP.BINARY_FILE_TYPE)) {
                    throw new IOException("FTP server " + where + " refused binary mode: " + reply(client));
                }
                MlstFacts.select(client); // a server may leave "modify" out of MLSD until asked for it
            } catch (IOException e) {
                if (!SessionDrops.dropped(e)) {
                    throw e;
                }
                // commons-net's "Connection closed without indication." alone did not say that the login had worked
                throw new IOException("FTP server " + where + " dropped the session right after the login of user '"
                        + config.ftpUser() + "': " + e.getMessage()
                        + (client.getReplyCode() == FTPReply.SERVICE_NOT_AVAILABLE ? " (" + reply(client) + ")" : ""), e);
            }
            client.enterLocalPassiveMode();
            ok = true;
            return client;
        } finally {
            if (!ok) {
                disconnectQuietly(client);
            }
        }
    }

    /**
     * The password, if FTP can send it: {@code PASS} ends at the first line break, so one inside the password would
     * send a second command and put the server's replies out of step (trailing ones are already removed by the
     * {@link SecretSource}).
     */
    static String sendable(String password) {
        if (password != null && (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0)) {
            throw new SyncException("the FTP password holds a line break, which FTP cannot send (PASS ends at the"
                    + " first one): check the value of the password parameter", null);
        }
        return password;
    }

    /** A client configured for this server (listing format, encoding, keep-alive sockets, timeouts), not connected. */
    FTPClient newClient() throws IOException {
        FTPClient client = config.tls() ? newFtpsClient() : new MlsdEntries.PlainClient(); // MLSD times: MlsdEntries
        client.configure(listingConfig(config));
        // RFC 2640: path names on the control connection are UTF-8 (FTP_CONTROL_ENCODING, for servers that still
        // send another one). commons-net defaults to ISO-8859-1, which turns "München.csv.gz" into the key
        // "MÃ¼nchen.csv.gz". Before connect(): the control connection's reader and writer take this encoding.
        client.setControlEncoding(config.ftpControlEncoding().name());
        client.setSocketFactory(new KeepAliveSocketFactory());
        int timeout = (int) config.ftpTimeout().toMillis();
        client.setConnectTimeout(timeout);
        client.setDefaultTimeout(timeout);
        client.setDataTimeout(config.ftpTimeout());
        client.setBufferSize(BUFFER);
        return client;
    }

    /**
     * How LIST output is parsed: the listing format is still detected from the server's SYST answer (empty system
     * key), and its times are read in {@code FTP_SERVER_TIMEZONE} — many servers print local time, and reading it as
     * UTC would shift the minimum-age protection by hours. MLSD times are UTC by definition and not affected.
     */
    static FTPClientConfig listingConfig(SyncConfig config) {
        FTPClientConfig listing = new FTPClientConfig("");
        // via TimeZone: commons-net takes a java.util.TimeZone id ("+02:00" and "UTC+2" must become "GMT+02:00")
        listing.setServerTimeZoneId(SyncConfig.listingTimeZone(config.ftpServerTimeZone()).getID());
        return listing;
    }

    /**
     * Whether a refused login names a session limit rather than bad credentials: some servers answer the limit with
     * 530 too ({@code 530 Sorry, the maximum number of clients (4) from your host are already connected}).
     */
    static boolean sessionLimit(String reply) {
        String r = reply.toLowerCase(java.util.Locale.ROOT);
        return r.contains("maximum number") || r.contains("too many") || r.contains("connection limit")
                || r.contains("limit reached") || r.contains("already connected");
    }

    /**
     * For a handshake that failed because the server's chain leads to no trust anchor (JSSE: "PKIX path building
     * failed: … unable to find valid certification path to requested target"), or to a trusted certificate of the
     * right name but another key ("signature check failed": e.g. a self-signed certificate the server has since
     * renewed): what it was checked against and, with the JVM's CA certificates, the setting for a private CA or a
     * self-signed certificate. Empty otherwise (an expired server certificate, a host name mismatch: JSSE says so).
     */
    String untrustedHint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
                return " — the server's certificate is not issued by " + trust + (trust.isJvmDefault()
                        ? "; for a private CA or a self-signed certificate put it (PEM) in an SSM parameter and name"
                        + " that in FTP_TRUSTED_CERT_PARAM (deploy parameter ftpTrustedCertParam, docs/DEPLOY.md)"
                        : "");
            }
        }
        return "";
    }

    /**
     * For a handshake that failed the host-name check (FTP_TLS_VERIFY_HOSTNAME): the certificate is trusted but names
     * another host. JSSE's message ({@code No subject alternative names matching IP address 10.0.0.5 found}, {@code No
     * subject alternative DNS name matching ftp.example.org found.}, {@code No name matching … found}) names neither the
     * setting nor a way out. Empty otherwise.
     */
    String hostNameHint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (t.getClass() == CertificateException.class && m != null
                    && (m.startsWith("No subject alternative") || m.startsWith("No name matching"))) {
                return " — the server's certificate does not name '" + config.ftpHost() + "' (FTP_HOST): set FTP_HOST"
                        + " to a name the certificate lists, or have the certificate issued for this one"
                        + " (FTP_TLS_VERIFY_HOSTNAME=false turns the check off: then a certificate the trusted"
                        + " certificates vouch for is accepted whatever host it was issued for)";
            }
        }
        return "";
    }

    static String reply(FTPClient client) {
        String r = client.getReplyString();
        return r == null ? "(no reply)" : r.trim();
    }

    public static void disconnectQuietly(FTPClient client) {
        try {
            if (client.isConnected()) {
                client.disconnect();
            }
        } catch (IOException ignored) {
            // the connection is being dropped anyway
        }
    }

    private FTPSClient newFtpsClient() throws IOException {
        FTPSClient ftps = new MlsdEntries.TlsClient(newTlsContext());
        ftps.setEndpointCheckingEnabled(config.verifyHostname());
        return ftps;
    }

    /**
     * A TLS context of its own for each connection: its client session cache then holds this control connection's
     * session, the one its data connections offer for resumption ({@link ResumingFtpsClient}). The trust manager is
     * shared.
     */
    private SSLContext newTlsContext() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager()}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("Cannot create the TLS context for FTPS: " + e.getMessage(), e);
        }
    }

    /**
     * The trust manager of every FTPS session, built on first use — never for plain FTP, whose cold start does no TLS
     * work — and then kept. Synchronized: the first sessions of a run open in parallel ({@code SYNC_CONCURRENCY}), and
     * each would otherwise read and parse the trusted certificates (an SSM parameter, a PEM file, a trust store) on its
     * own. The lock is held only while the first one is built, and taken once per session. A failed build is not kept:
     * the next session tries again.
     */
    synchronized TrustManager trustManager() throws IOException {
        if (trustManager == null) {
            trustManager = loadTrustManager();
        }
        return trustManager;
    }

    private TrustManager loadTrustManager() throws IOException {
        KeyStore store = trust.anchors(); // null = the JVM's CA certificates; a SyncException names the setting
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager) {
                    return tm;
                }
            }
            throw new IOException("no X.509 trust manager available");
        } catch (GeneralSecurityException e) {
            throw new SyncException("Cannot use " + trust + " for FTPS: " + e.getMessage(), e);
        }
    }
}
