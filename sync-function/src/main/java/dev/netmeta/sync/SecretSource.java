package dev.netmeta.sync;

/** Where the FTP password comes from. Implementations fetch lazily and at most once per container. */
public interface SecretSource {

    String password();

    /** The password if it is already known, without fetching it (used to redact messages); may be null. */
    default String ifFetched() {
        return password();
    }
}
