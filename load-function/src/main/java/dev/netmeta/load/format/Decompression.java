package dev.netmeta.load.format;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Gzip is recognised by its magic bytes (1f 8b), whatever the object's name; other input passes through. */
public final class Decompression {

    static final int BUFFER = 64 * 1024;

    private Decompression() {
    }

    /** Wraps {@code raw} in a gzip decoder when it starts with the gzip magic bytes; concatenated members are read too. */
    public static InputStream open(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new GZIPInputStream(in, BUFFER);
        }
        return in;
    }
}
