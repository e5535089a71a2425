package dev.netmeta.sync;

/**
 * A copy-file event that can never succeed: malformed, or naming a path outside the remote directory or
 * FTP_PATTERNS. Answered with a failed summary instead of an exception, so Lambda does not retry it twice in vain.
 */
public final class InvalidCopyFileRequestException extends IllegalArgumentException {

    public InvalidCopyFileRequestException(String message) {
        super(message);
    }
}
