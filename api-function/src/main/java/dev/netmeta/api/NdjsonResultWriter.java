package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Export as newline-delimited JSON: one {@code {"id","index","fields"}} object per line. */
final class NdjsonResultWriter extends JsonHitsWriter {

    NdjsonResultWriter(ObjectMapper json) {
        super(json);
    }

    @Override
    void write(JsonGenerator g, SearchResult result) throws IOException {
        g.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
        for (SearchHit hit : result.hits()) {
            writeHit(g, hit);
        }
        if (!result.hits().isEmpty()) {
            g.writeRaw('\n');
        }
    }
}
