package dev.netmeta.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.load.LoadTruthModel.Counts;
import dev.netmeta.load.LoadTruthModel.Indexed;
import dev.netmeta.load.LoadTruthModel.Record;
import dev.netmeta.load.LoadTruthModel.Rejected;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * The load against an independent model of docs/LOAD.md and docs/DATA-CONTRACT.md ({@link LoadTruthModel}), on
 * random files ({@link RandomLoadCase}): CSV, Zeek TSV and NDJSON with good, empty and bad records, plain or gzip (one
 * or several members), put into s3proxy and loaded by {@link LoadHandler} into the embedded OpenSearch — each file
 * twice, as a re-delivered event would. After each load every document of the file is compared field by field with
 * the model (its id, daily index, canonical values, unknown columns with their inferred types, provenance), as are
 * the rejects object (position, line, reason, raw) and the report's counts; the second load must leave the same.
 *
 * <p>{@code -Dnetmeta.loadtruth.seed=N} (first seed, default 16000) and {@code -Dnetmeta.loadtruth.cases=N} (default
 * 6) pick the cases; a failure names the seed and describes its files, and {@code -Dnetmeta.loadtruth.dump=<dir>} writes
 * each case's files there.
 */
@ExtendWith(TestServers.class)
class LoadGroundTruthIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "load-truth";

    static LongStream seeds() {
        long first = Long.getLong("netmeta.loadtruth.seed", 16_000L);
        return LongStream.range(first, first + Integer.getInteger("netmeta.loadtruth.cases", 6));
    }

    /**
     * One index prefix for all cases: a new daily index costs seconds, the files of all cases fit one mapping (the
     * generator gives each unknown column one kind of value), and each file's documents are found by its key.
     */
    private static LoadTestEnvironment servers;

    @AfterAll
    static void deleteIndices() throws IOException {
        if (servers != null) {
            servers.openSearch.indices().delete(d -> d.index(servers.prefix + "-*"));
            servers = null;
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRecordEndsAsTheDocsSay(long seed, S3Endpoint s3, OpenSearchEndpoint openSearch) throws Exception {
        if (servers == null) {
            servers = new LoadTestEnvironment(s3, openSearch);
        }
        RandomLoadCase c = new RandomLoadCase(seed);
        LoadHandler handler = new LoadHandler(servers.env());
        for (RandomLoadCase.LoadFile f : c.files) {
            String key = "raw/" + servers.prefix + "/" + seed + "/" + f.name();
            servers.put(BUCKET, key, f.bytes());
            String dump = System.getProperty("netmeta.loadtruth.dump");
            if (dump != null) { // -Dnetmeta.loadtruth.dump=<dir>: the case's files, to look at a failure
                Files.createDirectories(Path.of(dump, Long.toString(seed)));
                Files.write(Path.of(dump, Long.toString(seed), f.name()), f.bytes());
            }
            for (int round = 1; round <= 2; round++) {
                handler.handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());
                check(c, f, key, "load " + round, servers);
            }
        }
    }

    private static void check(RandomLoadCase c, RandomLoadCase.LoadFile f, String key, String round,
                              LoadTestEnvironment servers) throws IOException {
        String what = f.name() + ", " + round;
        SoftAssertions softly = new SoftAssertions();
        Counts counts = Counts.of(f.records());
        JsonNode report = servers.report(BUCKET, key);
        softly.assertThat(report.path("status").asText()).as(what + ": status (error %s)", report.path("error"))
                .isEqualTo(counts.status());
        softly.assertThat(report.path("format").asText()).as(what + ": format").isEqualTo(f.format());
        softly.assertThat(report.path("eTag").asText()).as(what + ": eTag")
                .isEqualTo(servers.s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag());
        softly.assertThat(report.path("invocations").asLong()).as(what + ": invocations").isEqualTo(1);
        softly.assertThat(report.path("rowsRead").asLong()).as(what + ": rowsRead").isEqualTo(counts.rowsRead());
        softly.assertThat(report.path("indexed").asLong()).as(what + ": indexed").isEqualTo(counts.indexed());
        softly.assertThat(report.path("rejected").asLong()).as(what + ": rejected").isEqualTo(counts.rejected());
        softly.assertThat(report.path("skipped").asLong()).as(what + ": skipped").isEqualTo(counts.skipped());
        softly.assertThat(report.path("unsettled").asLong()).as(what + ": unsettled").isZero();
        softly.assertThat(report.has("warnings")).as(what + ": warnings %s", report.path("warnings")).isFalse();
        softly.assertThat(report.has("rejectsObject")).as(what + ": rejectsObject").isEqualTo(counts.rejected() > 0);
        if (counts.status().equals("SUCCEEDED")) {
            softly.assertThat(report.path("staleRemoved").asLong()).as(what + ": staleRemoved").isZero();
        }

        var head = servers.s3.headObject(b -> b.bucket(BUCKET).key(key));
        Instant lastModified = head.lastModified();
        String version = head.eTag().replace("\"", "");
        Map<String, Hit<JsonNode>> documents = documents(servers, key);
        Map<String, Record> expectedById = new TreeMap<>();
        for (Record r : f.records()) {
            if (r.outcome() instanceof Indexed) {
                expectedById.put(LoadTruthModel.documentId(BUCKET, key, r.position()), r);
            }
        }
        softly.assertThat(new TreeSet<>(documents.keySet())).as(what + ": the ids of the file's documents")
                .isEqualTo(expectedById.keySet());
        for (Map.Entry<String, Record> e : expectedById.entrySet()) {
            Hit<JsonNode> hit = documents.get(e.getKey());
            if (hit == null) {
                continue;
            }
            Record r = e.getValue();
            Indexed doc = (Indexed) r.outcome();
            String at = what + ": record " + r.position() + " (line " + r.line() + ")";
            softly.assertThat(hit.index()).as(at + ": daily index")
                    .isEqualTo(LoadTruthModel.dailyIndex(servers.prefix, doc.timestamp(), lastModified));
            Map<String, Object> expected = new TreeMap<>(doc.fields());
            expected.put("sourceFile", key);
            expected.put("sourceRecord", r.position());
            expected.put("sourceVersion", version);
            softly.assertThat(actualFields(hit.source())).as(at + ": fields").isEqualTo(expected);
        }

        List<JsonNode> rejects = new ArrayList<>();
        if (counts.rejected() > 0 && servers.exists(BUCKET, "rejects/" + key + ".ndjson")) {
            for (String line : servers.text(BUCKET, "rejects/" + key + ".ndjson").split("\n")) {
                rejects.add(JSON.readTree(line));
            }
        }
        List<Record> rejected = f.records().stream().filter(r -> r.outcome() instanceof Rejected).toList();
        softly.assertThat(rejects.stream().map(r -> r.path("position").asLong()).toList()).as(what + ": rejects' positions")
                .isEqualTo(rejected.stream().map(Record::position).toList());
        Map<Long, JsonNode> byPosition = new HashMap<>();
        rejects.forEach(r -> byPosition.put(r.path("position").asLong(), r));
        for (Record r : rejected) {
            JsonNode line = byPosition.get(r.position());
            if (line == null) {
                continue;
            }
            Rejected want = (Rejected) r.outcome();
            String at = what + ": reject of record " + r.position();
            softly.assertThat(line.path("source").asText()).as(at + ": source").isEqualTo("s3://" + BUCKET + "/" + key);
            softly.assertThat(line.path("line").asLong()).as(at + ": line").isEqualTo(r.line());
            softly.assertThat(line.path("reason").asText()).as(at + ": reason").startsWith(want.reasonStart());
            if (want.reasonHas() != null) {
                softly.assertThat(line.path("reason").asText()).as(at + ": reason").contains(want.reasonHas());
            }
            if (want.raw() != null) {
                softly.assertThat(line.path("raw").asText()).as(at + ": raw").isEqualTo(want.raw());
            }
        }
        try {
            softly.assertAll();
        } catch (AssertionError e) {
            throw new AssertionError(c.describe() + "report: " + report + "\n" + e.getMessage(), e);
        }
    }

    /** The documents whose {@code sourceFile} is {@code key}, by id. */
    private static Map<String, Hit<JsonNode>> documents(LoadTestEnvironment servers, String key) throws IOException {
        servers.openSearch.indices().refresh(r -> r.index(servers.prefix + "-*"));
        List<Hit<JsonNode>> hits = servers.openSearch.search(s -> s.index(servers.prefix + "-*").size(10_000)
                .query(q -> q.term(t -> t.field("sourceFile").value(v -> v.stringValue(key)))), JsonNode.class)
                .hits().hits();
        Map<String, Hit<JsonNode>> byId = new HashMap<>();
        for (Hit<JsonNode> h : hits) {
            if (byId.put(h.id(), h) != null) {
                byId.put(h.id() + " (twice, in " + h.index() + ")", h);
            }
        }
        return byId;
    }

    /** A document's {@code _source} as the model's Java values: Long, Integer (ports), Double, String, List. */
    private static Map<String, Object> actualFields(JsonNode source) {
        Map<String, Object> fields = new TreeMap<>();
        source.fields().forEachRemaining(e -> fields.put(e.getKey(), value(e.getKey(), e.getValue())));
        return fields;
    }

    private static Object value(String name, JsonNode v) {
        if (v.isIntegralNumber()) {
            return name.equals("srcPort") || name.equals("dstPort") ? (Object) v.intValue() : (Object) v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isArray()) {
            List<Object> list = new ArrayList<>();
            v.forEach(e -> list.add(value("", e)));
            return list;
        }
        return v.toString();
    }
}
