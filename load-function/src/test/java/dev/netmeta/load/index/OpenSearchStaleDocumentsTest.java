package dev.netmeta.load.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeta.load.Deadline;
import dev.netmeta.load.StaleDocuments.CleanupFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenSearchStaleDocumentsTest {

    private static final String BUCKET = "b";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Backoff FAST = new Backoff(1, 2, 3);
    private static final String KEY = "raw/2018-05-09 \"odd\"/x.csv.gz";

    record Request(String method, String path, Map<String, String> parameters, String body, String contentType) {
    }

    /** Answers requests from a script, in order, and records them. */
    static final class Script implements OpenSearchHttp {
        final List<Request> requests = new ArrayList<>();
        final Deque<Object> replies = new ArrayDeque<>();
        /** What {@code _refresh} answers (not part of the scripted replies); null: a connection error. */
        Integer refreshStatus = 200;

        Script reply(int status, String body) {
            replies.add(new Reply(status, body.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        Script fail(IOException e) {
            replies.add(e);
            return this;
        }

        @Override
        public Reply execute(String method, String path, Map<String, String> parameters, byte[] body,
                             String contentType) throws IOException {
            requests.add(new Request(method, path, parameters, new String(body, StandardCharsets.UTF_8), contentType));
            if (path.endsWith("/_refresh")) {
                if (refreshStatus == null) {
                    throw new IOException("connection refused");
                }
                return new Reply(refreshStatus, "{}".getBytes(StandardCharsets.UTF_8));
            }
            Object next = replies.poll();
            if (next == null) {
                throw new AssertionError("unexpected request " + path);
            }
            if (next instanceof IOException e) {
                throw e;
            }
            return (Reply) next;
        }
    }

    private static String hits(String... indexAndId) {
        ArrayNode hits = JSON.createArrayNode();
        for (int i = 0; i < indexAndId.length; i += 2) {
            ObjectNode h = hits.addObject();
            h.put("_index", indexAndId[i]);
            h.put("_id", indexAndId[i + 1]);
            h.put("_seq_no", 10 + i);
            h.put("_primary_term", 1);
            h.putArray("sort").add(Long.parseLong(indexAndId[i + 1].substring(indexAndId[i + 1].lastIndexOf('-') + 1)))
                    .add(indexAndId[i]);
        }
        return "{\"_shards\":{\"total\":2,\"successful\":2,\"failed\":0},\"hits\":{\"hits\":" + hits + "}}";
    }

    private static String deleted(int... statuses) {
        StringBuilder sb = new StringBuilder("{\"errors\":false,\"items\":[");
        for (int i = 0; i < statuses.length; i++) {
            sb.append(i > 0 ? "," : "").append("{\"delete\":{\"status\":").append(statuses[i]);
            if (statuses[i] >= 400) {
                sb.append(",\"error\":{\"type\":\"t").append(statuses[i]).append("\",\"reason\":\"r\"}");
            }
            sb.append("}}");
        }
        return sb.append("]}").toString();
    }

    private static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Test
    void theSearchAsksForTheKeysDocumentsOfOtherVersionsOnlyWithoutTheirSource() throws IOException {
        JsonNode body = json(new String(OpenSearchStaleDocuments.searchBody(KEY, "9f0e-2", null, null, 1000),
                StandardCharsets.UTF_8));

        assertThat(body.path("size").asInt()).isEqualTo(1000);
        assertThat(body.path("_source").asBoolean(true)).isFalse();
        assertThat(body.path("seq_no_primary_term").asBoolean()).isTrue();
        assertThat(body.at("/query/bool/filter/0/term/sourceFile").asText()).isEqualTo(KEY);
        assertThat(body.at("/query/bool/filter")).hasSize(1);
        assertThat(body.at("/query/bool/must_not/0/term/sourceVersion").asText()).isEqualTo("9f0e-2");
        assertThat(body.at("/query/bool/must_not")).hasSize(1);
        assertThat(body.at("/query/bool").has("must")).isFalse();
        assertThat(body.at("/query/bool").has("should")).isFalse();
        assertThat(body.at("/sort/0/sourceRecord/order").asText()).isEqualTo("asc");
        assertThat(body.at("/sort/0/sourceRecord/unmapped_type").asText()).isEqualTo("long");
        assertThat(body.at("/sort/1/_index/order").asText()).isEqualTo("asc");
        assertThat(body.has("search_after")).isFalse();

        JsonNode next = json(new String(OpenSearchStaleDocuments.searchBody(KEY, "v", null,
                json("[7,\"m-2018.05.09\"]"), 1000), StandardCharsets.UTF_8));
        assertThat(next.path("search_after").toString()).isEqualTo("[7,\"m-2018.05.09\"]");
    }

    @Test
    void theSearchAlsoAsksForTheVersionsDocumentsWithoutATimestampOutsideTheirDailyIndex() throws IOException {
        JsonNode body = json(new String(OpenSearchStaleDocuments.searchBody(KEY, "9f0e", "m-2026.11.27", null, 1000),
                StandardCharsets.UTF_8));

        assertThat(body.at("/query/bool/filter/0/term/sourceFile").asText()).isEqualTo(KEY);
        assertThat(body.at("/query/bool/must_not")).hasSize(1);
        JsonNode keep = body.at("/query/bool/must_not/0/bool");
        assertThat(keep.at("/filter/0/term/sourceVersion").asText()).isEqualTo("9f0e");
        assertThat(keep.at("/should/0/exists/field").asText()).isEqualTo("timestamp");
        assertThat(keep.at("/should/1/term/_index").asText()).isEqualTo("m-2026.11.27");
        assertThat(keep.at("/should")).hasSize(2);
        assertThat(keep.path("minimum_should_match").asInt()).isEqualTo(1);
    }

    @Test
    void eachHitBecomesADeleteOfThatIndexAndIdConditionalOnItsSequenceNumber() throws IOException {
        JsonNode hits = json(hits("m-2018.05.09", "abc-5", "m-2018.05.10", "abc-5")).at("/hits/hits");
        String[] lines = new String(OpenSearchStaleDocuments.deleteBody(hits), StandardCharsets.UTF_8).split("\n");

        assertThat(lines).hasSize(2);
        assertThat(json(lines[0])).isEqualTo(json(
                "{\"delete\":{\"_index\":\"m-2018.05.09\",\"_id\":\"abc-5\",\"if_seq_no\":10,\"if_primary_term\":1}}"));
        assertThat(json(lines[1])).isEqualTo(json(
                "{\"delete\":{\"_index\":\"m-2018.05.10\",\"_id\":\"abc-5\",\"if_seq_no\":12,\"if_primary_term\":1}}"));
    }

    @Test
    void pagesWithSearchAfterUntilAShortPageAndCountsOnlyWhatWasDeleted() {
        Script os = new Script()
                .reply(200, hits("m-2018.05.09", "k-5", "m-2018.05.10", "k-5"))
                .reply(200, deleted(200, 200))
                .reply(200, hits("m-2018.05.09", "k-6", "m-2018.05.09", "k-7"))
                .reply(200, deleted(200, 409 /* overwritten by the current version since the search: stays */))
                .reply(200, hits("m-2018.05.09", "k-8"))
                .reply(200, deleted(404 /* already gone */));
        OpenSearchStaleDocuments cleanup = new OpenSearchStaleDocuments(os, "m", 2, FAST);

        long removed = cleanup.removeOtherVersions(BUCKET, KEY, "v2", null, Deadline.none(), 60_000);

        assertThat(removed).isEqualTo(3);
        assertThat(os.requests).extracting(Request::method, Request::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple("POST", "/m/_refresh"),
                org.assertj.core.groups.Tuple.tuple("POST", "/m/_search"),
                org.assertj.core.groups.Tuple.tuple("POST", "/_bulk"),
                org.assertj.core.groups.Tuple.tuple("POST", "/m/_search"),
                org.assertj.core.groups.Tuple.tuple("POST", "/_bulk"),
                org.assertj.core.groups.Tuple.tuple("POST", "/m/_search"),
                org.assertj.core.groups.Tuple.tuple("POST", "/_bulk"));
        assertThat(os.requests.get(1).parameters()).containsEntry("ignore_unavailable", "true");
        assertThat(os.requests.get(2).contentType()).isEqualTo("application/x-ndjson");
        assertThat(os.requests.get(3).body()).contains("\"search_after\":[5,\"m-2018.05.10\"]");
        assertThat(os.requests.get(5).body()).contains("\"search_after\":[7,\"m-2018.05.09\"]");
    }

    @Test
    void aFullPageIsFollowedByOneMoreSearchAndNothingFoundEndsIt() {
        Script os = new Script()
                .reply(200, hits("m-2018.05.09", "k-0", "m-2018.05.09", "k-1"))
                .reply(200, deleted(200, 200))
                .reply(200, hits());
        assertThat(new OpenSearchStaleDocuments(os, "m", 2, FAST)
                .removeOtherVersions(BUCKET, KEY, "v2", null, Deadline.none(), 60_000)).isEqualTo(2);
        assertThat(os.requests).hasSize(4);
    }

    @Test
    void nothingToRemoveIsARefreshAndOneSearch() {
        Script os = new Script().reply(200, hits());
        assertThat(new OpenSearchStaleDocuments(os, "m", 1000, FAST)
                .removeOtherVersions(BUCKET, KEY, "v2", null, Deadline.none(), 60_000)).isZero();
        assertThat(os.requests).extracting(Request::path).containsExactly("/m/_refresh", "/m/_search");
    }

    @Test
    void withoutARefreshTheCleanupGoesOn() {
        for (Integer refresh : new Integer[] {404, 403, null}) { // e.g. OpenSearch Serverless has no _refresh
            Script os = new Script().reply(200, hits("m-2018.05.09", "k-0")).reply(200, deleted(200));
            os.refreshStatus = refresh;
            assertThat(new OpenSearchStaleDocuments(os, "m", 2, FAST)
                    .removeOtherVersions(BUCKET, KEY, "v2", null, Deadline.none(), 60_000)).as("refresh %s", refresh).isEqualTo(1);
        }
    }

    @Test
    void busyOrUnreachableIsRetriedWithBackoff() {
        Script os = new Script()
                .reply(429, "{\"error\":\"too many\"}")
                .fail(new IOException("connection reset"))
                .reply(200, hits("m-2018.05.09", "k-0"))
                .reply(503, "{}")
                .reply(200, deleted(200));
        assertThat(new OpenSearchStaleDocuments(os, "m", 2, FAST)
                .removeOtherVersions(BUCKET, KEY, "v2", null, Deadline.none(), 60_000)).isEqualTo(1);
    }

    @Test
    void aFailedDeleteFailsTheCleanupWithTheCountSoFar() {
        Script os = new Script()
                .reply(200, hits("m-2018.05.09", "k-0", "m-2018.05.09", "k-1"))
                .reply(200, deleted(200, 200))
                .reply(200, hits("m-2018.05.09", "k-2", "m-2018.05.09", "k-3"))
                .reply(200, deleted(200, 500));

        assertThatThrownBy(() -> new OpenSearchStaleDocuments(os, "m", 2, FAST)
                .removeOtherVersions(BUCKET, KEY, "v2", null, Deadline.none(), 60_000))
                .isInstanceOfSatisfying(CleanupFailedException.class, e -> {
                    assertThat(e.removed()).isEqualTo(3);
                    assertThat(e.getMessage()).contains("1 documents", "500 t500");
                });
    }

    @Test
    void aRefusedSearchOrShardFailuresFailAtOnce() {
        Script refused = new Script().reply(403, "{\"message\":\"no permission\"}");
        assertThatThrownBy(() -> new OpenSearchStaleDocuments(refused, "m", 2, FAST)
                .removeOtherVersions(BUCKET, KEY, "v2", null, Deadline.none(), 60_000))
                .isInstanceOf(CleanupFailedException.class).hasMessageContaining("HTTP 403");
        assertThat(refused.requests).hasSize(2);

        Script partial = new Script().reply(200,
                "{\"_shards\":{\"total\":2,\"successful\":1,\"failed\":1},\"hits\":{\"hits\":[]}}");
        assertThatThrownBy(() -> new OpenSearchStaleDocuments(partial, "m", 2, FAST)
                .removeOtherVersions(BUCKET, KEY, "v2", null, Deadline.none(), 60_000))
                .isInstanceOf(CleanupFailedException.class).hasMessageContaining("failed on 1 shards");
    }

    @Test
    void noRequestStartsWhenLessThanHalfTheMarginIsLeft() {
        Script os = new Script();
        assertThatThrownBy(() -> new OpenSearchStaleDocuments(os, "m", 2, FAST)
                .removeOtherVersions(BUCKET, KEY, "v2", null, () -> 29_000, 60_000))
                .isInstanceOf(CleanupFailedException.class).hasMessageContaining("time ran out");
        assertThat(os.requests).isEmpty();
    }
}
