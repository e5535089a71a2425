package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.sync.SyncProgress;
import dev.netmeta.local.runner.watch.LoadProgress;
import dev.netmeta.local.runner.watch.LoadReport;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The console lines a person follows: one per file synced (bytes, MB/s) and per file loaded (rows, rows/s,
 * rejected), failures, and the totals for the summary on shutdown.
 */
public final class Progress implements SyncProgress, LoadProgress {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final PrintStream console;
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong filesCopied = new AtomicLong();
    private final AtomicLong bytesCopied = new AtomicLong();
    private final AtomicLong filesLoaded = new AtomicLong();
    private final AtomicLong rowsIndexed = new AtomicLong();
    private final AtomicLong rowsRejected = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile JsonNode lastSync;
    private volatile String syncMinAgeSeconds;

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
        if ("Runtime.Shutdown".equals(result.errorType())) {
            line("sync (" + trigger + ") stopped by the shutdown; files it did not finish are copied by the next run");
            return;
        }
        syncs.incrementAndGet();
        if (result.failed()) {
            failures.incrementAndGet();
            lastSync = Json.MAPPER.createObjectNode().put("errorType", result.errorType()).put("errorMessage", result.errorMessage());
            line("sync FAILED (" + trigger + "): " + result.errorType() + ": " + result.errorMessage());
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
            failures.incrementAndGet();
            line("FAILED  " + text(failure, "file") + "  " + text(failure, "reason"));
        }
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
                    .append(" ago; a later run copies ").append(unstable == 1 ? "it)" : "them)");
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
        return b.toString();
    }

    /** The sync function's SYNC_MIN_AGE_SECONDS, named with its value in the sync line (null: named only). */
    public void syncMinAgeSeconds(String seconds) {
        this.syncMinAgeSeconds = seconds == null || seconds.isBlank() ? null : seconds.strip();
    }

    @Override
    public void objectDelivered(String key, long size, boolean redelivery) {
        line((redelivery ? "resume  " : "loading ") + key + "  " + size(size)
                + (redelivery ? "  (its load had not finished before the last stop: delivered again)" : ""));
    }

    @Override
    public void objectLoaded(String key, long size, LoadReport report) {
        filesLoaded.incrementAndGet();
        rowsIndexed.addAndGet(Math.max(0, report.rowsIndexed()));
        rowsRejected.addAndGet(Math.max(0, report.rowsRejected()));
        String rate = report.durationMillis() > 0 && report.rowsRead() > 0
                ? String.format(Locale.ROOT, " in %.1f s, %s rows/s", report.durationMillis() / 1000.0,
                rowsPerSecond(report.rowsRead() / (report.durationMillis() / 1000.0)))
                : "";
        line(String.format(Locale.ROOT, "%s  %s  %,d row%s: %,d indexed, %,d rejected%s%s",
                report.succeeded() ? "loaded " : "FAILED ", key, report.rowsRead(), report.rowsRead() == 1 ? "" : "s",
                report.rowsIndexed(), report.rowsRejected(), rate,
                report.status() == null || report.succeeded() ? "" : "  (" + report.status()
                        + (report.error() == null ? "" : ": " + report.error()) + ")"));
        if (!report.succeeded()) {
            failures.incrementAndGet();
        }
    }

    @Override
    public void objectFailed(String key, String error) {
        failures.incrementAndGet();
        line("FAILED  " + key + "  " + error + "  (delivered again at the next start)");
    }

    public void summary(Duration uptime) {
        line(String.format(Locale.ROOT, "stopped after %s: %d sync run%s, %d file%s copied (%s), %d file%s loaded, "
                        + "%,d rows indexed, %,d rejected, %d failure%s",
                human(uptime), syncs.get(), syncs.get() == 1 ? "" : "s", filesCopied.get(), filesCopied.get() == 1 ? "" : "s",
                size(bytesCopied.get()), filesLoaded.get(), filesLoaded.get() == 1 ? "" : "s", rowsIndexed.get(),
                rowsRejected.get(), failures.get(), failures.get() == 1 ? "" : "s"));
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
