package dev.netmeta.local.runner.watch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What a start does with what was delivered before it, and how a final failure is recognised. */
class BucketWatcherTest {

    private static DeliveryState.Entry entry(DeliveryState.Status status, String reportStatus, boolean failedForGood) {
        ObjectNode report = reportStatus == null ? null : JsonNodeFactory.instance.objectNode().put("status", reportStatus);
        return new DeliveryState.Entry("e", 1, Instant.EPOCH, status, report,
                status == DeliveryState.Status.FAILED ? "Runtime.ExitError: boom" : null, failedForGood);
    }

    @Test
    void onlyAFailureTheLoadFunctionDoesNotRetryKeepsAFileFromBeingDeliveredAgain() {
        assertThat(BucketWatcher.resume(entry(DeliveryState.Status.LOADED, "SUCCEEDED", false)))
                .isEqualTo(BucketWatcher.Resume.DONE);
        assertThat(BucketWatcher.resume(entry(DeliveryState.Status.LOADED, "FAILED", true)))
                .isEqualTo(BucketWatcher.Resume.FAILED_FOR_GOOD);
        assertThat(BucketWatcher.resume(entry(DeliveryState.Status.LOADED, "FAILED", false)))
                .as("retryable, cut off by the stop, or a continuation's: delivered again")
                .isEqualTo(BucketWatcher.Resume.LOAD_FAILED);
        assertThat(BucketWatcher.resume(entry(DeliveryState.Status.DELIVERED, null, false)))
                .isEqualTo(BucketWatcher.Resume.UNFINISHED);
        assertThat(BucketWatcher.resume(entry(DeliveryState.Status.DELIVERED, null, true)))
                .as("marked, but its report never read: delivered again").isEqualTo(BucketWatcher.Resume.UNFINISHED);
        assertThat(BucketWatcher.resume(entry(DeliveryState.Status.FAILED, null, false)))
                .isEqualTo(BucketWatcher.Resume.DELIVERY_FAILED);
    }

    @Test
    void theLastFailureNamesAFailedReportsErrorWithoutRepeatingItsStatus() {
        ObjectNode report = JsonNodeFactory.instance.objectNode().put("status", "FAILED").put("error", "OpenSearch 503");
        assertThat(BucketWatcher.lastFailure(new DeliveryState.Entry("e", 1, Instant.EPOCH,
                DeliveryState.Status.LOADED, report, null))).as("the line adds 'its last load FAILED: '")
                .isEqualTo("OpenSearch 503");
        ObjectNode other = JsonNodeFactory.instance.objectNode().put("status", "CONTINUING").put("error", "x");
        assertThat(BucketWatcher.lastFailure(new DeliveryState.Entry("e", 1, Instant.EPOCH,
                DeliveryState.Status.LOADED, other, null))).isEqualTo("CONTINUING: x");
        assertThat(BucketWatcher.lastFailure(entry(DeliveryState.Status.FAILED, null, false)))
                .isEqualTo("Runtime.ExitError: boom");
        assertThat(BucketWatcher.lastFailure(entry(DeliveryState.Status.DELIVERED, null, false))).isNull();
    }

    @Test
    void onlyAFailedReportOfALoadRunningWhenTheStopBeganIsCutOffByIt() {
        LoadReport failed = LoadReport.of(JsonNodeFactory.instance.objectNode().put("status", "FAILED"));
        LoadReport ok = LoadReport.of(JsonNodeFactory.instance.objectNode().put("status", "SUCCEEDED"));
        RunningLoads.Delivery big = new RunningLoads.Delivery("raw/big.csv.gz", 7);
        java.util.Set<RunningLoads.Delivery> running = java.util.Set.of(big);
        assertThat(BucketWatcher.cutOffByStop(true, running, big, failed)).isTrue();
        assertThat(BucketWatcher.cutOffByStop(true, running, big, ok)).as("finished in the grace").isFalse();
        assertThat(BucketWatcher.cutOffByStop(true, running, new RunningLoads.Delivery("raw/other.csv.gz", 8), failed))
                .as("not running when the stop began").isFalse();
        assertThat(BucketWatcher.cutOffByStop(true, running, new RunningLoads.Delivery("raw/big.csv.gz", 9), failed))
                .as("a later delivery of the key (a new version): not the load that ran when the stop began").isFalse();
        assertThat(BucketWatcher.cutOffByStop(false, running, big, failed)).as("not stopping").isFalse();
    }

    @Test
    void theLoadFunctionsAnswerSaysWhetherTheLoadOfThatKeyFailed() {
        String failed = "\"s3://b/raw/a b.csv.gz FAILED 0 indexed, 0 rejected, 0 skipped\"";
        assertThat(BucketWatcher.answerSaysFailed(failed, "b", "raw/a b.csv.gz")).isTrue();
        assertThat(BucketWatcher.answerSaysFailed(failed, "b", "raw/a")).as("another key").isFalse();
        assertThat(BucketWatcher.answerSaysFailed(failed, "other", "raw/a b.csv.gz")).isFalse();
        assertThat(BucketWatcher.answerSaysFailed("\"s3://b/k SUCCEEDED 5 indexed, 0 rejected, 0 skipped\"", "b", "k"))
                .isFalse();
        assertThat(BucketWatcher.answerSaysFailed("\"s3://b/k CONTINUING 5 indexed, 0 rejected, 0 skipped\"", "b", "k"))
                .as("a continuation decides").isFalse();
        assertThat(BucketWatcher.answerSaysFailed("\"s3://b/j SUCCEEDED 1 indexed, 0 rejected, 0 skipped\\n"
                + "s3://b/k FAILED 0 indexed, 0 rejected, 0 skipped\"", "b", "k")).isTrue();
        assertThat(BucketWatcher.answerSaysFailed("\"nothing to load\"", "b", "k")).isFalse();
        assertThat(BucketWatcher.answerSaysFailed(null, "b", "k")).isFalse();
    }

    /**
     * A continuation's answer goes to no one: its final report decides. It marks the load failed for good when it says
     * FAILED and not retried, was written by a load of this delivery, and the stop did not cut that load off.
     */
    @Test
    void aReportSaysTheLoadFailedForGoodWhenItIsNotRetriedOfThisDeliveryAndNotCutOffByTheStop() {
        Instant deliveredAt = Instant.parse("2026-11-26T17:00:10.500Z");
        DeliveryState.Entry delivered = new DeliveryState.Entry("e", 1, deliveredAt, DeliveryState.Status.DELIVERED,
                null, null);
        java.util.function.BiFunction<Boolean, Instant, LoadReport> failed = (retryable, startedAt) -> {
            ObjectNode json = JsonNodeFactory.instance.objectNode().put("status", "FAILED")
                    .put("error", "gave up after 2 invocations (LOAD_MAX_CONTINUATIONS)")
                    .put("startedAt", startedAt.toString()).put("invocations", 2);
            if (retryable != null) {
                json.put("retryable", retryable);
            }
            return LoadReport.of(json);
        };
        Instant started = deliveredAt.plusMillis(40);

        assertThat(BucketWatcher.reportSaysFailedForGood(failed.apply(false, started), delivered, false)).isTrue();
        assertThat(BucketWatcher.reportSaysFailedForGood(failed.apply(true, started), delivered, false))
                .as("retryable: a later attempt may succeed").isFalse();
        assertThat(BucketWatcher.reportSaysFailedForGood(failed.apply(null, started), delivered, false))
                .as("an older load function's report: not known, delivered again once").isFalse();
        assertThat(BucketWatcher.reportSaysFailedForGood(failed.apply(false, started), delivered, true))
                .as("cut off by the stop").isFalse();
        assertThat(BucketWatcher.reportSaysFailedForGood(failed.apply(false, deliveredAt.minusSeconds(60)), delivered,
                false)).as("left by an earlier delivery of the same version (a reload not reported yet)").isFalse();
        assertThat(BucketWatcher.reportSaysFailedForGood(LoadReport.of(JsonNodeFactory.instance.objectNode()
                .put("status", "SUCCEEDED").put("startedAt", started.toString())), delivered, false)).isFalse();
    }
}
