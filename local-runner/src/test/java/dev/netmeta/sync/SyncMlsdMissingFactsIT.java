package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ftpserver.ftplet.FtpException;
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
        return ftp.syncEnv("/in", s3e, s3, "it-mlsd-");
    }

    /**
     * A server whose FEAT lists {@code features}, whose MLSD and MLST send {@code defaultFacts} until {@code OPTS MLST}
     * selects others (or refuse that command with {@code optsRefused}); every command but PASS is recorded in {@code seen}.
     */
    private static TestFtpServer server(Path root, String features, String[] defaultFacts, boolean optsRefused,
                                        List<String> seen) throws FtpException {
        return new TestFtpServer(root, new MlsdFactsFtplet(features, defaultFacts, optsRefused, seen), null);
    }
}
