package dev.netmeta.load;

/**
 * Thrown by the handler after the report is saved when a file failed for a reason worth retrying (OpenSearch
 * unavailable, S3 read error): Lambda's asynchronous retries then deliver the event again, which is harmless
 * thanks to the deterministic document ids. Bad input (corrupt gzip…) is reported, not thrown.
 */
public final class LoadFailedException extends RuntimeException {

    public LoadFailedException(String message) {
        super(message);
    }
}
