package dev.netmeta.sync;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * What one invocation did; returned by the handler and logged as one JSON line, both with the same names in the same
 * order ({@link #entrySet}). {@code newFiles} counts listed files whose key was absent or had another size (JSON
 * {@code "new"}).
 *
 * <p>A map of its JSON fields, read-only, besides its getters: Lambda's runtime writes the handler's return value with
 * its own copy of Jackson (relocated, so it reads no Jackson annotation of ours: a {@code @JsonPropertyOrder} here was
 * ignored), which orders a bean's properties by its fields and puts those without a field of their name last — so the
 * returned summary began {@code "mode","listed","notMatching","copied",…} and ended {@code …,"durationMs","new",
 * "failed"} (a field cannot be called {@code new}), while the log line had them in this order. A map it writes in the
 * map's own order; so does the local runner, with the same serializer.
 */
public final class SyncSummary extends AbstractMap<String, Object> {

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
    /** {@link #entrySet}. */
    private final Map<String, Object> fields;

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
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", mode);
        json.put("listed", listed);
        json.put("notMatching", notMatching);
        json.put("new", newFiles);
        json.put("copied", copied);
        json.put("skippedUnstable", skippedUnstable);
        json.put("skippedPresent", skippedPresent);
        json.put("deferred", deferred);
        json.put("fannedOut", fannedOut);
        json.put("listingSessionsDropped", listingSessionsDropped);
        json.put("failed", this.failures.size());
        json.put("failures", this.failures);
        json.put("bytes", bytes);
        json.put("durationMs", durationMs);
        this.fields = Collections.unmodifiableMap(json);
    }

    /**
     * The JSON fields in their one order, the handler's return value's and the log line's ({@link #writeJson}); the
     * returned one names every failure.
     */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        return fields.entrySet();
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
     * Writes the JSON object of the log line, with the names and order of the returned object ({@link #entrySet}):
     * with the streaming generator, because data binding's first use in a cold JVM (reflection, a few hundred
     * classes) took tens of milliseconds of every scheduled run. Every string passes {@code text} (the log's
     * redaction); at most {@link #LOGGED_FAILURES} failures are named ({@link #LOGGED_FAILURE_CHARS}).
     */
    void writeJson(JsonGenerator g, UnaryOperator<String> text) throws IOException {
        g.writeStartObject();
        for (Entry<String, Object> field : fields.entrySet()) {
            g.writeFieldName(field.getKey());
            Object value = field.getValue();
            if (value == failures) {
                writeFailures(g, text);
            } else if (value instanceof Number n) {
                g.writeNumber(n.longValue());
            } else {
                g.writeString(text.apply(String.valueOf(value)));
            }
        }
        g.writeEndObject();
    }

    private void writeFailures(JsonGenerator g, UnaryOperator<String> text) throws IOException {
        g.writeStartArray();
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
    }

    @Override
    public String toString() {
        return "SyncSummary[" + mode + " listed=" + listed + " notMatching=" + notMatching + " new=" + newFiles + " copied=" + copied
                + " skippedUnstable=" + skippedUnstable + " skippedPresent=" + skippedPresent + " deferred=" + deferred
                + " fannedOut=" + fannedOut + " listingSessionsDropped=" + listingSessionsDropped + " failed=" + failures + " bytes=" + bytes + " durationMs=" + durationMs + "]";
    }
}
