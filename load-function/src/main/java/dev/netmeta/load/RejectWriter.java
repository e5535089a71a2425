package dev.netmeta.load;

/** Where the records that cannot be indexed go, with their line number, raw text and reason. */
public interface RejectWriter {

    /**
     * Starts the rejects of one file. With {@code append}, the rejects an earlier invocation wrote for the same
     * file (before a continuation) are kept; without it, they are replaced.
     */
    RejectSink open(String bucket, String key, boolean append);
}
