package dev.netmeta.sync;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4 with {@code UNSIGNED-PAYLOAD} for a plain-HTTP S3 endpoint (local S3 stand-ins only).
 *
 * <p>Over HTTPS — every real S3 endpoint — the SDK already sends request bodies unsigned (TLS protects them). Over
 * plain HTTP it insists on signing the payload: either hashing the whole body up front, which makes S3 stand-ins
 * such as s3proxy buffer the whole request to check the hash, or {@code aws-chunked} streaming signatures that both
 * sides compute per 128 KiB chunk. On a loopback endpoint that is pure overhead and it made the local sync slower
 * than rclone (which sends {@code UNSIGNED-PAYLOAD}). This signer signs the request as if it went over HTTPS
 * (the scheme is not part of the SigV4 canonical request), with payload signing off, and then restores the scheme.
 * {@link SyncFactory} uses it only for {@code http://} endpoint overrides.
 *
 * <p>Chunk encoding is left as S3 asks for it (on for PutObject and UploadPart): without payload signing the SDK
 * uses it only to send a checksum computed as the body goes out — the streamed PUT's CRC32C — as an
 * {@code aws-chunked} trailer ({@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}), exactly as over HTTPS (and encoded, as
 * there, by {@link ChecksumTrailerSigner}, which wraps this signer). Switched off, the
 * SDK would instead read the whole body once up front to put the checksum in a header, which a streamed body from
 * FTP cannot be read twice for. A body whose checksum is already in a header (the buffered PUT, the parts) or that has
 * none goes plain, as before.
 */
final class UnsignedPayloadSigner implements HttpSigner<AwsCredentialsIdentity> {

    private final AwsV4HttpSigner delegate = AwsV4HttpSigner.create();

    @Override
    public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
        String scheme = request.request().protocol();
        SignRequest<? extends AwsCredentialsIdentity> asHttps = request.copy(b -> b
                .request(withProtocol(request.request(), "https"))
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, false));
        SignedRequest signed = delegate.sign(asHttps);
        return signed.copy(b -> b.request(withProtocol(signed.request(), scheme)));
    }

    @Override
    public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
        return delegate.signAsync(request); // the sync function uses only the synchronous client
    }

    private static SdkHttpRequest withProtocol(SdkHttpRequest request, String protocol) {
        return request.toBuilder().protocol(protocol).port(request.port()).build();
    }
}
