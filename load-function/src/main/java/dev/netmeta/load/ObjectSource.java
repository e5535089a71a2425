package dev.netmeta.load;

import java.io.IOException;

/** Where input files are read from. */
public interface ObjectSource {

    /**
     * Opens the object for streaming; a stream that can reopen a broken download where it broke does so only while
     * {@code readingTime} has time left. Its stream then throws {@link ObjectGoneException} when the object was
     * deleted or replaced before the rest could be read, and {@link DownloadBrokenException} when the download could
     * not be resumed.
     *
     * @param eTag        when non-null, the object must still have this ETag (a continuation must not mix two versions)
     * @param readingTime the time left for reading (the invocation's clock less the time margin)
     * @throws ObjectGoneException when the object no longer exists or was replaced
     */
    SourceObject open(String bucket, String key, String eTag, Deadline readingTime) throws IOException;

    /**
     * The object's current version (ETag as S3 gives it, quoted, and last-modified time), or null when it no longer
     * exists: tells whether the version just loaded is still the current one.
     *
     * @throws IOException when S3 cannot be asked
     */
    ObjectVersion currentVersion(String bucket, String key) throws IOException;
}
