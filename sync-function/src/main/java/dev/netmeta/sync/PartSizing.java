package dev.netmeta.sync;

/**
 * Part-size arithmetic for S3 multipart uploads: parts are at least 5 MiB (except the last), at most 10,000 parts
 * per upload. The configured part size is used unless the file would need more than 10,000 parts, in which case
 * the part size grows (in whole MiB) just enough. Memory per transfer is one part buffer, so the heap a run needs
 * is about {@code partSize × concurrency} (plus a few MiB for the clients).
 */
public final class PartSizing {

    public static final int MIN_PART = 5 * 1024 * 1024;
    public static final int MAX_PARTS = 10_000;
    private static final long MIB = 1024 * 1024;

    private PartSizing() {
    }

    /** Part size for a file of the given size. Sizes beyond 10,000 × 512 MiB (~5 TB, S3's object limit) are refused. */
    public static int partSizeFor(long fileSize, int configuredPartSize) {
        if (configuredPartSize < MIN_PART) {
            throw new IllegalArgumentException("part size must be at least 5 MiB, got " + configuredPartSize);
        }
        long needed = ceilDiv(fileSize, MAX_PARTS);
        if (needed <= configuredPartSize) {
            return configuredPartSize;
        }
        long rounded = ceilDiv(needed, MIB) * MIB;
        if (rounded > 512 * MIB) {
            throw new IllegalArgumentException("file of " + fileSize + " bytes is larger than S3 allows in one object");
        }
        return (int) rounded;
    }

    /** Whether the file goes up in a single PUT (it fits in one part buffer) instead of a multipart upload. */
    public static boolean singlePut(long fileSize, int partSize) {
        return fileSize <= partSize;
    }

    public static int partCount(long fileSize, int partSize) {
        return fileSize == 0 ? 1 : (int) ceilDiv(fileSize, partSize);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
