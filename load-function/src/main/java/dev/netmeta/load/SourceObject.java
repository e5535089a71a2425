package dev.netmeta.load;

import java.io.InputStream;

/** An opened object: its byte stream and what identifies its version. {@code close()} abandons the rest unread. */
public interface SourceObject extends AutoCloseable {

    InputStream stream();

    String eTag();

    /** The version id in a versioned bucket, else null. */
    default String versionId() {
        return null;
    }

    /** Last-modified time (epoch millis): the day index of records that carry no timestamp. */
    long lastModifiedMillis();

    /** The version opened; its time is 0 when S3 did not give one (never compared then). */
    default ObjectVersion version() {
        return new ObjectVersion(eTag(), lastModifiedMillis());
    }

    /** Length of the stored object in bytes (Content-Length), or -1 when unknown. */
    long size();

    /**
     * The failure the stream gave up with, or null. A reader may swallow an I/O error: the JDK's gzip reader takes one
     * while it reads the header of a next member (files joined with {@code cat}) for the end of the data, so a download
     * broken there and not resumed would read as a whole file with its later members missing — the loader asks this
     * when the reader has come to its end.
     */
    default java.io.IOException failure() {
        return null;
    }

    /**
     * Called when the decoder found the data corrupt: whether the bytes came as S3 keeps them. Reads the rest of the
     * object, not decoded, to finish its whole-object checksum (a stream that checks one: {@code ResumingStream}).
     *
     * @return the algorithm of the object's checksum (e.g. {@code CRC32C}) when it matches every byte: the object itself
     *         is corrupt; null when there is no checksum to tell (the default: nothing is read)
     * @throws DownloadBrokenException  the bytes do not match it (damaged on the way), or the rest could not be read to
     *                                  tell (a break not resumed): the object is to be read again
     * @throws NoTimeToVerifyException  the reading time ran out before the rest was read
     * @throws ObjectGoneException      the version was deleted or replaced before the rest could be read
     */
    default String verifyRest() throws java.io.IOException {
        return null;
    }

    @Override
    void close();
}
