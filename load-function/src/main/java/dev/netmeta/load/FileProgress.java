package dev.netmeta.load;

import dev.netmeta.load.format.RecordReader;
import java.util.ArrayList;
import java.util.List;

/** Where the loading of one file stands, carried from invocation to invocation through {@link LoadContinuation}. */
final class FileProgress {

    /** Most warnings one file's report carries. */
    static final int MAX_WARNINGS = RecordReader.MAX_WARNINGS;

    final String bucket;
    final String key;
    String etag;
    /** The last-modified time of the version read (epoch millis; 0: not known yet, or S3 did not say). */
    long lastModified;
    long nextPosition;
    int invocations;
    final long startedAt;
    long rowsRead;
    long indexed;
    long rejected;
    long skipped;
    /** Records whose day is past the index retention: not indexed (see LoadReport). */
    long expired;
    /** The first reject of the file so far ({@link RejectBudget#describe}), null when none. */
    String firstReject;
    /**
     * What the file's shape says is wrong with it ({@code RecordReader.warnings}), each once, of every invocation so
     * far: a continuation may not see the records that told (NDJSON decides on its first records).
     */
    final List<String> warnings = new ArrayList<>(1);

    private FileProgress(String bucket, String key, long startedAt) {
        this.bucket = bucket;
        this.key = key;
        this.startedAt = startedAt;
    }

    static FileProgress fresh(String bucket, String key, long now) {
        return new FileProgress(bucket, key, now);
    }

    static FileProgress from(LoadContinuation c) {
        FileProgress p = new FileProgress(c.getBucket(), c.getKey(), c.getStartedAt());
        p.etag = c.getEtag();
        p.lastModified = c.getLastModified();
        p.nextPosition = c.getNextPosition();
        p.invocations = c.getAttempt();
        p.rowsRead = c.getRowsRead();
        p.indexed = c.getIndexed();
        p.rejected = c.getRejected();
        p.skipped = c.getSkipped();
        p.expired = c.getExpired();
        p.firstReject = c.getFirstReject();
        if (c.getWarnings() != null) {
            p.warn(c.getWarnings());
        }
        return p;
    }

    LoadContinuation toContinuation() {
        LoadContinuation c = new LoadContinuation();
        c.setBucket(bucket);
        c.setKey(key);
        c.setEtag(etag);
        c.setLastModified(lastModified);
        c.setNextPosition(nextPosition);
        c.setAttempt(invocations);
        c.setStartedAt(startedAt);
        c.setRowsRead(rowsRead);
        c.setIndexed(indexed);
        c.setRejected(rejected);
        c.setSkipped(skipped);
        c.setExpired(expired);
        c.setFirstReject(firstReject);
        c.setWarnings(warnings.isEmpty() ? null : List.copyOf(warnings));
        return c;
    }

    /** Adds the warnings not known yet, up to {@link #MAX_WARNINGS} (the payload and the report stay small). */
    void warn(List<String> found) {
        for (String w : found) {
            if (w != null && warnings.size() < MAX_WARNINGS && !warnings.contains(w)) {
                warnings.add(w);
            }
        }
    }

    /** The version this file's invocations read. */
    ObjectVersion version() {
        return new ObjectVersion(etag, lastModified);
    }

    String source() {
        return "s3://" + bucket + "/" + key;
    }
}
