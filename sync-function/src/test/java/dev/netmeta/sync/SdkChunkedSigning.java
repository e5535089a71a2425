package dev.netmeta.sync;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs a PutObject of some bytes as the S3 client asks its signer to for a streamed PUT with a CRC32C (unsigned
 * payload, chunk encoding on, the checksum algorithm set; a fixed clock so two signatures compare), or — with no
 * checksum algorithm — for a body that has none to send.
 */
final class SdkChunkedSigning {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T06:00:00Z"), ZoneOffset.UTC);

    private SdkChunkedSigning() {
    }

    static SignRequest<AwsCredentialsIdentity> putRequest(ContentStreamProvider payload, long length, boolean crc32cTrailer) {
        SdkHttpRequest http = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
                .uri(URI.create("https://s3.us-east-1.amazonaws.com/bucket/raw/a.csv.gz"))
                .putHeader("Content-Length", Long.toString(length)).build();
        SignRequest.Builder<AwsCredentialsIdentity> b = SignRequest.builder(AwsCredentialsIdentity.create("AKIDEXAMPLE", "secret"))
                .request(http).payload(payload)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false)
                .putProperty(AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, crc32cTrailer)
                .putProperty(HttpSigner.SIGNING_CLOCK, CLOCK);
        if (crc32cTrailer) {
            b.putProperty(AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32C);
        }
        return b.build();
    }

    /** The SDK's own signing of {@code data} as a streamed PUT with a CRC32C trailer. */
    static SignedRequest sdkSigned(byte[] data) {
        return AwsV4HttpSigner.create().sign(putRequest(() -> new ByteArrayInputStream(data), data.length, true));
    }
}
