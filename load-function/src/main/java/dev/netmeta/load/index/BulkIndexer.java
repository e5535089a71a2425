package dev.netmeta.load.index;

import dev.netmeta.load.Deadline;

/** Indexes documents in bulk; one {@link IndexingSession} per file, so counts and failures stay per file. */
public interface BulkIndexer extends AutoCloseable {

    /**
     * Starts the documents of one file: every document gets the provenance fields {@code sourceFile} =
     * {@code sourceFile}, {@code sourceRecord} = its record position and {@code sourceVersion} = {@code sourceVersion}.
     *
     * @param sourceFile    the S3 key the documents come from; null writes no provenance fields
     * @param sourceVersion the object's version (its ETag without quotes); null writes no {@code sourceVersion}
     * @param deadline     the invocation's clock
     * @param marginMillis the time margin of the invocation ({@code LOAD_TIME_MARGIN_MS}): no request is started
     *                     when less than half of it is left, and {@code finish()} returns when a quarter is left
     */
    IndexingSession start(String sourceFile, String sourceVersion, RejectionListener rejections, Deadline deadline,
                          long marginMillis);

    /** A session without a deadline (benchmarks, tools): it waits as long as the retries take. */
    default IndexingSession start(String sourceFile, String sourceVersion, RejectionListener rejections) {
        return start(sourceFile, sourceVersion, rejections, Deadline.none(), 0);
    }

    @Override
    void close();
}
