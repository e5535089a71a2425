package dev.netmeta.sync;

/** One file that could not be copied, and why (the reason never contains the password). */
public final class FileFailure {

    private final String file;
    private final String reason;

    public FileFailure(String file, String reason) {
        this.file = file;
        this.reason = reason;
    }

    public String getFile() {
        return file;
    }

    public String getReason() {
        return reason;
    }

    @Override
    public String toString() {
        return file + ": " + reason;
    }
}
