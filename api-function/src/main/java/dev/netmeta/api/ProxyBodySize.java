package dev.netmeta.api;

/**
 * Bytes a response body takes inside API Gateway's Lambda proxy response, where it travels as a JSON string in
 * UTF-8: quotes and backslashes are escaped (two bytes), {@code \n \r \t \b \f} become two bytes, other control
 * characters six ({@code \}{@code u0001}), non-ASCII characters are counted as three bytes (an upper bound of
 * their UTF-8 length). Lambda's 6 MB response limit applies to that form.
 */
final class ProxyBodySize {

    /** Envelope of one JSON hit ({@code {"id":,"index":,"fields":}} plus separators), escaped. */
    private static final int HIT_ENVELOPE = 64;

    private ProxyBodySize() {
    }

    static long of(CharSequence s) {
        return of(s, 0, s.length());
    }

    /** Escaped bytes of {@code s[from, to)}. */
    static long of(CharSequence s, int from, int to) {
        long bytes = to - from;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                bytes += 1;
            } else if (c < 0x20) {
                bytes += c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f' ? 1 : 5;
            } else if (c > 0x7f) {
                bytes += 2;
            }
        }
        return bytes;
    }

    /** Upper estimate of the bytes a hit adds to a JSON or NDJSON body once the body is escaped. */
    static long estimatedBytes(SearchHit hit) {
        return HIT_ENVELOPE + of(hit.id()) + of(hit.index()) + hit.source().escapedLength();
    }

    /**
     * Cheap bound of {@link #estimatedBytes} without a pass over the text: every character of an id or index name
     * comes from at least one byte of its JSON token, and none costs more than three bytes per token byte (a control
     * character is a six-byte escape in the token); escaping at most doubles a UTF-8 byte of JSON text (which holds
     * no raw control characters).
     */
    static long upperBound(SearchHit hit) {
        return HIT_ENVELOPE + 3L * (hit.idJson().utf8Length() + hit.indexJson().utf8Length()) + 2L * hit.source().utf8Length();
    }
}
