package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {

    private static final long MB = 1024 * 1024;
    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    private static List<RemoteFile> files(int n, long size) {
        List<RemoteFile> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(new RemoteFile("f" + i + ".csv.gz", size, T0.plusSeconds(i)));
        }
        return l;
    }

    @Test
    void everythingStaysWhenItFitsTheBudget() {
        SyncPlanner p = new SyncPlanner(true, 100, 60_000);
        // 840 s budget × 50 MB/s = 42,000 MB
        SyncPlan plan = p.plan(files(10, 100 * MB), 900_000, 50.0 * MB);
        assertThat(plan.copyHere()).hasSize(10);
        assertThat(plan.fanOut()).isEmpty();
    }

    @Test
    void whatDoesNotFitIsFannedOutOldestFirstStaysHere() {
        SyncPlanner p = new SyncPlanner(true, 100, 60_000);
        // budget 10 s × 10 MB/s = 100 MB: three 40 MB files → two fit
        List<RemoteFile> in = new ArrayList<>(files(3, 40 * MB));
        java.util.Collections.reverse(in);
        SyncPlan plan = p.plan(in, 70_000, 10.0 * MB);
        assertThat(plan.copyHere()).extracting(RemoteFile::path).containsExactly("f0.csv.gz", "f1.csv.gz");
        assertThat(plan.fanOut()).extracting(RemoteFile::path).containsExactly("f2.csv.gz");
    }

    @Test
    void noBudgetLeftFansOutEverything() {
        SyncPlanner p = new SyncPlanner(true, 100, 60_000);
        SyncPlan plan = p.plan(files(4, MB), 30_000, 100.0 * MB);
        assertThat(plan.copyHere()).isEmpty();
        assertThat(plan.fanOut()).hasSize(4);
    }

    @Test
    void fanOutIsCappedAndTheRestStaysHere() {
        SyncPlanner p = new SyncPlanner(true, 2, 60_000);
        SyncPlan plan = p.plan(files(5, MB), 0, 100.0 * MB);
        assertThat(plan.fanOut()).hasSize(2);
        assertThat(plan.copyHere()).hasSize(3);
    }

    @Test
    void withoutFanOutEverythingStaysHereInAgeOrder() {
        SyncPlanner p = new SyncPlanner(false, 100, 60_000);
        List<RemoteFile> in = new ArrayList<>(files(3, 1000 * MB));
        java.util.Collections.reverse(in);
        SyncPlan plan = p.plan(in, 61_000, MB);
        assertThat(plan.fanOut()).isEmpty();
        assertThat(plan.copyHere()).extracting(RemoteFile::path).containsExactly("f0.csv.gz", "f1.csv.gz", "f2.csv.gz");
    }

    @Test
    void capacityIsThroughputTimesTimeAboveTheMargin() {
        SyncPlanner p = new SyncPlanner(true, 100, 60_000);
        assertThat(p.capacityBytes(160_000, 1000.0)).isEqualTo(100_000);
        assertThat(p.capacityBytes(60_000, 1000.0)).isZero();
        assertThat(p.capacityBytes(10_000, 1000.0)).isZero();
    }
}
