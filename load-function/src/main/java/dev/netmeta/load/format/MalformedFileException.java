package dev.netmeta.load.format;

import java.io.IOException;

/** The file cannot be read any further (e.g. an unterminated quote swallowing the rest of a CSV file). */
public final class MalformedFileException extends IOException {

    public MalformedFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
