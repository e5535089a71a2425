package dev.netmeta.load;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code LOAD_MAX_REJECTS} and {@code LOAD_MAX_REJECTS_BYTES} in front of one invocation's rejects: counts every
 * reject of the file — those of its earlier invocations (carried over), the reader's and OpenSearch's refusals
 * (written by the bulk workers, hence thread-safe) — and passes only the first {@code max} on to the rejects object,
 * as long as the object takes them within its byte bound (the sink knows its bytes, the carried-over lines
 * included, and refuses the line that would cross it); later ones are counted, not written. The reader stops once
 * {@link #exceeded()}, so a file of invalid rows (a wrong file, a compression bomb of bad lines, of long ones) cannot
 * make a rejects object, requests and Lambda time out of proportion to what was uploaded.
 */
final class RejectBudget implements RejectSink {

    /** How much of the first reject's reason the continuation payload and the error carry. */
    static final int REASON_CHARS = 300;

    /** Which bound was crossed first. */
    private enum Crossed { LINES, BYTES }

    private final RejectSink sink;
    private final long max;
    private final long maxBytes;
    private final AtomicLong count;
    /** Rejects lines the object holds: carried over and written. */
    private final AtomicLong kept;
    private volatile String first;
    /** The bytes of the first reject's line when the sink refused it: nothing was written (0: not so). */
    private volatile long firstRefusedBytes;
    private volatile boolean full;
    private volatile Crossed crossed;

    /**
     * @param sink     the rejects object, bounded to {@code maxBytes} ({@link RejectWriter#open})
     * @param max      the most rejects of the file; 0: no limit
     * @param maxBytes the sink's byte bound, for the error
     * @param earlier  rejects of the file's records before this invocation's start (its earlier invocations', whose
     *                 lines the sink carried over)
     * @param first    the first of them ({@link #describe}), null when none
     */
    RejectBudget(RejectSink sink, long max, long maxBytes, long earlier, String first) {
        this.sink = sink;
        this.max = max;
        this.maxBytes = maxBytes;
        this.count = new AtomicLong(earlier);
        this.kept = new AtomicLong(earlier);
        this.first = earlier > 0 ? first : null;
    }

    /**
     * Counts the reject and writes its line while both budgets take it: false when it is not written, because a
     * budget is crossed (by this reject or an earlier one) — no later reject is written then either, as
     * {@link RejectSink#write} says. A reject over a budget is counted (the report says how many); whether reading
     * must stop is {@link #exceeded()}.
     */
    @Override
    public boolean write(Reject reject) {
        if (first == null) {
            synchronized (this) {
                if (first == null) {
                    first = describe(reject);
                }
            }
        }
        if (count.incrementAndGet() > max && max > 0) {
            cross(Crossed.LINES);
            return false; // the rejects object keeps the first max
        }
        if (full) {
            return false;
        }
        if (!sink.write(reject)) {
            full = true; // the line would take the rejects object past LOAD_MAX_REJECTS_BYTES: it keeps what fit
            if (kept.get() == 0) {
                firstRefusedBytes = RejectLine.encode(reject).length; // larger than the bound on its own
            }
            cross(Crossed.BYTES);
            return false;
        }
        kept.incrementAndGet();
        return true;
    }

    private void cross(Crossed bound) {
        if (crossed == null) {
            synchronized (this) {
                if (crossed == null) {
                    crossed = bound;
                }
            }
        }
    }

    /** Whether the file has more rejects than a budget takes: reading must stop. */
    boolean exceeded() {
        return crossed != null;
    }

    /**
     * The rejects lines the rejects object holds, carried over and written: 0 when nothing was written, and the
     * sink then removes the object when closed.
     */
    long kept() {
        return kept.get();
    }

    /** The first reject of the file ({@code line N: reason}), null when there was none. */
    String first() {
        return first;
    }

    /**
     * The error of a file over a budget (the one crossed first); {@code format} may be null, {@code recordsRead}
     * from the file's start.
     */
    String error(String format, long recordsRead) {
        String why = " (first: " + first + ") — not a file of this format" + (format == null ? "" : " (" + format + ")")
                + ", or values the index maps otherwise? " + recordsRead + " records read; ";
        if (crossed == Crossed.BYTES && kept.get() == 0) {
            return "more than " + maxBytes + " bytes of rejects" + why + "the first reject alone is "
                    + firstRefusedBytes + " bytes as a rejects line, more than LOAD_MAX_REJECTS_BYTES (" + maxBytes
                    + "): no rejects object is saved";
        }
        if (crossed == Crossed.BYTES) {
            return "more than " + maxBytes + " bytes of rejects" + why + "the rejects object holds the first "
                    + kept.get() + " rejects, at most " + maxBytes + " bytes (LOAD_MAX_REJECTS_BYTES)";
        }
        return "more than " + max + " rows rejected" + why + "the rejects object holds the first " + max
                + " (LOAD_MAX_REJECTS)";
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
