package dev.netmeta.load;

import java.util.List;

/**
 * The payload of the {@code loadContinue} function: which object to finish, from which record, and the counts
 * so far. A plain bean so the Lambda runtime's serializer can read it. The object is read again from its start
 * and the first {@code nextPosition} records are skipped (a gzip stream cannot be entered in the middle);
 * {@code etag} and {@code lastModified} make sure the same version is read.
 */
public class LoadContinuation {

    private String bucket;
    private String key;
    private String etag;
    private long lastModified;
    private long nextPosition;
    private int attempt;
    private long startedAt;
    private long rowsRead;
    private long indexed;
    private long rejected;
    private long skipped;
    /** Records past the index retention so far (0 without one). */
    private long expired;
    private String firstReject;
    private List<String> warnings;

    public LoadContinuation() {
    }

    public String getBucket() {
        return bucket;
    }

    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    public String getKey() {
        return key;
    }

    public void setKey(String key) {
        this.key = key;
    }

    public String getEtag() {
        return etag;
    }

    public void setEtag(String etag) {
        this.etag = etag;
    }

    /**
     * The last-modified time of the version read (epoch millis; 0: not known — a payload of an earlier release):
     * with the ETag it pins the version, because a copy of the same content has the same ETag but another time.
     */
    public long getLastModified() {
        return lastModified;
    }

    public void setLastModified(long lastModified) {
        this.lastModified = lastModified;
    }

    /** 0-based position of the first record not yet read. */
    public long getNextPosition() {
        return nextPosition;
    }

    public void setNextPosition(long nextPosition) {
        this.nextPosition = nextPosition;
    }

    /** 1 for the first continuation of a file, 2 for the next… */
    public int getAttempt() {
        return attempt;
    }

    public void setAttempt(int attempt) {
        this.attempt = attempt;
    }

    /** When the first invocation started on this file (epoch millis). */
    public long getStartedAt() {
        return startedAt;
    }

    public void setStartedAt(long startedAt) {
        this.startedAt = startedAt;
    }

    public long getRowsRead() {
        return rowsRead;
    }

    public void setRowsRead(long rowsRead) {
        this.rowsRead = rowsRead;
    }

    public long getIndexed() {
        return indexed;
    }

    public void setIndexed(long indexed) {
        this.indexed = indexed;
    }

    public long getRejected() {
        return rejected;
    }

    public void setRejected(long rejected) {
        this.rejected = rejected;
    }

    public long getSkipped() {
        return skipped;
    }

    public void setSkipped(long skipped) {
        this.skipped = skipped;
    }

    public long getExpired() {
        return expired;
    }

    public void setExpired(long expired) {
        this.expired = expired;
    }

    /**
     * The first reject of the file so far ({@code line N: reason}, shortened), for the error when the file runs over
     * LOAD_MAX_REJECTS in a later invocation; null when nothing was rejected (or a payload of an earlier release).
     */
    public String getFirstReject() {
        return firstReject;
    }

    public void setFirstReject(String firstReject) {
        this.firstReject = firstReject;
    }

    /**
     * The warnings about the file's shape found so far (the report's {@code warnings}), for the final report: an
     * NDJSON file's are decided on its first records, which a continuation skips; null when none (or a payload of an
     * earlier release).
     */
    public List<String> getWarnings() {
        return warnings;
    }

    public void setWarnings(List<String> warnings) {
        this.warnings = warnings;
    }

    @Override
    public String toString() {
        return "LoadContinuation[s3://" + bucket + "/" + key + " from record " + nextPosition + ", attempt " + attempt + "]";
    }
}
