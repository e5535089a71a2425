package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.netmeta.model.JsonNumbers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * A document OpenSearch wrote again, spelled with decimals as the loader writes them ({@link JsonNumbers}):
 * when {@code fields} filters {@code _source}, OpenSearch parses the stored document and serializes what is kept
 * with Java's {@code Double.toString}, so a stored {@code 0.000586} came back as {@code 5.86E-4}.
 *
 * <p>Why only then: without {@code fields} the documents are passed through byte for byte (the lean JSON path, see
 * {@link RawJson}), and their decimals are as the loader wrote them (documents loaded before it spelled them
 * plainly keep Java's spelling there, docs/API.md). A filtered document is small and is only looked at for an
 * {@code E} outside strings; only one that has one is parsed and written again.
 */
final class DecimalRespelling {

    private static final JsonFactory JSON = new JsonFactory();

    private DecimalRespelling() {
    }

    /** {@code source} with every decimal in E notation spelled as {@link JsonNumbers#format}; else itself. */
    static RawJson of(RawJson source) throws IOException {
        if (!hasExponent(source.array(), source.offset(), source.offset() + source.utf8Length())) {
            return source;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(source.utf8Length() + 16);
        try (JsonParser p = JSON.createParser(source.array(), source.offset(), source.utf8Length());
                JsonGenerator g = JSON.createGenerator(out)) {
            p.nextToken();
            copy(p, g);
        }
        byte[] b = out.toByteArray();
        return new RawJson(b, 0, b.length, source.isAscii());
    }

    /**
     * The text of the number the parser is on as stored, except a decimal in Java's E notation, spelled as
     * {@link JsonNumbers#format} spells it ({@code 5.86E-4} → {@code 0.000586}).
     */
    static String spelled(JsonParser p) throws IOException {
        String text = p.getText();
        if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT && (text.indexOf('E') >= 0 || text.indexOf('e') >= 0)) {
            double d = p.getDoubleValue();
            return Double.isFinite(d) ? JsonNumbers.format(d) : text;
        }
        return text;
    }

    /**
     * Copies the value the parser is on (an object or array with everything inside, or a scalar) with every number
     * as {@link #spelled}: Jackson's {@code copyCurrentStructure} reads a decimal into a double and writes
     * {@code Double.toString}'s text ({@code 0.000586} → {@code 5.86E-4}), also for a document stored plainly.
     */
    static void copy(JsonParser p, JsonGenerator g) throws IOException {
        JsonToken t = p.currentToken();
        int depth = 0;
        do {
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                g.writeNumber(spelled(p));
            } else {
                g.copyCurrentEvent(p);
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            }
        } while (depth > 0 && (t = p.nextToken()) != null);
    }

    /** Whether an {@code e} or {@code E} stands outside a string: only a number has one there. */
    static boolean hasExponent(byte[] b, int from, int to) {
        boolean inString = false;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == 'E' || (c == 'e' && !literal(b, i))) {
                return true;
            }
        }
        return false;
    }

    /** The e of {@code true} or {@code false}. */
    private static boolean literal(byte[] b, int i) {
        return i > 0 && (b[i - 1] == 'u' || b[i - 1] == 's');
    }
}
