package dev.netmeta.load.index;

import java.util.Map;

/** Documents of one file on their way into the index; {@link #finish()} waits until every one is settled. */
public interface IndexingSession {

    /**
     * Queues one document (blocks while the configured number of bulk requests is in flight). {@code position} is
     * the record's position in the file: it is written as the document's {@code sourceRecord} (with the session's
     * {@code sourceFile}) and reported with a rejection.
     *
     * @throws IndexingFailedException when an earlier bulk request failed for good: stop reading the file
     */
    void add(String index, String id, long position, long line, Map<String, Object> document);

    /**
     * Sends what is buffered, waits for every request in flight (with its retries) and returns the outcome — but
     * not past the deadline: documents still unsettled then are counted in {@code unsettled}, with
     * {@code resumeAt} the lowest position among them.
     */
    IndexingResult finish();

    /**
     * True once the session has stopped sending because the invocation's time ran out (or a request slot could not
     * be had before it did): documents added from then on are only held in memory, to be read again by the
     * continuation, so the reader should stop.
     */
    default boolean outOfTime() {
        return false;
    }
}
