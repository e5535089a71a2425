package dev.netmeta.load;

import java.io.IOException;

/** The object was deleted, or replaced by a new version, before (or while) it was loaded. */
public final class ObjectGoneException extends IOException {

    public ObjectGoneException(String message) {
        super(message);
    }
}
