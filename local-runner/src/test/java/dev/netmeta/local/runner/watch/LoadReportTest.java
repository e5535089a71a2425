package dev.netmeta.local.runner.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.local.runner.events.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner reads the reports the load function really writes: built from its record, serialised as it is. */
class LoadReportTest {

    private static JsonNode written(dev.netmeta.load.LoadReport.Status status, String error) {
        return written(status, error, null, null);
    }

    private static JsonNode written(dev.netmeta.load.LoadReport.Status status, String error, Boolean retryable) {
        return written(status, error, retryable, null);
    }

    private static JsonNode written(dev.netmeta.load.LoadReport.Status status, String error, List<String> warnings) {
        return written(status, error, null, warnings);
    }

    private static JsonNode written(dev.netmeta.load.LoadReport.Status status, String error, Boolean retryable,
                                    List<String> warnings) {
        return Json.MAPPER.valueToTree(new dev.netmeta.load.LoadReport("bucket", "raw/a.csv.gz", "etag", null, status,
                "csv", 10, 8, 1, 1, 0, 0L, "2018-05-09T00:00:00Z", null, 250, 1, null, null, null, error, retryable,
                warnings));
    }

    @Test
    void readsTheWarningsOfAFileThatLoadedButLooksWrongAndNoneWhenTheReportHasNone() {
        LoadReport warned = LoadReport.of(written(dev.netmeta.load.LoadReport.Status.SUCCEEDED, null,
                List.of("CSV header \"a\\tb\" is one column holding TABs")));
        assertThat(warned.warnings()).containsExactly("CSV header \"a\\tb\" is one column holding TABs");
        assertThat(warned.succeeded()).as("a warning does not make it a failure").isTrue();
        JsonNode clean = written(dev.netmeta.load.LoadReport.Status.SUCCEEDED, null);
        assertThat(clean.has("warnings")).isFalse();
        assertThat(LoadReport.of(clean).warnings()).isEmpty();
    }

    @Test
    void readsCountsAndStatus() {
        JsonNode json = written(dev.netmeta.load.LoadReport.Status.SUCCEEDED, null);
        LoadReport report = LoadReport.of(json);
        assertThat(report.rowsRead()).isEqualTo(10);
        assertThat(report.rowsIndexed()).isEqualTo(8);
        assertThat(report.rowsRejected()).isEqualTo(1);
        assertThat(report.rowsSkipped()).isEqualTo(1);
        assertThat(report.durationMillis()).isEqualTo(250);
        assertThat(report.finished()).isTrue();
        assertThat(report.succeeded()).isTrue();
    }

    @Test
    void aReportOfALoadThatContinuesIsNotFinalAndAFailedOneIsFinalButNotSucceeded() {
        assertThat(LoadReport.of(written(dev.netmeta.load.LoadReport.Status.CONTINUING, null)).finished()).isFalse();
        LoadReport failed = LoadReport.of(written(dev.netmeta.load.LoadReport.Status.FAILED, "corrupt gzip at byte 12"));
        assertThat(failed.finished()).isTrue();
        assertThat(failed.succeeded()).isFalse();
        assertThat(failed.error()).isEqualTo("corrupt gzip at byte 12");
    }

    @Test
    void onlyAFailedReportThatSaysItIsNotRetriedIsAFailureForGood() {
        dev.netmeta.load.LoadReport.Status failed = dev.netmeta.load.LoadReport.Status.FAILED;
        assertThat(LoadReport.of(written(failed, "gave up after 2 invocations (LOAD_MAX_CONTINUATIONS)", false))
                .failedForGood()).isTrue();
        assertThat(LoadReport.of(written(failed, "OpenSearch 503", true)).failedForGood()).as("Lambda retries it")
                .isFalse();
        assertThat(LoadReport.of(written(failed, "corrupt gzip", (Boolean) null)).failedForGood())
                .as("an older load function's report: not known").isFalse();
        assertThat(LoadReport.of(written(dev.netmeta.load.LoadReport.Status.SUCCEEDED, null, false)).failedForGood())
                .isFalse();
        assertThat(new LoadReport("FAILED", 0, 0, 0, 0, "x", null).failedForGood()).as("no JSON").isFalse();
    }
}
