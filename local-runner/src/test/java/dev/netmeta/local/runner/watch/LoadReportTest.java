package dev.netmeta.local.runner.watch;

import dev.netmeta.local.runner.events.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadReportTest {

    @Test
    void readsCountsStatusAndKey() throws Exception {
        var json = Json.MAPPER.readTree("{\"key\":\"raw/a.csv.gz\",\"status\":\"SUCCEEDED\",\"rowsRead\":10,"
                + "\"rowsIndexed\":9,\"rowsRejected\":1,\"durationMillis\":250}");
        LoadReport report = LoadReport.of(json);
        assertThat(LoadReport.sourceKey(json)).isEqualTo("raw/a.csv.gz");
        assertThat(report.rowsRead()).isEqualTo(10);
        assertThat(report.rowsIndexed()).isEqualTo(9);
        assertThat(report.rowsRejected()).isEqualTo(1);
        assertThat(report.durationMillis()).isEqualTo(250);
        assertThat(report.finished()).isTrue();
        assertThat(report.succeeded()).isTrue();
    }

    @Test
    void aReportOfALoadThatContinuesIsNotFinal() throws Exception {
        assertThat(LoadReport.of(Json.MAPPER.readTree("{\"status\":\"CONTINUING\"}")).finished()).isFalse();
        assertThat(LoadReport.of(Json.MAPPER.readTree("{\"status\":\"in_progress\"}")).finished()).isFalse();
        LoadReport failed = LoadReport.of(Json.MAPPER.readTree("{\"status\":\"FAILED\",\"error\":\"corrupt gzip at byte 12\"}"));
        assertThat(failed.finished()).isTrue();
        assertThat(failed.succeeded()).isFalse();
    }
}
