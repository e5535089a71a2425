package dev.netmeta.sync;

import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.BooleanSupplier;

/** The bucket the raw files go to. */
public interface ObjectStore {

    /**
     * The sizes of those of {@code keys} that exist, from paginated listings (never one request per object). Only
     * these keys are kept, so memory is bounded by the caller's set, not by everything the bucket ever received.
     * The listing asks {@code keepGoing} before each further page and stops when it turns false; the result then
     * says how far it got.
     */
    KeySizes sizesOf(Set<String> keys, BooleanSupplier keepGoing);

    /** The size of one object, if it exists. */
    OptionalLong sizeOf(String key);

    /**
     * Streams {@code expectedSize} bytes from {@code data} into {@code key}: a single PUT when the file fits into one
     * part, else a multipart upload with parts of {@code partSize} bytes. The object appears only when every byte
     * arrived; on any failure (including {@code keepGoing} turning false between parts) a multipart upload is
     * aborted and the exception rethrown, so no partial object and no dangling upload remain.
     *
     * @return the number of bytes stored
     */
    long upload(String key, InputStream data, long expectedSize, int partSize, BooleanSupplier keepGoing) throws IOException;
}
