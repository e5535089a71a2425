package dev.netmeta.load;

/**
 * Removes, in every daily index of the prefix, the documents of one S3 object that were loaded from another version
 * of it than the given one ({@code sourceFile == key} and {@code sourceVersion != version}, also documents without a
 * {@code sourceVersion}), and the given version's documents without a {@code timestamp} that are not in the daily
 * index this load put them in (left by a copy of the same content last modified on another day) — not those of the
 * same key in another bucket, which are another file. Called after a version has been loaded completely, so a
 * replaced object leaves no documents of its earlier content behind.
 */
public interface StaleDocuments {

    /**
     * @param bucket        the object's bucket ({@code sourceFile} holds the key only; the document ids tell buckets apart)
     * @param sourceFile    the S3 key ({@code sourceFile} of the documents)
     * @param keepVersion   the version whose documents stay ({@code sourceVersion}: the ETag without quotes)
     * @param keepIndexWithoutTimestamp the daily index of the loaded version's records without a timestamp (the
     *                      day it was last modified): its documents without a {@code timestamp} stay only there;
     *                      null: not known, all of its documents stay
     * @param deadline      the invocation's clock: no request starts when less than half of {@code marginMillis}
     *                      is left (as for bulk indexing)
     * @param marginMillis  the invocation's time margin ({@code LOAD_TIME_MARGIN_MS})
     * @return how many documents were removed
     * @throws CleanupFailedException when OpenSearch fails or the time runs out; it says how many were removed
     */
    long removeOtherVersions(String bucket, String sourceFile, String keepVersion, String keepIndexWithoutTimestamp,
                             Deadline deadline, long marginMillis);

    /** The cleanup could not finish (OpenSearch error, out of time): worth another attempt. */
    final class CleanupFailedException extends RuntimeException {

        private final long removed;

        public CleanupFailedException(String message, long removed, Throwable cause) {
            super(message, cause);
            this.removed = removed;
        }

        /** Documents removed before the failure. */
        public long removed() {
            return removed;
        }
    }
}
