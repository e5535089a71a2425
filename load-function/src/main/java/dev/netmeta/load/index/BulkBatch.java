package dev.netmeta.load.index;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.netmeta.model.Fields;
import dev.netmeta.model.JsonNumbers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code _bulk} body being built: action line + document per item, serialized once, straight to bytes. Keeps
 * each item's byte range, record position and line so single items can be retried or rejected later.
 */
final class BulkBatch {

    private static final JsonFactory JSON = new JsonFactory();
    /** Field names repeat on every document: quote and encode each once. Bounded; a full cache is just not used. */
    private static final Map<String, SerializedString> NAMES = new ConcurrentHashMap<>();
    private static final int MAX_NAMES = 4_096;
    private static final SerializedString INDEX = new SerializedString("index");
    private static final SerializedString INDEX_NAME = new SerializedString("_index");
    private static final SerializedString ID = new SerializedString("_id");
    private static final SerializedString SOURCE_FILE = new SerializedString(Fields.SOURCE_FILE);
    private static final SerializedString SOURCE_RECORD = new SerializedString(Fields.SOURCE_RECORD);
    private static final SerializedString SOURCE_VERSION = new SerializedString(Fields.SOURCE_VERSION);

    private final Buffer buffer;
    private final JsonGenerator json;
    private int[] starts;
    private int[] docStarts;
    private long[] positions;
    private long[] lines;
    private int size;

    BulkBatch(int expectedDocs, int expectedBytes) {
        this.buffer = new Buffer(expectedBytes);
        int n = Math.max(16, expectedDocs);
        this.starts = new int[n + 1];
        this.docStarts = new int[n];
        this.positions = new long[n];
        this.lines = new long[n];
        try {
            this.json = JSON.createGenerator(buffer);
            json.setRootValueSeparator(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Appends one item. With a {@code sourceFile} (the S3 key, quoted and encoded once per file by the caller) the
     * document ends with the provenance fields {@code sourceFile} and {@code sourceRecord} = {@code position}, then
     * {@code sourceVersion} when one is given (also encoded once per file).
     */
    void add(String index, String id, long position, long line, Map<String, Object> document,
             SerializableString sourceFile, SerializableString sourceVersion) {
        grow();
        try {
            starts[size] = buffer.count;
            json.writeStartObject();
            json.writeFieldName(INDEX);
            json.writeStartObject();
            json.writeFieldName(INDEX_NAME);
            json.writeString(index);
            json.writeFieldName(ID);
            json.writeString(id);
            json.writeEndObject();
            json.writeEndObject();
            json.writeRaw('\n');
            json.flush();
            docStarts[size] = buffer.count;
            json.writeStartObject();
            writeFields(document);
            if (sourceFile != null) {
                json.writeFieldName(SOURCE_FILE);
                json.writeString(sourceFile);
                json.writeFieldName(SOURCE_RECORD);
                json.writeNumber(position);
                if (sourceVersion != null) {
                    json.writeFieldName(SOURCE_VERSION);
                    json.writeString(sourceVersion);
                }
            }
            json.writeEndObject();
            json.writeRaw('\n');
            json.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        positions[size] = position;
        lines[size] = line;
        size++;
        starts[size] = buffer.count;
    }

    /** Removes the last item (its bytes too): it goes into the next batch instead. */
    void dropLast() {
        size--;
        buffer.count = starts[size];
    }

    /** Copies item {@code i} of {@code from} (both its lines) into this batch. */
    void copyItem(BulkBatch from, int i) {
        grow();
        starts[size] = buffer.count;
        docStarts[size] = buffer.count + (from.docStarts[i] - from.starts[i]);
        buffer.write(from.buffer.bytes, from.starts[i], from.starts[i + 1] - from.starts[i]);
        positions[size] = from.positions[i];
        lines[size] = from.lines[i];
        size++;
        starts[size] = buffer.count;
    }

    private void writeObject(Map<?, ?> map) throws IOException {
        json.writeStartObject();
        writeFields(map);
        json.writeEndObject();
    }

    private void writeFields(Map<?, ?> map) throws IOException {
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (e.getValue() != null) {
                json.writeFieldName(name(String.valueOf(e.getKey())));
                writeValue(e.getValue());
            }
        }
    }

    private void writeValue(Object v) throws IOException {
        if (v instanceof String s) {
            json.writeString(s);
        } else if (v instanceof Long l) {
            json.writeNumber(l);
        } else if (v instanceof Integer i) {
            json.writeNumber(i);
        } else if (v instanceof Double d) {
            if (JsonNumbers.needsFormat(d)) {
                json.writeNumber(JsonNumbers.format(d)); // 0.000586, not Double.toString's 5.86E-4
            } else {
                json.writeNumber(d);
            }
        } else if (v instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (v instanceof Number n) {
            json.writeNumber(n.toString());
        } else if (v instanceof Map<?, ?> m) {
            writeObject(m);
        } else if (v instanceof List<?> list) {
            json.writeStartArray();
            for (Object o : list) {
                if (o == null) {
                    json.writeNull();
                } else {
                    writeValue(o);
                }
            }
            json.writeEndArray();
        } else {
            json.writeString(String.valueOf(v));
        }
    }

    private static SerializedString name(String key) {
        SerializedString name = NAMES.get(key);
        if (name == null) {
            name = new SerializedString(key);
            if (NAMES.size() < MAX_NAMES) {
                NAMES.put(key, name);
            }
        }
        return name;
    }

    private void grow() {
        if (size == positions.length) {
            int n = size * 2;
            starts = Arrays.copyOf(starts, n + 1);
            docStarts = Arrays.copyOf(docStarts, n);
            positions = Arrays.copyOf(positions, n);
            lines = Arrays.copyOf(lines, n);
        }
    }

    int size() {
        return size;
    }

    int bytes() {
        return buffer.count;
    }

    byte[] body() {
        return buffer.bytes;
    }

    long position(int i) {
        return positions[i];
    }

    long line(int i) {
        return lines[i];
    }

    /** The document of item {@code i} as JSON text (for the rejects object). */
    String document(int i) {
        return new String(buffer.bytes, docStarts[i], starts[i + 1] - docStarts[i] - 1, StandardCharsets.UTF_8);
    }

    /** Growable byte array whose contents are posted without another copy. */
    private static final class Buffer extends OutputStream {
        byte[] bytes;
        int count;

        Buffer(int capacity) {
            bytes = new byte[Math.max(1024, capacity)];
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (count + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
            }
        }
    }
}
