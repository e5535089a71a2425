package dev.netmeta.sync;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes through exactly {@code expected} bytes: throws {@link FileChangedException} as soon as more arrive (the
 * file is still growing) or when the data ends early (it shrank, or the connection was cut). The uploader reads to
 * the end before it completes an upload, so a wrong byte count always aborts the upload.
 */
public final class ExactLengthInputStream extends FilterInputStream {

    private final long expected;
    private long count;

    public ExactLengthInputStream(InputStream in, long expected) {
        super(in);
        this.expected = expected;
    }

    @Override
    public int read() throws IOException {
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

    public long count() {
        return count;
    }

    private void add(int n) throws FileChangedException {
        count += n;
        if (count > expected) {
            throw new FileChangedException("more than the listed " + expected + " bytes arrived: the file is still being written");
        }
    }

    private void checkEnd() throws FileChangedException {
        if (count != expected) {
            throw new FileChangedException("the data ended after " + count + " of the listed " + expected
                    + " bytes: the file shrank or the transfer was cut");
        }
    }
}
