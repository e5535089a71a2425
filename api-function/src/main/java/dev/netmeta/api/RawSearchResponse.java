package dev.netmeta.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The parts of an OpenSearch {@code _search} answer the API uses, bound with Jackson. */
record RawSearchResponse(long took, @JsonProperty("timed_out") boolean timedOut, Hits hits) {

    record Hits(Total total, List<Hit> hits) {
    }

    record Total(long value, String relation) {
    }

    record Hit(@JsonProperty("_id") String id, @JsonProperty("_index") String index,
               @JsonProperty("_source") Map<String, Object> source, List<Object> sort) {
    }

    SearchPage toPage() {
        List<Hit> raw = hits == null || hits.hits() == null ? List.of() : hits.hits();
        List<SearchHit> out = new ArrayList<>(raw.size());
        for (Hit h : raw) {
            out.add(new SearchHit(h.id(), h.index(), h.source() == null ? Map.of() : h.source(),
                    h.sort() == null ? List.of() : h.sort()));
        }
        Total total = hits == null ? null : hits.total();
        long value = total == null ? out.size() : total.value();
        boolean exact = total == null || !"gte".equals(total.relation());
        return new SearchPage(value, exact, took, timedOut, out);
    }
}
