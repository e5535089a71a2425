package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.netmeta.model.Fields;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Export as RFC 4180 CSV (CRLF) whose columns are fixed for the whole export, so the responses of an export
 * concatenate into one CSV file.
 *
 * <ul>
 *   <li>With {@code fields} naming fields (no wildcard): {@code _id,_index}, then those fields in their order.</li>
 *   <li>Otherwise: {@code _id,_index}, the canonical fields (those matching {@code fields}, if given), the other
 *       fields of the first engine batch of the export in order of first appearance, and last {@code _other}: a
 *       JSON object with the values of fields that have no column of their own (fields first seen later in the
 *       export), so nothing is lost. A data field can never be called {@code _other}: field names never start
 *       with an underscore.</li>
 * </ul>
 * The first response writes the header row; the cursor carries the columns ({@link CsvLayout}) and the responses
 * that continue from a CSV cursor write the same columns without a header row. The size budget is measured on
 * the CSV text actually written, as escaped in the proxy response.
 */
final class CsvResultWriter implements ResultWriter {

    static final String OTHER_COLUMN = "_other";
    /**
     * The document id and daily index, named as OpenSearch names them: a data field can never start with an
     * underscore, so a source column called {@code id} or {@code index} (an {@code _id} column of an exported dump
     * becomes {@code id}) gets its own column instead of a second {@code id} in the header.
     */
    static final String ID_COLUMN = "_id";
    static final String INDEX_COLUMN = "_index";
    /** Bound on the column names carried in the cursor (UTF-8 bytes), so the cursor stays a short URL parameter. */
    static final int MAX_CARRIED_NAME_BYTES = 2000;

    private final JsonFactory factory;
    private final List<String> fields;
    private final boolean explicit;
    private final String fieldsKey;
    private final StringBuilder text = new StringBuilder(8192);
    private final CsvWriter csv;
    private List<String> columns;
    private Map<String, Integer> positions;
    private boolean header = true;
    private long bytes;
    private int rows;
    private long lastRefused;

    CsvResultWriter(ObjectMapper json, List<String> fields) {
        this.factory = json.getFactory();
        this.fields = fields;
        this.explicit = !fields.isEmpty() && fields.stream().noneMatch(f -> f.contains("*"));
        this.fieldsKey = CursorCodec.shortHash(String.join(",", fields));
        this.csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).autoFlush(true)
                .build(new StringBuilderWriter(text));
        if (explicit) {
            fix(fields);
        }
    }

    @Override
    public void resume(CsvLayout layout) {
        if (!layout.fieldsKey().equals(fieldsKey)) {
            throw ApiException.badRequest("invalid_cursor", "this cursor continues a CSV export that was started "
                    + "with other fields: keep fields unchanged while paging a CSV export, so that every response "
                    + "has the columns of the first");
        }
        header = false;
        if (!explicit) {
            fix(layout.columns());
        }
    }

    @Override
    public void batch(List<SearchHit> hits) {
        if (columns == null) {
            fix(discover(hits));
        }
    }

    @Override
    public boolean add(SearchHit hit, long maxBytes) {
        if (columns == null) {
            batch(List.of(hit));
        }
        int mark = text.length();
        writeHeaderOnce();
        write(row(hit));
        long size = ProxyBodySize.of(text, mark, text.length());
        if (bytes + size > maxBytes) {
            text.setLength(mark);
            lastRefused = size;
            return false;
        }
        bytes += size;
        rows++;
        return true;
    }

    @Override
    public long lastRefusedBytes() {
        return lastRefused;
    }

    @Override
    public CsvLayout layout() {
        if (columns == null) {
            fix(discover(List.of()));
        }
        return new CsvLayout(fieldsKey, explicit ? List.of() : columns.subList(0, columns.size() - 1));
    }

    @Override
    public String finish(SearchResult result) {
        if (columns == null) {
            fix(discover(List.of()));
        }
        writeHeaderOnce();
        return text.toString();
    }

    /** Canonical fields (matching {@code fields}), then the fields of these hits, within the carried-name bound. */
    private List<String> discover(List<SearchHit> hits) {
        Set<String> names = new LinkedHashSet<>();
        if (fields.isEmpty()) {
            names.addAll(Fields.canonicalFields());
        } else {
            for (String f : fields) {
                if (!f.contains("*")) {
                    names.add(f);
                    continue;
                }
                Pattern glob = Pattern.compile(Arrays.stream(f.split("\\*", -1)).map(Pattern::quote)
                        .reduce((a, b) -> a + ".*" + b).orElse(""));
                for (String c : Fields.canonicalFields()) {
                    if (glob.matcher(c).matches()) {
                        names.add(c);
                    }
                }
            }
        }
        for (SearchHit hit : hits) {
            try (JsonParser p = factory.createParser(hit.source().array(), hit.source().offset(), hit.source().utf8Length())) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    continue;
                }
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    names.add(p.currentName());
                    p.nextToken();
                    p.skipChildren();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        List<String> kept = new ArrayList<>();
        int carried = 0;
        for (String name : names) {
            carried += name.getBytes(StandardCharsets.UTF_8).length + 3;
            if (carried > MAX_CARRIED_NAME_BYTES) {
                break;
            }
            kept.add(name);
        }
        return kept;
    }

    private void fix(List<String> dataColumns) {
        List<String> all = new ArrayList<>(dataColumns);
        if (!explicit) {
            all.add(OTHER_COLUMN);
        }
        columns = List.copyOf(all);
        positions = new HashMap<>();
        for (int i = 0; i < dataColumns.size(); i++) {
            positions.putIfAbsent(dataColumns.get(i), i);
        }
    }

    private void writeHeaderOnce() {
        if (!header) {
            return;
        }
        header = false;
        String[] names = new String[2 + columns.size()];
        names[0] = ID_COLUMN;
        names[1] = INDEX_COLUMN;
        for (int i = 0; i < columns.size(); i++) {
            names[2 + i] = columns.get(i);
        }
        write(names);
    }

    private void write(String[] record) {
        csv.writeRecord(record);
    }

    /** One CSV record: id, index, a cell per column ("" when missing), and the leftovers in {@code _other}. */
    private String[] row(SearchHit hit) {
        String[] row = new String[2 + columns.size()];
        Arrays.fill(row, "");
        row[0] = hit.id();
        row[1] = hit.index();
        StringWriter other = null;
        JsonGenerator leftovers = null;
        try (JsonParser p = factory.createParser(hit.source().array(), hit.source().offset(), hit.source().utf8Length())) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    Integer at = positions.get(name);
                    if (at != null) {
                        row[2 + at] = cell(p, value);
                    } else if (!explicit && value != JsonToken.VALUE_NULL) {
                        if (leftovers == null) {
                            other = new StringWriter();
                            leftovers = factory.createGenerator(other);
                            leftovers.writeStartObject();
                        }
                        leftovers.writeFieldName(name);
                        DecimalRespelling.copy(p, leftovers);
                    } else {
                        p.skipChildren();
                    }
                }
            }
            if (leftovers != null) {
                leftovers.writeEndObject();
                leftovers.close();
                row[row.length - 1] = other.toString();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return row;
    }

    /**
     * Scalars as their JSON text, strings unquoted, arrays/objects as JSON; numbers as stored, except a decimal in
     * Java's E notation ({@link DecimalRespelling#spelled}: documents loaded before the loader spelled decimals plainly,
     * and those OpenSearch writes again for {@code fields}). Cheap: a CSV export reads every token anyway.
     */
    private String cell(JsonParser p, JsonToken value) throws IOException {
        switch (value) {
            case VALUE_NULL:
                return "";
            case START_OBJECT:
            case START_ARRAY:
                StringWriter nested = new StringWriter();
                try (JsonGenerator g = factory.createGenerator(nested)) {
                    DecimalRespelling.copy(p, g);
                }
                return nested.toString();
            case VALUE_NUMBER_FLOAT:
                return DecimalRespelling.spelled(p);
            default:
                return p.getText();
        }
    }

    /** FastCSV writes into the response text directly, so a row can be measured and taken back. */
    private static final class StringBuilderWriter extends Writer {
        private final StringBuilder target;

        StringBuilderWriter(StringBuilder target) {
            this.target = target;
        }

        @Override
        public void write(char[] buffer, int offset, int length) {
            target.append(buffer, offset, length);
        }

        @Override
        public void write(String s, int offset, int length) {
            target.append(s, offset, offset + length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
