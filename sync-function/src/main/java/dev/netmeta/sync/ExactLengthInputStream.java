package dev.netmeta.sync;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes through exactly {@code expected} bytes: throws {@link FileChangedException} as soon as more arrive (the
 * file is still growing) or when the data ends early (it shrank, or the connection was cut). The read that delivers
 * the last expected byte first looks one byte ahead and must find the end of the data (which also makes the FTP
 * server confirm the transfer) — so whoever consumes the stream, including an HTTP request body that stops reading
 * at its content length, never gets the complete byte count from a file that is still changing.
 */
public final class ExactLengthInputStream extends FilterInputStream {

    private final long expected;
    private long count;
    private boolean endConfirmed;

    public ExactLengthInputStream(InputStream in, long expected) {
        super(in);
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
        if (endConfirmed) {
            return -1;
        }
        int b = super.read();
        if (b < 0) {
            checkEnd();
        } else {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (endConfirmed) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = super.read(buf, off, len);
        if (n < 0) {
            checkEnd();
        } else {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) {
        throw new UnsupportedOperationException("skip");
    }

    /** No mark/reset: bytes read again would be counted twice (the wrapped stream may support it). */
    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void mark(int readlimit) {
        // not supported, see markSupported()
    }

    @Override
    public void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    public long count() {
        return count;
    }

    private void add(int n) throws IOException {
        count += n;
        if (count > expected) {
            throw new FileChangedException("more than the listed " + expected + " bytes arrived: the file is still being written");
        }
        if (count == expected) {
            if (in.read() >= 0) { // look ahead: the data must end here
                throw new FileChangedException("more than the listed " + expected + " bytes arrived: the file is still being written");
            }
            endConfirmed = true;
        }
    }

    private void checkEnd() throws FileChangedException {
        endConfirmed = true;
        if (count != expected) {
            throw new FileChangedException("the data ended after " + count + " of the listed " + expected
                    + " bytes: the file shrank or the transfer was cut");
        }
    }
}
