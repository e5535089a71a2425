package dev.netmeta.api;

import java.util.List;

/**
 * One document found.
 *
 * @param id         document id
 * @param index      the daily index it lives in
 * @param sourceJson the document (or the requested fields) as the JSON object text the engine returned
 * @param sortValues the values that place it in the result order (sort keys, then the tiebreaker)
 */
public record SearchHit(String id, String index, String sourceJson, List<Object> sortValues) {
}
