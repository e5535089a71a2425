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
                .contains("sync (schedule): 1 file copied, 2.0 KB in 0.2 s (10.0 KB/s), 1 listed")
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
}
