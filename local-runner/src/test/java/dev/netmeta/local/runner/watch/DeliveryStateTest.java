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
        long first = state.delivered("raw/a.csv.gz", "etag-a", 10);
        long second = state.delivered("raw/b.csv.gz", "etag-b", 20);
        assertThat(second).isGreaterThan(first);
        state.loaded("raw/a.csv.gz", JsonNodeFactory.instance.objectNode().put("rowsIndexed", 5));
        state.delivered("raw/c.csv.gz", "etag-c", 30);
        state.failed("raw/c.csv.gz", "boom");

        DeliveryState reopened = DeliveryState.open(file); // what a new process sees, even after kill -9
        assertThat(reopened.get("raw/a.csv.gz").status()).isEqualTo(DeliveryState.Status.LOADED);
        assertThat(reopened.get("raw/a.csv.gz").report().get("rowsIndexed").asInt()).isEqualTo(5);
        assertThat(reopened.get("raw/b.csv.gz").status()).isEqualTo(DeliveryState.Status.DELIVERED);
        assertThat(reopened.get("raw/b.csv.gz").eTag()).isEqualTo("etag-b");
        assertThat(reopened.get("raw/c.csv.gz").status()).isEqualTo(DeliveryState.Status.FAILED);
        assertThat(reopened.get("raw/c.csv.gz").error()).isEqualTo("boom");
        assertThat(reopened.delivered("raw/d.csv.gz", "e", 1)).as("sequencers keep growing").isGreaterThan(second);
        assertThat(Files.exists(file.resolveSibling("bucket.json.tmp"))).isFalse();
    }

    @Test
    void aLoadedObjectDoesNotTurnFailed() {
        DeliveryState state = DeliveryState.open(dir.resolve("s.json"));
        state.delivered("k", "e", 1);
        state.loaded("k", JsonNodeFactory.instance.objectNode());
        state.failed("k", "late failure of an earlier attempt");
        assertThat(state.get("k").status()).isEqualTo(DeliveryState.Status.LOADED);
    }

    @Test
    void saysHowToRecoverFromADamagedFile() throws Exception {
        Path file = dir.resolve("s.json");
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> DeliveryState.open(file)).hasMessageContaining(file.toString())
                .hasMessageContaining("move it away");
    }

    @Test
    void aFailureForGoodIsKeptForItsVersionOnly() {
        Path file = dir.resolve("s.json");
        DeliveryState state = DeliveryState.open(file);
        state.delivered("k", "e1", 1);
        state.failedForGood("k", "e0"); // an answer about another version: no mark
        assertThat(state.get("k").failedForGood()).isFalse();
        state.failedForGood("k", "e1");
        state.loaded("k", JsonNodeFactory.instance.objectNode().put("status", "FAILED"));

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

        state.delivered("k", "e1", 1); // POST /_local/load: a new delivery, no mark until its load decides
        state.loaded("k", JsonNodeFactory.instance.objectNode().put("status", "FAILED").put("retryable", true), false);
        assertThat(state.get("k").failedForGood()).isFalse();
        state.failedForGood("k", "e1"); // the answer came first: the report does not clear its mark
        state.loaded("k", JsonNodeFactory.instance.objectNode().put("status", "FAILED"), false);
        assertThat(state.get("k").failedForGood()).isTrue();
    }
}
