package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

class AwsChunkedCrc32cBodyTest {

    private static final int CHUNK = AwsChunkedCrc32cBody.CHUNK_SIZE;

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 300_000, 2 * CHUNK, 1_000_003})
    void isTheSdksOwnEncodingByteForByteAndTheLengthItSigns(int size) throws IOException {
        byte[] data = bytes(size);
        SignedRequest sdk = SdkChunkedSigning.sdkSigned(data);
        byte[] sdkBody;
        try (InputStream in = sdk.payload().orElseThrow().newStream()) {
            sdkBody = in.readAllBytes();
        }

        byte[] ours = new AwsChunkedCrc32cBody(new ByteArrayInputStream(data), size).readAllBytes();

        assertThat(ours).isEqualTo(sdkBody);
        assertThat(sdk.request().firstMatchingHeader("Content-Length")).hasValue(Long.toString(ours.length));
        assertThat(AwsChunkedCrc32cBody.encodedLength(size)).isEqualTo(ours.length);
    }

    @Test
    void theSameBytesWhateverTheSourceAndTheReaderHandOver() throws IOException {
        byte[] data = bytes(3 * CHUNK + 12_345);
        byte[] expected = new AwsChunkedCrc32cBody(new ByteArrayInputStream(data), data.length).readAllBytes();
        Random random = new Random(7);
        for (int trial = 0; trial < 20; trial++) {
            TricklingSource source = new TricklingSource(data, 1 + random.nextInt(70_000), random.nextLong());
            AwsChunkedCrc32cBody body = new AwsChunkedCrc32cBody(source, data.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int maxRead = 1 + random.nextInt(trial % 2 == 0 ? 16 : 300_000); // tiny reads split the framing too
            byte[] buf = new byte[maxRead];
            int n;
            while ((n = body.read(buf, 0, 1 + random.nextInt(maxRead))) >= 0) {
                out.write(buf, 0, n);
                assertThat(source.readsSinceLastCheck()).as("one source read at most per read").isLessThanOrEqualTo(1);
            }
            assertThat(out.toByteArray()).as("trial " + trial).isEqualTo(expected);
        }
    }

    @Test
    void singleByteReadsGiveTheSameBytes() throws IOException {
        byte[] data = bytes(CHUNK + 3);
        byte[] expected = new AwsChunkedCrc32cBody(new ByteArrayInputStream(data), data.length).readAllBytes();
        AwsChunkedCrc32cBody body = new AwsChunkedCrc32cBody(new ByteArrayInputStream(data), data.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = body.read()) >= 0) {
            out.write(b);
        }
        assertThat(out.toByteArray()).isEqualTo(expected);
    }

    @Test
    void aSourceThatEndsEarlyFailsTheRequestInsteadOfFramingFewerBytes() {
        byte[] data = bytes(CHUNK + 100);
        AwsChunkedCrc32cBody body = new AwsChunkedCrc32cBody(new ByteArrayInputStream(data), data.length + 50L);

        assertThatThrownBy(body::readAllBytes).isInstanceOf(EOFException.class)
                .hasMessage("the upload's source ended after 131172 of its 131222 bytes");
    }

    @Test
    void closingTheBodyClosesTheSource() throws IOException {
        boolean[] closed = {false};
        InputStream source = new ByteArrayInputStream(new byte[10]) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        new AwsChunkedCrc32cBody(source, 10).close();
        assertThat(closed[0]).isTrue();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Hands over at most {@code maxRead} bytes per read (a random amount up to it), as a socket does. */
    private static final class TricklingSource extends InputStream {

        private final ByteArrayInputStream in;
        private final int maxRead;
        private final Random random;
        private int reads;

        TricklingSource(byte[] data, int maxRead, long seed) {
            this.in = new ByteArrayInputStream(data);
            this.maxRead = maxRead;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            reads++;
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            reads++;
            return in.read(b, off, Math.min(len, 1 + random.nextInt(maxRead)));
        }

        int readsSinceLastCheck() {
            int r = reads;
            reads = 0;
            return r;
        }
    }
}
