package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ftpserver.FtpServer;
import org.apache.ftpserver.FtpServerFactory;
import org.apache.ftpserver.DataConnectionConfigurationFactory;
import org.apache.ftpserver.ftplet.Authority;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.ftplet.UserManager;
import org.apache.ftpserver.listener.ListenerFactory;
import org.apache.ftpserver.usermanager.ClearTextPasswordEncryptor;
import org.apache.ftpserver.usermanager.PropertiesUserManagerFactory;
import org.apache.ftpserver.usermanager.impl.BaseUser;
import org.apache.ftpserver.usermanager.impl.WritePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Servers the shared embedded FTP server does not imitate: one without MLST (the LIST fallback, e.g. vsftpd), and
 * one that refuses to list one sub-directory (permissions).
 */
@ExtendWith(TestServers.class)
class SyncListFallbackIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");
    private static final String USER = "u";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();

    /**
     * LIST fallback: the same files as with MLSD are found, stat-checked (SIZE + MDTM when announced, else the
     * parent's listing — never "LIST <file>", which servers read as a pattern) and copied, whatever their names.
     */
    @ParameterizedTest(name = "SIZE and MDTM announced: {0}")
    @ValueSource(booleans = {true, false})
    void listFallbackCopiesEveryMatchingFile(boolean sizeAndMdtm, S3Endpoint s3e, @TempDir Path root) throws Exception {
        FtpServer ftp = null;
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            List<Path> files = new ArrayList<>();
            for (String name : List.of("plain.csv.gz", "with space.csv.gz", "br[1].csv.gz", "sub/nested.csv.gz")) {
                files.add(SyncFiles.write(root.resolve("in/" + name), 5000, name.hashCode()));
            }
            int port = 0;
            FtpServerFactory f = server(root, false, sizeAndMdtm, null);
            ftp = f.createServer();
            ftp.start();
            port = f.getListener("default").getPort();
            Map<String, String> env = env(s3e, s3, port);

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getListed()).isEqualTo(4);
            assertThat(summary.getFailures()).isEmpty();
            assertThat(summary.getSkippedUnstable()).as("skipped as unstable").isZero();
            assertThat(summary.getCopied()).isEqualTo(4);
            SyncSummary again = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));
            assertThat(again.getSkippedPresent()).isEqualTo(4);
            assertThat(again.getCopied()).isZero();
        } finally {
            if (ftp != null) {
                ftp.stop();
            }
        }
    }

    /** One sub-directory the user may not list must not keep every other file from being copied. */
    @Test
    void unlistableSubdirectoryDoesNotStopTheWholeRun(S3Endpoint s3e, @TempDir Path root) throws Exception {
        FtpServer ftp = null;
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncFiles.write(root.resolve("in/a.csv.gz"), 5000, 1);
            SyncFiles.write(root.resolve("in/day/b.csv.gz"), 5000, 2);
            SyncFiles.write(root.resolve("in/locked/c.csv.gz"), 5000, 3);
            FtpServerFactory f = server(root, true, true, "/in/locked");
            ftp = f.createServer();
            ftp.start();
            Map<String, String> env = env(s3e, s3, f.getListener("default").getPort());

            SyncSummary summary = null;
            RuntimeException failure = null;
            try {
                summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));
            } catch (RuntimeException e) {
                failure = e;
            }
            assertThat(failure).as("the run failed as a whole").isNull();
            assertThat(summary.getCopied()).isEqualTo(2);
            assertThat(summary.getFailures()).singleElement().satisfies(failed -> {
                assertThat(failed.getFile()).isEqualTo("locked/");
                assertThat(failed.getReason()).contains("cannot list this directory").contains("550 Permission denied");
            });
        } finally {
            if (ftp != null) {
                ftp.stop();
            }
        }
    }

    private static Map<String, String> env(S3Endpoint s3e, S3Client s3, int port) {
        String bucket = "it-list-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "127.0.0.1", "FTP_PORT", Integer.toString(port),
                "FTP_USER", USER, "FTP_PASSWORD", PASSWORD, "FTP_REMOTE_DIR", "/in", "FTP_TIMEOUT_MS", "20000",
                "BUCKET", bucket));
        env.putAll(s3e.env());
        return env;
    }

    /**
     * MINA FtpServer; {@code mlst=false} answers FEAT without MLST (and without SIZE and MDTM unless
     * {@code sizeAndMdtm}); {@code lockedDir} refuses listings of that path.
     */
    private static FtpServerFactory server(Path root, boolean mlst, boolean sizeAndMdtm, String lockedDir) throws FtpException {
        FtpServerFactory factory = new FtpServerFactory();
        PropertiesUserManagerFactory users = new PropertiesUserManagerFactory();
        users.setPasswordEncryptor(new ClearTextPasswordEncryptor());
        UserManager manager = users.createUserManager();
        BaseUser user = new BaseUser();
        user.setName(USER);
        user.setPassword(PASSWORD);
        user.setHomeDirectory(root.toString());
        user.setEnabled(true);
        List<Authority> authorities = new ArrayList<>();
        authorities.add(new WritePermission());
        user.setAuthorities(authorities);
        manager.save(user);
        factory.setUserManager(manager);
        ListenerFactory listener = new ListenerFactory();
        listener.setServerAddress("127.0.0.1");
        listener.setPort(0);
        DataConnectionConfigurationFactory data = new DataConnectionConfigurationFactory();
        data.setPassiveAddress("127.0.0.1");
        data.setPassiveExternalAddress("127.0.0.1");
        data.setPassivePorts("0");
        listener.setDataConnectionConfiguration(data.createDataConnectionConfiguration());
        factory.addListener("default", listener.createListener());
        Map<String, org.apache.ftpserver.ftplet.Ftplet> ftplets = new HashMap<>();
        ftplets.put("audit", new DefaultFtplet() {
            @Override
            public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
                String cmd = request.getCommand().toUpperCase();
                if (!mlst && cmd.equals("FEAT")) {
                    session.write(new DefaultFtpReply(211, "Extensions supported\n" + (sizeAndMdtm ? " SIZE\n MDTM\n" : "")
                            + " UTF8\nEnd"));
                    return FtpletResult.SKIP;
                }
                if (lockedDir != null && (cmd.equals("MLSD") || cmd.equals("LIST") || cmd.equals("NLST"))
                        && request.hasArgument() && request.getArgument().startsWith(lockedDir)) {
                    session.write(new DefaultFtpReply(550, "Permission denied."));
                    return FtpletResult.SKIP;
                }
                return super.beforeCommand(session, request);
            }
        });
        factory.setFtplets(ftplets);
        return factory;
    }
}
