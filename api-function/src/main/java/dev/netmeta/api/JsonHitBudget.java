package dev.netmeta.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Size of a JSON or NDJSON body as hits are added: a cheap bound while far from the limit, the exact escaped size
 * (one pass over what is there) from the moment the bound would reach it.
 */
final class JsonHitBudget {

    private final List<SearchHit> counted = new ArrayList<>();
    private long bytes;
    private boolean exact;

    /** Counts the hit unless the body would then exceed {@code maxBytes}; the first hit always counts. */
    boolean add(SearchHit hit, long maxBytes) {
        long size = ProxyBodySize.upperBound(hit);
        if (!exact && bytes + size > maxBytes) {
            exact = true;
            bytes = 0;
            for (SearchHit h : counted) {
                bytes += ProxyBodySize.estimatedBytes(h);
            }
        }
        if (exact) {
            size = ProxyBodySize.estimatedBytes(hit);
        }
        if (!counted.isEmpty() && bytes + size > maxBytes) {
            return false;
        }
        counted.add(hit);
        bytes += size;
        return true;
    }
}
