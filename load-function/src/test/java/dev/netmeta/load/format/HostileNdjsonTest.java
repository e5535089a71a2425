package dev.netmeta.load.format;

import static dev.netmeta.load.format.Inputs.readAll;
import static dev.netmeta.load.format.Inputs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.load.format.SourceRecord.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hostile NDJSON lines within the 1 Mi-character line cap: objects nested far deeper than any log format
 * ({@code JsonDocuments} flattens them recursively, building one dotted path per level) and arrays nested as deep.
 * Each is one rejected line — not a StackOverflowError that fails the whole file, not a document with a field name
 * of hundreds of thousands of characters — and the lines after it still load.
 */
class HostileNdjsonTest {

    @Test
    void deeplyNestedEventsAreRejectedLinesAndTheNextLineLoads() throws Exception {
        int depth = 150_000; // 6 characters a level: ~900,000 characters, under the line cap
        String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        String arrays = "{\"a\":" + "[".repeat(400_000) + "]".repeat(400_000) + "}";
        List<SourceRecord> records = readAll(utf8("{\"src_ip\":\"10.0.0.1\"}\n" + objects + "\n" + arrays
                + "\n{\"src_ip\":\"10.0.0.2\"}\n"));

        assertThat(records).extracting(SourceRecord::kind)
                .containsExactly(Kind.DOCUMENT, Kind.REJECT, Kind.REJECT, Kind.DOCUMENT);
        assertThat(records.get(1).reason()).as("nested objects").containsIgnoringCase("depth");
        assertThat(records.get(3).document()).containsEntry("srcIp", "10.0.0.2");
    }
}
