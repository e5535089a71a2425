package dev.netmeta.load;

/**
 * Removes the documents of one S3 key that were loaded from another version of the object than the given one
 * ({@code sourceFile == key} and {@code sourceVersion != version}, also documents without a {@code sourceVersion}),
 * in every daily index of the prefix. Called after a version has been loaded completely, so a replaced object
 * leaves no documents of its earlier content behind.
 */
public interface StaleDocuments {

    /**
     * @param sourceFile    the S3 key ({@code sourceFile} of the documents)
     * @param keepVersion   the version whose documents stay ({@code sourceVersion}: the ETag without quotes)
     * @param deadline      the invocation's clock: no request starts when less than half of {@code marginMillis}
     *                      is left (as for bulk indexing)
     * @param marginMillis  the invocation's time margin ({@code LOAD_TIME_MARGIN_MS})
     * @return how many documents were removed
     * @throws CleanupFailedException when OpenSearch fails or the time runs out; it says how many were removed
     */
    long removeOtherVersions(String sourceFile, String keepVersion, Deadline deadline, long marginMillis);

    /**
     * The same, restricted to the key's documents loaded from {@code bucket}: {@code sourceFile} holds the key only,
     * and the same key in another bucket is another file, not another version of this one.
     */
    default long removeOtherVersions(String bucket, String sourceFile, String keepVersion, Deadline deadline,
                                     long marginMillis) {
        return removeOtherVersions(sourceFile, keepVersion, deadline, marginMillis);
    }

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
