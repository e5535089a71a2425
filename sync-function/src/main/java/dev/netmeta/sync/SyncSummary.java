package dev.netmeta.sync;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What one invocation did; returned by the handler and logged as one JSON line.
 * {@code newFiles} counts listed files whose key was absent or had another size (JSON {@code "new"}).
 */
@JsonPropertyOrder({"mode", "listed", "notMatching", "new", "copied", "skippedUnstable", "skippedPresent", "deferred", "fannedOut",
    "listingSessionsDropped", "failed", "failures", "bytes", "durationMs"})
public final class SyncSummary {

    private final String mode;
    private final int listed;
    private final int notMatching;
    private final int newFiles;
    private final int copied;
    private final int skippedUnstable;
    private final int skippedPresent;
    private final int deferred;
    private final int fannedOut;
    private final int listingSessionsDropped;
    private final List<FileFailure> failures;
    private final long bytes;
    private final long durationMs;

    public SyncSummary(String mode, int listed, int notMatching, int newFiles, int copied, int skippedUnstable, int skippedPresent,
                       int deferred, int fannedOut, List<FileFailure> failures, long bytes, long durationMs) {
        this(mode, listed, notMatching, newFiles, copied, skippedUnstable, skippedPresent, deferred, fannedOut, 0, failures,
                bytes, durationMs);
    }

    public SyncSummary(String mode, int listed, int notMatching, int newFiles, int copied, int skippedUnstable, int skippedPresent,
                       int deferred, int fannedOut, int listingSessionsDropped, List<FileFailure> failures, long bytes,
                       long durationMs) {
        this.mode = mode;
        this.listed = listed;
        this.notMatching = notMatching;
        this.newFiles = newFiles;
        this.copied = copied;
        this.skippedUnstable = skippedUnstable;
        this.skippedPresent = skippedPresent;
        this.deferred = deferred;
        this.fannedOut = fannedOut;
        this.listingSessionsDropped = listingSessionsDropped;
        this.failures = List.copyOf(failures);
        this.bytes = bytes;
        this.durationMs = durationMs;
    }

    /** {@code scheduled} for a scheduled run, {@code copy-file} for a fanned-out single-file copy. */
    public String getMode() {
        return mode;
    }

    public int getListed() {
        return listed;
    }

    /**
     * Files the FTP listing showed that match none of FTP_PATTERNS, not copied and not in {@code listed} (a
     * {@code .csv} dropped where only {@code *.csv.gz} is synced shows up here).
     */
    public int getNotMatching() {
        return notMatching;
    }

    public int getNew() {
        return newFiles;
    }

    public int getCopied() {
        return copied;
    }

    public int getSkippedUnstable() {
        return skippedUnstable;
    }

    public int getSkippedPresent() {
        return skippedPresent;
    }

    /** Files not started (or stopped) because the invocation ran out of time and not fanned out: the next run takes them. */
    public int getDeferred() {
        return deferred;
    }

    public int getFannedOut() {
        return fannedOut;
    }

    /**
     * How often the server (or the link) dropped the FTP session of the listing — the directory walk's, or the MDTM
     * pass's after it — while the run went on from the listing, SIZE or MDTM it was at (docs/SYNC.md, step 1).
     */
    public int getListingSessionsDropped() {
        return listingSessionsDropped;
    }

    public int getFailed() {
        return failures.size();
    }

    public List<FileFailure> getFailures() {
        return failures;
    }

    public long getBytes() {
        return bytes;
    }

    public long getDurationMs() {
        return durationMs;
    }

    /**
     * At most this many failures, of at most {@link #LOGGED_FAILURE_CHARS} characters together (file names and reasons),
     * are named in the summary's log line; one more entry counts the rest. CloudWatch Logs keeps at most 256 KB of an
     * event: a longer line is cut, is no JSON any more, and the metric filter does not read its {@code failed}. (Three
     * UTF-8 bytes a character: 120 KB; six at the very worst, JSON-escaped control characters: 240 KB.)
     */
    static final int LOGGED_FAILURES = 200;
    static final int LOGGED_FAILURE_CHARS = 40_000;

    /**
     * Writes the JSON object of the log line, with the names and order of the returned object ({@link JsonPropertyOrder}):
     * with the streaming generator, because data binding's first use in a cold JVM (reflection, a few hundred
     * classes) took tens of milliseconds of every scheduled run. Every string passes {@code text} (the log's
     * redaction); at most {@link #LOGGED_FAILURES} failures are named ({@link #LOGGED_FAILURE_CHARS}).
     */
    void writeJson(JsonGenerator g, UnaryOperator<String> text) throws IOException {
        g.writeStartObject();
        g.writeStringField("mode", text.apply(mode));
        g.writeNumberField("listed", listed);
        g.writeNumberField("notMatching", notMatching);
        g.writeNumberField("new", newFiles);
        g.writeNumberField("copied", copied);
        g.writeNumberField("skippedUnstable", skippedUnstable);
        g.writeNumberField("skippedPresent", skippedPresent);
        g.writeNumberField("deferred", deferred);
        g.writeNumberField("fannedOut", fannedOut);
        g.writeNumberField("listingSessionsDropped", listingSessionsDropped);
        g.writeNumberField("failed", failures.size());
        g.writeArrayFieldStart("failures");
        int named = 0;
        long chars = 0;
        for (FileFailure f : failures) {
            chars += f.getFile().length() + f.getReason().length();
            if (named == LOGGED_FAILURES || chars > LOGGED_FAILURE_CHARS) {
                break;
            }
            g.writeStartObject();
            g.writeStringField("file", text.apply(f.getFile()));
            g.writeStringField("reason", text.apply(f.getReason()));
            g.writeEndObject();
            named++;
        }
        if (named < failures.size()) {
            g.writeStartObject();
            g.writeStringField("file", "(" + (failures.size() - named) + " more failures)");
            g.writeStringField("reason", "not named in this log line: CloudWatch Logs keeps at most 256 KB of one"
                    + " event, and a longer summary line would be cut and no longer read by the sync-failed-files metric"
                    + " filter; 'failed' counts them all, the handler's returned summary names them all");
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeNumberField("bytes", bytes);
        g.writeNumberField("durationMs", durationMs);
        g.writeEndObject();
    }

    @Override
    public String toString() {
        return "SyncSummary[" + mode + " listed=" + listed + " notMatching=" + notMatching + " new=" + newFiles + " copied=" + copied
                + " skippedUnstable=" + skippedUnstable + " skippedPresent=" + skippedPresent + " deferred=" + deferred
                + " fannedOut=" + fannedOut + " listingSessionsDropped=" + listingSessionsDropped + " failed=" + failures + " bytes=" + bytes + " durationMs=" + durationMs + "]";
    }
}
