package dev.netmeta.load;

import dev.netmeta.model.IndexNames;
import java.io.IOException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deletes the daily indices past {@code INDEX_RETENTION_DAYS} ({@link RetentionDays}): lists the indices named
 * {@code <prefix>-*} in one request, and deletes each expired one by its full name, oldest first. Only a name that is
 * {@code <prefix>-} followed by a strictly valid day ({@link IndexNames#dayOf}) is ever touched — not another
 * stage's prefix that starts with this one ({@code metadata-dev-2020.01.01} for {@code metadata}), not a name with
 * a suffix, not a day no calendar has. With retention off nothing is requested at all.
 *
 * <p>A deletion that fails does not stop the others; the run then fails (after logging which and why), so the
 * invocation's error shows in Lambda's metrics and the next run tries again. An index OpenSearch refuses to delete
 * for now — a snapshot of it is running ({@link RetentionIndices.BusyException}; OpenSearch Service takes one every
 * hour) — is tried again every {@value #BUSY_RETRY_MILLIS} ms while the invocation's time allows, up to
 * {@value #MAX_BUSY_RETRIES} times, before it counts as failed.
 */
public final class IndexRetention {

    /**
     * No deletion starts with less time left than this: a request's timeout is a third of it
     * ({@link RetentionFactory}), so a started one ends (or gives up) before the function's timeout.
     */
    static final long TIME_MARGIN_MILLIS = 30_000;
    /** The wait before an index being snapshotted is tried again. */
    static final long BUSY_RETRY_MILLIS = 20_000;
    /** At most this many waits in one run (4 minutes: an hourly snapshot of the domain takes less). */
    static final int MAX_BUSY_RETRIES = 12;

    /** Waits between tries ({@link Thread#sleep} but in tests). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final String prefix;
    private final RetentionDays days;
    private final RetentionIndices indices;
    private final RetentionLog log;
    private final Clock clock;
    private final Sleeper sleeper;

    public IndexRetention(String prefix, RetentionDays days, RetentionIndices indices, RetentionLog log, Clock clock) {
        this(prefix, days, indices, log, clock, Thread::sleep);
    }

    public IndexRetention(String prefix, RetentionDays days, RetentionIndices indices, RetentionLog log, Clock clock,
                          Sleeper sleeper) {
        this.prefix = IndexNames.requireValidPrefix(prefix);
        this.days = days;
        this.indices = indices;
        this.log = log;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Which of {@code names} are this prefix's daily indices to keep, and which to delete (oldest first). */
    public record Selection(List<String> kept, List<String> expired) {
    }

    /** The selection rule alone, without any request: see the class comment. */
    public static Selection select(String prefix, RetentionDays days, LocalDate today, Collection<String> names) {
        List<String> kept = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (String name : names) {
            LocalDate day = IndexNames.dayOf(prefix, name);
            if (day == null) {
                continue; // not a daily index of this prefix: never touched
            }
            (days.expired(day, today) ? expired : kept).add(name);
        }
        // the names of one prefix's daily indices sort as their days do
        expired.sort(Comparator.naturalOrder());
        kept.sort(Comparator.naturalOrder());
        return new Selection(kept, expired);
    }

    public RetentionSummary run(Deadline deadline) {
        long started = clock.millis();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (days.off()) {
            RetentionSummary summary = new RetentionSummary(prefix, days, null, 0, List.of(), Map.of(), 0);
            log.off(summary);
            return summary;
        }
        String oldestDayKept = days.oldestDayKept(today).toString();
        List<String> names;
        try {
            names = indices.list(prefix);
        } catch (IOException | RuntimeException e) {
            String error = "listing the indices " + prefix + "-* failed: " + reason(e);
            log.failed(new RetentionSummary(prefix, days, oldestDayKept, 0, List.of(), Map.of(),
                    clock.millis() - started), error);
            throw new RetentionFailedException("retention of " + prefix + " (" + days + " days): " + error, e);
        }
        Selection selection = select(prefix, days, today, names);
        List<String> deleted = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        List<String> pending = selection.expired();
        for (int retries = 0; ; retries++) {
            List<String> busy = new ArrayList<>();
            for (String name : pending) {
                if (deadline.remainingMillis() < TIME_MARGIN_MILLIS) {
                    failed.put(name, "not tried: the invocation's time ran out (the next run deletes it)");
                    continue;
                }
                try {
                    indices.delete(name);
                    deleted.add(name);
                    failed.remove(name); // refused while being snapshotted before
                } catch (RetentionIndices.BusyException e) {
                    busy.add(name);
                    failed.put(name, reason(e));
                } catch (IOException | RuntimeException e) {
                    failed.put(name, reason(e));
                }
            }
            if (busy.isEmpty() || retries >= MAX_BUSY_RETRIES
                    || deadline.remainingMillis() < TIME_MARGIN_MILLIS + BUSY_RETRY_MILLIS) {
                break;
            }
            try {
                sleeper.sleep(BUSY_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pending = busy;
        }
        RetentionSummary summary = new RetentionSummary(prefix, days, oldestDayKept, selection.kept().size(), deleted,
                failed, clock.millis() - started);
        if (!failed.isEmpty()) {
            String error = failed.size() + " of " + selection.expired().size() + " expired indices not deleted";
            log.failed(summary, error);
            throw new RetentionFailedException(summary.toString(), null);
        }
        log.done(summary);
        return summary;
    }

    private static String reason(Exception e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
    }
}
