package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.doc;
import static dev.netmeta.api.SearchIndexFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * from/to take date math relative to now (before: {@code from=now-1d} was a 400 invalid_time while q's
 * {@code timestamp:>now-1d} worked), and the API resolves it as OpenSearch resolves the same date math in q, against
 * the embedded OpenSearch: around the time each expression stands for, a document a millisecond before and one at it
 * (a minute apart for an expression without rounding, as the two clocks read now a few milliseconds apart), and
 * {@code from=E} finds what {@code q=timestamp:[E TO *]} finds, {@code to=E} what {@code q=timestamp:{* TO E}} finds.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiDateMathIT {

    private static final List<String> ROUNDED = List.of("now/d", "now-1d/d", "now/w", "now-1w/w", "now/M", "now-1M/M",
            "now/y", "now-1y/y", "now/d+8h", "now-1d/d-1h");
    private static final List<String> UNROUNDED = List.of("now-15m", "now-1d", "now-1M", "now+1h");
    private ApiCalls api;
    private long indexedAt;

    @BeforeAll
    void indexDocuments(OpenSearchEndpoint openSearch) throws Exception {
        SearchIndexFixture fixture = new SearchIndexFixture(openSearch.uri(),
                "datemath-" + UUID.randomUUID().toString().substring(0, 8));
        indexedAt = System.currentTimeMillis();
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        for (String e : ROUNDED) {
            long at = DateMath.parse("from", e).resolve("from", indexedAt);
            docs.put(e + " before", at(at - 1));
            docs.put(e + " at", at(at));
        }
        for (String e : UNROUNDED) {
            long at = DateMath.parse("from", e).resolve("from", indexedAt);
            docs.put(e + " before", at(at - 60_000));
            docs.put(e + " after", at(at + 60_000));
        }
        fixture.index(docs);
        api = new ApiCalls(new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(), "INDEX_PREFIX",
                fixture.prefix)));
    }

    private static Map<String, Object> at(long millis) {
        return doc(Instant.ofEpochMilli(millis).toString(), "10.0.0.1", "10.0.0.2", 53, "x");
    }

    /** The 200 body of the parameters given as name, value, …; size 1000 unless given. */
    private JsonNode call(String... parameters) {
        Map<String, String> p = new HashMap<>();
        for (int i = 0; i < parameters.length; i += 2) {
            p.put(parameters[i], parameters[i + 1]);
        }
        p.putIfAbsent("size", "1000");
        return api.ok(p);
    }

    @Test
    void fromAndToReadDateMathAsOpenSearchReadsItInQ() throws Exception {
        int compared = 0;
        List<String> all = new ArrayList<>(ROUNDED);
        all.addAll(UNROUNDED);
        for (String e : all) {
            List<String> from = ids(call("from", e));
            List<String> to = ids(call("to", e));
            List<String> engineFrom = ids(call("q", "timestamp:[" + e + " TO *]"));
            List<String> engineTo = ids(call("q", "timestamp:{* TO " + e + "}"));
            if (DateMath.parse("from", e).resolve("from", System.currentTimeMillis())
                    != DateMath.parse("from", e).resolve("from", indexedAt) && ROUNDED.contains(e)) {
                continue; // the test ran across the boundary (midnight UTC): its documents no longer straddle it
            }
            compared++;
            assertThat(from).as("from=" + e).containsExactlyInAnyOrderElementsOf(engineFrom).contains(e + " "
                    + (ROUNDED.contains(e) ? "at" : "after")).doesNotContain(e + " before");
            assertThat(to).as("to=" + e).containsExactlyInAnyOrderElementsOf(engineTo).contains(e + " before");
        }
        // every expression but those whose rounding moved while the test ran: a midnight (UTC) crossing moves the four
        // day-rounded ones (ten compared of fourteen), a Monday's or a month's first midnight more
        assertThat(compared).as("rounded expressions compared too").isGreaterThan(UNROUNDED.size());
    }

    /**
     * The pages of a date-math search follow each other (the cursor's fingerprint holds the text as written). That each
     * page keeps the first page's now is SearchServiceTest's (a moving clock): the fixture's documents lie hours from
     * both bounds here, so a now taken again per page would find the same hits.
     */
    @Test
    void aSearchWithDateMathPagesThroughEveryHitOnceWithItsCursor() throws Exception {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = cursor == null ? call("from", "now-2y", "to", "now+1d", "size", "3")
                    : call("from", "now-2y", "to", "now+1d", "size", "3", "cursor", cursor);
            seen.addAll(ids(page));
            cursor = page.path("next").isNull() ? null : page.path("next").asText();
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates().hasSize(ids(call("from", "now-2y", "to", "now+1d")).size());
    }
}
