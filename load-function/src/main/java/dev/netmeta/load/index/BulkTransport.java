package dev.netmeta.load.index;

import java.io.IOException;

/** Posts one {@code _bulk} NDJSON body; returns the HTTP status and the raw response body. */
@FunctionalInterface
public interface BulkTransport {

    BulkReply post(byte[] body, int length) throws IOException;

    record BulkReply(int status, byte[] body) {
    }
}
