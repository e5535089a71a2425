package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeta.load.RetentionDays;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.invoke.LocalFunction;
import dev.netmeta.local.runner.manifest.RateExpression;
import dev.netmeta.local.runner.manifest.ScheduleTrigger;
import dev.netmeta.local.runner.sync.SyncScheduler;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The schedule of a scheduled function other than the sync (the index retention): its own {@link SyncScheduler} at
 * its own manifest rate — a run at start, then at every interval, retried as Lambda retries asynchronous events —
 * and one console line per run: the function's result ({@code retention {"indexPrefix":…,"deleted":[…]} (schedule)}) or
 * what failed.
 * Disabled in the manifest: it does not run.
 */
final class OtherSchedule implements AutoCloseable {

    private final LocalFunction function;
    private final RateExpression rate;
    private final SyncScheduler scheduler;
    private final AtomicInteger runs = new AtomicInteger();
    private volatile JsonNode last;

    OtherSchedule(LocalFunction function, String region, long retryDelayMillis, Progress progress) {
        this.function = function;
        ScheduleTrigger schedule = function.definition().schedules().get(0);
        this.rate = schedule.enabled() ? schedule.rate() : null;
        Duration interval = rate == null ? null : rate.interval();
        this.scheduler = new SyncScheduler(function, region, schedule.input(), interval, retryDelayMillis,
                (trigger, result) -> {
                    last = describe(trigger, result);
                    runs.incrementAndGet();
                    progress.line(function.key() + " " + line(trigger, result));
                });
        if (schedule.enabled()) {
            scheduler.start();
        }
    }

    /** For the ready banner: {@code retention now and every rate(1 day) (INDEX_RETENTION_DAYS=off)}. */
    String description() {
        String days = function.environment().get("INDEX_RETENTION_DAYS");
        String what = function.definition().schedules().get(0).enabled()
                ? function.key() + (rate == null ? " at start" : " now and every " + rate)
                : function.key() + " never (its schedule is disabled in the manifest)";
        return what + (days == null ? "" : " (INDEX_RETENTION_DAYS=" + days + ", --index-retention-days)");
    }

    /**
     * The days of the index retention this schedule runs at start — its function's {@code INDEX_RETENTION_DAYS} when
     * that is on and the schedule enabled — or null (off, not set, or not run).
     */
    RetentionDays retentionRunAtStart() {
        String days = function.environment().get(RetentionDays.VARIABLE);
        if (days == null || !function.definition().schedules().get(0).enabled()) {
            return null;
        }
        RetentionDays parsed = RetentionDays.parse(days);
        return parsed.off() ? null : parsed;
    }

    /** Its first run at start is done (or it does not run at all), and it is not running or waiting for a retry. */
    boolean settled() {
        boolean firstRunDone = !function.definition().schedules().get(0).enabled() || runs.get() > 0;
        return firstRunDone && !scheduler.busy() && !scheduler.retrying();
    }

    List<String> failures() {
        return scheduler.failures();
    }

    String key() {
        return function.key();
    }

    /** For {@code GET /_local/status}: runs so far, whether one is going, and the last one's outcome. */
    ObjectNode status() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("runs", runs.get());
        o.put("running", scheduler.busy());
        o.put("retryWaiting", scheduler.retrying());
        if (last != null) {
            o.set("last", last);
        }
        return o;
    }

    private static String line(String trigger, InvocationResult result) {
        return result.failed()
                ? "FAILED: " + result.errorType() + ": " + result.errorMessage() + " (" + trigger + ")"
                : result.payloadText() + " (" + trigger + ")";
    }

    private JsonNode describe(String trigger, InvocationResult result) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("trigger", trigger);
        o.put("durationMs", result.durationMillis());
        if (result.failed()) {
            o.put("errorType", result.errorType());
            o.put("errorMessage", result.errorMessage());
        } else {
            try {
                o.set("result", Json.MAPPER.readTree(result.payloadText()));
            } catch (Exception e) {
                o.put("result", result.payloadText());
            }
        }
        return o;
    }

    @Override
    public void close() {
        scheduler.close();
    }
}
