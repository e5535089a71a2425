package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
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

    /**
     * LIST fallback: the same files as with MLSD are found, stat-checked (SIZE + MDTM when announced, else the
     * parent's listing — never "LIST <file>", which servers read as a pattern) and copied, whatever their names.
     */
    @ParameterizedTest(name = "SIZE and MDTM announced: {0}")
    @ValueSource(booleans = {true, false})
    void listFallbackCopiesEveryMatchingFile(boolean sizeAndMdtm, S3Endpoint s3e, @TempDir Path root) throws Exception {
        for (String name : List.of("plain.csv.gz", "with space.csv.gz", "br[1].csv.gz", "sub/nested.csv.gz")) {
            SyncFiles.write(root.resolve("in/" + name), 5000, name.hashCode());
        }
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = server(root, false, sizeAndMdtm, null)) {
            Map<String, String> env = env(s3e, s3, ftp);

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getListed()).isEqualTo(4);
            assertThat(summary.getFailures()).isEmpty();
            assertThat(summary.getSkippedUnstable()).as("skipped as unstable").isZero();
            assertThat(summary.getCopied()).isEqualTo(4);
            SyncSummary again = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));
            assertThat(again.getSkippedPresent()).isEqualTo(4);
            assertThat(again.getCopied()).isZero();
        }
    }

    /** One sub-directory the user may not list must not keep every other file from being copied. */
    @Test
    void unlistableSubdirectoryDoesNotStopTheWholeRun(S3Endpoint s3e, @TempDir Path root) throws Exception {
        SyncFiles.write(root.resolve("in/a.csv.gz"), 5000, 1);
        SyncFiles.write(root.resolve("in/day/b.csv.gz"), 5000, 2);
        SyncFiles.write(root.resolve("in/locked/c.csv.gz"), 5000, 3);
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = server(root, true, true, "/in/locked")) {
            SyncSummary summary = new SyncHandler(env(s3e, s3, ftp)).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).isEqualTo(2);
            assertThat(summary.getFailures()).singleElement().satisfies(failed -> {
                assertThat(failed.getFile()).isEqualTo("locked/");
                assertThat(failed.getReason()).contains("cannot list this directory").contains("550 Permission denied");
            });
        }
    }

    /**
     * A LIST line whose time cannot be read (an ISO date: commons-net's UNIX parser gives no time) used to count as
     * "just written" and was held back as skippedUnstable on every run. Its time now comes from MDTM; without MDTM the
     * file is a failure naming the LIST line.
     */
    @ParameterizedTest(name = "SIZE and MDTM announced: {0}")
    @ValueSource(booleans = {true, false})
    void aListLineWithoutAReadableTimeIsAskedWithMdtmOrReported(boolean sizeAndMdtm, S3Endpoint s3e, @TempDir Path root)
            throws Exception {
        Path file = SyncFiles.write(root.resolve("in/a.csv.gz"), 5000, 7);
        SyncFiles.age(file, 3600);
        String line = "-rw-r--r--   1 ftp      ftp          5000 2024-01-02 03:04 a.csv.gz";
        try (S3Client s3 = TestServers.s3Client(s3e); TestFtpServer ftp = server(root, false, sizeAndMdtm, null, line)) {
            Map<String, String> env = env(s3e, s3, ftp);

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getSkippedUnstable()).as("not held back as just written: %s", summary).isZero();
            if (sizeAndMdtm) {
                assertThat(summary.getCopied()).isEqualTo(1);
                assertThat(summary.getFailures()).isEmpty();
                assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/a.csv.gz")).isEqualTo(SyncFiles.sha256(file));
            } else {
                assertThat(summary.getCopied()).isZero();
                assertThat(summary.getFailures()).singleElement().satisfies(failed -> {
                    assertThat(failed.getFile()).isEqualTo("a.csv.gz");
                    assertThat(failed.getReason()).contains("no modification time", "not readable from its LIST line",
                            "MDTM not announced or refused").doesNotContain("MLSD");
                });
            }
        }
    }

    private static Map<String, String> env(S3Endpoint s3e, S3Client s3, TestFtpServer ftp) {
        return ftp.syncEnv("/in", s3e, s3, "it-list-");
    }

    /**
     * A server that, with {@code mlst=false}, answers FEAT without MLST (and without SIZE and MDTM unless
     * {@code sizeAndMdtm}); {@code lockedDir} refuses listings of that path.
     */
    private static TestFtpServer server(Path root, boolean mlst, boolean sizeAndMdtm, String lockedDir) throws FtpException {
        return server(root, mlst, sizeAndMdtm, lockedDir, null);
    }

    /** As above; with {@code listLine}, every LIST is answered with that one line instead of the directory's. */
    private static TestFtpServer server(Path root, boolean mlst, boolean sizeAndMdtm, String lockedDir, String listLine)
            throws FtpException {
        return new TestFtpServer(root, new DefaultFtplet() {
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
                if (listLine != null && cmd.equals("LIST")) {
                    session.write(new DefaultFtpReply(150, "Here comes the listing."));
                    try {
                        session.getDataConnection().openConnection().transferToClient(session, listLine + "\r\n");
                    } catch (Exception e) {
                        throw new IOException(e);
                    } finally {
                        session.getDataConnection().closeDataConnection();
                    }
                    session.write(new DefaultFtpReply(226, "Listing sent."));
                    return FtpletResult.SKIP;
                }
                return super.beforeCommand(session, request);
            }
        }, null);
    }
}
