package dev.netmeta.sync;

import java.io.IOException;

/** The remote file changed while it was being copied (it grew or shrank): it is skipped and retried next run. */
public class FileChangedException extends IOException {

    public FileChangedException(String message) {
        super(message);
    }
}
