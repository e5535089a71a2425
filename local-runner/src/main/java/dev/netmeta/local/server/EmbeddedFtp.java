package dev.netmeta.local.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.ftpserver.ConnectionConfigFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.impl.DefaultFtpServer;
import org.apache.ftpserver.listener.Listener;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.ssl.SslConfiguration;
import org.apache.ftpserver.ssl.SslConfigurationFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.ConcurrentLoginPermission;
import org.apache.ftpserver.usermanager.impl.WritePermission;

/**
 * An FTP server inside this JVM (Apache MINA FtpServer 1.2): one user with write permission on a root directory,
 * control and passive data connections on 127.0.0.1 with free ports, and optionally explicit FTPS ({@code AUTH TLS})
 * with a self-signed certificate generated at start, whose trust store {@link #trustStore()} clients use.
 */
public final class EmbeddedFtp implements AutoCloseable {

    private static final String LISTENER = "default";

    private final FtpServer server;
    private final FtpSettings settings;
    private final int port;
    private final Optional<SelfSignedCertificate> certificate;
    private final Path tlsDir;
    private final AtomicInteger refusedLogins;

    private EmbeddedFtp(FtpServer server, FtpSettings settings, int port, SelfSignedCertificate certificate, Path tlsDir,
                        AtomicInteger refusedLogins) {
        this.server = server;
        this.refusedLogins = refusedLogins;
        this.settings = settings;
        this.port = port;
        this.certificate = Optional.ofNullable(certificate);
        this.tlsDir = tlsDir;
    }

    public static EmbeddedFtp start(FtpSettings settings) {
        Path root = settings.rootDir().toAbsolutePath();
        Directories.create(root);
        Path tlsDir = null;
        SelfSignedCertificate certificate = null;
        if (settings.ftps()) {
            tlsDir = Directories.createTemp("netmeta-ftp-tls");
            certificate = SelfSignedCertificate.generate(tlsDir);
        }

        FtpServerFactory factory = new FtpServerFactory();
        factory.setUserManager(userManager(settings, root));
        ConnectionConfigFactory connections = new ConnectionConfigFactory();
        connections.setAnonymousLoginEnabled(false);
        connections.setMaxLogins(64); // all users together; per-user limit: FtpSettings.maxLoginsPerUser
        connections.setLoginFailureDelay(100);
        factory.setConnectionConfig(connections.createConnectionConfig());

        factory.addListener(LISTENER, loopbackListener(certificate));
        AtomicInteger refusedLogins = new AtomicInteger();
        factory.setFtplets(new HashMap<>(Map.of("refused-logins", new RefusedLogins(refusedLogins)))); // MINA clears it on stop

        FtpServer server = factory.createServer();
        try {
            server.start();
        } catch (FtpException | RuntimeException e) {
            server.stop();
            if (tlsDir != null) {
                Directories.deleteRecursively(tlsDir);
            }
            throw new IllegalStateException("FTP server failed to start on " + root + ": " + e.getMessage(), e);
        }
        Listener started = factory.getListener(LISTENER);
        return new EmbeddedFtp(server, settings, started.getPort(), certificate, tlsDir, refusedLogins);
    }

    /**
     * Counts the logins the server refuses: MINA answers {@code USER} with 421 when the user's session limit is reached
     * ({@link FtpSettings#maxLoginsPerUser()}: checked there, not at {@code PASS}, and not counted in its statistics'
     * failed logins) and {@code PASS} with 530 for a wrong password.
     */
    private static final class RefusedLogins extends DefaultFtplet {

        private final AtomicInteger refused;

        RefusedLogins(AtomicInteger refused) {
            this.refused = refused;
        }

        @Override
        public FtpletResult afterCommand(FtpSession session, FtpRequest request, FtpReply reply) {
            String command = request.getCommand().toUpperCase(Locale.ROOT);
            if ((command.equals("USER") || command.equals("PASS")) && reply != null
                    && (reply.getCode() == FtpReply.REPLY_421_SERVICE_NOT_AVAILABLE_CLOSING_CONTROL_CONNECTION
                    || reply.getCode() == FtpReply.REPLY_530_NOT_LOGGED_IN)) {
                refused.incrementAndGet();
            }
            return FtpletResult.DEFAULT;
        }
    }

    private static UserManager userManager(FtpSettings settings, Path root) {
        PropertiesUserManagerFactory users = new PropertiesUserManagerFactory(); // no file: kept in memory
        users.setPasswordEncryptor(new ClearTextPasswordEncryptor());
        UserManager manager = users.createUserManager();
        BaseUser user = new BaseUser();
        user.setName(settings.user());
        user.setPassword(settings.password());
        user.setHomeDirectory(root.toString());
        user.setEnabled(true);
        user.setMaxIdleTime(settings.maxIdleSeconds());
        List<Authority> authorities = new ArrayList<>();
        authorities.add(new WritePermission());
        int maxLogins = settings.maxLoginsPerUser();
        authorities.add(new ConcurrentLoginPermission(maxLogins, maxLogins));
        user.setAuthorities(authorities);
        try {
            manager.save(user);
        } catch (FtpException e) {
            throw new IllegalStateException("cannot create FTP user " + settings.user(), e);
        }
        return manager;
    }

    /**
     * A listener on 127.0.0.1 with a free port, passive data connections on free loopback ports (no active mode), and
     * explicit TLS on both channels when {@code certificate} is given.
     */
    public static Listener loopbackListener(SelfSignedCertificate certificate) {
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(0);
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassiveAddress("127.0.0.1");
        data.setPassiveExternalAddress("127.0.0.1");
        data.setPassivePorts("0"); // any free port for each passive data connection
        data.setActiveEnabled(false);
        if (certificate != null) {
            SslConfiguration ssl = sslConfiguration(certificate);
            listener.setSslConfiguration(ssl);
            listener.setImplicitSsl(false);
            data.setSslConfiguration(ssl);
            data.setImplicitSsl(false);
        }
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        return listener.createListener();
    }

    /** The explicit-TLS configuration of an FTPS listener and its data connections for {@code certificate}. */
    public static SslConfiguration sslConfiguration(SelfSignedCertificate certificate) {
        SslConfigurationFactory ssl = new SslConfigurationFactory();
        ssl.setKeystoreFile(certificate.keyStore().toFile());
        ssl.setKeystoreType("PKCS12");
        ssl.setKeystorePassword(certificate.keyStorePassword());
        ssl.setKeyPassword(certificate.keyStorePassword());
        ssl.setKeyAlias(certificate.alias());
        ssl.setSslProtocol("TLSv1.3", "TLSv1.2");
        return ssl.createSslConfiguration();
    }

    /** Always {@code 127.0.0.1}. */
    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public String user() {
        return settings.user();
    }

    public String password() {
        return settings.password();
    }

    public Path rootDir() {
        return settings.rootDir().toAbsolutePath();
    }

    /** Whether explicit FTPS ({@code AUTH TLS}) is offered. */
    public boolean ftps() {
        return certificate.isPresent();
    }

    /**
     * PKCS12 trust store holding only the server's self-signed certificate (issued for 127.0.0.1 and localhost), for
     * clients that verify the server; it lives in a temporary directory deleted on {@link #close()}.
     *
     * @throws IllegalStateException if the server was started without FTPS
     */
    public Path trustStore() {
        return tls().trustStore();
    }

    /** Password of {@link #trustStore()}. @throws IllegalStateException if the server was started without FTPS */
    public String trustStorePassword() {
        return tls().trustStorePassword();
    }

    /** The server's self-signed certificate, PEM. @throws IllegalStateException if the server was started without FTPS */
    public String certificatePem() {
        return tls().pem();
    }

    private SelfSignedCertificate tls() {
        return certificate.orElseThrow(() -> new IllegalStateException(
                "FTP server on port " + port + " was started without FTPS: no trust store"));
    }

    /** Successful logins since the start (each is a new session: a client that keeps its connection logs in once). */
    public int totalLogins() {
        return ((DefaultFtpServer) server).getServerContext().getFtpStatistics().getTotalLoginNumber();
    }

    /**
     * Logins refused since the start: a {@code 421} to {@code USER} (the user's session limit,
     * {@link FtpSettings#maxLoginsPerUser()}) or a {@code 530} to {@code USER}/{@code PASS} (e.g. a wrong password).
     */
    public int refusedLogins() {
        return refusedLogins.get();
    }

    /** Sessions logged in right now. */
    public int currentLogins() {
        return ((DefaultFtpServer) server).getServerContext().getFtpStatistics().getCurrentLoginNumber();
    }

    @Override
    public void close() {
        server.stop();
        if (tlsDir != null) {
            Directories.deleteRecursively(tlsDir);
        }
    }
}
