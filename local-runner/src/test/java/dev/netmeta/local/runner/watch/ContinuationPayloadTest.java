package dev.netmeta.local.runner.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeta.load.LoadContinuation;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ContinuationPayloadTest {

    private static final Instant STARTED = Instant.parse("2026-11-27T10:00:00.500Z");

    private static ObjectNode continuing() {
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.put("status", "CONTINUING").put("bucket", "b").put("key", "raw/x.csv.gz").put("eTag", "\"e1\"")
                .put("nextPosition", 2048).put("invocations", 2).put("startedAt", STARTED.toString())
                .put("rowsRead", 2048).put("indexed", 2040).put("rejected", 8).put("skipped", 0);
        return report;
    }

    @Test
    void theContinuationOfACutOffLoadIsWhatTheLoadWouldHaveSent() {
        LoadContinuation c = ContinuationPayload.of(continuing());
        assertThat(c.getEtag()).isEqualTo("\"e1\"");
        assertThat(c.getNextPosition()).isEqualTo(2048);
        assertThat(c.getAttempt()).isEqualTo(2);
        assertThat(c.getStartedAt()).isEqualTo(STARTED.toEpochMilli());
        assertThat(c.getIndexed()).isEqualTo(2040);
        assertThat(c.getRejected()).isEqualTo(8);
        assertThat(ContinuationPayload.of(continuing().put("status", "SUCCEEDED"))).as("a finished load").isNull();
        assertThat(ContinuationPayload.of(continuing().put("startedAt", "yesterday"))).isNull();
    }

    /**
     * The version the bucket holds is continued only when it was written before the load began: the same ETag with a
     * later time is a copy of the same content made since (between the stop and the start, say), which the load
     * function treats as another version — continued without its time (0, as the payload used to carry), the final
     * cleanup would have removed the first part's documents without a timestamp.
     */
    @Test
    void onlyAnObjectWrittenBeforeTheLoadBeganIsContinued() {
        long started = STARTED.toEpochMilli();
        assertThat(ContinuationPayload.continuable(Instant.parse("2026-11-27T09:59:58Z"), started)).isTrue();
        assertThat(ContinuationPayload.continuable(Instant.parse("2026-11-27T10:00:00Z"), started))
                .as("S3's times are whole seconds").isTrue();
        assertThat(ContinuationPayload.continuable(Instant.parse("2026-11-27T10:05:00Z"), started))
                .as("copied again after the load began").isFalse();
        assertThat(ContinuationPayload.continuable(null, started)).as("another version, or none").isFalse();
    }
}
