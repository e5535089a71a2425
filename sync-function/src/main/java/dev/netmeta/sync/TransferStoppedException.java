package dev.netmeta.sync;

import java.io.IOException;

/** A transfer was stopped between two parts because the invocation is about to run out of time. */
public class TransferStoppedException extends IOException {

    public TransferStoppedException(String message) {
        super(message);
    }
}
