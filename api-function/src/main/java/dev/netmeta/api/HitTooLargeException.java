package dev.netmeta.api;

import java.util.Locale;

/**
 * One hit alone is larger than a response can carry (Lambda's 6 MB proxy response): answered 413 with the id, and
 * with the cursor past that hit in {@code X-Next-Cursor}, so paging is never stuck on it.
 */
final class HitTooLargeException extends ApiException {

    private static final long serialVersionUID = 1L;

    private final transient String nextCursor;

    HitTooLargeException(SearchHit hit, long bytes, long maxBytes, String nextCursor) {
        super(413, "hit_too_large", String.format(Locale.ROOT, "document %s in %s is about %.1f MB in this response"
                        + " format, more than one response can carry (%.1f MB): ask for fewer fields (fields=...), or"
                        + " skip it: the cursor in X-Next-Cursor continues after it", hit.id(), hit.index(),
                bytes / 1e6, maxBytes / 1e6));
        this.nextCursor = nextCursor;
    }

    String nextCursor() {
        return nextCursor;
    }
}
