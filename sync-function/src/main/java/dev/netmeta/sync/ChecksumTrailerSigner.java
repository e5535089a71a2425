package dev.netmeta.sync;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 as the SDK signs (the delegate), with one difference: a request the SDK signed for an {@code aws-chunked} body
 * with a CRC32C trailer — the streamed PUT — gets {@link AwsChunkedCrc32cBody} as its body instead of the SDK's own
 * encoder. Same headers, same signature, same bytes on the wire; the data go from the FTP stream into the HTTP
 * client's buffer without the SDK's chunk copies (measured: docs/BENCHMARKS.md).
 *
 * <p>The SDK's signer opens the payload's stream while signing; the delegate therefore gets the payload as a provider
 * whose streams open the real one on their first read ({@link OpenedOnFirstRead}), so the stream the SDK holds and
 * never reads costs nothing and the FTP data stream is opened once, by the body that is sent. Any other request —
 * every other operation, a body whose checksum is in a header, or framing this class does not produce (a trailer
 * other than the CRC32C alone, a {@code Content-Length} that is not {@link AwsChunkedCrc32cBody#encodedLength}, as
 * a future SDK with another chunk size would sign) — goes as the SDK signed it, with the caller's own payload where
 * the SDK passed it on as it came.
 */
final class ChecksumTrailerSigner implements HttpSigner<AwsCredentialsIdentity> {

    static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";

    private final HttpSigner<AwsCredentialsIdentity> delegate;

    ChecksumTrailerSigner(HttpSigner<AwsCredentialsIdentity> delegate) {
        this.delegate = delegate;
    }

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        Optional<ContentStreamProvider> payload = request.payload();
        if (payload.isEmpty()) {
            return delegate.sign(request);
        }
        ContentStreamProvider deferred = new OpenedOnFirstRead(payload.get());
        SignedRequest signed = delegate.sign(request.copy(b -> b.payload(deferred)));
        OptionalLong decodedLength = crc32cTrailerLength(signed.request());
        if (decodedLength.isEmpty()) {
            // handed on as it came (no aws-chunked encoding): the request goes with the caller's own payload
            return signed.payload().filter(p -> p == deferred).isPresent()
                    ? signed.copy(b -> b.payload(payload.get())) : signed;
        }
        long length = decodedLength.getAsLong();
        return signed.copy(b -> b.payload(() -> new AwsChunkedCrc32cBody(deferred.newStream(), length)));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        return delegate.signAsync(request); // the sync function uses only the synchronous client
    }

    /**
     * The data length of a request signed for an unsigned {@code aws-chunked} body whose only trailer is the CRC32C,
     * framed as {@link AwsChunkedCrc32cBody} frames it; empty for any other request.
     */
    static OptionalLong crc32cTrailerLength(SdkHttpRequest signed) {
        List<String> trailers = signed.matchingHeaders("x-amz-trailer");
        Optional<String> decoded = signed.firstMatchingHeader("x-amz-decoded-content-length");
        Optional<String> encoded = signed.firstMatchingHeader("Content-Length");
        boolean ours = signed.firstMatchingHeader("x-amz-content-sha256").filter(STREAMING_UNSIGNED_TRAILER::equals).isPresent()
                && signed.matchingHeaders("Content-Encoding").stream().anyMatch("aws-chunked"::equalsIgnoreCase)
                && trailers.size() == 1 && trailers.get(0).trim().equalsIgnoreCase(AwsChunkedCrc32cBody.TRAILER)
                && decoded.isPresent() && encoded.isPresent();
        if (!ours) {
            return OptionalLong.empty();
        }
        try {
            long length = Long.parseLong(decoded.get().trim());
            return length >= 0 && Long.parseLong(encoded.get().trim()) == AwsChunkedCrc32cBody.encodedLength(length)
                    ? OptionalLong.of(length) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** A payload whose streams open {@code source}'s stream on their first read or skip. */
    static final class OpenedOnFirstRead implements ContentStreamProvider {

        private final ContentStreamProvider source;

        OpenedOnFirstRead(ContentStreamProvider source) {
            this.source = source;
        }

        @Override
        public InputStream newStream() {
            return new InputStream() {
                private InputStream in;

                private InputStream in() {
                    if (in == null) {
                        in = source.newStream();
                    }
                    return in;
                }

                @Override
                public int read() throws IOException {
                    return in().read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return in().read(b, off, len);
                }

                @Override
                public long skip(long n) throws IOException {
                    return in().skip(n);
                }

                @Override
                public int available() throws IOException {
                    return in == null ? 0 : in.available();
                }

                /** No mark/reset (asked before a read, it would open the source; the FTP data stream has none). */
                @Override
                public boolean markSupported() {
                    return false;
                }

                @Override
                public synchronized void reset() throws IOException {
                    throw new IOException("mark/reset not supported");
                }

                @Override
                public void close() throws IOException {
                    if (in != null) {
                        in.close();
                    }
                }
            };
        }

        @Override
        public String name() {
            return source.name();
        }
    }
}
