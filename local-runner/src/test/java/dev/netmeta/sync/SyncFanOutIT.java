package dev.netmeta.sync;

import dev.netmeta.local.testing.TestLambdaContext;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

@ExtendWith(TestServers.class)
class SyncFanOutIT {

    private static final int MIB = 1024 * 1024;
    private static final String FUNCTION = "netmeta-it-sync";

    @Test
    void filesThatDoNotFitTheTimeBudgetAreHandedToSelfInvocationsWhichCopyThem(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e); LambdaInvokeStandIn lambda = new LambdaInvokeStandIn()) {
            SyncTestSetup t = budgetForOneOfFour(new SyncTestSetup(ftp, s3e, s3), lambda);
            List<Path> files = fourFilesOldestFirst(t, 40);
            SyncHandler handler = new SyncHandler(t.env);

            SyncSummary scheduled = handler.handleRequest(
                    EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json"), TestLambdaContext.realTime(120_000));

            assertThat(scheduled.getNew()).isEqualTo(4);
            assertThat(scheduled.getCopied()).isEqualTo(1);
            assertThat(scheduled.getFannedOut()).isEqualTo(3);
            assertThat(t.objects(s3)).extracting(S3Object::key).containsExactly("raw/day/f0.csv.gz");
            List<LambdaInvokeStandIn.Invocation> invocations = lambda.invocations();
            assertThat(invocations).hasSize(3).allSatisfy(inv -> {
                assertThat(inv.functionName()).isEqualTo(FUNCTION);
                assertThat(inv.invocationType()).isEqualTo("Event");
            });

            // Lambda delivers each payload to the same handler type, as a ScheduledEvent
            SyncHandler fannedOutContainer = new SyncHandler(t.env);
            for (LambdaInvokeStandIn.Invocation inv : invocations) {
                SyncSummary copy = fannedOutContainer.handleRequest(asEvent(inv.payload()), TestLambdaContext.realTime(900_000));
                assertThat(copy.getMode()).isEqualTo("copy-file");
                assertThat(copy.getCopied()).isEqualTo(1);
                assertThat(copy.getBytes()).isEqualTo(4L * MIB);
            }
            // a redelivered event (Lambda retries asynchronous invocations) finds the object and copies nothing
            SyncSummary again = fannedOutContainer.handleRequest(asEvent(invocations.get(0).payload()), TestLambdaContext.realTime(900_000));
            assertThat(again.getSkippedPresent()).isEqualTo(1);
            assertThat(again.getBytes()).isZero();

            assertThat(t.objects(s3)).hasSize(4);
            for (int i = 0; i < 4; i++) {
                assertThat(SyncFiles.sha256(s3, t.bucket, "raw/day/f" + i + ".csv.gz")).isEqualTo(SyncFiles.sha256(files.get(i)));
            }
            assertThat(lambda.invocations()).hasSize(3); // copy-file invocations never fan out further
        }
    }

    @Test
    void filesWhoseHandOffIsRefusedAreCopiedByTheScheduledRunItselfWhenTimeAllows(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e);
             LambdaInvokeStandIn lambda = LambdaInvokeStandIn.refusing(403, "AccessDeniedException")) {
            // the same budget as above (one file fits the estimate), but Lambda refuses every hand-off
            SyncTestSetup t = budgetForOneOfFour(new SyncTestSetup(ftp, s3e, s3), lambda);
            List<Path> files = fourFilesOldestFirst(t, 50);

            PrintStream original = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            SyncSummary scheduled;
            try {
                SyncHandler handler = new SyncHandler(t.env); // logs to the stdout it finds at construction
                scheduled = handler.handleRequest(
                        EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json"), TestLambdaContext.realTime(120_000));
            } finally {
                System.setOut(original);
            }

            // the estimate was pessimistic: the real transfer is fast, so the refused files fit into this run after all
            assertThat(lambda.invocations()).hasSize(3);
            assertThat(scheduled.getFannedOut()).isZero();
            assertThat(scheduled.getCopied()).isEqualTo(4);
            assertThat(scheduled.getFailed()).isZero();
            assertThat(scheduled.getDeferred()).isZero();
            for (int i = 0; i < 4; i++) {
                assertThat(SyncFiles.sha256(s3, t.bucket, "raw/day/f" + i + ".csv.gz")).isEqualTo(SyncFiles.sha256(files.get(i)));
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            for (int i = 1; i < 4; i++) {
                assertThat(log).contains("fan-out of day/f" + i + ".csv.gz failed, copying it here if time allows");
            }
            assertThat(log).contains("\"level\":\"WARN\"").contains("403");
        }
    }

    @Test
    void copyFileInvocationThatRunsOutOfTimeFailsSoLambdaRetriesIt(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("SYNC_TIME_MARGIN_MS", "60000")
                    .with("SYNC_STREAMING_PUT_MAX_MB", "0"); // multipart: the clock is checked before each part
            Path file = SyncFiles.write(t.ftpDir.resolve("big.csv.gz"), 20L * MIB, 23);
            SyncFiles.age(file, 3600);
            CopyFileRequest request = new CopyFileRequest("big.csv.gz", 20L * MIB, java.time.Instant.now().minusSeconds(3600));
            SyncHandler handler = new SyncHandler(t.env);
            // time enough to start; then (as if the transfer were slow) only 5 s left before the first part
            TestLambdaContext clock = TestLambdaContext.byChecks(n -> n <= 1 ? 120_000 : 5_000);

            assertThatThrownBy(() -> handler.handleRequest(asEvent(request.toPayloadJson()), clock))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("big.csv.gz").hasMessageContaining("ran out of time");
            assertThat(t.objects(s3)).isEmpty();
            assertThat(t.pendingUploads(s3, "raw/big.csv.gz")).isEmpty();

            // Lambda's retry of the same event, with time enough, copies it
            SyncSummary retry = handler.handleRequest(asEvent(request.toPayloadJson()), TestLambdaContext.realTime(900_000));
            assertThat(retry.getCopied()).isEqualTo(1);
            assertThat(retry.getFailed()).isZero();
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/big.csv.gz")).isEqualTo(SyncFiles.sha256(file));
        }
    }

    /**
     * Fan-out to the stand-in, with a budget of (120 s remaining − 60 s margin) × 0.1 MiB/s assumed = 6 MiB: one
     * 4 MiB file fits, three do not.
     */
    private static SyncTestSetup budgetForOneOfFour(SyncTestSetup t, LambdaInvokeStandIn lambda) {
        return t.with("AWS_LAMBDA_FUNCTION_NAME", FUNCTION)
                .with("AWS_ENDPOINT_URL_LAMBDA", lambda.endpoint().toString())
                .with("SYNC_THROUGHPUT_MBPS", "0.1")
                .with("SYNC_TIME_MARGIN_MS", "60000");
    }

    /** day/f0..f3, 4 MiB each, f0 the oldest (the one the scheduled run copies itself). */
    private static List<Path> fourFilesOldestFirst(SyncTestSetup t, int seed) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Path f = SyncFiles.write(t.ftpDir.resolve("day/f" + i + ".csv.gz"), 4L * MIB, seed + i);
            SyncFiles.age(f, 3600 - i);
            files.add(f);
        }
        return files;
    }

    private static ScheduledEvent asEvent(String payload) throws Exception {
        Path json = Files.createTempFile("lambda-payload", ".json");
        try {
            Files.writeString(json, payload);
            return EventLoader.loadScheduledEvent(json.toString());
        } finally {
            Files.deleteIfExists(json);
        }
    }
}
