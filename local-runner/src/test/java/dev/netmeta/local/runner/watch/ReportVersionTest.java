package dev.netmeta.local.runner.watch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.runner.events.Json;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ReportVersionTest {

    private static final Instant DELIVERED_AT = Instant.parse("2026-11-26T17:00:10.500Z");
    /** What the watcher records: the ETag as listed, quotes stripped. */
    private static final DeliveryState.Entry NEW_VERSION = new DeliveryState.Entry("9b2cf535f27731c974343645a3985328",
            1_000, DELIVERED_AT, DeliveryState.Status.DELIVERED, null, null);

    private static JsonNode report(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    @Test
    void aReportWithTheObjectsETagIsAboutThatVersionWhateverItsQuoting() throws Exception {
        Instant writtenLongBefore = DELIVERED_AT.minusSeconds(3600); // the time does not matter once there is an eTag
        assertThat(ReportVersion.matches(report("{\"status\":\"SUCCEEDED\",\"eTag\":\"\\\"9b2cf535f27731c974343645a3985328\\\"\"}"),
                writtenLongBefore, NEW_VERSION)).as("quoted, as S3 lists it").isTrue();
        assertThat(ReportVersion.matches(report("{\"status\":\"SUCCEEDED\",\"eTag\":\"9b2cf535f27731c974343645a3985328\"}"),
                writtenLongBefore, NEW_VERSION)).as("unquoted, as S3 events carry it").isTrue();
        assertThat(ReportVersion.matches(report("{\"eTag\":\" \\\"9B2CF535F27731C974343645A3985328\\\" \"}"),
                writtenLongBefore, NEW_VERSION)).as("blanks and upper-case hex").isTrue();
    }

    @Test
    void aReportOfTheReplacedVersionDoesNotFinishTheNewOneEvenWhenWrittenJustNow() throws Exception {
        JsonNode oldReport = report("{\"status\":\"SUCCEEDED\",\"eTag\":\"\\\"0cc175b9c0f1b6a831c399e269772661\\\"\"}");
        // written within the time slack of the new delivery: the time alone would take it for the new version's
        assertThat(ReportVersion.matches(oldReport, DELIVERED_AT.minusSeconds(1), NEW_VERSION)).isFalse();
        assertThat(ReportVersion.matches(oldReport, DELIVERED_AT.plusSeconds(5), NEW_VERSION)).isFalse();
        DeliveryState.Entry multipart = new DeliveryState.Entry("d41d8cd98f00b204e9800998ecf8427e-3", 1, DELIVERED_AT,
                DeliveryState.Status.DELIVERED, null, null);
        assertThat(ReportVersion.matches(report("{\"eTag\":\"\\\"d41d8cd98f00b204e9800998ecf8427e-2\\\"\"}"),
                DELIVERED_AT.plusSeconds(5), multipart)).as("another multipart upload of the key").isFalse();
    }

    @Test
    void aReportWithoutAnETagIsMatchedOnTheTimeItWasWritten() throws Exception {
        JsonNode noETag = report("{\"status\":\"SUCCEEDED\",\"indexed\":10}");
        assertThat(ReportVersion.matches(noETag, DELIVERED_AT.plusSeconds(30), NEW_VERSION)).as("written after").isTrue();
        assertThat(ReportVersion.matches(noETag, Instant.parse("2026-11-26T17:00:10Z"), NEW_VERSION))
                .as("same second: S3 times are truncated to seconds").isTrue();
        assertThat(ReportVersion.matches(noETag, DELIVERED_AT.minusSeconds(60), NEW_VERSION))
                .as("written before the delivery: about an earlier version").isFalse();
        assertThat(ReportVersion.matches(report("{\"status\":\"SUCCEEDED\",\"eTag\":null}"),
                DELIVERED_AT.minusSeconds(60), NEW_VERSION)).as("a null eTag is no eTag").isFalse();
        assertThat(ReportVersion.matches(report("{\"status\":\"SUCCEEDED\",\"eTag\":\"\"}"),
                DELIVERED_AT.plusSeconds(1), NEW_VERSION)).as("nor is an empty one").isTrue();
    }

    @Test
    void normalisesETags() {
        assertThat(ReportVersion.normalise("\"ABC-2\"")).isEqualTo("abc-2");
        assertThat(ReportVersion.normalise("abc")).isEqualTo("abc");
        assertThat(ReportVersion.normalise("\"\"")).isNull();
        assertThat(ReportVersion.normalise(null)).isNull();
    }

    @Test
    void aReportIsOfThisDeliveryWhenItsLoadStartedAtOrAfterIt() throws Exception {
        // the delivery's time has more than milliseconds; a load started in the same millisecond is this delivery's
        assertThat(ReportVersion.startedSince(report("{\"startedAt\":\"2026-11-26T17:00:10.500Z\"}"),
                new DeliveryState.Entry("e", 1, DELIVERED_AT.plusNanos(400_000), DeliveryState.Status.DELIVERED, null,
                        null))).isTrue();
        assertThat(ReportVersion.startedSince(report("{\"startedAt\":\"2026-11-26T17:00:12Z\"}"), NEW_VERSION))
                .isTrue();
        assertThat(ReportVersion.startedSince(report("{\"startedAt\":\"2026-11-26T17:00:10.499Z\"}"), NEW_VERSION))
                .as("an earlier delivery's load").isFalse();
        assertThat(ReportVersion.startedSince(report("{\"status\":\"FAILED\"}"), NEW_VERSION)).as("no time")
                .isFalse();
        assertThat(ReportVersion.startedSince(report("{\"startedAt\":\"yesterday\"}"), NEW_VERSION)).isFalse();
    }

    /**
     * A report finishes a delivery only when its load started at or after it: POST /_local/load delivers an object of
     * the same ETag again, and the SUCCEEDED report its earlier load left finished the new delivery at the next start
     * (or at the next poll after a restart) before the new load had reported. Every legitimate report of the delivery
     * still does.
     */
    @Test
    void aReportFinishesADeliveryOnlyWhenItsLoadStartedAtOrAfterIt() throws Exception {
        String eTag = "\"9b2cf535f27731c974343645a3985328\"";
        Instant writtenLater = DELIVERED_AT.plusSeconds(30);
        JsonNode earlierLoad = report("{\"status\":\"SUCCEEDED\",\"eTag\":" + Json.MAPPER.writeValueAsString(eTag)
                + ",\"startedAt\":\"2026-11-26T17:00:01Z\",\"finishedAt\":\"2026-11-26T17:00:04Z\"}");
        assertThat(ReportVersion.ofDelivery(earlierLoad, DELIVERED_AT.minusSeconds(6), NEW_VERSION))
                .as("the same version's report of a load before the reload").isFalse();
        assertThat(ReportVersion.ofDelivery(earlierLoad, writtenLater, NEW_VERSION))
                .as("even when written after it (a load that ran on)").isFalse();

        JsonNode thisLoad = report("{\"status\":\"SUCCEEDED\",\"eTag\":" + Json.MAPPER.writeValueAsString(eTag)
                + ",\"startedAt\":\"2026-11-26T17:00:10.540Z\"}");
        assertThat(ReportVersion.ofDelivery(thisLoad, writtenLater, NEW_VERSION)).as("its load").isTrue();
        JsonNode sameMillisecond = report("{\"eTag\":" + Json.MAPPER.writeValueAsString(eTag)
                + ",\"startedAt\":\"2026-11-26T17:00:10.500Z\"}");
        assertThat(ReportVersion.ofDelivery(sameMillisecond, writtenLater, new DeliveryState.Entry(
                NEW_VERSION.eTag(), 1, DELIVERED_AT.plusNanos(700_000), DeliveryState.Status.DELIVERED, null, null)))
                .as("started in the delivery's millisecond").isTrue();
        JsonNode retry = report("{\"status\":\"SUCCEEDED\",\"eTag\":" + Json.MAPPER.writeValueAsString(eTag)
                + ",\"startedAt\":\"2026-11-26T17:00:16Z\"}");
        assertThat(ReportVersion.ofDelivery(retry, writtenLater, NEW_VERSION))
                .as("Lambda's retry of the event: a new load, started later").isTrue();
        JsonNode continued = report("{\"status\":\"SUCCEEDED\",\"eTag\":" + Json.MAPPER.writeValueAsString(eTag)
                + ",\"startedAt\":\"2026-11-26T17:00:10.600Z\",\"finishedAt\":\"2026-11-26T18:10:00Z\","
                + "\"invocations\":5}");
        assertThat(ReportVersion.ofDelivery(continued, DELIVERED_AT.plusSeconds(4_190), NEW_VERSION))
                .as("a continuation's final report: the first invocation's start").isTrue();
        JsonNode otherVersion = report("{\"eTag\":\"\\\"0cc175b9c0f1b6a831c399e269772661\\\"\","
                + "\"startedAt\":\"2026-11-26T17:00:12Z\"}");
        assertThat(ReportVersion.ofDelivery(otherVersion, writtenLater, NEW_VERSION)).as("another version").isFalse();

        JsonNode olderLoader = report("{\"status\":\"SUCCEEDED\",\"eTag\":" + Json.MAPPER.writeValueAsString(eTag)
                + "}");
        assertThat(ReportVersion.ofDelivery(olderLoader, writtenLater, NEW_VERSION))
                .as("no startedAt (an older load function): written after the delivery").isTrue();
        assertThat(ReportVersion.ofDelivery(olderLoader, DELIVERED_AT.minusSeconds(60), NEW_VERSION))
                .as("no startedAt, written before the delivery").isFalse();
        assertThat(ReportVersion.ofDelivery(report("{\"eTag\":" + Json.MAPPER.writeValueAsString(eTag)
                + ",\"startedAt\":\"soon\"}"), writtenLater, NEW_VERSION)).as("an unreadable startedAt, the same")
                .isTrue();
    }
}
