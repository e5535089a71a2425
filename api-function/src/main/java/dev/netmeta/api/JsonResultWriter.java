package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * The default response: {@code {"total":{"value":n,"relation":"eq|gte"},"took":ms,"hits":[{"id","index","fields"}],
 * "next":cursor|null}}.
 */
final class JsonResultWriter implements ResultWriter {

    private final ObjectMapper json;
    private final JsonHitBudget budget = new JsonHitBudget();

    JsonResultWriter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public boolean add(SearchHit hit, long maxBytes) {
        return budget.add(hit, maxBytes);
    }

    @Override
    public String finish(SearchResult result) {
        StringWriter out = new StringWriter(256 + result.hits().size() * 512);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
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
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static void writeHit(JsonGenerator g, SearchHit hit) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", hit.id());
        g.writeStringField("index", hit.index());
        g.writeFieldName("fields");
        g.writeRawValue(hit.sourceJson());
        g.writeEndObject();
    }
}
