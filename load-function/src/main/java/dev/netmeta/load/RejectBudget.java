package dev.netmeta.load;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code LOAD_MAX_REJECTS} in front of one invocation's rejects: counts every reject of the file — those of its
 * earlier invocations (carried over), the reader's and OpenSearch's refusals (written by the bulk workers, hence
 * thread-safe) — and passes only the first {@code max} on to the rejects object; later ones are counted, not
 * written. The reader stops once {@link #exceeded()}, so a file of invalid rows (a wrong file, a compression bomb
 * of bad lines) cannot make a rejects object, requests and Lambda time out of proportion to what was uploaded.
 */
final class RejectBudget implements RejectSink {

    /** How much of the first reject's reason the continuation payload and the error carry. */
    static final int REASON_CHARS = 300;

    private final RejectSink sink;
    private final long max;
    private final AtomicLong count;
    private volatile String first;

    /**
     * @param max     the most rejects of the file; 0: no limit
     * @param earlier rejects of the file's records before this invocation's start (its earlier invocations')
     * @param first   the first of them ({@link #describe}), null when none
     */
    RejectBudget(RejectSink sink, long max, long earlier, String first) {
        this.sink = sink;
        this.max = max;
        this.count = new AtomicLong(earlier);
        this.first = earlier > 0 ? first : null;
    }

    @Override
    public void write(Reject reject) {
        if (max > 0 && count.incrementAndGet() > max) {
            return; // counted (the report says how many), not written: the rejects object keeps the first max
        }
        if (first == null) {
            synchronized (this) {
                if (first == null) {
                    first = describe(reject);
                }
            }
        }
        sink.write(reject);
    }

    /** Whether the file has more rejects than the budget: reading must stop. */
    boolean exceeded() {
        return max > 0 && count.get() > max;
    }

    /** The first reject of the file ({@code line N: reason}), null when there was none. */
    String first() {
        return first;
    }

    /** The error of a file over the budget; {@code format} may be null, {@code recordsRead} from the file's start. */
    String error(String format, long recordsRead) {
        return "more than " + max + " rows rejected (first: " + first + ") — not a file of this format"
                + (format == null ? "" : " (" + format + ")") + ", or values the index maps otherwise? "
                + recordsRead + " records read; the rejects object holds the first " + max + " (LOAD_MAX_REJECTS)";
    }

    static String describe(Reject reject) {
        String reason = String.valueOf(reject.reason());
        if (reason.length() > REASON_CHARS) {
            reason = reason.substring(0, REASON_CHARS) + "…";
        }
        return "line " + reject.line() + ": " + reason;
    }

    @Override
    public void close() throws IOException {
        sink.close();
    }
}
