package dev.netmeta.load.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.model.DocumentIds;
import org.junit.jupiter.api.Test;

/** The cleanup tells the same key of another bucket (another object) by the document id. */
class StaleIdsTest {

    @Test
    void onlyLoaderIdsOfAnotherObjectAreLeftAlone() {
        String ours = DocumentIds.objectPrefix("b", "raw/k") + "-";
        assertThat(OpenSearchStaleDocuments.ofAnotherObject(ours + "7", ours)).isFalse();
        assertThat(OpenSearchStaleDocuments.ofAnotherObject(DocumentIds.of("b2", "raw/k", 7), ours)).isTrue();
        assertThat(OpenSearchStaleDocuments.ofAnotherObject("old-1", ours)).as("not a loader id").isFalse();
        assertThat(OpenSearchStaleDocuments.ofAnotherObject(DocumentIds.of("b2", "raw/k", 7) + "x", ours)).isFalse();
    }
}
