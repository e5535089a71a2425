package dev.netmeta.sync;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits the files to copy between this invocation and asynchronous copy-file invocations.
 *
 * <p>The time this invocation may spend copying is its remaining time minus the safety margin; at the estimated
 * aggregate throughput that allows {@code capacity = throughput × budget} bytes. Files are taken oldest first while
 * they fit; every other file goes to its own copy-file invocation (at most {@code maxFanOut}; the rest stay in this
 * run's queue and, if time runs out, in the next scheduled run). Without fan-out everything stays here and the
 * clock check before each transfer decides how far this run gets.
 */
public final class SyncPlanner {

    private final boolean fanOutEnabled;
    private final int maxFanOut;
    private final long marginMillis;

    public SyncPlanner(boolean fanOutEnabled, int maxFanOut, long marginMillis) {
        this.fanOutEnabled = fanOutEnabled;
        this.maxFanOut = maxFanOut;
        this.marginMillis = marginMillis;
    }

    public SyncPlan plan(List<RemoteFile> toCopy, long remainingMillis, double throughputBytesPerSecond) {
        List<RemoteFile> ordered = new ArrayList<>(toCopy);
        ordered.sort(Comparator.comparing(RemoteFile::modified).thenComparing(RemoteFile::path));
        if (!fanOutEnabled) {
            return new SyncPlan(ordered, List.of());
        }
        long capacity = capacityBytes(remainingMillis, throughputBytesPerSecond);
        List<RemoteFile> here = new ArrayList<>();
        List<RemoteFile> away = new ArrayList<>();
        long planned = 0;
        for (RemoteFile f : ordered) {
            if (planned + f.size() <= capacity) {
                here.add(f);
                planned += f.size();
            } else if (away.size() < maxFanOut) {
                away.add(f);
            } else {
                here.add(f); // over the fan-out cap: try here, else the next scheduled run takes it
            }
        }
        return new SyncPlan(here, away);
    }

    long capacityBytes(long remainingMillis, double throughputBytesPerSecond) {
        long budgetMillis = remainingMillis - marginMillis;
        if (budgetMillis <= 0) {
            return 0;
        }
        double bytes = throughputBytesPerSecond * budgetMillis / 1000.0;
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }
}
