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

}
