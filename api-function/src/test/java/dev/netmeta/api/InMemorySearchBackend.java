package dev.netmeta.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A {@link SearchBackend} over a list of documents for unit tests of the paging logic: match-all with the
 * timestamp range, sorted by the requested numeric/string keys and the provenance tiebreaker (one file, the
 * documents' order of addition as record positions, like the loader), resumed with search_after.
 */
final class InMemorySearchBackend implements SearchBackend {

    private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    private final List<String> ids = new ArrayList<>();
    private final List<Map<String, Object>> sources = new ArrayList<>();
    final List<BackendQuery> queries = new ArrayList<>();
    Function<BackendQuery, SearchPage> override;

    void add(String id, Map<String, Object> source) {
        ids.add(id);
        sources.add(source);
    }

    @Override
    public SearchPage search(BackendQuery q) {
        queries.add(q);
        if (override != null) {
            return override.apply(q);
        }
        List<SearchHit> matching = new ArrayList<>();
        for (int d = 0; d < ids.size(); d++) {
            Map<String, Object> source = sources.get(d);
            long ts = ((Number) source.getOrDefault("timestamp", 0L)).longValue();
            if ((q.fromMillis() == null || ts >= q.fromMillis()) && (q.toMillis() == null || ts < q.toMillis())) {
                List<Object> sortValues = new ArrayList<>();
                for (SortField s : q.sort()) {
                    sortValues.add(source.get(s.field()));
                }
                sortValues.add("test/file.csv");
                sortValues.add((long) d);
                matching.add(new SearchHit(ids.get(d), "metadata-test", RawJson.of(toJson(source)), sortValues));
            }
        }
        Comparator<List<Object>> order = order(q.sort());
        matching.sort((a, b) -> order.compare(a.sortValues(), b.sortValues()));
        List<SearchHit> page = new ArrayList<>();
        for (SearchHit h : matching) {
            if (!q.searchAfter().isEmpty() && order.compare(h.sortValues(), q.searchAfter()) <= 0) {
                continue;
            }
            if (page.size() == q.size()) {
                break;
            }
            page.add(h);
        }
        return new SearchPage(matching.size(), true, 1, false, page);
    }

    @Override
    public int tiebreakerValues() {
        return 2;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Comparator<List<Object>> order(List<SortField> sort) {
        return (a, b) -> {
            for (int i = 0; i < sort.size() + 2; i++) {
                int c = ((Comparable) a.get(i)).compareTo(b.get(i));
                if (i < sort.size() && sort.get(i).descending()) {
                    c = -c;
                }
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    private String toJson(Map<String, Object> source) {
        try {
            return json.writeValueAsString(source);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
