package dev.netmeta.sync;

import dev.netmeta.local.server.EmbeddedFtp;
import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.S3Endpoint;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.Ftplet;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A MINA FtpServer of one test's own, for servers the shared embedded one does not imitate: an {@link Ftplet} that
 * rewrites or records commands, and optionally explicit TLS with a given certificate. One user, home {@code root}.
 */
final class TestFtpServer implements AutoCloseable {

    static final String USER = "u";

    final String password = "pw-" + UUID.randomUUID();
    private final FtpServer server;
    private final int port;

    TestFtpServer(Path root, Ftplet ftplet, SelfSignedCertificate certificate) throws FtpException {
        FtpServerFactory factory = new FtpServerFactory();
        factory.setUserManager(users(root, password));
        factory.addListener("default", EmbeddedFtp.loopbackListener(certificate));
        if (ftplet != null) {
            factory.setFtplets(new HashMap<>(Map.of("test", ftplet))); // MINA clears it on stop
        }
        server = factory.createServer();
        server.start();
        port = factory.getListener("default").getPort();
    }

    int port() {
        return port;
    }

    /** The sync's FTP settings for this server; {@code remoteDir} below the user's home. */
    Map<String, String> env(String remoteDir) {
        return Map.of("FTP_HOST", "127.0.0.1", "FTP_PORT", Integer.toString(port), "FTP_USER", USER,
                "FTP_PASSWORD", password, "FTP_REMOTE_DIR", remoteDir, "FTP_TIMEOUT_MS", "20000");
    }

    /**
     * {@link #env} for a sync into a new bucket of {@code s3} (named {@code bucketPrefix} and a random suffix), with the
     * S3 endpoint's settings.
     */
    Map<String, String> syncEnv(String remoteDir, S3Endpoint s3e, S3Client s3, String bucketPrefix) {
        String bucket = bucketPrefix + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, String> env = new HashMap<>(env(remoteDir));
        env.put("BUCKET", bucket);
        env.putAll(s3e.env());
        return env;
    }

    private static UserManager users(Path root, String password) throws FtpException {
        PropertiesUserManagerFactory users = new PropertiesUserManagerFactory();
        users.setPasswordEncryptor(new ClearTextPasswordEncryptor());
        UserManager manager = users.createUserManager();
        BaseUser user = new BaseUser();
        user.setName(USER);
        user.setPassword(password);
        user.setHomeDirectory(root.toString());
        user.setEnabled(true);
        user.setAuthorities(List.of(new WritePermission()));
        manager.save(user);
        return manager;
    }

    @Override
    public void close() {
        server.stop();
    }
}
