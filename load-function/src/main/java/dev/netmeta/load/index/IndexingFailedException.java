package dev.netmeta.load.index;

/** A bulk request failed after all its retries; the rest of the file is not read. */
public final class IndexingFailedException extends RuntimeException {

    public IndexingFailedException(String message) {
        super(message);
    }
}
