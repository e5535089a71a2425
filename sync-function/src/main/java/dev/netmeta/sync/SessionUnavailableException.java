package dev.netmeta.sync;

/**
 * No FTP session could be opened for a transfer (connect or login refused, e.g. the server's per-user session limit
 * is below the number of parallel transfers). Distinct from a failure of the file itself: another transfer stream
 * that does have a session can take the file.
 */
public class SessionUnavailableException extends java.io.IOException {
    public SessionUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
