package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

class ChecksumTrailerSignerTest {

    private final byte[] data = bytes(300_000);

    @Test
    void aStreamedPutGoesOutWithTheSdksHeadersAndSignatureAndBytesFromTheZeroCopyEncoder() throws IOException {
        CountingProvider source = new CountingProvider(data);

        SignedRequest signed = new ChecksumTrailerSigner(AwsV4HttpSigner.create())
                .sign(SdkChunkedSigning.putRequest(source, data.length, true));

        assertThat(source.opened).as("signing reads nothing").hasValue(0);
        SignedRequest sdk = SdkChunkedSigning.sdkSigned(data);
        assertThat(signed.request().headers()).isEqualTo(sdk.request().headers());
        try (InputStream body = signed.payload().orElseThrow().newStream();
             InputStream sdkBody = sdk.payload().orElseThrow().newStream()) {
            assertThat(body).isInstanceOf(AwsChunkedCrc32cBody.class);
            assertThat(body.readAllBytes()).isEqualTo(sdkBody.readAllBytes());
        }
        assertThat(source.opened).as("the FTP stream opened once, by the body sent").hasValue(1);
    }

    @Test
    void aBodyWithoutATrailerGoesAsTheSdkSendsIt() throws IOException {
        CountingProvider source = new CountingProvider(data);

        SignedRequest signed = new ChecksumTrailerSigner(AwsV4HttpSigner.create())
                .sign(SdkChunkedSigning.putRequest(source, data.length, false));

        assertThat(signed.request().firstMatchingHeader("x-amz-content-sha256")).hasValue("UNSIGNED-PAYLOAD");
        assertThat(signed.payload()).as("the caller's own payload, not a wrapper").containsSame(source);
        try (InputStream body = signed.payload().orElseThrow().newStream()) {
            assertThat(body).isNotInstanceOf(AwsChunkedCrc32cBody.class);
            assertThat(body.readAllBytes()).isEqualTo(data);
        }
        assertThat(source.opened).hasValue(1);
    }

    @Test
    void framingThisEncoderDoesNotProduceKeepsTheSdksBody() throws IOException {
        // as a future SDK with another chunk size would sign: a Content-Length that is not this encoder's
        HttpSigner<AwsCredentialsIdentity> otherChunkSize = delegateEditing(r -> r.toBuilder()
                .putHeader("Content-Length", Long.toString(AwsChunkedCrc32cBody.encodedLength(data.length) + 7)).build());
        CountingProvider source = new CountingProvider(data);

        SignedRequest signed = new ChecksumTrailerSigner(otherChunkSize)
                .sign(SdkChunkedSigning.putRequest(source, data.length, true));

        try (InputStream body = signed.payload().orElseThrow().newStream()) {
            assertThat(body).isNotInstanceOf(AwsChunkedCrc32cBody.class);
            assertThat(body.readAllBytes()).isEqualTo(SdkChunkedSigning.sdkSigned(data).payload().orElseThrow()
                    .newStream().readAllBytes());
        }
        assertThat(source.opened).as("the SDK's body reads the source as it would without this signer").hasValue(1);
    }

    @Test
    void onlyAnUnsignedAwsChunkedBodyWithTheCrc32cAloneAsItsTrailerIsReframed() {
        SdkHttpRequest sdk = SdkChunkedSigning.sdkSigned(data).request();
        assertThat(ChecksumTrailerSigner.crc32cTrailerLength(sdk)).hasValue(data.length);

        assertThat(ChecksumTrailerSigner.crc32cTrailerLength(sdk.toBuilder()
                .putHeader("x-amz-trailer", "x-amz-checksum-crc32").build())).as("another checksum").isEmpty();
        assertThat(ChecksumTrailerSigner.crc32cTrailerLength(sdk.toBuilder()
                .appendHeader("x-amz-trailer", "x-amz-trailer-signature").build())).as("two trailers").isEmpty();
        assertThat(ChecksumTrailerSigner.crc32cTrailerLength(sdk.toBuilder()
                .putHeader("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER").build()))
                .as("signed chunks").isEmpty();
        assertThat(ChecksumTrailerSigner.crc32cTrailerLength(sdk.toBuilder().removeHeader("Content-Encoding").build()))
                .as("not aws-chunked").isEmpty();
        assertThat(ChecksumTrailerSigner.crc32cTrailerLength(sdk.toBuilder()
                .putHeader("x-amz-decoded-content-length", "299999").build())).as("lengths that disagree").isEmpty();
        assertThat(ChecksumTrailerSigner.crc32cTrailerLength(sdk.toBuilder()
                .putHeader("x-amz-decoded-content-length", "many").build())).as("not a number").isEmpty();
    }

    /** The SDK's signer, with {@code edit} applied to each request it signed. */
    private static HttpSigner<AwsCredentialsIdentity> delegateEditing(UnaryOperator<SdkHttpRequest> edit) {
        AwsV4HttpSigner sdk = AwsV4HttpSigner.create();
        return new HttpSigner<>() {
            @Override
            public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
                SignedRequest signed = sdk.sign(request);
                return signed.copy(b -> b.request(edit.apply(signed.request())));
            }

            @Override
            public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> r) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** A body that counts the streams opened on it (the FTP data stream can be opened once). */
    private static final class CountingProvider implements ContentStreamProvider {

        final AtomicInteger opened = new AtomicInteger();
        private final byte[] data;

        CountingProvider(byte[] data) {
            this.data = data;
        }

        @Override
        public InputStream newStream() {
            opened.incrementAndGet();
            return new ByteArrayInputStream(data);
        }
    }
}
