package dev.netmeta.load;

import java.io.IOException;

/** The rejects of one file; {@link #write} is safe to call from several threads. */
public interface RejectSink extends AutoCloseable {

    void write(Reject reject);

    /** Makes the rejects durable. */
    @Override
    void close() throws IOException;
}
