package dev.netmeta.load.index;

/**
 * What became of the documents of one session: {@code indexed} acknowledged by OpenSearch, {@code rejected} refused
 * for good per item (e.g. mapping errors, already written to the rejects), {@code failure} non-null when some
 * documents could not be indexed (retries exhausted, refused because of their index, a refusal that could not be
 * written to the rejects: the file then counts as failed and may be loaded again).
 * {@code resumeAt} is non-null when the invocation's time ran out before every document was settled: the lowest
 * position among the {@code unsettled} documents, from where the file must be read again.
 */
public record IndexingResult(long indexed, long rejected, long unsettled, String failure, Long resumeAt) {

    public IndexingResult(long indexed, long rejected, long unsettled, String failure) {
        this(indexed, rejected, unsettled, failure, null);
    }

    public boolean failed() {
        return failure != null;
    }
}
