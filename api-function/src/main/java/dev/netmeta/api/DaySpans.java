package dev.netmeta.api;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Days (the UTC dates of daily indices) as runs of consecutive days, for the message of a column whose type differs
 * between daily indices ({@link SearchService#withMixedTypes}): which days to narrow {@code from}/{@code to} to.
 * Bounded whatever the number of days: at most {@value #MAX_RUNS} runs are kept — the first and the last half — and the
 * days of the others only counted ({@code unlisted}), so that a column on hundreds of days, alternating types, bloats
 * neither the {@code _field_caps} cache nor the message.
 *
 * @param runs     the runs kept, in date order, none adjacent to the next
 * @param days     how many days in all, listed or not
 * @param unlisted how many of them are in no kept run
 */
record DaySpans(List<Run> runs, int days, int unlisted) {

    static final int MAX_RUNS = 6;

    /** The days {@code first} to {@code last} (epoch days, inclusive). */
    record Run(long first, long last) {
        int days() {
            return (int) (last - first + 1);
        }
    }

    /** The runs of {@code days} (in any order, repeats counted once). */
    static DaySpans of(Collection<LocalDate> days) {
        TreeSet<Long> sorted = new TreeSet<>();
        days.forEach(d -> sorted.add(d.toEpochDay()));
        List<Run> single = new ArrayList<>();
        sorted.forEach(d -> single.add(new Run(d, d)));
        return bounded(merged(single), sorted.size(), 0);
    }

    /** The days of all of {@code spans} (the days of several types: no day is in two). */
    static DaySpans union(Collection<DaySpans> spans) {
        List<Run> all = new ArrayList<>();
        int days = 0;
        int unlisted = 0;
        for (DaySpans s : spans) {
            all.addAll(s.runs());
            days += s.days();
            unlisted += s.unlisted();
        }
        all.sort(Comparator.comparingLong(Run::first));
        return bounded(merged(all), days, unlisted);
    }

    /** {@code runs} (sorted by their first day) with overlapping or adjacent ones joined. */
    private static List<Run> merged(List<Run> runs) {
        List<Run> merged = new ArrayList<>();
        for (Run r : runs) {
            Run previous = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (previous != null && r.first() <= previous.last() + 1) {
                merged.set(merged.size() - 1, new Run(previous.first(), Math.max(previous.last(), r.last())));
            } else {
                merged.add(r);
            }
        }
        return merged;
    }

    /** {@code runs}, the middle ones dropped (their days counted as unlisted) when there are more than MAX_RUNS. */
    private static DaySpans bounded(List<Run> runs, int days, int unlisted) {
        if (runs.size() <= MAX_RUNS) {
            return new DaySpans(List.copyOf(runs), days, unlisted);
        }
        List<Run> kept = new ArrayList<>(runs.subList(0, MAX_RUNS / 2));
        kept.addAll(runs.subList(runs.size() - MAX_RUNS / 2, runs.size()));
        int dropped = 0;
        for (Run r : runs.subList(MAX_RUNS / 2, runs.size() - MAX_RUNS / 2)) {
            dropped += r.days();
        }
        return new DaySpans(List.copyOf(kept), days, unlisted + dropped);
    }

    boolean isEmpty() {
        return runs.isEmpty();
    }

    /**
     * The days as people read them, and the {@code from}/{@code to} of the last run (to is exclusive: the day after):
     * {@code 2018-05-08: from=2018-05-08&to=2018-05-09}; {@code 2018-05-01 to 2018-05-03 and 2018-05-08; the last:
     * from=2018-05-08&to=2018-05-09}; with unlisted days {@code 40 days, 2018-01-01 to 2018-01-03, …, 2018-06-30 and 12
     * more not listed; the last: …}.
     */
    String describe() {
        StringBuilder b = new StringBuilder();
        if (unlisted > 0) {
            b.append(days).append(" days, ");
        }
        for (int i = 0; i < runs.size(); i++) {
            if (i > 0) {
                b.append(i == runs.size() - 1 && unlisted == 0 ? " and " : ", ");
            }
            Run r = runs.get(i);
            b.append(LocalDate.ofEpochDay(r.first()));
            if (r.last() != r.first()) {
                b.append(" to ").append(LocalDate.ofEpochDay(r.last()));
            }
        }
        if (unlisted > 0) {
            b.append(" and ").append(unlisted).append(" more not listed");
        }
        Run last = runs.get(runs.size() - 1);
        return b.append(runs.size() == 1 && unlisted == 0 ? ": " : "; the last: ").append("from=")
                .append(LocalDate.ofEpochDay(last.first())).append("&to=").append(LocalDate.ofEpochDay(last.last() + 1))
                .toString();
    }
}
