package dev.netmeta.sync;

import dev.netmeta.local.testing.TestLambdaContext;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.testing.FtpEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The measured throughput outlives the container: a scheduled run that copied enough saves it in
 * {@code state/sync-throughput.json} (outside raw/), and the next run — in a new container — plans with it.
 */
@ExtendWith(TestServers.class)
class SyncThroughputStateIT {

    private static final int MIB = 1024 * 1024;
    private static final String STATE_KEY = "state/sync-throughput.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRunThatCopiedEnoughSavesItsMeasuredThroughputOutsideRaw(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3).with("SYNC_THROUGHPUT_MBPS", "0.5");
            for (int i = 0; i < 2; i++) {
                SyncFiles.age(SyncFiles.write(t.ftpDir.resolve("t" + i + ".csv.gz"), 10L * MIB, 60 + i), 3600);
            }

            SyncSummary summary = new SyncHandler(t.env).handleRequest(tick(), TestLambdaContext.realTime(900_000));

            assertThat(summary.getCopied()).isEqualTo(2);
            assertThat(t.allKeys(s3)).containsExactlyInAnyOrder("raw/t0.csv.gz", "raw/t1.csv.gz", STATE_KEY);
            JsonNode state = JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(t.bucket).key(STATE_KEY)).asByteArray());
            assertThat(state.path("bytesPerSecond").isNumber()).isTrue();
            assertThat(state.path("bytesPerSecond").asDouble()).as("blended with the measured rate")
                    .isPositive().isNotEqualTo(0.5 * MIB);
            assertThat(state.path("updated").asText()).isNotBlank();
        }
    }

    @Test
    void aNewContainerPlansWithTheSavedThroughput(FtpEndpoint ftp, S3Endpoint s3e) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e); LambdaInvokeStandIn lambda = new LambdaInvokeStandIn()) {
            // Configured estimate 0.1 MiB/s, 60 s budget: 6 MiB would fit. The saved value decides instead.
            SyncTestSetup t = new SyncTestSetup(ftp, s3e, s3)
                    .with("AWS_LAMBDA_FUNCTION_NAME", "netmeta-it-sync")
                    .with("AWS_ENDPOINT_URL_LAMBDA", lambda.endpoint().toString())
                    .with("SYNC_THROUGHPUT_MBPS", "0.1")
                    .with("SYNC_TIME_MARGIN_MS", "60000");
            for (int i = 0; i < 4; i++) {
                SyncFiles.age(SyncFiles.write(t.ftpDir.resolve("p" + i + ".csv.gz"), 4L * MIB, 70 + i), 3600 - i);
            }

            saveState(s3, t.bucket, 1000.0); // 1 kB/s saved: nothing fits, every file goes to a copy-file invocation
            SyncSummary slow = new SyncHandler(t.env).handleRequest(tick(), TestLambdaContext.realTime(120_000));
            assertThat(slow.getFannedOut()).isEqualTo(4);
            assertThat(slow.getCopied()).isZero();

            saveState(s3, t.bucket, 1.0e9); // 1 GB/s saved: everything fits into this invocation
            SyncSummary fast = new SyncHandler(t.env).handleRequest(tick(), TestLambdaContext.realTime(120_000));
            assertThat(fast.getFannedOut()).isZero();
            assertThat(fast.getCopied()).isEqualTo(4);
            assertThat(t.objects(s3)).hasSize(4);
        }
    }

    private static void saveState(S3Client s3, String bucket, double bytesPerSecond) {
        s3.putObject(b -> b.bucket(bucket).key(STATE_KEY),
                RequestBody.fromString("{\"bytesPerSecond\":" + bytesPerSecond + ",\"updated\":\"2026-11-26T00:00:00Z\"}"));
    }

    private static ScheduledEvent tick() {
        return EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");
    }
}
