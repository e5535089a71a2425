package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Export as RFC 4180 CSV with a header row: {@code id,index}, then the requested {@code fields} in their order, or
 * else every field that occurs in the exported hits (in order of first appearance). Missing values are empty;
 * nested values (arrays, objects) are written as JSON.
 */
final class CsvResultWriter implements ResultWriter {

    private final ObjectMapper json;
    private final List<String> fields;

    CsvResultWriter(ObjectMapper json, List<String> fields) {
        this.json = json;
        this.fields = fields;
    }

    @Override
    public String write(SearchResult result) {
        List<String> columns = columns(result.hits());
        StringWriter out = new StringWriter(result.hits().size() * 256 + 64);
        try (CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out)) {
            List<String> header = new ArrayList<>(columns.size() + 2);
            header.add("id");
            header.add("index");
            header.addAll(columns);
            csv.writeRecord(header);
            List<String> row = new ArrayList<>(header.size());
            for (SearchHit hit : result.hits()) {
                row.clear();
                row.add(hit.id());
                row.add(hit.index());
                for (String column : columns) {
                    row.add(text(hit.source().get(column)));
                }
                csv.writeRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private List<String> columns(List<SearchHit> hits) {
        boolean explicit = !fields.isEmpty() && fields.stream().noneMatch(f -> f.contains("*"));
        if (explicit) {
            return fields;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (SearchHit hit : hits) {
            seen.addAll(hit.source().keySet());
        }
        return new ArrayList<>(seen);
    }

    private String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Map || value instanceof List) {
            try {
                return json.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                return String.valueOf(value);
            }
        }
        return value.toString();
    }
}
