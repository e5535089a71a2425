package dev.netmeta.load;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import dev.netmeta.model.Env;
import dev.netmeta.model.Fields;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Loads one object the way the load function does — {@link LoadService} over the in-memory S3 and Lambda ports and
 * a stand-in {@code _bulk} endpoint that accepts every document — and returns what it would have indexed and
 * rejected, by record position, with its report.
 */
final class ReadingPath {

    static final String BUCKET = "generated";
    static final String KEY = "raw/generated.gz";

    /** The load's report, the documents by position (without provenance) and the rejects by position. */
    record Outcome(LoadReport report, Map<Long, JsonNode> documents, Map<Long, Reject> rejects) {
    }

    private ReadingPath() {
    }

    static Outcome load(byte[] object) {
        InMemoryPorts ports = new InMemoryPorts();
        ports.objects.put(BUCKET + "/" + KEY, object);
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 500, 8 << 20, 2,
                new Backoff(1, 2, 3))) {
            LoadService service = new LoadService(LoadSettings.from(new Env(Map.of())), ports, indexer, ports, ports,
                    ports, () -> { }, new FakeStaleDocuments(),
                    new LoadLog(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)),
                    Clock.systemUTC());
            List<LoadReport> reports = service.load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());
            Map<Long, JsonNode> documents = new TreeMap<>();
            for (JsonNode stored : transport.stored.values()) {
                long position = stored.get(Fields.SOURCE_RECORD).asLong();
                com.fasterxml.jackson.databind.node.ObjectNode document = stored.deepCopy();
                document.remove(Fields.provenanceFields());
                if (documents.put(position, document) != null) {
                    throw new AssertionError("two documents of position " + position);
                }
            }
            Map<Long, Reject> rejects = new TreeMap<>();
            for (Reject reject : ports.rejects.getOrDefault(KEY, List.of())) {
                if (rejects.put(reject.position(), reject) != null) {
                    throw new AssertionError("two rejects of position " + reject.position());
                }
            }
            return new Outcome(reports.get(reports.size() - 1), documents, rejects);
        }
    }
}
