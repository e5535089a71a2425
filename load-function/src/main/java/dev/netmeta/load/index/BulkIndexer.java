package dev.netmeta.load.index;

/** Indexes documents in bulk; one {@link IndexingSession} per file, so counts and failures stay per file. */
public interface BulkIndexer extends AutoCloseable {

    IndexingSession start(RejectionListener rejections);

    @Override
    void close();
}
