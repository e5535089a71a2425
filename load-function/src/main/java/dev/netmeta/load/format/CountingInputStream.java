package dev.netmeta.load.format;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the bytes taken from the underlying (compressed) stream, to report where a corrupt file broke. Closing it
 * leaves the underlying stream open: that is the object's, closed by its owner — the decoder on top is closed (by
 * try-with-resources) before a failure it threw is handled, and the handling of a corrupt file reads the rest of the
 * object's bytes for its checksum ({@code SourceObject.verifyRest}).
 */
public final class CountingInputStream extends FilterInputStream {

    private long count;

    public CountingInputStream(InputStream in) {
        super(in);
    }

    /** Bytes consumed from the underlying stream so far. */
    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        count += skipped;
        return skipped;
    }

    /** Leaves the underlying stream open (see above). */
    @Override
    public void close() {
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
