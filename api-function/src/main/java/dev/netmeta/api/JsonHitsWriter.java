package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The JSON-shaped bodies (JSON and NDJSON): hits counted against the byte budget, written as UTF-8 bytes by Jackson
 * with each document copied as the engine sent it ({@link RawJson}).
 */
abstract class JsonHitsWriter implements ResultWriter {

    private final ObjectMapper json;
    private final JsonHitBudget budget = new JsonHitBudget();

    JsonHitsWriter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public final boolean add(SearchHit hit, long maxBytes) {
        return budget.add(hit, maxBytes);
    }

    @Override
    public final long lastRefusedBytes() {
        return budget.lastRefusedBytes();
    }

    @Override
    public final String finish(SearchResult result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + result.hits().size() * 512);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            write(g, result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text(out, result);
    }

    /** Writes the whole body. */
    abstract void write(JsonGenerator g, SearchResult result) throws IOException;

    static void writeHit(JsonGenerator g, SearchHit hit) throws IOException {
        g.writeStartObject();
        g.writeFieldName("id");
        g.writeRawValue(hit.idJson()); // the engine's token: already valid JSON, nothing to escape again
        g.writeFieldName("index");
        g.writeRawValue(hit.indexJson());
        g.writeFieldName("fields");
        g.writeRawValue(hit.source());
        g.writeEndObject();
    }

    /**
     * The body as a {@code String}. When everything written is ASCII — the rule for flow records — the bytes are
     * taken as they are (ISO-8859-1: a copy), instead of a UTF-8 decode that checks every byte again (the largest
     * single cost of a response in Lambda's C1-only JIT, JFR profile).
     */
    private static String text(ByteArrayOutputStream out, SearchResult result) {
        boolean ascii = isAscii(result.next());
        for (SearchHit hit : result.hits()) {
            ascii &= hit.source().isAscii() && hit.idJson().isAscii() && hit.indexJson().isAscii();
        }
        return out.toString(ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private static boolean isAscii(String s) {
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
}
