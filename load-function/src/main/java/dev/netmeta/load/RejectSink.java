package dev.netmeta.load;

import java.io.IOException;

/**
 * The rejects of one file, bounded in bytes ({@code LOAD_MAX_REJECTS_BYTES}, given to {@link RejectWriter#open});
 * {@link #write} is safe to call from several threads.
 */
public interface RejectSink extends AutoCloseable {

    /**
     * Adds the reject's line ({@link RejectLine}) — unless the rejects object, with the lines carried over from
     * earlier invocations, would then hold more than its bound: then nothing is written, now or later, and the
     * answer is false (the sink is full).
     */
    boolean write(Reject reject);

    /** Makes the rejects durable. */
    @Override
    void close() throws IOException;
}
