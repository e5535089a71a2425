package dev.netmeta.api;

import java.util.List;

/**
 * One document found.
 *
 * @param id         document id
 * @param index      the daily index it lives in
 * @param source     the document (or the requested fields): the JSON object the engine returned, as it sent it
 * @param sortValues the values that place it in the result order (sort keys, then the tiebreaker)
 */
public record SearchHit(String id, String index, RawJson source, List<Object> sortValues) {

    /** The document as JSON text. */
    public String sourceJson() {
        return source.getValue();
    }
}
