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
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

@ExtendWith(TestServers.class)
class SyncFailureIT {

    private static final int MIB = 1024 * 1024;
    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");

    /** Both ways a large file goes up: multipart (streamed PUT off) and one streamed PUT. */
    @ParameterizedTest(name = "SYNC_STREAMING_PUT_MAX_MB={0}")
    @ValueSource(strings = {"0", "100"})
    void uploadBrokenMidwayLeavesNoObjectAndNoPendingUploadAndTheNextRunCopies(String streamingPutMaxMb, FtpEndpoint ftp,
                                                                               S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e);
             BreakingTcpProxy proxy = new BreakingTcpProxy(s3e.uri(), MIB)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString())
                    .with("SYNC_STREAMING_PUT_MAX_MB", streamingPutMaxMb);
            Path big = SyncFiles.write(t.ftpDir.resolve("big.csv.gz"), 30L * MIB, 21);
            SyncHandler handler = new SyncHandler(t.env);

            proxy.breakLargeRequests(true); // every UploadPart (8 MiB) or the PUT is cut after 1 MiB, retries included
            SyncSummary broken = handler.handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(broken.getCopied()).isZero();
            assertThat(broken.getFailures()).singleElement().satisfies(f -> {
                assertThat(f.getFile()).isEqualTo("big.csv.gz");
                assertThat(f.getReason()).isNotBlank();
            });
            if (streamingPutMaxMb.equals("0")) {
                assertThat(t.objects(s3)).isEmpty();
            } else {
                // s3proxy's filesystem back-end keeps the temporary file of a cut PUT as a "<key>-<uuid>" object
                // (a stand-in artefact; S3 stores nothing). The key itself must not exist.
                assertThat(t.objects(s3)).extracting(S3Object::key)
                        .allMatch(k -> SyncFiles.isCutPutLeftover(k, "raw/big.csv.gz"), "s3proxy's leftover of the cut PUT");
            }
            assertThat(t.pendingUploads(s3, "raw/big.csv.gz")).isEmpty();

            proxy.breakLargeRequests(false);
            SyncSummary next = handler.handleRequest(TICK, TestLambdaContext.realTime(900_000));

            assertThat(next.getCopied()).isEqualTo(1);
            assertThat(next.getFailures()).isEmpty();
            assertThat(SyncFiles.sha256(s3, t.bucket, "raw/big.csv.gz")).isEqualTo(SyncFiles.sha256(big));
            assertThat(t.pendingUploads(s3, "raw/big.csv.gz")).isEmpty();
        }
    }

    @Test
    void transferThatWouldOutliveTheInvocationIsStoppedAndAborted(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("SYNC_TIME_MARGIN_MS", "60000")
                    .with("SYNC_STREAMING_PUT_MAX_MB", "0"); // multipart: the clock is checked before each part
            SyncFiles.write(t.ftpDir.resolve("big.csv.gz"), 20L * MIB, 22);
            SyncHandler handler = new SyncHandler(t.env);
            // Plenty of time while planning and starting the transfer; then (as if the transfer were slow) only
            // 5 s are left when the first part is about to go — below a quarter of the margin.
            TestLambdaContext clock = TestLambdaContext.byChecks(n -> n <= 2 ? 120_000 : 5_000);

            SyncSummary summary = handler.handleRequest(TICK, clock);

            assertThat(summary.getCopied()).isZero();
            assertThat(summary.getDeferred()).isEqualTo(1);
            assertThat(summary.getFailures()).isEmpty();
            assertThat(t.objects(s3)).isEmpty();
            assertThat(t.pendingUploads(s3, "raw/big.csv.gz")).isEmpty();

            SyncSummary next = handler.handleRequest(TICK, TestLambdaContext.realTime(900_000));
            assertThat(next.getCopied()).isEqualTo(1);
            assertThat(t.objects(s3)).extracting(S3Object::key).containsExactly("raw/big.csv.gz");
        }
    }

    @Test
    void wrongPasswordIsAClearErrorWithoutThePassword(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            String wrong = "Wr0ng-Pa55word-" + System.nanoTime();
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("FTP_PASSWORD", wrong);
            SyncFiles.write(t.ftpDir.resolve("a.csv.gz"), 100, 23);

            PrintStream original = System.out;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                SyncHandler handler = new SyncHandler(t.env); // logs to the stdout it finds at construction
                assertThatThrownBy(() -> handler.handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                        .isInstanceOf(SyncException.class)
                        .hasMessageContaining("FTP login failed for user '" + ftp.user() + "'")
                        .hasMessageContaining("530")
                        .satisfies(e -> assertThat(e.toString()).doesNotContain(wrong));
            } finally {
                System.setOut(original);
            }
            String log = captured.toString(StandardCharsets.UTF_8);
            assertThat(log).contains("\"level\":\"ERROR\"").contains("FTP login failed").doesNotContain(wrong);
            assertThat(t.objects(s3)).isEmpty();
        }
    }

    @Test
    void unknownFtpHostPortIsAClearError(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("FTP_PORT", "1").with("FTP_TIMEOUT_MS", "2000");
            assertThatThrownBy(() -> new SyncHandler(t.env).handleRequest(TICK, TestLambdaContext.realTime(900_000)))
                    .isInstanceOf(SyncException.class)
                    .hasMessageContaining("Cannot connect to FTP server 127.0.0.1:1");
        }
    }
}
