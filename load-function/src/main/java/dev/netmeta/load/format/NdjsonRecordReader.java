package dev.netmeta.load.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.netmeta.model.InvalidValueException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One JSON object per line (Zeek JSON logs, Suricata EVE). Nested objects are flattened (see {@link JsonDocuments});
 * Suricata {@code stats} events, which carry engine counters rather than network metadata, are skipped and counted.
 * A line that is not a JSON object, or that holds invalid UTF-8, is rejected; blank lines are ignored. A file whose
 * first records have no canonical field at all gets a warning ({@link ShapeWarnings.KnownFieldWatch}).
 */
final class NdjsonRecordReader extends LineRecordReader {

    private static final JsonFactory JSON = new JsonFactory();

    private final JsonDocuments documents = new JsonDocuments();
    private final ShapeWarnings.KnownFieldWatch watch = new ShapeWarnings.KnownFieldWatch();

    NdjsonRecordReader(LineReader lines, InvalidUtf8 invalid) {
        super(lines, invalid);
    }

    @Override
    boolean isRecord(String text, long line) {
        return !text.isBlank();
    }

    @Override
    SourceRecord parse(long pos, long line, String text) {
        List<Map.Entry<String, Object>> flat;
        try (JsonParser parser = JSON.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return SourceRecord.reject(pos, line, text, "not a JSON object");
            }
            flat = documents.flatten(parser);
            if (parser.nextToken() != null) {
                return SourceRecord.reject(pos, line, text, "more than one JSON value on the line");
            }
        } catch (JsonProcessingException e) {
            return SourceRecord.reject(pos, line, text, "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return SourceRecord.reject(pos, line, text, "invalid JSON: " + e.getMessage());
        }
        if ("stats".equals(JsonDocuments.first(flat, "event_type"))) {
            return SourceRecord.skip(pos, line, "Suricata stats event");
        }
        try {
            Map<String, Object> document = documents.toDocument(flat);
            if (watch.watching()) {
                watch.document(pos, document);
            }
            return SourceRecord.document(pos, line, document);
        } catch (InvalidValueException e) {
            return SourceRecord.reject(pos, line, text, e.getMessage());
        }
    }

    @Override
    public String format() {
        return "ndjson";
    }

    @Override
    public List<String> warnings() {
        String warning = watch.warning(ended());
        return warning == null ? List.of() : List.of(warning);
    }
}
