package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes single JSON tokens of a search engine answer — strings, numbers, booleans, null, arrays of those — from
 * their UTF-8 bytes {@code [start, end)}: strings without escape sequences straight from the bytes, strings with
 * escapes by Jackson.
 */
final class JsonTokens {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    private JsonTokens() {
    }

    /** A JSON string's text, or null for the token {@code null}. */
    static String string(byte[] b, int start, int end) throws IOException {
        if (end - start >= 2 && b[start] == '"' && noBackslash(b, start + 1, end - 1)) {
            return new String(b, start + 1, end - start - 2, StandardCharsets.UTF_8);
        }
        if (end - start == 4 && b[start] == 'n') {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(b, start, end - start)) {
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new IOException("expected a string, got " + new String(b, start, end - start, StandardCharsets.UTF_8));
            }
            return p.getText();
        }
    }

    /** A string, number, boolean or null; objects and arrays are refused. */
    static Object scalar(byte[] b, int start, int end) throws IOException {
        switch (b[start]) {
            case '"':
                return string(b, start, end);
            case 't':
                return Boolean.TRUE;
            case 'f':
                return Boolean.FALSE;
            case 'n':
                return null;
            case '{':
            case '[':
                throw new IOException("unexpected value " + new String(b, start, end - start, StandardCharsets.UTF_8));
            default:
                return number(b, start, end);
        }
    }

    /** The scalars of the array token {@code [start, end)}. */
    static List<Object> scalars(byte[] b, int start, int end) throws IOException {
        JsonSlices json = new JsonSlices(b);
        List<Object> values = new ArrayList<>(4);
        int e = json.elements(start, s -> {
            int ve = json.valueEnd(s);
            values.add(scalar(b, s, ve));
            return ve;
        });
        if (e != end) {
            throw new IOException("malformed JSON: the array ends at byte " + e + ", not " + end);
        }
        return values;
    }

    /** A number: {@code Long} when integral (clamped to the long range), else {@code Double}. */
    static Object number(byte[] b, int start, int end) throws IOException {
        String text = new String(b, start, end - start, StandardCharsets.ISO_8859_1);
        try {
            for (int i = start; i < end; i++) {
                if (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
                    return Double.parseDouble(text);
                }
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLarge) { // e.g. an unsigned_long sort value
                return new BigInteger(text).max(LONG_MIN).min(LONG_MAX).longValue();
            }
        } catch (NumberFormatException e) {
            throw new IOException("malformed number " + text, e);
        }
    }

    static long asLong(byte[] b, int start, int end) throws IOException {
        Object n = number(b, start, end);
        return n instanceof Long ? (Long) n : (long) (double) (Double) n;
    }

    private static boolean noBackslash(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\\') {
                return false;
            }
        }
        return true;
    }
}
