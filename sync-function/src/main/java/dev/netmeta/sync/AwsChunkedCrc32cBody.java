package dev.netmeta.sync;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * The body of a streamed PutObject in {@code aws-chunked} encoding with the CRC32C of its data as a trailer
 * ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}), framed around the source's bytes where they are read: a read of data
 * goes from the source straight into the caller's buffer, and the CRC32C is updated over it there. Only the few bytes
 * of framing are written by this class — no chunk buffer, no copy, no garbage per chunk, which is what the SDK's own
 * encoder costs (it reads each chunk into an array of its own and builds another with the framing around it).
 *
 * <p>The framing is the SDK's, byte for byte ({@link #encodedLength} is the {@code Content-Length} the SDK signs, a
 * unit test compares both encodings): each chunk of {@value #CHUNK_SIZE} bytes (the last one shorter) as
 * {@code <hex length>\r\n<data>\r\n}, then {@code 0\r\n}, the trailer {@code x-amz-checksum-crc32c:<base64>\r\n}
 * and {@code \r\n}. The source must deliver exactly {@code decodedLength} bytes; if it ends early the read fails
 * (the request is cut, S3 stores nothing). A read returns framing and the data of at most one chunk, and reads the
 * source at most once, so a reader never waits on the source while this stream holds bytes for it.
 */
final class AwsChunkedCrc32cBody extends InputStream {

    /** The SDK's chunk size for {@code aws-chunked} request bodies (its {@code Content-Length} depends on it). */
    static final int CHUNK_SIZE = 128 * 1024;
    static final String TRAILER = "x-amz-checksum-crc32c";
    private static final int BASE64_CRC32C_LENGTH = 8; // 4 bytes
    private static final byte[] NOTHING = new byte[0];

    private final InputStream source;
    private final long decodedLength;
    private final CRC32C crc = new CRC32C();
    private final byte[] one = new byte[1];
    private long passed;
    private int chunkLeft;
    private byte[] framing;
    private int framingPos;
    private boolean lastFramingQueued;

    AwsChunkedCrc32cBody(InputStream source, long decodedLength) {
        if (decodedLength < 0) {
            throw new IllegalArgumentException("decodedLength " + decodedLength);
        }
        this.source = source;
        this.decodedLength = decodedLength;
        this.framing = NOTHING;
        queueFraming();
    }

    /** The length of the encoding of {@code decodedLength} bytes of data: the request's {@code Content-Length}. */
    static long encodedLength(long decodedLength) {
        long fullChunks = decodedLength / CHUNK_SIZE;
        int rest = (int) (decodedLength % CHUNK_SIZE);
        long length = fullChunks * chunkLength(CHUNK_SIZE);
        if (rest > 0) {
            length += chunkLength(rest);
        }
        return length + "0\r\n".length() + TRAILER.length() + 1 + BASE64_CRC32C_LENGTH + "\r\n\r\n".length();
    }

    private static long chunkLength(int size) {
        return Integer.toHexString(size).length() + 2L + size + 2L;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int n = copyFraming(b, off, len);
        if (n < len && chunkLeft > 0) {
            int r = source.read(b, off + n, Math.min(len - n, chunkLeft));
            if (r < 0) {
                throw new EOFException("the upload's source ended after " + passed + " of its " + decodedLength + " bytes");
            }
            crc.update(b, off + n, r);
            n += r;
            passed += r;
            chunkLeft -= r;
            if (chunkLeft == 0) {
                queueFraming();
                n += copyFraming(b, off + n, len - n);
            }
        }
        return n == 0 && lastFramingQueued && framingPos == framing.length ? -1 : n;
    }

    @Override
    public int read() throws IOException {
        int n;
        do {
            n = read(one, 0, 1);
        } while (n == 0);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }

    private int copyFraming(byte[] b, int off, int len) {
        int n = Math.min(len, framing.length - framingPos);
        System.arraycopy(framing, framingPos, b, off, n);
        framingPos += n;
        return n;
    }

    /** What follows the data passed so far: the end of the chunk (if any), then the next chunk's header or the end. */
    private void queueFraming() {
        StringBuilder s = new StringBuilder(64);
        if (passed > 0) {
            s.append("\r\n");
        }
        long left = decodedLength - passed;
        if (left > 0) {
            chunkLeft = (int) Math.min(CHUNK_SIZE, left);
            s.append(Integer.toHexString(chunkLeft)).append("\r\n");
        } else {
            int v = (int) crc.getValue();
            String value = Base64.getEncoder().encodeToString(
                    new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
            s.append("0\r\n").append(TRAILER).append(':').append(value).append("\r\n\r\n");
            lastFramingQueued = true;
        }
        framing = s.toString().getBytes(StandardCharsets.US_ASCII);
        framingPos = 0;
    }
}
