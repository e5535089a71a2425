package dev.netmeta.load;

/** Where the records that cannot be indexed go, with their line number, raw text and reason. */
public interface RejectWriter {

    /**
     * Starts the rejects of one file. The rejects earlier invocations saved for the same file are kept for the
     * records before {@code carryOverBelow} (the position this invocation starts at) and dropped for the others,
     * which this invocation reads again — so a retried continuation does not write them twice. 0 starts empty.
     * The rejects object never grows past {@code maxBytes} through this sink's writes: the line that would take it
     * past is refused, and every later one ({@link RejectSink#write}).
     */
    RejectSink open(String bucket, String key, long carryOverBelow, long maxBytes);

    /** {@link #open(String, String, long, long)} without a bound of its own. */
    default RejectSink open(String bucket, String key, long carryOverBelow) {
        return open(bucket, key, carryOverBelow, Long.MAX_VALUE);
    }

    /**
     * Where the rejects of a file are (e.g. {@code s3://bucket/rejects/key.ndjson}), for the report; touches nothing.
     */
    String location(String bucket, String key);
}
