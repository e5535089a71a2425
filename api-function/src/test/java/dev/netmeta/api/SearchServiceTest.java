package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SearchServiceTest {

    private final InMemorySearchBackend backend = new InMemorySearchBackend();
    private final ObjectMapper json = new ObjectMapper();

    private SearchParameters params(int size, String cursor, OutputFormat format) {
        return new SearchParameters("", null, null, size, SearchParametersParser.DEFAULT_SORT, List.of(), cursor,
                format);
    }

    private SearchResult search(SearchService service, SearchParameters p) {
        return service.search(p, ResultWriter.of(p.format(), json, p.fields()));
    }

    private void addDocs(int n, int distinctTimestamps) {
        for (int i = 0; i < n; i++) {
            backend.add(String.format("doc-%05d", i), Map.of("timestamp", 1_000_000L + i % distinctTimestamps,
                    "host", "h" + i));
        }
    }

    @Test
    void pagingReturnsEveryDocumentExactlyOnceEvenWithEqualSortValues() {
        addDocs(1234, 7);
        SearchService service = new SearchService(backend, json, 10_000);
        Set<String> seen = new HashSet<>();
        List<String> order = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            SearchResult r = search(service, params(100, cursor, OutputFormat.JSON));
            r.hits().forEach(h -> order.add(h.id()));
            r.hits().forEach(h -> assertThat(seen.add(h.id())).as("repeated %s", h.id()).isTrue());
            assertThat(r.total()).isEqualTo(1234);
            cursor = r.next();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(1234);
        assertThat(pages).isEqualTo(13);
    }

    @Test
    void lastPageHasNoCursor() {
        addDocs(100, 100);
        SearchService service = new SearchService(backend, json, 10_000);
        SearchResult r = search(service, params(100, null, OutputFormat.JSON));
        assertThat(r.hits()).hasSize(100);
        assertThat(r.next()).isNull();
        assertThat(backend.queries.get(0).size()).isEqualTo(101);
    }

    @Test
    void exportPagesThroughTheEngineInChunks() {
        addDocs(2500, 2500);
        SearchService service = new SearchService(backend, json, 10_000);
        SearchResult r = search(service, params(2200, null, OutputFormat.NDJSON));
        assertThat(r.hits()).hasSize(2200);
        assertThat(r.next()).isNotNull();
        assertThat(backend.queries).extracting(BackendQuery::size).containsExactly(1001, 1001, 201);
        SearchResult rest = search(service, params(2200, r.next(), OutputFormat.NDJSON));
        assertThat(rest.hits()).hasSize(300);
        assertThat(rest.next()).isNull();
        assertThat(rest.hits().get(0).id()).isNotEqualTo(r.hits().get(2199).id());
    }

    @Test
    void responseStopsAtTheByteBudgetAndTheCursorContinuesRightAfter() {
        addDocs(50, 50);
        SearchService small = new SearchService(backend, json, 10_000, 1_000, System::currentTimeMillis);
        SearchResult first = search(small, params(50, null, OutputFormat.JSON));
        assertThat(first.hits()).hasSizeBetween(1, 49);
        assertThat(first.next()).isNotNull();
        Set<String> seen = new HashSet<>();
        first.hits().forEach(h -> seen.add(h.id()));
        String cursor = first.next();
        while (cursor != null) {
            SearchResult r = search(small, params(50, cursor, OutputFormat.JSON));
            r.hits().forEach(h -> assertThat(seen.add(h.id())).isTrue());
            cursor = r.next();
        }
        assertThat(seen).hasSize(50);
    }

    @Test
    void timedOutEngineSearchIsATimeoutNotAPartialResult() {
        backend.override = q -> new SearchPage(10, true, 5000, true, List.of());
        SearchService service = new SearchService(backend, json, 5_000);
        assertThatThrownBy(() -> search(service, params(10, null, OutputFormat.JSON)))
                .isInstanceOfSatisfying(SearchBackendException.class,
                        e -> assertThat(e.kind()).isEqualTo(SearchBackendException.Kind.TIMEOUT));
    }

    @Test
    void exportWhoseLaterBatchTimesOutAnswersWithTheBatchesWrittenAndACursor() {
        addDocs(2500, 2500);
        int[] calls = {0};
        SearchBackend slowSometimes = new SearchBackend() {
            @Override
            public SearchPage search(BackendQuery q) {
                calls[0]++;
                if (calls[0] == 2) {
                    return new SearchPage(2500, true, 10_000, true, List.of()); // the engine stopped at its timeout
                }
                if (calls[0] == 4) {
                    throw new SearchBackendException(SearchBackendException.Kind.TIMEOUT, "no answer within 9000 ms");
                }
                return backend.search(q);
            }

            @Override
            public int tiebreakerValues() {
                return backend.tiebreakerValues();
            }
        };
        SearchService service = new SearchService(slowSometimes, json, 10_000);

        SearchResult first = search(service, params(2500, null, OutputFormat.NDJSON));
        assertThat(first.hits()).hasSize(1000);
        assertThat(first.next()).isNotNull();
        SearchResult second = search(service, params(2500, first.next(), OutputFormat.NDJSON));
        assertThat(second.hits()).hasSize(1000);
        assertThat(second.next()).isNotNull();
        SearchResult third = search(service, params(2500, second.next(), OutputFormat.NDJSON));
        assertThat(third.hits()).hasSize(500);
        assertThat(third.next()).isNull();

        Set<String> seen = new HashSet<>();
        for (SearchResult r : List.of(first, second, third)) {
            r.hits().forEach(h -> assertThat(seen.add(h.id())).as("repeated %s", h.id()).isTrue());
        }
        assertThat(seen).hasSize(2500);
    }

    @Test
    void timeoutOnTheFirstBatchIsStillA504EvenWhenTheEngineThrows() {
        backend.override = q -> {
            throw new SearchBackendException(SearchBackendException.Kind.TIMEOUT, "no answer within 9000 ms");
        };
        SearchService service = new SearchService(backend, json, 10_000);
        assertThatThrownBy(() -> search(service, params(2500, null, OutputFormat.NDJSON)))
                .isInstanceOfSatisfying(SearchBackendException.class,
                        e -> assertThat(e.kind()).isEqualTo(SearchBackendException.Kind.TIMEOUT));
    }

    @Test
    void timeRangeIsPassedToTheEngine() {
        addDocs(10, 10);
        SearchService service = new SearchService(backend, json, 10_000);
        SearchResult r = search(service, new SearchParameters("", 1_000_002L, 1_000_005L, 50,
                SearchParametersParser.DEFAULT_SORT, List.of(), null, OutputFormat.JSON));
        assertThat(r.hits()).extracting(SearchHit::id).containsExactly("doc-00004", "doc-00003", "doc-00002");
    }

    /** size=0 is one count: the engine counts every match, no hit is fetched, no cursor handed out. */
    @Test
    void sizeZeroAsksTheEngineForTheCountAlone() {
        addDocs(20, 20);
        SearchService service = new SearchService(backend, json, 10_000);
        SearchResult r = search(service, new SearchParameters("", 1_000_005L, null, 0,
                SearchParametersParser.DEFAULT_SORT, List.of(), null, OutputFormat.JSON));
        assertThat(r.total()).isEqualTo(15);
        assertThat(r.totalExact()).isTrue();
        assertThat(r.hits()).isEmpty();
        assertThat(r.next()).isNull();
        assertThat(backend.queries).hasSize(1);
        assertThat(backend.queries.get(0).countOnly()).isTrue();
        assertThat(backend.queries.get(0).fromMillis()).isEqualTo(1_000_005L);
        // a count the engine could not finish in time is no total: a 504, not a partial number
        backend.override = q -> new SearchPage(7, true, 10_000, true, List.of());
        assertThatThrownBy(() -> search(service, new SearchParameters("", null, null, 0,
                SearchParametersParser.DEFAULT_SORT, List.of(), null, OutputFormat.JSON)))
                .isInstanceOfSatisfying(SearchBackendException.class,
                        e -> assertThat(e.kind()).isEqualTo(SearchBackendException.Kind.TIMEOUT));
    }

    /**
     * from/to written as date math are resolved against now on the first page and against that same now on every
     * later page (the cursor carries it): the pages of one search share one window, whenever they are asked for.
     */
    @Test
    void dateMathIsResolvedAgainstTheFirstPagesNowOnEveryPage() {
        addDocs(20, 20); // timestamps 1,000,000 … 1,000,019 ms
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(1_010_005L);
        SearchService service = new SearchService(backend, json, 10_000, SearchService.DEFAULT_BODY_BUDGET_BYTES,
                clock::get);
        SearchParameters first = relative("now-10s", null, 4, null);
        SearchResult page1 = search(service, first);
        assertThat(backend.queries.get(0).fromMillis()).isEqualTo(1_000_005L); // now - 10 s
        assertThat(page1.total()).isEqualTo(15);
        clock.addAndGet(3_000); // a later page, three seconds on: now-10s would be 1,003,005 by now
        search(service, relative("now-10s", null, 4, page1.next()));
        assertThat(backend.queries.get(1).fromMillis()).isEqualTo(1_000_005L);
        search(service, relative("now-10s", null, 4, null)); // a new search: its own now
        assertThat(backend.queries.get(2).fromMillis()).isEqualTo(1_003_005L);
        // the cursor belongs to the date math as written, not to the time it stood for
        assertThatThrownBy(() -> search(service, relative("now-20s", null, 4, page1.next())))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("invalid_cursor"));
        // an absolute search's cursor carries no time and reads as before; a date-math one carries the first page's now
        SearchParameters absolute = params(4, null, OutputFormat.JSON);
        String absoluteNext = search(service, absolute).next();
        CursorCodec cursors = new CursorCodec(json);
        assertThat(cursors.read(absoluteNext, CursorCodec.fingerprint(absolute), absolute.sort().size()
                + backend.tiebreakerValues()).now()).isNull();
        assertThat(cursors.read(page1.next(), CursorCodec.fingerprint(first), first.sort().size()
                + backend.tiebreakerValues()).now()).isEqualTo(1_010_005L);
        assertThatThrownBy(() -> search(service, relative("now", "now-1h", 4, null)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_range");
                    assertThat(e.getMessage()).isEqualTo("from (1970-01-01T00:16:53.005Z) must be earlier than to"
                            + " (1969-12-31T23:16:53.005Z) (date math taken at 1970-01-01T00:16:53.005Z)");
                });
    }

    private static SearchParameters relative(String from, String to, int size, String cursor) {
        return new SearchParameters("", null, null, size, SearchParametersParser.DEFAULT_SORT, List.of(), cursor,
                OutputFormat.JSON, List.of(), List.of(), from == null ? null : DateMath.parse("from", from),
                to == null ? null : DateMath.parse("to", to));
    }

    @Test
    void sizeEstimateIsAnUpperBoundOfTheEscapedProxyBody() throws Exception {
        Map<String, Object> source = Map.of("host", "quote \" back \\ ü € \n", "n", 123456789012L,
                "list", List.of("a", 1, Map.of("k", "v")), "d", 1.5);
        SearchHit hit = new SearchHit("id-1", "metadata-2018.05.09", RawJson.of(json.writeValueAsString(source)), List.of());
        String line = json.writeValueAsString(Map.of("id", hit.id(), "index", hit.index(), "fields", source));
        String proxied = json.writeValueAsString(line);
        assertThat(ProxyBodySize.estimatedBytes(hit))
                .isGreaterThanOrEqualTo(proxied.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(ProxyBodySize.upperBound(hit)).isGreaterThanOrEqualTo(ProxyBodySize.estimatedBytes(hit));
    }
}
