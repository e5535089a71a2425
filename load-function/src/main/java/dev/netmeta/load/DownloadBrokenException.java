package dev.netmeta.load;

import java.io.IOException;

/**
 * The object's download broke and could not be resumed where it broke (attempts without progress used up, too little
 * time left, or an answer that would have skipped or repeated bytes): the same bytes are there to be read again, so
 * the load fails retryably. The message says where the download ended and how often it was resumed.
 */
public final class DownloadBrokenException extends IOException {

    public DownloadBrokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
