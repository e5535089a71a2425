package dev.netmeta.load.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BulkBatchTest {

    @Test
    void decimalsAreSpelledAsJavaScriptSpellsThemNotInJavasENotation() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("rtt", 0.000586);
        document.put("Flow Bytes/s", 12345678.9);
        document.put("whole", 1.0E7);
        document.put("tiny", 1e-8);
        document.put("negative", -0.000586);
        document.put("plain", 0.5);
        document.put("count", 10_000_000L);
        document.put("list", List.of(5.86E-4, 1.5));
        document.put("nested", Map.of("v", 2.5E-5));
        BulkBatch batch = new BulkBatch(1, 1024);

        batch.add("metadata-2018.05.09", "id-1", 1, 2, document, null, null);

        assertThat(batch.document(0)).isEqualTo("{\"rtt\":0.000586,\"Flow Bytes/s\":12345678.9,"
                + "\"whole\":10000000.0,\"tiny\":1e-8,\"negative\":-0.000586,\"plain\":0.5,\"count\":10000000,"
                + "\"list\":[0.000586,1.5],\"nested\":{\"v\":0.000025}}");
    }
}
