package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The recursive walk of the remote directory. */
@ExtendWith(TestServers.class)
class SyncTreeWalkIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    /**
     * A directory with a symbolic link back to itself ("current -> ."): the walk must neither copy the same file under
     * ever longer keys nor fail the whole run when the link chain becomes too deep for the server.
     */
    @Test
    void symlinkLoopInTheTreeNeitherDuplicatesFilesNorFailsTheRun(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3);
            SyncFiles.write(t.ftpDir.resolve("data/a.csv.gz"), 1000, 108);
            Files.createSymbolicLink(t.ftpDir.resolve("data/current"), Path.of("."));
            Files.writeString(t.ftpDir.resolve("data/notes.txt"), "not metadata");

            SyncSummary summary = new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            List<String> keys = t.objects(s3).stream().map(S3Object::key).toList();
            assertThat(keys).containsExactly("raw/data/a.csv.gz");
            assertThat(summary.getListed()).isEqualTo(1);
            assertThat(summary.getCopied()).isEqualTo(1);
            assertThat(summary.getNotMatching()).as("notes.txt, counted once").isEqualTo(1);
            assertThat(summary.getFailures()).isEmpty();
        }
    }


    /**
     * A real chain made in one go — {@code 2024/01/01/} by one {@code mkdir -p} on 1 January — where {@code 2024/} and
     * {@code 2024/01/} list alike (one {@code 01} of the same time) is walked: one more level decides a loop.
     */
    @Test
    void aDateLayoutWhoseTwoUpperLevelsListAlikeIsWalked(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3);
            SyncFiles.write(t.ftpDir.resolve("2024/01/01/conn.csv.gz"), 1000, 108);
            Files.setLastModifiedTime(t.ftpDir.resolve("2024/01/01/conn.csv.gz"),
                    FileTime.from(Instant.now().minusSeconds(3600)));
            FileTime mkdir = FileTime.from(Instant.parse("2024-01-01T00:00:00Z"));
            Files.setLastModifiedTime(t.ftpDir.resolve("2024/01/01"), mkdir);
            Files.setLastModifiedTime(t.ftpDir.resolve("2024/01"), mkdir);
            Files.setLastModifiedTime(t.ftpDir.resolve("2024"), mkdir);

            SyncSummary summary = new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(t.objects(s3).stream().map(S3Object::key).toList()).containsExactly("raw/2024/01/01/conn.csv.gz");
            assertThat(summary.getListed()).isEqualTo(1);
        }
    }

    /** A link to the top of the walk from below ({@code x/up -> ..}) is a loop too, found one level further down. */
    @Test
    void aLinkBackToAnAncestorFurtherUpIsNotWalked(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3);
            SyncFiles.write(t.ftpDir.resolve("x/a.csv.gz"), 1000, 109);
            Files.setLastModifiedTime(t.ftpDir.resolve("x/a.csv.gz"), FileTime.from(Instant.now().minusSeconds(3600)));
            Files.createSymbolicLink(t.ftpDir.resolve("x/up"), Path.of(".."));

            SyncSummary summary = new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(t.objects(s3).stream().map(S3Object::key).toList()).containsExactly("raw/x/a.csv.gz");
            assertThat(summary.getFailures()).isEmpty();
        }
    }

    /**
     * A walk the clock stops (here after the top directory and one more listing) ends in a summary, not a Lambda
     * timeout: the files listed by then are copied, the directory not reached is a failure that names it — and the
     * walk took the newest directory first, so the one left out is the old day, although the server lists it first.
     */
    @Test
    void aWalkTheClockStopsCopiesWhatItListedAndNamesTheOldDirectoryItLeftOut(FtpEndpoint ftp, S3Endpoint s3e)
            throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3);
            FileTime hourAgo = FileTime.from(Instant.now().minusSeconds(3600));
            for (String f : List.of("top.csv.gz", "2024-06-01/a.csv.gz", "2024-06-02/b.csv.gz")) {
                SyncFiles.write(t.ftpDir.resolve(f), 1000, 110);
                Files.setLastModifiedTime(t.ftpDir.resolve(f), hourAgo);
            }
            Files.setLastModifiedTime(t.ftpDir.resolve("2024-06-01"),
                    FileTime.from(Instant.parse("2024-06-01T23:59:00Z")));
            Files.setLastModifiedTime(t.ftpDir.resolve("2024-06-02"),
                    FileTime.from(Instant.parse("2024-06-02T23:59:00Z")));

            // reading 1 is the walk's first question (before its second listing): 900 s, so it may go on while 480 s
            // are left; reading 2 (before the third listing) says 400 s: the walk stops, the copies still have time
            TestLambdaContext clock = TestLambdaContext.byChecks(n -> n <= 1 ? 900_000 : 400_000);
            SyncSummary summary = new SyncHandler(t.env).handleRequest(TICK, clock);

            assertThat(t.objects(s3).stream().map(S3Object::key).toList())
                    .containsExactly("raw/2024-06-02/b.csv.gz", "raw/top.csv.gz");
            assertThat(summary.getListed()).isEqualTo(2);
            assertThat(summary.getCopied()).isEqualTo(2);
            assertThat(summary.getFailures()).singleElement().satisfies(f -> {
                assertThat(f.getFile()).isEqualTo("2024-06-01/");
                assertThat(f.getReason()).startsWith("not walked: the invocation ran out of time");
            });
        }
    }
}
