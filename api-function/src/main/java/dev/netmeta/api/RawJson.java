package dev.netmeta.api;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A JSON value as the UTF-8 bytes the search engine sent (a slice of its answer), written out again byte for byte:
 * {@code generator.writeRawValue(raw)} copies the bytes into a byte-based generator's buffer. Decoded to a
 * {@code String} only when someone asks for the text.
 *
 * <p>Why: documents are passed through unchanged. Decoding each one to a {@code String} and writing it through a
 * character-based generator converted every byte three times (decode, widen to {@code char}, narrow again); in
 * Lambda's C1-only JIT that was most of the handler's own time (JFR profile of the request path).
 */
final class RawJson implements SerializableString {

    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final boolean ascii;
    private String text;

    /** @param ascii whether every byte of the slice is ASCII (the reader knows it from its scan) */
    RawJson(byte[] bytes, int offset, int length, boolean ascii) {
        if (offset < 0 || length < 0 || offset + length > bytes.length) {
            throw new IndexOutOfBoundsException("slice [" + offset + ", " + (offset + length) + ") of " + bytes.length);
        }
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.ascii = ascii;
    }

    static RawJson of(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return new RawJson(b, 0, b.length, b.length == json.length());
    }

    /** The JSON string token (quotes included) of {@code text}, or the token {@code null}. */
    static RawJson quoted(String text) {
        if (text == null) {
            return of("null");
        }
        byte[] inner = JsonStringEncoder.getInstance().quoteAsUTF8(text);
        byte[] b = new byte[inner.length + 2];
        b[0] = '"';
        System.arraycopy(inner, 0, b, 1, inner.length);
        b[b.length - 1] = '"';
        boolean ascii = true;
        for (byte x : inner) {
            ascii &= x >= 0;
        }
        return new RawJson(b, 0, b.length, ascii);
    }

    /** Whether the value is all ASCII (then its UTF-8 bytes are also its ISO-8859-1 bytes). */
    boolean isAscii() {
        return ascii;
    }

    /** The backing array; the value is {@code [offset(), offset() + utf8Length())}. Not to be modified. */
    byte[] array() {
        return bytes;
    }

    int offset() {
        return offset;
    }

    int utf8Length() {
        return length;
    }

    /**
     * Bytes this value takes once written as the content of a JSON string in UTF-8 (as API Gateway's proxy response
     * carries a body): quotes and backslashes are escaped, control characters too; other bytes stay as they are.
     */
    long escapedLength() {
        long n = length;
        for (int i = offset, end = offset + length; i < end; i++) {
            byte c = bytes[i];
            if (c == '"' || c == '\\') {
                n += 1;
            } else if (c >= 0 && c < 0x20) {
                n += c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 1 : 5;
            }
        }
        return n;
    }

    @Override
    public String getValue() {
        if (text == null) {
            text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        }
        return text;
    }

    @Override
    public String toString() {
        return getValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawJson && Arrays.equals(bytes, offset, offset + length,
                ((RawJson) o).bytes, ((RawJson) o).offset, ((RawJson) o).offset + ((RawJson) o).length);
    }

    @Override
    public int hashCode() {
        return getValue().hashCode();
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public byte[] asUnquotedUTF8() {
        return Arrays.copyOfRange(bytes, offset, offset + length);
    }

    @Override
    public int appendUnquotedUTF8(byte[] buffer, int at) {
        if (at + length > buffer.length) {
            return -1;
        }
        System.arraycopy(bytes, offset, buffer, at, length);
        return length;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(bytes, offset, length);
        return length;
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        if (length > buffer.remaining()) {
            return -1;
        }
        buffer.put(bytes, offset, length);
        return length;
    }

    @Override
    public int appendUnquoted(char[] buffer, int at) {
        String s = getValue();
        if (at + s.length() > buffer.length) {
            return -1;
        }
        s.getChars(0, s.length(), buffer, at);
        return s.length();
    }

    // The quoted forms (this JSON as the content of a JSON string) are not used for raw values; correct anyway.

    @Override
    public char[] asQuotedChars() {
        return JsonStringEncoder.getInstance().quoteAsString(getValue());
    }

    @Override
    public byte[] asQuotedUTF8() {
        return JsonStringEncoder.getInstance().quoteAsUTF8(getValue());
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int at) {
        byte[] quoted = asQuotedUTF8();
        if (at + quoted.length > buffer.length) {
            return -1;
        }
        System.arraycopy(quoted, 0, buffer, at, quoted.length);
        return quoted.length;
    }

    @Override
    public int appendQuoted(char[] buffer, int at) {
        char[] quoted = asQuotedChars();
        if (at + quoted.length > buffer.length) {
            return -1;
        }
        System.arraycopy(quoted, 0, buffer, at, quoted.length);
        return quoted.length;
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        byte[] quoted = asQuotedUTF8();
        out.write(quoted);
        return quoted.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        byte[] quoted = asQuotedUTF8();
        if (quoted.length > buffer.remaining()) {
            return -1;
        }
        buffer.put(quoted);
        return quoted.length;
    }
}
