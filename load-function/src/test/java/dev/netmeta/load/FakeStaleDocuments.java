package dev.netmeta.load;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A stand-in for the cleanup port: removes from a map of stored documents (a {@code ScriptedBulkTransport}'s, by id)
 * those of the key whose {@code sourceVersion} is not the one to keep, and records every call. The map has no
 * index names, so the version's documents without a timestamp in another daily index are not looked at.
 */
final class FakeStaleDocuments implements StaleDocuments {

    record Call(String sourceFile, String keepVersion) {
    }

    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    /** The {@code keepIndexWithoutTimestamp} of each call. */
    final List<String> keepIndices = Collections.synchronizedList(new ArrayList<>());
    /** The documents the cleanup works on (null: none, it removes nothing). */
    volatile Map<String, JsonNode> stored;
    /** When set, the cleanup fails after removing this many documents. */
    volatile Long failAfter;
    /** Runs while the cleanup runs (e.g. a new version is written meanwhile). */
    volatile Consumer<Call> during = c -> { };

    @Override
    public long removeOtherVersions(String bucket, String sourceFile, String keepVersion,
                                    String keepIndexWithoutTimestamp, Deadline deadline, long marginMillis) {
        Call call = new Call(sourceFile, keepVersion);
        calls.add(call);
        keepIndices.add(keepIndexWithoutTimestamp);
        during.accept(call);
        if (failAfter != null) {
            throw new CleanupFailedException("OpenSearch answered HTTP 503 to _bulk delete (test)", failAfter, null);
        }
        if (stored == null) {
            return 0;
        }
        long removed = 0;
        for (var it = stored.entrySet().iterator(); it.hasNext(); ) {
            JsonNode doc = it.next().getValue();
            if (doc.path("sourceFile").asText().equals(sourceFile)
                    && !doc.path("sourceVersion").asText("").equals(keepVersion)) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }
}
