package dev.netmeta.load.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 and finds malformed input at the decoder ({@link CodingErrorAction#REPORT}), so a legitimate
 * U+FFFD in the data is not mistaken for a decoding error. Each malformed sequence becomes {@link #MALFORMED}, a
 * lone low surrogate — a char valid UTF-8 never decodes to — and is counted: a reader only looks for the mark in
 * its records while {@link #malformed()} is ahead of what it has found, so clean input costs nothing per record.
 */
final class Utf8Reader extends Reader {

    /** Stands for one malformed byte sequence (never preceded by a high surrogate, unlike a valid pair's half). */
    static final char MALFORMED = '\uDFFF';
    static final String REASON = "invalid UTF-8 byte sequence";

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes;
    private boolean eof;
    private boolean done;
    private long malformed;

    Utf8Reader(InputStream in, int bufferBytes) {
        this.in = in;
        this.bytes = ByteBuffer.allocate(bufferBytes);
        bytes.limit(0);
    }

    /** How many malformed sequences were decoded so far. */
    long malformed() {
        return malformed;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (done) {
            return -1;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (true) {
            CoderResult r = decoder.decode(bytes, out, eof);
            if (r.isError()) {
                if (!out.hasRemaining()) {
                    break;
                }
                out.put(MALFORMED);
                bytes.position(bytes.position() + r.length());
                malformed++;
                continue;
            }
            if (r.isOverflow() || out.position() > off) {
                break;
            }
            if (eof) {
                decoder.flush(out);
                done = out.position() == off;
                break;
            }
            fill();
        }
        int n = out.position() - off;
        return n == 0 && done ? -1 : n;
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
        if (n < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    /** How many malformed marks {@code text} holds. */
    static int count(String text) {
        int found = 0;
        int from = 0;
        int i;
        while ((i = text.indexOf(MALFORMED, from)) >= 0) {
            if (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1))) {
                found++;
            }
            from = i + 1;
        }
        return found;
    }

    /** {@code text} with each malformed mark shown as U+FFFD (for the rejects object). */
    static String readable(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == MALFORMED && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                if (sb == null) {
                    sb = new StringBuilder(text);
                }
                sb.setCharAt(i, '\uFFFD');
            }
        }
        return sb == null ? text : sb.toString();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
