package dev.netmeta.load.aws;

import java.util.Base64;
import java.util.regex.Pattern;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.checksums.SdkChecksum;
import software.amazon.awssdk.checksums.spi.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * The whole object's checksum as S3 gave it with the first GetObject answer ({@code x-amz-checksum-*}, asked for with
 * {@code x-amz-checksum-mode: ENABLED}), and the same checksum run over the bytes handed on, computed by the SDK's own
 * implementations ({@link SdkChecksum}): {@link ResumingStream} compares the two when the last byte is handed on, so a
 * download stitched together from a first answer and ranged rests still has an end-to-end check — a ranged answer
 * carries no checksum of the whole object, and the SDK checks one answer's body only.
 * <p>Only a checksum of the whole object's bytes can be checked: a COMPOSITE one (a multipart upload's checksum of
 * its parts' checksums, "…-N") needs the part boundaries and is skipped, as the SDK skips it. Only algorithms the SDK
 * computes in plain Java: CRC32 and CRC32C ({@code java.util.zip}), SHA-1 and SHA-256; CRC64NVME (S3's default for
 * objects uploaded without a checksum) and the XXHASH family need the native {@code aws-crt} library, which the
 * function does not ship (the SDK skips them without it, too): such an object is read unchecked, as before.
 */
final class ObjectChecksum {

    /** A composite (multipart) checksum: the checksum of the parts' checksums, "-" and the number of parts. */
    private static final Pattern COMPOSITE = Pattern.compile(".*-\\d+$");

    private final String algorithm;
    private final String expected;
    private final SdkChecksum running;

    private ObjectChecksum(String algorithm, String expected, ChecksumAlgorithm sdkAlgorithm) {
        this.algorithm = algorithm;
        this.expected = expected;
        this.running = SdkChecksum.forAlgorithm(sdkAlgorithm);
    }

    /** The checksum to check the object's bytes against, or null when the answer has none this check can compute. */
    static ObjectChecksum of(GetObjectResponse response) {
        if (response.checksumType() == ChecksumType.COMPOSITE) {
            return null;
        }
        if (usable(response.checksumCRC32C())) {
            return new ObjectChecksum("CRC32C", response.checksumCRC32C(), DefaultChecksumAlgorithm.CRC32C);
        }
        if (usable(response.checksumCRC32())) {
            return new ObjectChecksum("CRC32", response.checksumCRC32(), DefaultChecksumAlgorithm.CRC32);
        }
        if (usable(response.checksumSHA256())) {
            return new ObjectChecksum("SHA256", response.checksumSHA256(), DefaultChecksumAlgorithm.SHA256);
        }
        if (usable(response.checksumSHA1())) {
            return new ObjectChecksum("SHA1", response.checksumSHA1(), DefaultChecksumAlgorithm.SHA1);
        }
        return null;
    }

    /** For tests: the checksum {@code algorithm} (CRC32, CRC32C, SHA256, SHA1) expected to be {@code expected}. */
    static ObjectChecksum expecting(String algorithm, String expected) {
        return new ObjectChecksum(algorithm, expected, DefaultChecksumAlgorithm.fromValue(algorithm));
    }

    private static boolean usable(String value) {
        return value != null && !value.isBlank() && !COMPOSITE.matcher(value).matches();
    }

    void update(byte[] b, int off, int len) {
        running.update(b, off, len);
    }

    void update(int b) {
        running.update(b);
    }

    /** The algorithm's name as S3 spells it ("CRC32"). */
    String algorithm() {
        return algorithm;
    }

    /** The value S3 gave (base64). */
    String expected() {
        return expected;
    }

    /** The value of the bytes so far (base64, as S3 writes it). */
    String actual() {
        return Base64.getEncoder().encodeToString(running.getChecksumBytes());
    }

    boolean matches() {
        return expected.equals(actual());
    }
}
