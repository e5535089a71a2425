package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.sync.SyncProgress;
import dev.netmeta.local.runner.watch.BucketWatcher;
import dev.netmeta.local.runner.watch.LoadProgress;
import dev.netmeta.local.runner.watch.LoadReport;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The console lines a person follows: one per file synced (bytes, MB/s) and per file loaded (rows, rows/s,
 * rejected), failures, one line once the files of the start's first sync (the samples on a first run) are all
 * loaded — or what failed — and the totals for the summary on shutdown.
 */
public final class Progress implements SyncProgress, LoadProgress {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream console;
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong filesCopied = new AtomicLong();
    private final AtomicLong bytesCopied = new AtomicLong();
    /** Sync runs that FAILED and files a run could not copy. */
    private final AtomicLong syncFailures = new AtomicLong();
    /** Guards the summary's load counts: what the loads this run delivered ended with. */
    private final Object loadTotals = new Object();
    private long filesLoaded;
    private long rowsIndexed;
    private long rowsRejected;
    private long rowsSkipped;
    /** Rows past the index retention (the report's {@code expired}): read, not indexed, not rejected. */
    private long rowsExpired;
    /** Keys whose last load of this run failed (a later success of the same key takes it out). */
    private final Set<String> filesFailed = new HashSet<>();
    /** Files whose load the stop cut off (a FAILED report written during the stop's grace), not counted as failed. */
    private final Set<String> filesCutOff = new HashSet<>();
    /** Keys whose last load of this run succeeded with warnings (the file loaded, but looks wrong). */
    private final Set<String> filesWarned = new TreeSet<>();
    /** Keys whose load this start continued (a CONTINUING report the last stop left), and from which row. */
    private final Map<String, Long> continuedFrom = new HashMap<>();
    /** Deliveries still queued for a free slot when the runner stopped: their loads never began. */
    private long loadsNotStarted;
    private volatile JsonNode lastSync;
    private volatile String syncMinAgeSeconds;
    private volatile int samplesSeeded;
    private volatile String tryCommand;
    private volatile String statusUrl;
    private volatile String deliveredTo;
    private volatile String deliveryRules;
    /** Guards the first-loads fields: outcomes recorded until the line is said (a load may end before its sync). */
    private final Object firstLoads = new Object();
    private final Map<String, LoadOutcome> firstLoadsOutcomes = new HashMap<>();
    private Set<String> firstLoadsAwaited;
    private long firstSyncFailed;
    private boolean firstLoadsDone;
    /** The ready line said that a line about the samples follows: a start that ends up with none says why instead. */
    private boolean firstLoadsPromised;
    private boolean firstSyncFailureSaid;

    public Progress(PrintStream console) {
        this.console = console;
    }

    public void line(String text) {
        console.println(LocalTime.now().format(CLOCK) + "  " + text);
        console.flush();
    }

    public JsonNode lastSync() {
        return lastSync;
    }

    public long syncs() {
        return syncs.get();
    }

    /** A new object the sync wrote during a run. */
    public record CopiedObject(String key, long size) {
    }

    @Override
    public void syncFinished(String trigger, InvocationResult result) {
        syncFinished(trigger, result, List.of());
    }

    /**
     * One line per object the run copied (size, and the run's average rate: the sync reports no per-file times),
     * then the run's summary line and one line per failed file.
     */
    public void syncFinished(String trigger, InvocationResult result, List<CopiedObject> copiedObjects) {
        syncFinished(trigger, result, copiedObjects, key -> true);
    }

    /**
     * As above; the first run of this start that did not fail also names the files whose loads end in one line
     * ({@link #loadsQuiet}): those of {@code copiedObjects} that {@code delivered} says reach a function.
     */
    public void syncFinished(String trigger, InvocationResult result, List<CopiedObject> copiedObjects,
                             Predicate<String> delivered) {
        if ("Runtime.Shutdown".equals(result.errorType())) {
            line("sync (" + trigger + ") stopped by the shutdown; files it did not finish are copied by the next run");
            return;
        }
        syncs.incrementAndGet();
        if (result.failed()) {
            syncFailures.incrementAndGet();
            lastSync = Json.MAPPER.createObjectNode().put("errorType", result.errorType()).put("errorMessage", result.errorMessage());
            line("sync FAILED (" + trigger + "): " + result.errorType() + ": " + result.errorMessage());
            firstSyncRunFailed();
            return;
        }
        JsonNode summary;
        try {
            summary = Json.MAPPER.readTree(result.payload() == null ? "null".getBytes(StandardCharsets.UTF_8) : result.payload());
        } catch (Exception e) {
            summary = Json.MAPPER.createObjectNode().put("response", result.payloadText());
        }
        lastSync = summary;
        long copied = Math.max(0, number(summary, "copied"));
        long bytes = Math.max(0, number(summary, "bytes"));
        long millis = number(summary, "durationMs");
        String rate = rate(bytes, millis);
        for (CopiedObject o : copiedObjects) {
            line("synced  " + o.key() + "  " + size(o.size()) + (rate == null ? "" : "  (run average " + rate + ")"));
        }
        filesCopied.addAndGet(copied);
        bytesCopied.addAndGet(bytes);
        line(summaryLine(trigger, summary, copied, bytes, millis, rate));
        for (JsonNode failure : summary.path("failures")) {
            syncFailures.incrementAndGet();
            line("FAILED  " + text(failure, "file") + "  " + text(failure, "reason"));
        }
        firstSync(copied, copiedObjects, delivered, Math.max(0, number(summary, "failed")));
    }

    /**
     * The run in one line, every file the FTP listing showed counted once: SyncSummary's {@code listed} excludes the
     * files that match no FTP_PATTERNS ({@code notMatching}), so "seen" is their sum. The summary does not name the
     * files held back as still being written, so the line gives their number and the rule that holds them back.
     */
    private String summaryLine(String trigger, JsonNode summary, long copied, long bytes, long millis, String rate) {
        StringBuilder b = new StringBuilder("sync (" + trigger + ")");
        if (millis >= 0) {
            b.append(String.format(Locale.ROOT, " in %.1f s", millis / 1000.0));
        }
        b.append(": ");
        long listed = number(summary, "listed");
        long notMatching = Math.max(0, number(summary, "notMatching"));
        if (listed >= 0) {
            long seen = listed + notMatching;
            b.append(seen).append(seen == 1 ? " file seen" : " files seen");
            if (seen == 0 && copied == 0) {
                return b.toString();
            }
            b.append(": ");
        }
        b.append(copied).append(" copied");
        if (bytes > 0) {
            b.append(" (").append(size(bytes)).append(rate == null ? "" : ", " + rate).append(')');
        }
        long present = number(summary, "skippedPresent");
        if (present > 0) {
            b.append(", ").append(present).append(" already in S3");
        }
        long unstable = number(summary, "skippedUnstable");
        if (unstable > 0) {
            String minAge = syncMinAgeSeconds == null ? "SYNC_MIN_AGE_SECONDS"
                    : "SYNC_MIN_AGE_SECONDS = " + syncMinAgeSeconds + " s";
            b.append(", ").append(unstable).append(" still being written (modified less than ").append(minAge)
                    .append(" ago; a later run copies ").append(unstable == 1 ? "it" : "them");
            LocalTime oldEnough = oldEnoughAt();
            if (oldEnough != null) {
                // listed during this run, so modified after now less the minimum age: old enough by now plus it
                b.append(": the next scheduled one, or POST /_local/sync again after ").append(oldEnough.format(CLOCK));
            }
            b.append(')');
        }
        long deferred = number(summary, "deferred");
        if (deferred > 0) {
            b.append(", ").append(deferred).append(" deferred to the next run (out of time)");
        }
        long fannedOut = number(summary, "fannedOut");
        if (fannedOut > 0) {
            b.append(", ").append(fannedOut).append(" fanned out to copy-file invocations");
        }
        long failed = number(summary, "failed");
        if (failed > 0) {
            b.append(", ").append(failed).append(" failed");
        }
        if (notMatching > 0) {
            b.append(", ").append(notMatching).append(" not matching FTP_PATTERNS (ignored)");
        }
        long dropped = number(summary, "listingSessionsDropped");
        if (dropped > 0) {
            b.append("; the FTP server dropped the listing's session ").append(dropped == 1 ? "once" : dropped + " times")
                    .append(", and the listing went on from where it was (logs/output.log names where)");
        }
        return b.toString();
    }

    /**
     * When the files a run just held back as still being written are all old enough to be copied: now plus
     * SYNC_MIN_AGE_SECONDS, rounded up to the second; null when that setting is not a number of seconds.
     */
    private LocalTime oldEnoughAt() {
        String seconds = syncMinAgeSeconds;
        if (seconds == null || !seconds.matches("[0-9]{1,9}")) {
            return null;
        }
        LocalTime t = LocalTime.now().plusSeconds(Long.parseLong(seconds));
        return t.getNano() == 0 ? t : t.withNano(0).plusSeconds(1);
    }

    /** The sync function's SYNC_MIN_AGE_SECONDS, named with its value in the sync line (null: named only). */
    public void syncMinAgeSeconds(String seconds) {
        this.syncMinAgeSeconds = seconds == null || seconds.isBlank() ? null : seconds.strip();
    }

    // ---- one line once the files of the first sync (the samples) are loaded ----

    /** Sample files written into the FTP root at this start: the line that says they are loaded calls them samples. */
    public void samplesSeeded(int files) {
        samplesSeeded = files;
    }

    /** What the line that says the first sync's files are loaded suggests, and where to look when one failed. */
    public void searchable(String tryCommand, String statusUrl) {
        this.tryCommand = tryCommand;
        this.statusUrl = statusUrl;
    }

    /**
     * The function the bucket watcher delivers new objects to and its {@code s3} rules as the runner reads them
     * ({@code S3Trigger.describeRules}): named when the first sync copied files that none of the rules match.
     */
    public void deliveredBy(String function, String rules) {
        this.deliveredTo = function;
        this.deliveryRules = rules;
    }

    /**
     * The ready line. It offers {@code search} (a curl, or nothing without a GET route), unless sample files were
     * seeded at this start, {@code samplesOnTheirWay} (a sync runs at start and a function loads what it copies) and
     * the line that says they are loaded has not come yet: a search then finds nothing, so the line says that the
     * samples are being synced and loaded and that a line follows. Decided and printed under the lock of that line,
     * so the ready line never announces a line already printed. {@code noSearch} (or null) says instead of
     * {@code search} why a search of the samples finds nothing (they are past the index retention:
     * {@link ReadyBanner#samplesPastRetention}).
     */
    public void ready(long startMillis, String search, String statusUrl, boolean samplesOnTheirWay, String noSearch) {
        synchronized (firstLoads) {
            String offer = noSearch != null && search != null && !search.isEmpty() ? noSearch : search;
            if (samplesOnTheirWay && samplesSeeded > 0 && !firstLoadsDone) {
                firstLoadsPromised = true;
                offer = "syncing and loading the " + samplesSeeded + (samplesSeeded == 1 ? " sample file" : " sample files")
                        + "; a line follows when " + (samplesSeeded == 1 ? "it is" : "they are") + " loaded";
            }
            line(String.format(Locale.ROOT, "ready in %.1f s: %s   status: %s", startMillis / 1000.0,
                    offer == null ? "" : offer, statusUrl));
        }
    }

    /**
     * Nothing ran or waited when the bucket watcher began its last listing, so every load report written so far has
     * been read: a failed load is not retried any more, and its failure can be said.
     */
    public void loadsQuiet() {
        synchronized (firstLoads) {
            firstLoadsCheck(true);
        }
    }

    /**
     * A run failed before any run of this start succeeded: the ready line's promised line waits for the first run that
     * does not fail — a retry, a later scheduled run or POST /_local/sync, possibly none — so it says so, once.
     */
    private void firstSyncRunFailed() {
        synchronized (firstLoads) {
            if (firstLoadsPromised && firstLoadsAwaited == null && !firstLoadsDone && !firstSyncFailureSaid) {
                firstSyncFailureSaid = true;
                line("samples: not synced, the first sync FAILED (line above); the line about them follows the first"
                        + " run that does not fail (a retry, the next scheduled run or POST /_local/sync) — see "
                        + statusUrl);
            }
        }
    }

    private void firstSync(long copied, List<CopiedObject> copiedObjects, Predicate<String> delivered, long syncFailed) {
        synchronized (firstLoads) {
            if (firstLoadsAwaited != null || firstLoadsDone) {
                return; // only the first run that did not fail
            }
            if (copiedObjects.size() < copied) {
                // the runner could not list what the run copied: no count rather than a wrong one
                abandonFirstLoads("being loaded; the runner could not list what the first sync copied, so no line"
                        + " says when they are loaded — see " + statusUrl);
                return;
            }
            firstLoadsAwaited = new LinkedHashSet<>();
            copiedObjects.stream().map(CopiedObject::key).filter(delivered).forEach(firstLoadsAwaited::add);
            firstSyncFailed = syncFailed;
            if (firstLoadsAwaited.isEmpty() && !copiedObjects.isEmpty()) {
                // copied, but the watcher's rules take none of it: the notification filter, not the sync
                int n = copiedObjects.size();
                abandonFirstLoads("nothing to load, the first sync copied " + n + (n == 1 ? " file" : " files")
                        + " and none is delivered (" + (deliveredTo == null ? "no function has an s3 event"
                        : "the s3 rules of " + deliveredTo + (n == 1 ? " do not match it: " : " match none of them: ")
                        + deliveryRules) + ")"
                        + (syncFailed > 0 ? "; " + syncFailed + " not copied by the sync (FAILED line above)" : "")
                        + " — see " + statusUrl);
                return;
            }
            if (firstLoadsAwaited.isEmpty() && (syncFailed == 0 || samplesSeeded == 0)) {
                abandonFirstLoads("nothing to load, the first sync copied none of them (see " + statusUrl + ")"
                        + (tryCommand == null ? "" : " — try: " + tryCommand));
                return;
            }
            firstLoadsCheck(false);
        }
    }

    private void firstLoadOutcome(String key, LoadOutcome outcome) {
        synchronized (firstLoads) {
            if (firstLoadsDone || firstLoadsAwaited != null && !firstLoadsAwaited.contains(key)) {
                return;
            }
            if (firstLoadsOutcomes.size() >= 100_000) { // the first sync never finished: stop keeping loads for it
                abandonFirstLoads("the first sync has not finished; no line says when they are loaded — see " + statusUrl);
                return;
            }
            firstLoadsOutcomes.put(key, outcome);
            firstLoadsCheck(false);
        }
    }

    /**
     * Says it once every awaited file has an outcome: at once when all loaded and the sync copied all it should;
     * otherwise only when {@code quiet} — a failed load is retried (and its retry may load it) while it still runs.
     */
    private void firstLoadsCheck(boolean quiet) {
        if (firstLoadsDone || firstLoadsAwaited == null || !firstLoadsOutcomes.keySet().containsAll(firstLoadsAwaited)) {
            return;
        }
        List<String> failed = new ArrayList<>();
        long loaded = 0;
        long rows = 0;
        long rejected = 0;
        long expired = 0;
        for (String key : firstLoadsAwaited) {
            LoadOutcome o = firstLoadsOutcomes.get(key);
            if (o.error() == null) {
                loaded++;
                rows += o.rowsIndexed();
                rejected += o.rowsRejected();
                expired += o.rowsExpired();
            } else {
                failed.add(key + " (" + o.error() + ")");
            }
        }
        if ((!failed.isEmpty() || firstSyncFailed > 0) && !quiet) {
            return;
        }
        firstLoadsDone = true;
        firstLoadsOutcomes.clear();
        String what = samplesSeeded > 0 ? "samples" : "first sync's files";
        String rowText = String.format(Locale.ROOT, "%,d rows indexed%s%s", rows,
                rejected > 0 ? String.format(Locale.ROOT, ", %,d rejected", rejected) : "",
                expired > 0 ? String.format(Locale.ROOT, ", %,d expired (past INDEX_RETENTION_DAYS)", expired) : "");
        if (failed.isEmpty() && firstSyncFailed == 0) {
            // nothing indexed because every row is past the index retention: a search would find nothing
            line(what + " loaded: " + loaded + (loaded == 1 ? " file, " : " files, ") + rowText
                    + (tryCommand == null || rows == 0 && expired > 0 ? "" : " — try: " + tryCommand));
            return;
        }
        long total = firstLoadsAwaited.size() + firstSyncFailed;
        StringBuilder b = new StringBuilder(what + " NOT all loaded: " + loaded + " of " + total
                + (total == 1 ? " file" : " files") + " loaded (" + rowText + ")");
        if (!failed.isEmpty()) {
            b.append("; FAILED: ").append(String.join(", ", failed));
        }
        if (firstSyncFailed > 0) {
            b.append("; ").append(firstSyncFailed).append(" not copied by the sync (FAILED line above)");
        }
        if (statusUrl != null) {
            b.append(" — see ").append(statusUrl);
        }
        line(b.toString());
    }

    /**
     * No line about the first sync's files will come: nothing is said — unless the ready line announced one, which then
     * comes with {@code why}.
     */
    private void abandonFirstLoads(String why) {
        firstLoadsDone = true;
        firstLoadsOutcomes.clear();
        if (firstLoadsPromised) {
            line("samples: " + why);
        }
    }

    /** How the load of one of the first sync's files ended: {@code error} null when it succeeded. */
    private record LoadOutcome(long rowsIndexed, long rowsRejected, long rowsExpired, String error) {
    }

    @Override
    public void objectDelivered(String key, long size, BucketWatcher.Resume resumed, String lastFailure) {
        synchronized (loadTotals) {
            continuedFrom.remove(key); // a new delivery loads from its first row: no longer the load continued at start
        }
        String failure = lastFailure == null ? "" : ": " + lastFailure;
        line(resumed == null ? "loading " + key + "  " + size(size) : switch (resumed) {
            case DELIVERY_FAILED -> "retry   " + key + "  " + size(size) + "  (its delivery FAILED every attempt before"
                    + " this start" + failure + "; delivered again)";
            case LOAD_FAILED -> "retry   " + key + "  " + size(size) + "  (its last load FAILED" + failure
                    + "; delivered again, as the failure may not repeat)";
            case ASKED -> "reload  " + key + "  " + size(size) + "  (POST /_local/load: delivered again"
                    + (lastFailure == null ? "" : "; its last load FAILED" + failure) + ")";
            default -> "resume  " + key + "  " + size(size) + "  (its load had not finished before the last stop:"
                    + " delivered again)";
        });
    }

    @Override
    public void objectContinued(String key, long size, long fromRow, String function) {
        synchronized (loadTotals) {
            continuedFrom.put(key, fromRow);
        }
        line(String.format(Locale.ROOT, "resume  %s  %s  (the last stop cut its load off at row %,d: %s continues it "
                + "from there, as in Lambda; the rows before it are indexed)", key, size(size), fromRow, function));
    }

    @Override
    public void objectFailedForGood(String key, LoadReport report) {
        line("failed   " + key + "  (its last load FAILED" + (report.error() == null ? "" : ": " + report.error())
                + "; not delivered again at a start: a corrupt file fails the same way, so fix it and copy a new "
                + "version; when the cause was a setting or the index, change that and load it again: curl -X POST '"
                + loadAgainUrl(key) + "')");
    }

    /** The {@code POST /_local/load} URL of {@code key}, on the runner's port when known. */
    String loadAgainUrl(String key) {
        String status = statusUrl;
        String base = status != null && status.endsWith("/_local/status")
                ? status.substring(0, status.length() - "/_local/status".length()) : "http://127.0.0.1:3000";
        return base + "/_local/load?key=" + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8)
                .replace("%2F", "/");
    }

    @Override
    public void objectLoaded(String key, long size, LoadReport report, boolean thisRun) {
        if (thisRun) {
            synchronized (loadTotals) {
                if (report.succeeded()) {
                    filesLoaded++;
                    rowsIndexed += Math.max(0, report.rowsIndexed());
                    rowsRejected += Math.max(0, report.rowsRejected());
                    rowsSkipped += Math.max(0, report.rowsSkipped());
                    rowsExpired += expiredRows(report);
                    filesFailed.remove(key);
                } else {
                    filesFailed.add(key);
                }
                if (report.succeeded() && !report.warnings().isEmpty()) {
                    filesWarned.add(key);
                } else {
                    filesWarned.remove(key);
                }
            }
        }
        Long continued;
        synchronized (loadTotals) {
            // a failure Lambda retries is followed by the retry's report, of the same load continued at this start (a
            // retried continuation keeps the chain's first start): its line must not get a rate from that start either
            boolean retried = !report.succeeded() && !report.failedForGood();
            continued = retried ? continuedFrom.get(key) : continuedFrom.remove(key);
        }
        // a load continued at this start counts its time from its first start, before the stop: no rate
        String rate = continued != null ? String.format(Locale.ROOT, " (continued from row %,d at this start)",
                continued)
                : report.durationMillis() > 0 && report.rowsRead() > 0
                ? String.format(Locale.ROOT, " in %.1f s, %s rows/s", report.durationMillis() / 1000.0,
                rowsPerSecond(report.rowsRead() / (report.durationMillis() / 1000.0)))
                : "";
        line(String.format(Locale.ROOT, "%s  %s  %,d row%s: %,d indexed, %,d rejected%s%s%s%s%s",
                report.succeeded() ? "loaded " : "FAILED ", key, report.rowsRead(), report.rowsRead() == 1 ? "" : "s",
                report.rowsIndexed(), report.rowsRejected(),
                (report.rowsSkipped() > 0 ? String.format(Locale.ROOT, ", %,d skipped", report.rowsSkipped()) : "")
                        + expired(report), rate,
                report.status() == null || report.succeeded() ? "" : "  (" + report.status()
                        + (report.error() == null ? "" : ": " + report.error()) + ")",
                report.warnings().isEmpty() ? "" : "  (WARNING: " + String.join(" | WARNING: ", report.warnings()) + ")",
                thisRun ? "" : "  (a load delivered before this start; not counted in this run's summary)"));
        firstLoadOutcome(key, report.succeeded()
                ? new LoadOutcome(Math.max(0, report.rowsIndexed()), Math.max(0, report.rowsRejected()),
                expiredRows(report), null)
                : new LoadOutcome(0, 0, 0, report.status() + (report.error() == null ? "" : ": " + report.error())));
    }

    @Override
    public void objectCutOffByStop(String key, long size, LoadReport report, String replacedETag) {
        synchronized (loadTotals) {
            filesFailed.remove(key);
            filesWarned.remove(key); // its last load of this run did not succeed
            filesCutOff.add(key);
        }
        String why;
        if (report == null) {
            why = "the stop cut it off before it saved a report";
        } else if (!report.finished()) {
            why = "its last report says CONTINUING: it or its continuation stopped at a deadline before the load ended";
        } else {
            why = "the stop cut it off" + (report.error() == null ? "" : ": " + report.error());
        }
        String rows = report == null ? "" : String.format(Locale.ROOT, "%,d row%s read, %,d indexed  ",
                report.rowsRead(), report.rowsRead() == 1 ? "" : "s", report.rowsIndexed());
        long from = report == null || report.finished() || report.raw() == null ? -1
                : report.raw().path("nextPosition").asLong(-1);
        String next = replacedETag != null ? "the key's new version is loaded on its own"
                : from >= 0 ? String.format(Locale.ROOT, "the next start continues it from row %,d", from)
                : "delivered again at the next start";
        line("cut off  " + key + "  " + rows + "(" + (replacedETag == null ? ""
                : "its version " + replacedETag + ", replaced while it loaded: ") + why + "; " + next + ")");
    }

    @Override
    public void loadsNotStartedAtStop(int count) {
        synchronized (loadTotals) {
            loadsNotStarted += count;
        }
    }

    @Override
    public void objectFailed(String key, String error) {
        synchronized (loadTotals) {
            filesFailed.add(key);
            filesWarned.remove(key); // its last load of this run did not succeed
        }
        line("FAILED  " + key + "  " + error + "  (delivered again at the next start)");
        firstLoadOutcome(key, new LoadOutcome(0, 0, 0, error));
    }

    /** {@code , 5 expired (past INDEX_RETENTION_DAYS)} when the report counts records past the index retention. */
    private static String expired(LoadReport report) {
        long expired = expiredRows(report);
        return expired > 0 ? String.format(Locale.ROOT, ", %,d expired (past INDEX_RETENTION_DAYS)", expired) : "";
    }

    /** The report's {@code expired} (records past the index retention), 0 when absent. */
    private static long expiredRows(LoadReport report) {
        return report.raw() == null ? 0 : Math.max(0, report.raw().path("expired").asLong());
    }

    /**
     * What this run did: its sync runs and the files they copied; the loads of files delivered in this run that
     * succeeded, with their rows (a file replaced and loaded again counts again); the files whose last load of this
     * run FAILED, each once however often it failed; sync failures (failed runs, files a run could not copy); the loads
     * the stop cut off and the deliveries it came before (neither loaded nor failed: delivered again at the next
     * start). The files whose last load of this run succeeded with warnings are counted and named (the first three)
     * after the loads. A load delivered before this start whose report is read now has its console line but is not
     * counted.
     */
    public void summary(Duration uptime) {
        long loaded;
        long indexed;
        long rejected;
        long skipped;
        long expired;
        int failed;
        int cutOff;
        List<String> warned;
        long notStarted;
        synchronized (loadTotals) {
            warned = List.copyOf(filesWarned);
            cutOff = filesCutOff.size();
            notStarted = loadsNotStarted;
            loaded = filesLoaded;
            indexed = rowsIndexed;
            rejected = rowsRejected;
            skipped = rowsSkipped;
            expired = rowsExpired;
            failed = filesFailed.size();
        }
        long syncFailed = syncFailures.get();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "stopped after %s: %d sync run%s, %d file%s copied (%s), %d file%s loaded (%,d rows indexed, %,d rejected%s%s)",
                human(uptime), syncs.get(), syncs.get() == 1 ? "" : "s", filesCopied.get(), filesCopied.get() == 1 ? "" : "s",
                size(bytesCopied.get()), loaded, loaded == 1 ? "" : "s", indexed, rejected,
                skipped > 0 ? String.format(Locale.ROOT, ", %,d skipped", skipped) : "",
                expired > 0 ? String.format(Locale.ROOT, ", %,d expired", expired) : ""));
        if (!warned.isEmpty()) {
            // the loaded line of each says what is wrong; named here so that a long run's console need not be searched
            b.append(", ").append(warned.size()).append(warned.size() == 1 ? " with a WARNING (" : " with WARNINGS (")
                    .append(String.join(", ", warned.subList(0, Math.min(3, warned.size()))))
                    .append(warned.size() > 3 ? ", …)" : ")");
        }
        if (failed > 0) {
            b.append(", ").append(failed).append(failed == 1 ? " file" : " files").append(" FAILED to load");
        }
        if (syncFailed > 0) {
            b.append(", ").append(syncFailed).append(syncFailed == 1 ? " sync failure" : " sync failures");
        }
        if (cutOff > 0 && notStarted > 0) {
            b.append(", ").append(cutOff).append(cutOff == 1 ? " load" : " loads").append(" cut off by the stop and ")
                    .append(notStarted).append(" not started (all taken up again at the next start)");
        } else if (cutOff > 0) {
            b.append(", ").append(cutOff).append(cutOff == 1 ? " load" : " loads")
                    .append(" cut off by the stop (taken up again at the next start)");
        } else if (notStarted > 0) {
            b.append(", ").append(notStarted).append(notStarted == 1 ? " load" : " loads")
                    .append(" not started before the stop (delivered again at the next start)");
        }
        if (failed == 0 && syncFailed == 0) {
            b.append(", no failures");
        }
        line(b.toString());
    }

    static String size(long bytes) {
        if (bytes < 0) {
            return "? bytes";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1024.0 / 1024 / 1024);
    }

    /**
     * Bytes per second of a run, null when there is nothing to show: MB/s (10^6), or KB/s (10^3) below 0.1 MB/s —
     * a run of the few-KB sample files used to read "0.0 MB/s".
     */
    static String rate(long bytes, long millis) {
        if (millis <= 0 || bytes <= 0) {
            return null;
        }
        double perSecond = bytes / (millis / 1000.0);
        return perSecond >= 100_000
                ? String.format(Locale.ROOT, "%.1f MB/s", perSecond / 1e6)
                : String.format(Locale.ROOT, "%.1f KB/s", perSecond / 1e3);
    }

    /** Whole rows per second, one decimal below 10 (one row loaded in 2.1 s read "0 rows/s"). */
    static String rowsPerSecond(double perSecond) {
        return perSecond < 10 ? String.format(Locale.ROOT, "%.1f", perSecond)
                : String.format(Locale.ROOT, "%,d", (long) perSecond);
    }

    private static String human(Duration d) {
        long s = d.toSeconds();
        return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min" : (s / 3600) + " h";
    }

    /** A number of the sync's summary (SyncSummary's JSON names), -1 when absent. */
    private static long number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.canConvertToLong() ? v.asLong() : -1;
    }

    private static String text(JsonNode node, String field) {
        return node.path(field).isTextual() ? node.get(field).textValue() : "?";
    }
}
