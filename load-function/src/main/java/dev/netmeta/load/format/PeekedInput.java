package dev.netmeta.load.format;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The decoded input with its first bytes read ahead (to detect the format) and handed on again before the rest.
 *
 * <p>No read here gathers bytes over more than one read of the decoder. A truncated or corrupt gzip makes the
 * decoder throw (e.g. {@code EOFException: Unexpected end of ZLIB input stream}) on the read after its last
 * inflated bytes; a layer that collects several reads into one answer loses what it collected when a later read of
 * the same call throws. That was {@link java.io.BufferedInputStream}, which went on reading while the decoder's
 * {@code available()} said 1 (always, until its end), and {@code readNBytes} of the format detection: the up to
 * 64 KiB of text inflated last were lost with the error, and a file that broke within its first 64 KiB of text
 * read 0 records. Here every byte the decoder gave is handed on first; the decoder's error comes after them, on a
 * read of its own — when it broke during the look-ahead, on the first read after the look-ahead's bytes, as the
 * same exception (type and message: the load report's error is the same as before), and on every read after.
 */
final class PeekedInput extends InputStream {

    private final InputStream in;
    private final byte[] head;
    private int headPos;
    /** The decoder's error met while reading ahead, thrown once the bytes before it are handed on. */
    private IOException failure;

    private PeekedInput(InputStream in, byte[] head, IOException failure) {
        this.in = in;
        this.head = head;
        this.failure = failure;
    }

    /** Reads up to {@code max} bytes ahead (fewer at the end of the input, or when the decoder fails first). */
    static PeekedInput peek(InputStream in, int max) {
        byte[] buf = new byte[max];
        int got = 0;
        IOException failure = null;
        try {
            int n;
            while (got < max && (n = in.read(buf, got, max - got)) >= 0) {
                got += n;
            }
        } catch (IOException e) {
            failure = e; // the bytes before it are read first: thrown on the read after them
        }
        return new PeekedInput(in, Arrays.copyOf(buf, got), failure);
    }

    /** The bytes read ahead: the input's first bytes (all of them when it is shorter). */
    byte[] head() {
        return head;
    }

    /** Hands on the first {@code n} bytes read ahead no more (a byte order mark). */
    void dropHead(int n) {
        headPos = Math.max(headPos, Math.min(n, head.length));
    }

    @Override
    public int read() throws IOException {
        if (headPos < head.length) {
            return head[headPos++] & 0xff;
        }
        checkFailure();
        return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (headPos < head.length) {
            int n = Math.min(len, head.length - headPos);
            System.arraycopy(head, headPos, b, off, n);
            headPos += n;
            return n; // never more from the decoder in the same call: its error would take these bytes with it
        }
        checkFailure();
        return in.read(b, off, len);
    }

    private void checkFailure() throws IOException {
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public int available() throws IOException {
        if (headPos < head.length) {
            return head.length - headPos;
        }
        return failure != null ? 0 : in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
