package dev.netmeta.sync;

/** A run-level failure (cannot log in, cannot list the bucket, bad configuration) with a message safe to show. */
public class SyncException extends RuntimeException {

    public SyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
