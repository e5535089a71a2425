package dev.netmeta.load;

import java.io.IOException;

/** The object was deleted, or replaced by a new version, before (or while) it was loaded. */
public final class ObjectGoneException extends IOException {

    private final boolean replaced;

    /** The object no longer exists. */
    public ObjectGoneException(String message) {
        this(message, false);
    }

    /** @param replaced true when the key holds another version now (not: the object no longer exists) */
    public ObjectGoneException(String message, boolean replaced) {
        super(message);
        this.replaced = replaced;
    }

    /** Whether the key holds another version now: that version is the one to load. */
    public boolean replaced() {
        return replaced;
    }
}
