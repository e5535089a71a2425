package dev.netmeta.sync;

import java.time.Instant;

/**
 * A file on the remote server.
 *
 * @param path     path relative to the configured remote directory, '/'-separated, no leading '/'
 * @param size     size in bytes; -1 when the server did not tell it
 * @param modified last modification time; when the listing only gives minute precision (LIST), the latest
 *                 instant the file could have been modified (so the minimum-age rule stays conservative); null when
 *                 the server did not tell it
 */
public record RemoteFile(String path, long size, Instant modified) {

    /**
     * Whether the server told both facts a copy needs: the size (to compare with the bucket and to check the
     * transfer) and the modification time (the minimum-age rule: is it still being written?).
     */
    public boolean hasSizeAndTime() {
        return size >= 0 && modified != null;
    }
}
