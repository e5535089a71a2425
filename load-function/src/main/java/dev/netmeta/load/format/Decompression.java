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
        BufferedInputStream in = new MemberBoundaryInput(raw);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new GZIPInputStream(in, BUFFER);
        }
        return in;
    }

    /**
     * A buffered stream whose {@code available()} is never 0 while bytes are left. The JDK's GZIPInputStream (before
     * JDK 23, JDK-7036144) only reads a next gzip member when {@code available() > 0} or its own buffer still holds
     * more than 26 bytes; on a network stream a read that ends exactly at a member boundary makes {@code available()}
     * 0, and every later member would be dropped silently. Here {@code available()} waits for the next byte instead.
     */
    static final class MemberBoundaryInput extends BufferedInputStream {

        MemberBoundaryInput(InputStream in) {
            super(in, BUFFER);
        }

        @Override
        public synchronized int available() throws IOException {
            int n = super.available();
            if (n > 0) {
                return n;
            }
            mark(1);
            int b = read();
            reset();
            return b < 0 ? 0 : 1;
        }
    }
}
