package dev.netmeta.api;

import java.io.IOException;
import java.util.Arrays;

/**
 * Finds the structure of a JSON document in its UTF-8 bytes — where objects, their members and array elements begin
 * and end — without decoding the values it is not asked about. Only for documents known to be well-formed (an
 * answer of the search engine): it checks the structure it walks, not the inside of values it skips.
 *
 * <p>Why not Jackson here: a streaming parser cannot step over a value without tokenising it (names looked up,
 * numbers parsed), and the documents of a page are passed through unchanged. Stepping over them by their quotes,
 * escapes and brackets is several times cheaper (UTF-8 continuation bytes never look like ASCII punctuation).
 */
final class JsonSlices {

    /**
     * Receives one member of an object: the key bytes {@code [keyStart, keyEnd)} (without quotes) and where the value
     * starts; returns where the value ends — by walking it ({@link #members}, {@link #elements}) or stepping over it
     * ({@link #valueEnd}), so that every byte is looked at once.
     */
    interface Members {
        int member(int keyStart, int keyEnd, int valueStart) throws IOException;
    }

    /** Receives where one element of an array starts; returns where it ends (as {@link Members}). */
    interface Elements {
        int element(int start) throws IOException;
    }

    private final byte[] b;
    private final int limit;
    private boolean nonAscii;

    JsonSlices(byte[] bytes) {
        this.b = bytes;
        this.limit = bytes.length;
    }

    byte[] bytes() {
        return b;
    }

    /** The first non-whitespace position at or after {@code i}. */
    int skipWhitespace(int i) {
        while (i < limit && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** The end (exclusive) of the value that starts at {@code i}. */
    int valueEnd(int i) throws IOException {
        byte[] b = this.b;
        int limit = this.limit;
        if (i >= limit) {
            throw malformed(i, "a value");
        }
        byte c = b[i];
        if (c == '"') {
            return stringEnd(i);
        }
        if (c == '{' || c == '[') {
            return containerEnd(i);
        }
        int j = i; // number, true, false, null
        while (j < limit) {
            byte x = b[j];
            if (x == ',' || x == '}' || x == ']' || x == ' ' || x == '\n' || x == '\r' || x == '\t') {
                break;
            }
            j++;
        }
        if (j == i) {
            throw malformed(i, "a value");
        }
        return j;
    }

    /**
     * The end of the object or array that starts at {@code i}: one loop over its bytes with the strings stepped over
     * inline (the bulk of a page is documents, and this loop is most of the reading; kept in locals for C1).
     */
    private int containerEnd(int i) throws IOException {
        byte[] b = this.b;
        int limit = this.limit;
        int depth = 0;
        int high = 0; // a non-ASCII byte in a string makes this negative
        int j = i;
        while (j < limit) {
            byte x = b[j++];
            if (x == '"') {
                while (true) {
                    if (j >= limit) {
                        throw malformed(i, "the end of a string");
                    }
                    byte y = b[j++];
                    if (y == '"') {
                        break;
                    }
                    if (y == '\\') {
                        j++;
                    }
                    high |= y;
                }
            } else if (x >= '[') { // '[', ']', '{', '}' (and the letters of true, false, null)
                if (x == '{' || x == '[') {
                    depth++;
                } else if ((x == '}' || x == ']') && --depth == 0) {
                    if (high < 0) {
                        nonAscii = true; // outside strings JSON text is ASCII
                    }
                    return j;
                }
            }
        }
        throw malformed(i, "the end of the " + (b[i] == '{' ? "object" : "array"));
    }

    /** The end (exclusive, after the closing quote) of the string whose opening quote is at {@code i}. */
    int stringEnd(int i) throws IOException {
        byte[] b = this.b;
        int limit = this.limit;
        int high = 0;
        for (int j = i + 1; j < limit; j++) {
            byte x = b[j];
            if (x == '"') {
                if (high < 0) {
                    nonAscii = true; // outside strings JSON text is ASCII
                }
                return j + 1;
            }
            if (x == '\\') {
                j++;
            }
            high |= x;
        }
        throw malformed(i, "the end of the string");
    }

    /** Visits the members of the object that starts at {@code i}; returns the object's end (exclusive). */
    int members(int i, Members visitor) throws IOException {
        i = expect(i, '{');
        i = skipWhitespace(i);
        if (i < limit && b[i] == '}') {
            return i + 1;
        }
        while (true) {
            if (i >= limit || b[i] != '"') {
                throw malformed(i, "a member name");
            }
            int keyEnd = stringEnd(i);
            int valueStart = skipWhitespace(expect(skipWhitespace(keyEnd), ':'));
            i = skipWhitespace(visitor.member(i + 1, keyEnd - 1, valueStart));
            if (i < limit && b[i] == ',') {
                i = skipWhitespace(i + 1);
            } else {
                return expect(i, '}');
            }
        }
    }

    /** Visits the elements of the array that starts at {@code i}; returns the array's end (exclusive). */
    int elements(int i, Elements visitor) throws IOException {
        i = skipWhitespace(expect(i, '['));
        if (i < limit && b[i] == ']') {
            return i + 1;
        }
        while (true) {
            i = skipWhitespace(visitor.element(i));
            if (i < limit && b[i] == ',') {
                i = skipWhitespace(i + 1);
            } else {
                return expect(i, ']');
            }
        }
    }

    /** Forgets whether a non-ASCII byte was seen; see {@link #sawNonAscii()}. */
    void resetNonAscii() {
        nonAscii = false;
    }

    /** Whether a string stepped over since {@link #resetNonAscii()} held a non-ASCII character. */
    boolean sawNonAscii() {
        return nonAscii;
    }

    /** Whether the key bytes {@code [start, end)} are exactly {@code name} (ASCII). */
    boolean is(int start, int end, byte[] name) {
        return Arrays.equals(b, start, end, name, 0, name.length);
    }

    boolean startsWith(int i, char c) {
        return i < limit && b[i] == c;
    }

    private int expect(int i, char c) throws IOException {
        if (i >= limit || b[i] != c) {
            throw malformed(i, "'" + c + "'");
        }
        return i + 1;
    }

    private static IOException malformed(int at, String expected) {
        return new IOException("malformed JSON: expected " + expected + " at byte " + at);
    }
}
