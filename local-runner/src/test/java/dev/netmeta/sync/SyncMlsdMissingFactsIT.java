package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ftpserver.ftplet.DefaultFtpReply;
import org.apache.ftpserver.ftplet.DefaultFtplet;
import org.apache.ftpserver.ftplet.FtpException;
import org.apache.ftpserver.ftplet.FtpRequest;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * MLSD entries without the {@code modify} (or {@code size}) fact, from a real FTP server (MINA FtpServer, whose
 * MLSD/MLST send the facts of the session attribute {@code MLST.types}, the one {@code OPTS MLST} sets): RFC 3659 lets
 * a server leave facts out until the client selects them. Such a file used to count as "just written" on every run
 * and was never copied.
 */
@ExtendWith(TestServers.class)
class SyncMlsdMissingFactsIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    /** FEAT as RFC 3659 writes it: {@code *} marks the facts sent until {@code OPTS MLST} selects others. */
    private static final String FEAT_WITHOUT_DEFAULT_MODIFY = " SIZE\n MDTM\n MLST Size*;Modify;Type*;Perm*;\n UTF8";
    private static final String[] SIZE_AND_TYPE = {"Size", "Type"};

    @Test
    void aServerThatSendsModifyOnlyWhenAskedIsAskedForIt(S3Endpoint s3e, @TempDir Path root) throws Exception {
        Path file = SyncFiles.write(root.resolve("in/a.csv.gz"), 5000, 1);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (S3Client s3 = TestServers.s3Client(s3e);
             TestFtpServer ftp = server(root, FEAT_WITHOUT_DEFAULT_MODIFY, SIZE_AND_TYPE, false, seen)) {
            Map<String, String> env = env(s3e, s3, ftp);

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).as("copied: %s", summary).isEqualTo(1);
            assertThat(summary.getSkippedUnstable()).isZero();
            assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/a.csv.gz")).isEqualTo(SyncFiles.sha256(file));
            assertThat(seen).contains("OPTS MLST type;size;modify;");
            assertThat(seen).as("the facts came with the listing").noneMatch(c -> c.startsWith("MDTM"));
        }
    }

    @Test
    void whenTheServerRefusesOptsMlstTheTimesComeFromMdtm(S3Endpoint s3e, @TempDir Path root) throws Exception {
        Path old = SyncFiles.write(root.resolve("in/old.csv.gz"), 5000, 2);
        Path fresh = SyncFiles.write(root.resolve("in/day/fresh.csv.gz"), 5000, 3);
        SyncFiles.age(fresh, 5); // still being written, as far as anyone can tell
        List<String> seen = new CopyOnWriteArrayList<>();
        try (S3Client s3 = TestServers.s3Client(s3e);
             TestFtpServer ftp = server(root, FEAT_WITHOUT_DEFAULT_MODIFY, SIZE_AND_TYPE, true, seen)) {
            Map<String, String> env = env(s3e, s3, ftp);

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).as("copied: %s", summary).isEqualTo(1);
            assertThat(summary.getSkippedUnstable()).as("the fresh file, by its MDTM time").isEqualTo(1);
            assertThat(summary.getFailures()).isEmpty();
            assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/old.csv.gz")).isEqualTo(SyncFiles.sha256(old));
            assertThat(seen).contains("MDTM /in/old.csv.gz", "MDTM /in/day/fresh.csv.gz");
        }
    }

    @Test
    void aMissingSizeComesFromSize(S3Endpoint s3e, @TempDir Path root) throws Exception {
        Path file = SyncFiles.write(root.resolve("in/a.csv.gz"), 5000, 4);
        List<String> seen = new CopyOnWriteArrayList<>();
        try (S3Client s3 = TestServers.s3Client(s3e);
             TestFtpServer ftp = server(root, " SIZE\n MDTM\n MLST Size;Modify*;Type*;", new String[] {"Modify", "Type"}, true, seen)) {
            Map<String, String> env = env(s3e, s3, ftp);

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).as("copied: %s", summary).isEqualTo(1);
            assertThat(summary.getBytes()).isEqualTo(5000);
            assertThat(SyncFiles.sha256(s3, env.get("BUCKET"), "raw/a.csv.gz")).isEqualTo(SyncFiles.sha256(file));
            assertThat(seen).contains("SIZE /in/a.csv.gz");
        }
    }

    /** No modify fact, OPTS MLST refused, no MDTM: not copied, and the summary names the file and the reason. */
    @Test
    void aFileWhoseTimeCannotBeLearnedIsNotCopiedAndTheSummarySaysWhy(S3Endpoint s3e, @TempDir Path root) throws Exception {
        SyncFiles.write(root.resolve("in/a.csv.gz"), 5000, 5);
        try (S3Client s3 = TestServers.s3Client(s3e);
             TestFtpServer ftp = server(root, " SIZE\n MLST Size*;Type*;", SIZE_AND_TYPE, true, new CopyOnWriteArrayList<>())) {
            Map<String, String> env = env(s3e, s3, ftp);

            SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).isZero();
            assertThat(summary.getNew()).isEqualTo(1);
            assertThat(summary.getFailures()).singleElement().satisfies(failed -> {
                assertThat(failed.getFile()).isEqualTo("a.csv.gz");
                assertThat(failed.getReason()).contains("no modification time").contains("MDTM")
                        .contains("not in its MLSD entry");
            });
            assertThat(summary.toString()).doesNotContain(ftp.password);
            assertThat(s3.listObjectsV2(b -> b.bucket(env.get("BUCKET")).prefix("raw/")).contents()).isEmpty();
        }
    }

    private static Map<String, String> env(S3Endpoint s3e, S3Client s3, TestFtpServer ftp) {
        String bucket = "it-mlsd-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        Map<String, String> env = new HashMap<>(ftp.env("/in"));
        env.put("BUCKET", bucket);
        env.putAll(s3e.env());
        return env;
    }

    /**
     * A server whose FEAT lists {@code features}, whose MLSD and MLST send {@code defaultFacts} until {@code OPTS MLST}
     * selects others (or refuse that command with {@code optsRefused}); every command but PASS is recorded in {@code seen}.
     */
    private static TestFtpServer server(Path root, String features, String[] defaultFacts, boolean optsRefused,
                                        List<String> seen) throws FtpException {
        return new TestFtpServer(root, new DefaultFtplet() {
            @Override
            public FtpletResult onLogin(FtpSession session, FtpRequest request) throws FtpException, IOException {
                session.setAttribute("MLST.types", defaultFacts.clone());
                return super.onLogin(session, request);
            }

            @Override
            public FtpletResult beforeCommand(FtpSession session, FtpRequest request) throws FtpException, IOException {
                String cmd = request.getCommand().toUpperCase(Locale.ROOT);
                if (!cmd.equals("PASS")) {
                    seen.add(cmd + (request.hasArgument() ? " " + request.getArgument() : ""));
                }
                if (cmd.equals("FEAT")) {
                    session.write(new DefaultFtpReply(211, "Extensions supported\n" + features + "\nEnd"));
                    return FtpletResult.SKIP;
                }
                if (optsRefused && cmd.equals("OPTS") && request.getArgument().toUpperCase(Locale.ROOT).startsWith("MLST")) {
                    session.write(new DefaultFtpReply(501, "Option not understood."));
                    return FtpletResult.SKIP;
                }
                return super.beforeCommand(session, request);
            }
        }, null);
    }
}
