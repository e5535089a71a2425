package dev.netmeta.load.aws;

import dev.netmeta.load.Deadline;
import dev.netmeta.load.DownloadBrokenException;
import dev.netmeta.load.NoTimeToVerifyException;
import dev.netmeta.load.ObjectGoneException;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The bytes of one version of an object, read on across broken downloads: when the body fails with an I/O error (a
 * reset, a timeout, the SDK's unchecked form of one) or ends before its Content-Length, the rest is asked for again
 * from the byte where it broke ({@link Reopener}: a ranged GetObject pinned to the version's ETag) and handed on as if
 * nothing had happened — S3A's reopen-on-failure. A long read of a large object is cut now and then by S3 (connection
 * resets, "Premature end of Content-Length delimited message body") and by any proxy's idle timeout while the reader
 * stalls; without this the load failed retryably and its retry read the file again from its start or its last
 * continuation point.
 * <p>Nothing is skipped or repeated: the rest is taken only as an HTTP 206 whose Content-Range starts at the byte asked
 * for and ends at the object's last byte; a 200 (the whole object: a server that ignores Range) or any other range
 * ends the download instead of being appended. A 412 (the ETag no longer matches: replaced) or 404 (deleted) is the
 * {@link ObjectGoneException} that opening the object would have thrown.
 * <p>Bounded: at most {@link #MAX_ATTEMPTS_WITHOUT_PROGRESS} attempts in a row that bring no byte (a failed request,
 * or a reopened body that breaks at once), after the pauses of {@link #PAUSES_MILLIS}; a byte read since the last
 * break starts the count again, so a download that breaks now and then over minutes goes on, while one that cannot get
 * a byte in about 4 s of pauses is S3 or the network down, which Lambda's retry (minutes later) handles better than
 * more attempts here. No attempt starts when the reading time left is less than its pause: the load's time margin is
 * for its report and continuation. When the download cannot go on, the stream throws {@link DownloadBrokenException}
 * (the load fails retryably) and keeps throwing it.
 * <p>End to end: when the first answer carried the whole object's checksum ({@link ObjectChecksum}: a FULL_OBJECT
 * CRC32, CRC32C, SHA-256 or SHA-1), the same checksum is run over every byte handed on, across all resumes, and
 * compared when the last byte has been handed on; a mismatch (bytes changed on the way, in the first answer or in a
 * ranged rest) ends the download with a {@link DownloadBrokenException} that says so (the load fails retryably, its
 * retry reads the object again) instead of the end of the data. A decoder that finds the data corrupt never reaches
 * that end: {@link #verifyRest} reads the rest, not handed on, to compare all the same — a mismatch is a download
 * changed on the way, not a corrupt object. Without such a checksum nothing is compared.
 * <p>The reading path pays one addition per read, plus the checksum's update over the bytes read when there is one to
 * check (the SDK would run the same one over an uncut answer): the other checks are on the failure path only.
 */
final class ResumingStream extends InputStream {

    /** Attempts in a row without a byte of progress before the download is given up. */
    static final int MAX_ATTEMPTS_WITHOUT_PROGRESS = 3;
    /** The pause before the first, second and third attempt in a row. */
    static final long[] PAUSES_MILLIS = {200, 1_000, 3_000};

    /** Asks for the rest of the same version from a byte on. */
    @FunctionalInterface
    interface Reopener {
        /**
         * @throws ObjectGoneException the version is gone (412: replaced, 404: deleted)
         * @throws IOException the request failed (another attempt may succeed)
         */
        Rest from(long position) throws IOException;
    }

    /**
     * A ranged answer: its body (whose {@code close()} abandons what is unread), its HTTP status and its Content-Range
     * (null when it has none).
     */
    record Rest(InputStream body, int status, String contentRange) {
    }

    /** Told once per resume, after the rest was opened. */
    @FunctionalInterface
    interface Listener {
        void resumed(long position, long size, int resumes, String reason);
    }

    /** Told once when the bytes handed on do not match the whole object's checksum. */
    @FunctionalInterface
    interface Mismatch {
        void found(String algorithm, String expected, String actual, long size, int resumes);
    }

    @FunctionalInterface
    interface Pause {
        void sleep(long millis) throws InterruptedException;
    }

    private final String source;
    private final long size;
    private final Reopener reopener;
    private final Deadline readingTime;
    private final Listener listener;
    private final Pause pause;
    private final ObjectChecksum checksum;
    private final Mismatch mismatch;
    private boolean checked;
    private InputStream in;
    private long position;
    private int resumes;
    private int attemptsWithoutProgress;
    private long brokeAt = -1;
    private IOException gaveUp;

    /**
     * @param source   the object's name for messages ({@code s3://bucket/key})
     * @param first    the first answer's body
     * @param size     the object's length (Content-Length of the first answer); -1 when unknown: no resume then
     * @param reopener null when the rest cannot be pinned to the version: no resume then
     */
    ResumingStream(String source, InputStream first, long size, Reopener reopener, Deadline readingTime,
                   Listener listener, Pause pause) {
        this(source, first, size, reopener, readingTime, listener, pause, null, (a, e, x, s, r) -> { });
    }

    /**
     * @param checksum the whole object's checksum to compare the bytes handed on with at the end; null: none
     * @param mismatch told when they do not match (before the stream throws)
     */
    ResumingStream(String source, InputStream first, long size, Reopener reopener, Deadline readingTime,
                   Listener listener, Pause pause, ObjectChecksum checksum, Mismatch mismatch) {
        this.source = source;
        this.in = first;
        this.size = size;
        this.reopener = reopener;
        this.readingTime = readingTime;
        this.listener = listener;
        this.pause = pause;
        this.checksum = checksum;
        this.mismatch = mismatch;
    }

    /** Bytes handed on so far: the position in the object. */
    long position() {
        return position;
    }

    /** How often the download was resumed. */
    int resumes() {
        return resumes;
    }

    /** What the stream gave up with (it throws it on every read since), or null. */
    IOException failure() {
        return gaveUp;
    }

    @Override
    public int read() throws IOException {
        while (true) {
            int b;
            try {
                b = in.read();
            } catch (IOException | SdkException e) {
                resume(e);
                continue;
            }
            if (b >= 0) {
                position++;
                if (checksum != null) {
                    checksum.update(b);
                }
                return b;
            }
            if (size < 0 || position >= size) {
                return end();
            }
            resume(null);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException | SdkException e) {
                resume(e);
                continue;
            }
            if (n >= 0) {
                position += n;
                if (checksum != null) {
                    checksum.update(b, off, n);
                }
                return n;
            }
            if (size < 0 || position >= size) {
                return end();
            }
            resume(null);
        }
    }

    /**
     * Tells a download damaged on the way from a corrupt object, after a decoder found the bytes handed on corrupt: reads
     * the rest of the object to its last byte ({@link #size} bounds it) without handing it on — resumed where it breaks,
     * as every read is — and finishes the whole object's checksum. Without this a gzip whose resumed rest (or any
     * download) was changed on the way failed for good as corrupt input, while the object in S3 is whole and a retry
     * would load it; the checksum was compared only at the end of the data, which a decoder that gives up never reaches.
     * A read starts only while the reading time lasts (the load's time margin is for its report and continuation).
     *
     * @return the checksum's algorithm when every byte matches it (the object itself is corrupt); null when there is
     *         no checksum to compare with (nothing read)
     * @throws DownloadBrokenException the bytes do not match (changed on the way: the {@link Mismatch} is told, as at the
     *                                 end of the data), or the rest could not be read to tell (no resume possible) —
     *                                 either way the object is to be read again
     * @throws NoTimeToVerifyException the reading time ran out first (the load's time margin is near): the load decides
     *                                 what follows, a continuation with a fresh clock if it can
     * @throws ObjectGoneException     the version was deleted or replaced before the rest could be read
     */
    String verifyRest() throws IOException {
        if (checksum == null || size < 0) {
            return null;
        }
        if (gaveUp != null) {
            throw gaveUp;
        }
        byte[] skipped = new byte[64 * 1024];
        while (position < size) {
            if (readingTime.remainingMillis() <= 0) {
                gaveUp = new NoTimeToVerifyException("the download of " + source + " was read to byte " + position
                        + " of " + size + ", resumed " + resumes + (resumes == 1 ? " time" : " times") + ": too little"
                        + " time left before the load's time margin (LOAD_TIME_MARGIN_MS) to read the rest and compare"
                        + " the object's " + checksum.algorithm() + ", which tells bytes changed on the way from a"
                        + " corrupt object");
                throw gaveUp;
            }
            read(skipped, 0, (int) Math.min(skipped.length, size - position));
        }
        end(); // throws on a mismatch (also one found before: the decoder may have read to the end)
        return checksum.algorithm();
    }

    /** Never throws: a broken connection is found (and resumed) by the next read. */
    @Override
    public int available() {
        try {
            return in.available();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    /**
     * The end of the data, once the whole object's checksum (if any) matches the bytes handed on; a mismatch is thrown
     * here and by every read since.
     */
    private int end() throws IOException {
        if (gaveUp != null) {
            throw gaveUp;
        }
        if (checksum == null || checked || size < 0) {
            return -1;
        }
        checked = true;
        if (checksum.matches()) {
            return -1;
        }
        String actual = checksum.actual();
        mismatch.found(checksum.algorithm(), checksum.expected(), actual, size, resumes);
        gaveUp = new DownloadBrokenException("the download of " + source + " read all " + size + " bytes, resumed "
                + resumes + (resumes == 1 ? " time" : " times") + ", but their " + checksum.algorithm() + " is "
                + actual + " where S3 gave " + checksum.expected() + " for the object: bytes were changed on the way,"
                + " the object is to be read again", null);
        throw gaveUp;
    }

    /** Opens the rest from {@link #position}, or throws why it cannot be read. */
    private void resume(Exception cause) throws IOException {
        if (gaveUp != null) {
            throw gaveUp;
        }
        if (size >= 0 && position >= size && cause != null) {
            // every byte is here, and the error is about them (a check of the body at its end, as the SDK's checksum
            // validation would be): nothing to resume, and not to be passed over
            gaveUp = cause instanceof IOException io ? io
                    : new IOException("reading the object failed: " + cause.getMessage(), cause);
            throw gaveUp;
        }
        closeQuietly(in);
        String reason = cause == null ? "the connection ended after byte " + position + " of " + size
                : describe(cause);
        if (size < 0 || reopener == null) {
            throw giveUp(reason, size < 0 ? "the object's length is unknown, so the rest cannot be asked for"
                    : "the first answer had no ETag to pin the rest to the same version", cause);
        }
        if (position > brokeAt) {
            attemptsWithoutProgress = 0; // bytes came since the last break
            brokeAt = position;
        }
        while (true) {
            if (attemptsWithoutProgress >= MAX_ATTEMPTS_WITHOUT_PROGRESS) {
                throw giveUp(reason, attemptsWithoutProgress + " attempts in a row to resume it at byte " + position
                        + " brought no byte", cause);
            }
            long wait = PAUSES_MILLIS[attemptsWithoutProgress];
            if (readingTime.remainingMillis() <= wait) {
                throw giveUp(reason, "too little time left before the load's time margin (LOAD_TIME_MARGIN_MS) to"
                        + " resume it", cause);
            }
            try {
                pause.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw giveUp(reason, "interrupted", cause);
            }
            attemptsWithoutProgress++;
            Rest rest;
            try {
                rest = reopener.from(position);
            } catch (ObjectGoneException e) {
                gaveUp = e;
                throw e;
            } catch (IOException | SdkException e) {
                reason = "resuming at byte " + position + " failed: " + describe(e);
                cause = e;
                continue;
            }
            String refused = refusal(rest);
            if (refused != null) {
                closeQuietly(rest.body());
                throw giveUp(reason, refused, cause);
            }
            in = rest.body();
            resumes++;
            listener.resumed(position, size, resumes, reason);
            return;
        }
    }

    /** Why the answer is not the rest from {@link #position} to the end, or null when it is. */
    private String refusal(Rest rest) {
        String expected = "bytes " + position + "-" + (size - 1) + "/" + size;
        if (rest.status() != 206) {
            return "asked for the rest from byte " + position + ", the answer was HTTP " + rest.status()
                    + (rest.status() == 200 ? " with the whole object" : "") + " instead of 206 with the rest: not"
                    + " appended";
        }
        if (!expected.equals(rest.contentRange())) {
            return "asked for the rest from byte " + position + ", the answer's Content-Range was "
                    + rest.contentRange() + " instead of " + expected + ": not appended";
        }
        return null;
    }

    private DownloadBrokenException giveUp(String reason, String why, Exception cause) {
        DownloadBrokenException e = new DownloadBrokenException("the download of " + source + " ended after "
                + position + " of " + size + " bytes, resumed " + resumes + (resumes == 1 ? " time" : " times") + ": "
                + why + " (last break: " + reason + ")", cause);
        gaveUp = e;
        return e;
    }

    private static String describe(Exception e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException | RuntimeException ignored) {
            // abandoned
        }
    }
}
