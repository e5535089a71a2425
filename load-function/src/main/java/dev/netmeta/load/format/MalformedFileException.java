package dev.netmeta.load.format;

import java.io.IOException;

/**
 * The file cannot be read any further because of its content (a bad Zeek header or escape, an unterminated CSV
 * quote swallowing the rest of the file…). Reading the same bytes again cannot help, so it is never retried.
 */
public final class MalformedFileException extends IOException {

    private final long line;

    public MalformedFileException(String message, Throwable cause) {
        this(message, -1, cause);
    }

    /** @param line the 1-based line where the problem is, or -1 when unknown */
    public MalformedFileException(String message, long line, Throwable cause) {
        super(line > 0 ? "line " + line + ": " + message : message, cause);
        this.line = line;
    }

    /** The 1-based line where the problem is, or -1 when unknown. */
    public long line() {
        return line;
    }
}
