package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The default response: {@code {"total":{"value":n,"relation":"eq|gte"},"took":ms,"hits":[{"id","index","fields"}],
 * "next":cursor|null}}.
 */
final class JsonResultWriter extends JsonHitsWriter {

    JsonResultWriter(ObjectMapper json) {
        super(json);
    }

    @Override
    void write(JsonGenerator g, SearchResult result) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("total");
        g.writeNumberField("value", result.total());
        g.writeStringField("relation", result.totalExact() ? "eq" : "gte");
        g.writeEndObject();
        g.writeNumberField("took", result.tookMs());
        g.writeArrayFieldStart("hits");
        for (SearchHit hit : result.hits()) {
            writeHit(g, hit);
        }
        g.writeEndArray();
        g.writeStringField("next", result.next());
        g.writeEndObject();
    }
}
