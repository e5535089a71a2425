package dev.netmeta.api;

import java.util.List;

/**
 * What a search returns to the caller.
 *
 * @param total      matching documents (a lower bound when {@code totalExact} is false)
 * @param totalExact whether {@code total} is exact
 * @param tookMs     engine time summed over the pages fetched for this response
 * @param hits       the hits, in order
 * @param next       cursor for the following page, or null when there is none
 */
public record SearchResult(long total, boolean totalExact, long tookMs, List<SearchHit> hits, String next) {
}
