package dev.netmeta.local.runner.watch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeliveryStateTest {

    @TempDir
    Path dir;

    @Test
    void survivesARestartWithWhatIsFinishedAndWhatIsNot() {
        Path file = dir.resolve("state/bucket.json");
        DeliveryState state = DeliveryState.open(file);
        long first = state.delivered("raw/a.csv.gz", "etag-a", 10).sequence();
        long second = state.delivered("raw/b.csv.gz", "etag-b", 20).sequence();
        assertThat(second).isGreaterThan(first);
        state.loaded("raw/a.csv.gz", JsonNodeFactory.instance.objectNode().put("rowsIndexed", 5), false);
        long c = state.delivered("raw/c.csv.gz", "etag-c", 30).sequence();
        assertThat(state.failed("raw/c.csv.gz", c, "boom")).isTrue();

        DeliveryState reopened = DeliveryState.open(file); // what a new process sees, even after kill -9
        assertThat(reopened.get("raw/a.csv.gz").status()).isEqualTo(DeliveryState.Status.LOADED);
        assertThat(reopened.get("raw/a.csv.gz").report().get("rowsIndexed").asInt()).isEqualTo(5);
        assertThat(reopened.get("raw/b.csv.gz").status()).isEqualTo(DeliveryState.Status.DELIVERED);
        assertThat(reopened.get("raw/b.csv.gz").eTag()).isEqualTo("etag-b");
        assertThat(reopened.get("raw/b.csv.gz").sequence()).as("each delivery keeps its number").isEqualTo(second);
        assertThat(reopened.get("raw/c.csv.gz").status()).isEqualTo(DeliveryState.Status.FAILED);
        assertThat(reopened.get("raw/c.csv.gz").error()).isEqualTo("boom");
        assertThat(reopened.delivered("raw/d.csv.gz", "e", 1).sequence()).as("sequencers keep growing")
                .isGreaterThan(c);
        assertThat(Files.exists(file.resolveSibling("bucket.json.tmp"))).isFalse();
    }

    @Test
    void aLoadedObjectDoesNotTurnFailed() {
        DeliveryState state = DeliveryState.open(dir.resolve("s.json"));
        long k = state.delivered("k", "e", 1).sequence();
        state.loaded("k", JsonNodeFactory.instance.objectNode(), false);
        assertThat(state.failed("k", k, "late failure of an earlier attempt")).isFalse();
        assertThat(state.get("k").status()).isEqualTo(DeliveryState.Status.LOADED);
    }

    /**
     * The invocation of an earlier delivery of a key — the version the new one replaced, still loading — ends after the
     * new delivery was recorded: its failure or its answer is about its own delivery, never the new one's.
     */
    @Test
    void anEarlierDeliverysOutcomeDoesNotChangeALaterDeliveryOfTheKey() {
        DeliveryState state = DeliveryState.open(dir.resolve("s.json"));
        long old = state.delivered("k", "e1", 1).sequence();
        long later = state.delivered("k", "e2", 2).sequence();
        assertThat(state.failed("k", old, "Sandbox.Timedout: the old version's load")).isFalse();
        state.failedForGood("k", old);
        assertThat(state.get("k").status()).isEqualTo(DeliveryState.Status.DELIVERED);
        assertThat(state.get("k").failedForGood()).isFalse();
        long again = state.delivered("k", "e2", 2).sequence(); // POST /_local/load: the same version delivered again
        state.failedForGood("k", later);
        assertThat(state.get("k").failedForGood()).as("the answer of the load asked before").isFalse();
        assertThat(state.failed("k", again, "boom")).isTrue();
    }

    @Test
    void aStateWrittenByAnOlderRunnerReadsWithoutSequences() throws Exception {
        Path file = dir.resolve("old.json");
        Files.writeString(file, "{\"sequence\": 3, \"objects\": {\"raw/a.csv.gz\": {\"eTag\": \"e\", \"size\": 1, "
                + "\"deliveredAt\": \"2026-11-26T17:00:00Z\", \"status\": \"DELIVERED\"}}}");
        DeliveryState state = DeliveryState.open(file);
        assertThat(state.get("raw/a.csv.gz").sequence()).isZero();
        assertThat(state.delivered("raw/b.csv.gz", "e", 1).sequence()).isEqualTo(4);
    }

    @Test
    void saysHowToRecoverFromADamagedFile() throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> DeliveryState.open(file)).hasMessageContaining(file.toString())
                .hasMessageContaining("move it away");
    }

    @Test
    void aFailureForGoodIsKeptForItsDeliveryOnly() {
        Path file = dir.resolve("s.json");
        DeliveryState state = DeliveryState.open(file);
        long k = state.delivered("k", "e1", 1).sequence();
        state.failedForGood("k", k - 1); // an answer about another delivery: no mark
        assertThat(state.get("k").failedForGood()).isFalse();
        state.failedForGood("k", k);
        state.loaded("k", JsonNodeFactory.instance.objectNode().put("status", "FAILED"), false);

        DeliveryState reopened = DeliveryState.open(file);
        assertThat(reopened.get("k").failedForGood()).as("kept across a restart and by the report").isTrue();
        reopened.delivered("k", "e2", 2); // a new version
        assertThat(reopened.get("k").failedForGood()).isFalse();
    }

    @Test
    void aReportThatSaysTheLoadFailedForGoodMarksItWithTheReport() {
        Path file = dir.resolve("s.json");
        DeliveryState state = DeliveryState.open(file);
        state.delivered("k", "e1", 1);
        state.loaded("k", JsonNodeFactory.instance.objectNode().put("status", "FAILED").put("retryable", false), true);
        assertThat(state.get("k").status()).isEqualTo(DeliveryState.Status.LOADED);
        assertThat(DeliveryState.open(file).get("k").failedForGood()).as("kept across a restart").isTrue();

        long reload = state.delivered("k", "e1", 1).sequence(); // POST /_local/load: a new delivery, no mark until its load decides
        state.loaded("k", JsonNodeFactory.instance.objectNode().put("status", "FAILED").put("retryable", true), false);
        assertThat(state.get("k").failedForGood()).isFalse();
        state.failedForGood("k", reload); // the answer came first: the report does not clear its mark
        state.loaded("k", JsonNodeFactory.instance.objectNode().put("status", "FAILED"), false);
        assertThat(state.get("k").failedForGood()).isTrue();
    }
}
