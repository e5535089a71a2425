package dev.netmeta.load;

/**
 * A call to S3 or OpenSearch failed (network, throttling, server error, missing permission): the file is worth
 * loading again, so the handler throws and Lambda retries the event. Problems of the file itself are not this.
 */
public final class RemoteCallFailedException extends RuntimeException {

    public RemoteCallFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
