package dev.netmeta.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * Writes the hits of one response in one {@link OutputFormat}, hit by hit, measuring the body as it grows so the
 * {@link SearchService} stops before Lambda's response limit. One writer per response.
 */
interface ResultWriter {

    /** Continues an export whose previous response had this CSV layout (from the cursor); before any hit. */
    default void resume(CsvLayout layout) {
    }

    /** Sees each batch of hits fetched from the engine before its hits are added (CSV fixes its columns). */
    default void batch(List<SearchHit> hits) {
    }

    /**
     * Adds the hit unless the body, as carried in the proxy response, would then exceed {@code maxBytes} — also the
     * first hit of a response: a hit larger than any response is refused too (the caller answers 413 for it).
     *
     * @return whether the hit was added
     */
    boolean add(SearchHit hit, long maxBytes);

    /** The size the last refused hit would have added to the body, in proxy-response bytes. */
    long lastRefusedBytes();

    /** What the cursor of the next response carries so the export keeps its shape, or null. */
    default CsvLayout layout() {
        return null;
    }

    /** The body: the hits added, with the result's totals and cursor where the format has them. */
    String finish(SearchResult result);

    static ResultWriter of(OutputFormat format, ObjectMapper json, List<String> fields) {
        switch (format) {
            case NDJSON:
                return new NdjsonResultWriter(json);
            case CSV:
                return new CsvResultWriter(json, fields);
            default:
                return new JsonResultWriter(json);
        }
    }
}
