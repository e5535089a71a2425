package dev.netmeta.api;

import java.util.List;

/**
 * One page from the {@link SearchBackend}.
 *
 * @param total      number of matching documents (a lower bound when {@code totalExact} is false)
 * @param totalExact whether {@code total} is exact
 * @param tookMs     time the engine reports for the search
 * @param timedOut   whether the engine stopped before it searched everything
 * @param hits       the hits of this page, in order
 */
public record SearchPage(long total, boolean totalExact, long tookMs, boolean timedOut, List<SearchHit> hits) {
}
