package dev.netmeta.local.runner.manifest;

/** The manifest cannot be read or does not describe what the local runner needs; the message says what and where. */
public class ManifestException extends RuntimeException {
    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
