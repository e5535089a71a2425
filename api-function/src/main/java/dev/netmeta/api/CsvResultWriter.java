package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
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

    private static final TypeReference<Map<String, Object>> SOURCE_TYPE = new TypeReference<>() {
    };

    private final ObjectMapper json;
    private final List<String> fields;

    CsvResultWriter(ObjectMapper json, List<String> fields) {
        this.json = json;
        this.fields = fields;
    }

    @Override
    public String write(SearchResult result) {
        List<Map<String, Object>> sources = new ArrayList<>(result.hits().size());
        for (SearchHit hit : result.hits()) {
            sources.add(parse(hit.sourceJson()));
        }
        List<String> columns = columns(sources);
        StringWriter out = new StringWriter(result.hits().size() * 256 + 64);
        try (CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out)) {
            List<String> header = new ArrayList<>(columns.size() + 2);
            header.add("id");
            header.add("index");
            header.addAll(columns);
            csv.writeRecord(header);
            List<String> row = new ArrayList<>(header.size());
            for (int h = 0; h < result.hits().size(); h++) {
                SearchHit hit = result.hits().get(h);
                Map<String, Object> source = sources.get(h);
                row.clear();
                row.add(hit.id());
                row.add(hit.index());
                for (String column : columns) {
                    row.add(text(source.get(column)));
                }
                csv.writeRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private Map<String, Object> parse(String sourceJson) {
        try {
            return json.readValue(sourceJson, SOURCE_TYPE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> columns(List<Map<String, Object>> sources) {
        boolean explicit = !fields.isEmpty() && fields.stream().noneMatch(f -> f.contains("*"));
        if (explicit) {
            return fields;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Map<String, Object> source : sources) {
            seen.addAll(source.keySet());
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
