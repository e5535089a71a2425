package dev.netmeta.load;

/** Where the records that cannot be indexed go, with their line number, raw text and reason. */
public interface RejectWriter {

    /**
     * Starts the rejects of one file. The rejects earlier invocations saved for the same file are kept for the
     * records before {@code carryOverBelow} (the position this invocation starts at) and dropped for the others,
     * which this invocation reads again — so a retried continuation does not write them twice. 0 starts empty.
     */
    RejectSink open(String bucket, String key, long carryOverBelow);

    /**
     * Where the rejects of a file are (e.g. {@code s3://bucket/rejects/key.ndjson}), for the report; touches nothing.
     */
    String location(String bucket, String key);
}
