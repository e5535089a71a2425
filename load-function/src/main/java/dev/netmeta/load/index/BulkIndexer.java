package dev.netmeta.load.index;

/** Indexes documents in bulk; one {@link IndexingSession} per file, so counts and failures stay per file. */
public interface BulkIndexer extends AutoCloseable {

    /**
     * A session for the documents of one file: every document gets the provenance fields
     * {@code sourceFile} = {@code sourceFile} and {@code sourceRecord} = its record position.
     *
     * @param sourceFile the S3 key the documents come from; null writes no provenance fields
     */
    IndexingSession start(String sourceFile, RejectionListener rejections);

    /** A session whose documents carry no provenance fields (for a stream of documents that is not a file). */
    default IndexingSession start(RejectionListener rejections) {
        return start(null, rejections);
    }

    @Override
    void close();
}
