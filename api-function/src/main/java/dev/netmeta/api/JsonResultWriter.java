package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + result.hits().size() * 512);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) { // UTF-8 bytes: documents are copied as they came
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
        return text(out, result);
    }

    /**
     * The body as a {@code String}. When everything written is ASCII — the rule for flow records — the bytes are
     * taken as they are (ISO-8859-1: a copy), instead of a UTF-8 decode that checks every byte again (the largest
     * single cost of a response in Lambda's C1-only JIT, JFR profile).
     */
    static String text(ByteArrayOutputStream out, SearchResult result) {
        boolean ascii = isAscii(result.next());
        for (SearchHit hit : result.hits()) {
            ascii &= hit.source().isAscii() && isAscii(hit.id()) && isAscii(hit.index());
        }
        return out.toString(ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    static boolean isAscii(String s) {
        if (s == null) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    static void writeHit(JsonGenerator g, SearchHit hit) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", hit.id());
        g.writeStringField("index", hit.index());
        g.writeFieldName("fields");
        g.writeRawValue(hit.source());
        g.writeEndObject();
    }
}
