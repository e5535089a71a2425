package dev.netmeta.load.index;

/**
 * What became of the documents of one session: {@code indexed} acknowledged by OpenSearch, {@code rejected} refused
 * for good per item (e.g. mapping errors, already written to the rejects), {@code failure} non-null when some
 * documents could not be indexed after all retries (the file then counts as failed and may be loaded again).
 */
public record IndexingResult(long indexed, long rejected, long unsettled, String failure) {

    public boolean failed() {
        return failure != null;
    }
}
