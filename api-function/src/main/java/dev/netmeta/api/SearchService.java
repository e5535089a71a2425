package dev.netmeta.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The search logic: resumes from a cursor, fetches pages from the {@link SearchBackend} until the requested size
 * or the response byte budget is reached, and hands out the cursor of the next page.
 *
 * <p>Pages are fetched with one hit more than needed, so the last page carries no {@code next} and the caller
 * never has to fetch an empty page to learn that it is done.
 */
public final class SearchService {

    /** Lambda's response limit is 6 MB for the whole (JSON-escaped) proxy response; keep 1 MB of headroom. */
    static final long DEFAULT_BODY_BUDGET_BYTES = 5_000_000;
    /** Hits per request to the engine during an export. */
    static final int BACKEND_PAGE = 1000;

    private final SearchBackend backend;
    private final CursorCodec cursors;
    private final long timeoutMs;
    private final long bodyBudgetBytes;
    private final LongSupplier clock;

    public SearchService(SearchBackend backend, ObjectMapper json, long timeoutMs) {
        this(backend, json, timeoutMs, DEFAULT_BODY_BUDGET_BYTES, System::currentTimeMillis);
    }

    SearchService(SearchBackend backend, ObjectMapper json, long timeoutMs, long bodyBudgetBytes, LongSupplier clock) {
        this.backend = backend;
        this.cursors = new CursorCodec(json);
        this.timeoutMs = timeoutMs;
        this.bodyBudgetBytes = bodyBudgetBytes;
        this.clock = clock;
    }

    public SearchResult search(SearchParameters p) {
        long started = clock.getAsLong();
        String fingerprint = CursorCodec.fingerprint(p);
        List<Object> searchAfter = p.cursor() == null ? List.of()
                : cursors.decode(p.cursor(), fingerprint, p.sort().size() + backend.tiebreakerValues());

        List<SearchHit> hits = new ArrayList<>(Math.min(p.size(), BACKEND_PAGE));
        long bytes = 0;
        boolean exactSizes = false;
        long took = 0;
        long total = 0;
        boolean exact = true;
        boolean more = false;
        boolean first = true;
        int remaining = p.size();
        while (true) {
            int batch = Math.min(remaining, BACKEND_PAGE);
            long timeLeft = timeoutMs - (clock.getAsLong() - started);
            SearchPage page = backend.search(new BackendQuery(p.query(), p.fromMillis(), p.toMillis(), p.sort(),
                    searchAfter, batch + 1, p.fields(), Math.max(1, timeLeft)));
            if (page.timedOut()) {
                throw new SearchBackendException(SearchBackendException.Kind.TIMEOUT,
                        "the search did not finish within " + timeoutMs + " ms; narrow the query or the time range");
            }
            took += page.tookMs();
            if (first) {
                total = page.total();
                exact = page.totalExact();
                first = false;
            }
            List<SearchHit> pageHits = page.hits();
            int usable = Math.min(batch, pageHits.size());
            boolean budgetReached = false;
            for (int i = 0; i < usable; i++) {
                SearchHit hit = pageHits.get(i);
                long size = upperBound(hit);
                if (!exactSizes && bytes + size > bodyBudgetBytes) {
                    // Near the budget: switch from the cheap bound to the exact count (one pass over what we have).
                    exactSizes = true;
                    bytes = 0;
                    for (SearchHit h : hits) {
                        bytes += estimatedBytes(h);
                    }
                }
                if (exactSizes) {
                    size = estimatedBytes(hit);
                }
                if (!hits.isEmpty() && bytes + size > bodyBudgetBytes) {
                    budgetReached = true;
                    break;
                }
                hits.add(hit);
                bytes += size;
            }
            if (budgetReached) {
                more = true;
                break;
            }
            if (pageHits.size() <= batch) {
                more = false;
                break;
            }
            remaining -= batch;
            if (remaining == 0) {
                more = true;
                break;
            }
            // An export pages on; stop early when half the time is used so the answer still arrives in time.
            if (clock.getAsLong() - started > timeoutMs / 2) {
                more = true;
                break;
            }
            searchAfter = hits.get(hits.size() - 1).sortValues();
        }
        String next = more && !hits.isEmpty()
                ? cursors.encode(fingerprint, hits.get(hits.size() - 1).sortValues()) : null;
        return new SearchResult(total, exact, took, hits, next);
    }

    /**
     * Upper estimate of the bytes a hit adds to the response once the body is JSON-escaped inside the proxy
     * response: quotes and backslashes count twice (the proxy escapes them), non-ASCII characters three bytes,
     * control characters six; plus the hit's envelope.
     */
    static long estimatedBytes(SearchHit hit) {
        return 64 + escaped(hit.id()) + escaped(hit.index()) + escaped(hit.sourceJson());
    }

    /** Cheap bound of {@link #estimatedBytes}: no character costs more than three bytes. */
    static long upperBound(SearchHit hit) {
        return 64 + 3L * (hit.id().length() + hit.index().length() + hit.sourceJson().length());
    }

    private static long escaped(String s) {
        long bytes = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                bytes += 1;
            } else if (c < 0x20) {
                bytes += 5;
            } else if (c > 0x7f) {
                bytes += 2;
            }
        }
        return bytes;
    }
}
