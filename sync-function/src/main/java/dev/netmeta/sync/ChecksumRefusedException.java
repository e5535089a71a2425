package dev.netmeta.sync;

import java.io.IOException;
import java.util.Set;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 refused an upload because the CRC32C the sync sent is not the CRC32C of the bytes S3 received: bytes were changed
 * between the FTP read and S3. Nothing was stored (a multipart upload is aborted); the file fails for this run and the
 * next run copies it again. The message says so in words — S3's own answer is kept as the cause, but an S3 stand-in
 * may give no more than "Bad Request" (s3proxy).
 */
public class ChecksumRefusedException extends IOException {

    /** S3's error code for a checksum that does not match; the second is MinIO's. */
    private static final Set<String> CODES = Set.of("BadDigest", "XAmzContentChecksumMismatch");

    ChecksumRefusedException(String what, S3Exception cause) {
        super("S3 refused " + what + ": the CRC32C of the bytes it received is not the one the sync computed from the"
                + " FTP data (" + cause.awsErrorDetails().errorCode() + "), so bytes were changed on the way; nothing"
                + " was stored, the next run copies the file again", cause);
    }

    /** Whether S3 answered that a checksum the request carried does not match the bytes it received. */
    static boolean refusedForItsChecksum(S3Exception e) {
        return e.awsErrorDetails() != null && CODES.contains(e.awsErrorDetails().errorCode());
    }
}
