package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Nothing bounds the rejects of one file. Every rejected row becomes a rejects line that repeats the object's key
 * ({@code source}, up to 1,024 bytes), its positions and a reason, so a small gzip of short invalid lines — a
 * compression bomb of {@code x\n}, or just a wrong file dropped on the FTP server — makes the loader decompress,
 * reject and upload a rejects object hundreds of thousands of times the size of what was uploaded (S3 storage and
 * requests for rejectsRetentionDays, Lambda time across up to LOAD_MAX_CONTINUATIONS continuations). Here: 2,000,000
 * lines ({@code x\n}, a gzip of a few KB) under a key of 900 bytes give about 2 GB of rejects lines. A load should
 * stop recording rejects (and fail the file: "more than N rows rejected — not this format?") after a budget:
 * LOAD_MAX_REJECTS (RejectsBudgetTest) stops this one at the 100,001st reject.
 */
class RejectsAmplificationTest {

    private static final String BUCKET = "b";
    private static final int LINES = 2_000_000;
    /** LOAD_MAX_REJECTS's default: far more than a real file of this service rejects, far less than the bomb. */
    private static final int REJECTS_BUDGET = 100_000;

    @Test
    void aSmallFileOfInvalidLinesCannotProduceUnboundedRejects() throws Exception {
        String key = "raw/" + "k".repeat(900) + ".ndjson.gz";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("{\"a\":1}\n".getBytes(StandardCharsets.US_ASCII)); // detected as NDJSON
            byte[] line = "x\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < LINES; i++) {
                out.write(line);
            }
        }
        InMemoryPorts ports = new InMemoryPorts();
        ports.objects.put(BUCKET + "/" + key, gz.toByteArray());
        Map<String, String> env = new HashMap<>();
        env.put("BULK_MAX_DOCS", "500");
        LoadService service = new LoadService(LoadSettings.from(new dev.netmeta.model.Env(env)), ports,
                new OpenSearchBulkIndexer(new ScriptedBulkTransport(id -> 201), 500, 1 << 20, 2, new Backoff(1, 2, 3)),
                ports, ports, ports, () -> { }, new FakeStaleDocuments(),
                new LoadLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                Clock.systemUTC());

        LoadReport report = service.load(InMemoryPorts.event(BUCKET, key), Deadline.none()).get(0);

        List<Reject> rejects = ports.rejects.getOrDefault(key, List.of());
        ObjectMapper json = new ObjectMapper();
        long rejectBytes = (long) rejects.size() * (json.writeValueAsBytes(rejects.get(0)).length + 1);
        System.out.printf("input %,d bytes gzip -> %,d rejects, about %,d bytes of rejects lines (x%,d)%n",
                gz.size(), rejects.size(), rejectBytes, rejectBytes / gz.size());
        assertThat(rejects.size()).as("rejects recorded for a %,d-byte upload", gz.size())
                .isLessThanOrEqualTo(REJECTS_BUDGET);
        // LOAD_MAX_REJECTS (default 100,000): reading stops at the 100,001st reject and the file fails for good
        assertThat(rejects).hasSize(REJECTS_BUDGET);
        assertThat(report.status()).isEqualTo(LoadReport.Status.FAILED);
        assertThat(report.error()).startsWith("more than 100000 rows rejected (first: line 2: ");
        assertThat(report.rowsRead()).isEqualTo(REJECTS_BUDGET + 2L);
        assertThat(report.rowsRead()).isEqualTo(report.indexed() + report.rejected() + report.skipped()
                + report.unsettled());
    }
}
