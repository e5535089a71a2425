package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;

/** Export as newline-delimited JSON: one {@code {"id","index","fields"}} object per line. */
final class NdjsonResultWriter implements ResultWriter {

    private final ObjectMapper json;
    private final JsonHitBudget budget = new JsonHitBudget();

    NdjsonResultWriter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public boolean add(SearchHit hit, long maxBytes) {
        return budget.add(hit, maxBytes);
    }

    @Override
    public String finish(SearchResult result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(result.hits().size() * 512 + 16);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) { // UTF-8 bytes, as JsonResultWriter
            g.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
            for (SearchHit hit : result.hits()) {
                JsonResultWriter.writeHit(g, hit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (out.size() > 0) {
            out.write('\n');
        }
        return JsonResultWriter.text(out, result);
    }
}
