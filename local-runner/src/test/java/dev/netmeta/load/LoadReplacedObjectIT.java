package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.model.DocumentIds;
import dev.netmeta.model.Fields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch.core.search.Hit;

/**
 * A key whose object is replaced by a new version (the sync copies a file again when its size changed on the FTP
 * server): once the new version is loaded, a search by {@code sourceFile} finds exactly its records — through the
 * real load handler, S3 (s3proxy) and OpenSearch.
 */
@ExtendWith(TestServers.class)
class LoadReplacedObjectIT {

    private static final String BUCKET = "load-it";
    /** 2018-05-09T14:30:21Z and the day after. */
    private static final long MAY_9 = 1_525_876_221L;
    private static final long MAY_10 = MAY_9 + 86_400;

    private LoadTestEnvironment servers;
    private String key;

    @BeforeEach
    void setUp(S3Endpoint s3, OpenSearchEndpoint openSearch) {
        servers = new LoadTestEnvironment(s3, openSearch);
        key = "raw/" + servers.prefix + "/x.csv.gz";
    }

    /** {@code rows} flow records on the day of {@code epochSeconds}; {@code tag} makes each version's rows its own. */
    private static byte[] csv(int rows, long epochSeconds, String tag) {
        StringBuilder sb = new StringBuilder("ts,Src IP,Dst IP,Dst Port,host,version\n");
        for (int i = 0; i < rows; i++) {
            sb.append(epochSeconds + i).append(",10.0.0.").append(i + 1).append(",8.8.8.8,53,host").append(i)
                    .append(".example,").append(tag).append('\n');
        }
        return gzip(sb.toString());
    }

    /** Puts a new version of the key and loads it through the handler, as the S3 event would; returns its report. */
    private JsonNode replaceAndLoad(byte[] content) {
        servers.put(BUCKET, key, content);
        new LoadHandler(servers.env()).handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());
        return servers.report(BUCKET, key);
    }

    private String currentVersion() {
        String eTag = servers.s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag();
        return eTag.substring(1, eTag.length() - 1);
    }

    /** The daily index of the current object's records without a timestamp: its last-modified day (UTC). */
    private String lastModifiedDay() {
        return dev.netmeta.model.IndexNames.daily(servers.prefix,
                servers.s3.headObject(b -> b.bucket(BUCKET).key(key)).lastModified().toEpochMilli());
    }

    /** What a user gets for {@code sourceFile:"<key>"} over all daily indices (after a refresh). */
    private List<Hit<JsonNode>> search() throws IOException {
        servers.openSearch.indices().refresh(r -> r.index(servers.prefix + "-*"));
        return servers.openSearch.search(s -> s.index(servers.prefix + "-*").size(1000)
                .query(q -> q.term(t -> t.field(Fields.SOURCE_FILE).value(FieldValue.of(key)))), JsonNode.class)
                .hits().hits();
    }

    private static void assertNoIdTwiceAndUniqueProvenance(List<Hit<JsonNode>> hits) {
        Set<String> ids = new HashSet<>();
        Set<String> provenance = new HashSet<>();
        for (Hit<JsonNode> hit : hits) {
            assertThat(ids.add(hit.id())).as("id %s found twice (%s)", hit.id(), hit.index()).isTrue();
            JsonNode doc = hit.source();
            assertThat(provenance.add(doc.get("sourceFile").asText() + "#" + doc.get("sourceRecord").asLong()))
                    .as("(sourceFile, sourceRecord) of %s unique", hit.id()).isTrue();
        }
    }

    private static List<Long> records(List<Hit<JsonNode>> hits) {
        List<Long> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.source().get("sourceRecord").asLong()));
        out.sort(null);
        return out;
    }

    @Test
    void aReplacementWithFewerRowsLeavesOnlyItsOwnRecords() throws IOException {
        JsonNode first = replaceAndLoad(csv(10, MAY_9, "one"));
        assertThat(first.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(first.get("staleRemoved").asLong()).isZero();
        assertThat(search()).hasSize(10);

        JsonNode second = replaceAndLoad(csv(5, MAY_9, "two"));

        List<Hit<JsonNode>> hits = search();
        assertThat(records(hits)).as("records 5-9 of the first version are gone").containsExactly(0L, 1L, 2L, 3L, 4L);
        assertNoIdTwiceAndUniqueProvenance(hits);
        String version = currentVersion();
        assertThat(hits).allSatisfy(h -> {
            assertThat(h.source().get("version").asText()).isEqualTo("two");
            assertThat(h.source().get(Fields.SOURCE_VERSION).asText()).as("the ETag without quotes")
                    .isEqualTo(version);
        });
        assertThat(second.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(second.get("indexed").asLong()).isEqualTo(5);
        assertThat(second.get("staleRemoved").asLong()).as("records 5-9 of the first version").isEqualTo(5);
    }

    @Test
    void aReplacementOnAnotherDayLeavesNoIdInTwoDailyIndices() throws IOException {
        replaceAndLoad(csv(10, MAY_9, "one"));
        replaceAndLoad(csv(5, MAY_9, "two"));
        assertThat(search()).hasSize(5);

        JsonNode third = replaceAndLoad(csv(3, MAY_10, "three"));

        List<Hit<JsonNode>> hits = search();
        assertThat(records(hits)).containsExactly(0L, 1L, 2L);
        assertNoIdTwiceAndUniqueProvenance(hits);
        assertThat(hits).allSatisfy(h -> {
            assertThat(h.index()).isEqualTo(servers.prefix + "-2018.05.10");
            assertThat(h.source().get("version").asText()).isEqualTo("three");
            assertThat(h.id()).isEqualTo(DocumentIds.of(BUCKET, key, h.source().get("sourceRecord").asLong()));
        });
        assertThat(servers.count("sourceFile:\"" + key + "\" AND version:(one OR two)")).isZero();
        assertThat(third.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(third.get("indexed").asLong()).isEqualTo(3);
        assertThat(third.get("staleRemoved").asLong()).as("records 0-4 of the second version, on May 9")
                .isEqualTo(5);
    }

    @Test
    void documentsWithoutAVersionAreRemovedAndOtherKeysAreLeftAlone() throws IOException {
        // a document of this key indexed before sourceVersion existed (under a template that maps sourceFile as a
        // keyword, which the loader has installed since contract 2), and one of another key
        replaceAndLoad(csv(1, MAY_9, "zero")); // installs the template
        String otherKey = key + ".other";
        servers.openSearch.index(i -> i.index(servers.prefix + "-2018.05.08").id("old-1")
                .document(Map.of("timestamp", (MAY_9 - 86_400) * 1000, Fields.SOURCE_FILE, key,
                        Fields.SOURCE_RECORD, 7L)));
        servers.openSearch.index(i -> i.index(servers.prefix + "-2018.05.08").id("other-1")
                .document(Map.of("timestamp", (MAY_9 - 86_400) * 1000, Fields.SOURCE_FILE, otherKey,
                        Fields.SOURCE_RECORD, 7L, Fields.SOURCE_VERSION, "older")));
        servers.openSearch.indices().refresh(r -> r.index(servers.prefix + "-*"));

        JsonNode report = replaceAndLoad(csv(4, MAY_9, "one"));

        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("staleRemoved").asLong()).as("the document without a version").isEqualTo(1);
        assertThat(records(search())).containsExactly(0L, 1L, 2L, 3L);
        assertThat(servers.count("version:zero")).isZero();
        assertThat(servers.count("sourceFile:\"" + otherKey + "\"")).isEqualTo(1);
    }

    /**
     * A record without a timestamp goes to the day its object was last modified. Copying the object onto itself —
     * the way docs/API.md and docs/DATA-CONTRACT.md tell to load it again — keeps its ETag (so its
     * {@code sourceVersion}) but moves that day: the documents of the earlier copy's day, same ids and same
     * {@code sourceVersion} in another daily index, were kept by the cleanup, and every such record existed twice.
     */
    @Test
    void aCopyOfTheSameContentOnAnotherDayLeavesNoRecordWithoutATimestampTwice() throws IOException {
        byte[] content = gzip("Src IP,Dst IP,Dst Port,host\n10.0.0.1,8.8.8.8,53,a.example\n"
                + "10.0.0.2,8.8.8.8,53,b.example\n");
        replaceAndLoad(content);
        List<Hit<JsonNode>> loaded = search();
        assertThat(loaded).hasSize(2);
        assertThat(loaded.get(0).index()).isEqualTo(lastModifiedDay());
        // what the same content copied on another day left (S3 sets the last-modified time, so it is made here)
        String earlierDay = servers.prefix + "-2018.05.08";
        for (Hit<JsonNode> hit : loaded) {
            servers.openSearch.index(i -> i.index(earlierDay).id(hit.id()).document(hit.source()));
        }
        assertThat(search()).hasSize(4);

        JsonNode again = replaceAndLoad(content); // the copy onto itself: the same ETag

        List<Hit<JsonNode>> hits = search();
        assertNoIdTwiceAndUniqueProvenance(hits);
        String copyDay = lastModifiedDay(); // not the first load's when the copy is made after midnight (UTC)
        assertThat(hits).hasSize(2).allSatisfy(h -> assertThat(h.index()).isEqualTo(copyDay));
        assertThat(again.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(again.get("staleRemoved").asLong()).isEqualTo(2);
    }

    /**
     * The cleanup's query for the version's documents without a timestamp outside their daily index ({@code
     * must_not} this version with a {@code timestamp} or in {@code _index} = that day, searched through the alias)
     * removes exactly those: the version's documents with a timestamp in any index, documents of another key with
     * the same {@code sourceVersion} and the same key's documents from another bucket stay.
     */
    @Test
    void theCleanupOfTheVersionsRecordsWithoutATimestampLeavesEverythingElseAlone() throws IOException {
        byte[] content = gzip("Src IP,Dst IP,Dst Port,host\n10.0.0.1,8.8.8.8,53,a.example\n"
                + "10.0.0.2,8.8.8.8,53,b.example\n");
        replaceAndLoad(content);
        List<Hit<JsonNode>> loaded = search();
        assertThat(loaded).hasSize(2);
        String version = currentVersion();
        String earlierDay = servers.prefix + "-2018.05.08";
        String otherKey = key + ".other";
        Map<String, Object> withTimestamp = Map.of("timestamp", (MAY_9 - 86_400) * 1000, Fields.SOURCE_FILE, key,
                Fields.SOURCE_RECORD, 7L, Fields.SOURCE_VERSION, version);
        Map<String, Object> ofAnotherKey = Map.of(Fields.SOURCE_FILE, otherKey, Fields.SOURCE_RECORD, 0L,
                Fields.SOURCE_VERSION, version);
        Map<String, Object> ofAnotherBucket = Map.of(Fields.SOURCE_FILE, key, Fields.SOURCE_RECORD, 0L,
                Fields.SOURCE_VERSION, version);
        Map<String, Object> stale = Map.of(Fields.SOURCE_FILE, key, Fields.SOURCE_RECORD, 1L,
                Fields.SOURCE_VERSION, version);
        servers.openSearch.index(i -> i.index(earlierDay).id(DocumentIds.of(BUCKET, key, 7)).document(withTimestamp));
        servers.openSearch.index(i -> i.index(earlierDay).id(DocumentIds.of(BUCKET, otherKey, 0))
                .document(ofAnotherKey));
        servers.openSearch.index(i -> i.index(earlierDay).id(DocumentIds.of("another-bucket", key, 0))
                .document(ofAnotherBucket));
        servers.openSearch.index(i -> i.index(earlierDay).id(DocumentIds.of(BUCKET, key, 1)).document(stale));

        JsonNode again = replaceAndLoad(content); // the same ETag
        String today = lastModifiedDay();

        assertThat(again.get("status").asText()).isEqualTo("SUCCEEDED");
        // (plus the first load's two, had the second been made after midnight UTC)
        assertThat(again.get("staleRemoved").asLong()).as("only record 1 in the earlier day's index")
                .isEqualTo(today.equals(loaded.get(0).index()) ? 1 : 3);
        servers.openSearch.indices().refresh(r -> r.index(servers.prefix + "-*"));
        List<Hit<JsonNode>> all = servers.openSearch.search(s -> s.index(servers.prefix + "-*").size(100),
                JsonNode.class).hits().hits();
        assertThat(all).extracting(h -> h.index() + "/" + h.id()).containsExactlyInAnyOrder(
                today + "/" + DocumentIds.of(BUCKET, key, 0),
                today + "/" + DocumentIds.of(BUCKET, key, 1),
                earlierDay + "/" + DocumentIds.of(BUCKET, key, 7),
                earlierDay + "/" + DocumentIds.of(BUCKET, otherKey, 0),
                earlierDay + "/" + DocumentIds.of("another-bucket", key, 0));
    }

    @Test
    void loadingTheSameVersionAgainRemovesNothing() throws IOException {
        replaceAndLoad(csv(10, MAY_9, "one"));
        new LoadHandler(servers.env()).handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());

        JsonNode again = servers.report(BUCKET, key);
        assertThat(again.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(again.get("staleRemoved").asLong()).isZero();
        assertThat(records(search())).hasSize(10);
    }
}
