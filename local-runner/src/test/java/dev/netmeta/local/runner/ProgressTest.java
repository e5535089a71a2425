package dev.netmeta.local.runner;

import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.watch.LoadReport;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The console lines a person reads while the local runner works. */
class ProgressTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Progress progress = new Progress(new PrintStream(out, true, StandardCharsets.UTF_8));

    private String console() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRunOfSmallFilesShowsItsRateInKilobytesNotAsZeroMegabytes() {
        String summary = "{\"copied\":1,\"bytes\":2000,\"durationMs\":200,\"listed\":1}";
        progress.syncFinished("schedule", new InvocationResult("r", summary.getBytes(StandardCharsets.UTF_8), null, null, 200),
                List.of(new Progress.CopiedObject("raw/a.csv.gz", 2000)));

        assertThat(console())
                .contains("synced  raw/a.csv.gz  2.0 KB  (run average 10.0 KB/s)")
                .contains("sync (schedule) in 0.2 s: 1 file seen: 1 copied (2.0 KB, 10.0 KB/s)")
                .doesNotContain("0.0 MB/s");
    }

    @Test
    void aRunOfLargeFilesShowsMegabytesPerSecond() {
        assertThat(Progress.rate(50_000_000, 1000)).isEqualTo("50.0 MB/s");
        assertThat(Progress.rate(100_000, 1000)).isEqualTo("0.1 MB/s");
        assertThat(Progress.rate(99_999, 1000)).isEqualTo("100.0 KB/s");
        assertThat(Progress.rate(0, 1000)).isNull();
        assertThat(Progress.rate(10, 0)).isNull();
    }

    @Test
    void aSlowRateOfRowsKeepsOneDecimalInsteadOfReadingZero() {
        progress.objectLoaded("raw/slow.csv.gz", 64, new LoadReport("SUCCEEDED", 1, 1, 0, 2100, null, null));

        assertThat(console()).contains("1 row: 1 indexed, 0 rejected in 2.1 s, 0.5 rows/s");
        assertThat(Progress.rowsPerSecond(12_345.6)).isEqualTo("12,345");
    }

    @Test
    void aFileThatFailedBeforeItsFirstRowShowsNoRate() {
        progress.objectLoaded("raw/bad.csv.gz", 64, new LoadReport("FAILED", 0, 0, 0, 20, "corrupt input", null));

        assertThat(console()).contains("FAILED   raw/bad.csv.gz  0 rows: 0 indexed, 0 rejected  (FAILED: corrupt input)")
                .doesNotContain("rows/s");
    }

    @Test
    void oneRowIsNotCalledRows() {
        progress.objectLoaded("raw/one.ndjson.gz", 40, new LoadReport("SUCCEEDED", 1, 1, 0, 500, null, null));
        progress.objectLoaded("raw/two.ndjson.gz", 80, new LoadReport("SUCCEEDED", 2, 2, 0, 500, null, null));

        assertThat(console())
                .contains("loaded   raw/one.ndjson.gz  1 row: 1 indexed, 0 rejected in 0.5 s, 2.0 rows/s")
                .contains("loaded   raw/two.ndjson.gz  2 rows: 2 indexed, 0 rejected in 0.5 s, 4.0 rows/s");
    }

    private static InvocationResult summary(String json) {
        return new InvocationResult("r", json.getBytes(StandardCharsets.UTF_8), null, null, 200);
    }

    @Test
    void theSyncLineCountsEveryFileSeenAndSaysWhenAFileStillBeingWrittenIsTaken() {
        // SyncSummary: "listed" excludes the files that match no FTP_PATTERNS; it printed "5 listed, 1 not matching"
        // for 6 files, and "still being written (skipped)" without saying what happens to the file
        progress.syncFinished("start", summary("{\"mode\":\"scheduled\",\"listed\":5,\"notMatching\":1,\"new\":5,"
                + "\"copied\":4,\"skippedUnstable\":1,\"skippedPresent\":0,\"deferred\":0,\"fannedOut\":0,\"failed\":0,"
                + "\"failures\":[],\"bytes\":238284,\"durationMs\":200}"), List.of());

        assertThat(console()).contains("sync (start) in 0.2 s: 6 files seen: 4 copied (232.7 KB, 1.2 MB/s), "
                        + "1 still being written (modified less than SYNC_MIN_AGE_SECONDS ago; a later run copies it), "
                        + "1 not matching FTP_PATTERNS (ignored)")
                .doesNotContain("listed");
    }

    @Test
    void theSyncLineNamesEveryKindOfFileItDidNotCopy() {
        progress.syncFinished("/_local/sync", summary("{\"listed\":9,\"notMatching\":0,\"copied\":0,"
                + "\"skippedUnstable\":2,\"skippedPresent\":4,\"deferred\":1,\"fannedOut\":1,\"failed\":1,"
                + "\"failures\":[{\"file\":\"/x.csv.gz\",\"reason\":\"550 denied\"}],\"bytes\":0,\"durationMs\":100}"), List.of());

        assertThat(console()).contains("sync (/_local/sync) in 0.1 s: 9 files seen: 0 copied, 4 already in S3, "
                        + "2 still being written (modified less than SYNC_MIN_AGE_SECONDS ago; a later run copies them), "
                        + "1 deferred to the next run (out of time), 1 fanned out to copy-file invocations, 1 failed")
                .contains("FAILED  /x.csv.gz  550 denied");
    }

    @Test
    void anEmptyDirectoryIsZeroFilesSeen() {
        progress.syncFinished("start", summary("{\"listed\":0,\"notMatching\":0,\"copied\":0,\"bytes\":0,\"durationMs\":40}"),
                List.of());

        assertThat(console()).contains("sync (start) in 0.0 s: 0 files seen");
    }

    @Test
    void theSyncLineNamesTheMinimumAgeItWasGiven() {
        progress.syncMinAgeSeconds("120");
        progress.syncFinished("start", summary("{\"listed\":1,\"notMatching\":0,\"copied\":0,\"skippedUnstable\":1,"
                + "\"bytes\":0,\"durationMs\":40}"), List.of());

        assertThat(console()).contains("1 still being written (modified less than SYNC_MIN_AGE_SECONDS = 120 s ago; "
                + "a later run copies it)");
    }
}
