package dev.netmeta.sync;

import java.time.Instant;

/**
 * A file on the remote server.
 *
 * @param path     path relative to the configured remote directory, '/'-separated, no leading '/'
 * @param size     size in bytes
 * @param modified last modification time; when the listing only gives minute precision (LIST), the latest
 *                 instant the file could have been modified (so the minimum-age rule stays conservative)
 */
public record RemoteFile(String path, long size, Instant modified) {
}
