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
    private long lastRefused;

    /** The size of the last hit refused (for the error about a hit too large for any response). */
    long lastRefusedBytes() {
        return lastRefused;
    }

    /** Counts the hit unless the body would then exceed {@code maxBytes} (a first hit larger than that too). */
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
        if (bytes + size > maxBytes) {
            lastRefused = size;
            return false;
        }
        counted.add(hit);
        bytes += size;
        return true;
    }
}
