package dev.netmeta.load;

import java.io.IOException;

/**
 * The decoder found the data corrupt and the reading time ran out before the rest of the object was read to compare
 * its whole-object checksum ({@link SourceObject#verifyRest}): whether the object is corrupt or its bytes were changed
 * on the way is not known. Not a broken download: a retry would start where this pass started and run out of time at
 * about the same byte, so the load hands the file to a continuation, which reaches the break with a fresh clock.
 */
public final class NoTimeToVerifyException extends IOException {

    public NoTimeToVerifyException(String message) {
        super(message);
    }
}
