package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.BulkTransport;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * BULK_MAX_BYTES keeps a {@code _bulk} request below the domain's http.max_content_length. A batch used to be sent
 * only once it had reached the limit, so one large record (up to 1 Mi characters: 1–6 MiB of JSON) took it past:
 * OpenSearch answered 413 to the whole request, and every retry built the same batch — the records after it were
 * never indexed.
 */
class BulkRequestSizeTest {

    private static final int MAX_BYTES = 1 << 20;
    /** What the domain accepts (http.max_content_length), comfortably above BULK_MAX_BYTES. */
    private static final int MAX_CONTENT_LENGTH = MAX_BYTES * 3 / 2;

    private final InMemoryPorts ports = new InMemoryPorts();

    @Test
    void aBatchNeverExceedsWhatTheDomainAcceptsBecauseOfOneLargeRecord() throws IOException {
        ScriptedBulkTransport index = new ScriptedBulkTransport(id -> 201);
        List<Integer> requestBytes = new java.util.ArrayList<>();
        LoadService service = service(index, requestBytes);
        ports.objects.put("b/raw/wide-note.csv.gz", gzipCsv(6000, 4000, 1_000_000, "n"));

        List<LoadReport> reports = service.load(InMemoryPorts.event("b", "raw/wide-note.csv.gz"), Deadline.none());

        assertThat(reports.get(0).status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(index.stored).hasSize(6000);
        assertThat(requestBytes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(MAX_BYTES));
    }

    @Test
    void aRecordLargerThanTheDomainTakesInOneRequestIsRejectedAndTheRestIsIndexed() throws IOException {
        ScriptedBulkTransport index = new ScriptedBulkTransport(id -> 201);
        LoadService service = service(index, new java.util.ArrayList<>());
        ports.objects.put("b/raw/huge-note.csv.gz", gzipCsv(3000, 1500, 900_000, "é")); // 1.8 MB: > MAX_CONTENT_LENGTH alone

        List<LoadReport> reports = service.load(InMemoryPorts.event("b", "raw/huge-note.csv.gz"), Deadline.none());

        LoadReport report = reports.get(0);
        assertThat(report.status()).isEqualTo(LoadReport.Status.SUCCEEDED);
        assertThat(report.indexed()).isEqualTo(2999);
        assertThat(report.rejected()).isEqualTo(1);
        assertThat(index.stored).hasSize(2999);
        assertThat(ports.rejects.get("raw/huge-note.csv.gz")).singleElement().satisfies(r -> {
            assertThat(r.position()).isEqualTo(1500);
            assertThat(r.reason()).contains("HTTP 413").contains("http.max_content_length");
        });
    }

    private LoadService service(ScriptedBulkTransport index, List<Integer> requestBytes) {
        BulkTransport domain = (body, length) -> {
            requestBytes.add(length);
            return length > MAX_CONTENT_LENGTH
                    ? new BulkTransport.BulkReply(413, "{\"error\":\"Request Entity Too Large\"}".getBytes(StandardCharsets.UTF_8))
                    : index.post(body, length);
        };
        return new LoadService(LoadSettings.from(new dev.netmeta.model.Env(Map.of())), ports,
                new OpenSearchBulkIndexer(domain, 100_000, MAX_BYTES, 2, new Backoff(1, 2, 3)), ports, ports, ports,
                () -> { }, new FakeStaleDocuments(),
                new LoadLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                Clock.systemUTC());
    }

    /** {@code rows} small CSV rows, the one at {@code bigRow} with a note of {@code bigChars} times {@code c}. */
    private static byte[] gzipCsv(int rows, int bigRow, int bigChars, String c) throws IOException {
        StringBuilder sb = new StringBuilder("ts,Src IP,note\n");
        for (int i = 0; i < rows; i++) {
            String note = i == bigRow ? c.repeat(bigChars) : "small";
            sb.append(1_525_876_221 + i).append(",10.0.0.").append(i % 250).append(',').append(note).append('\n');
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        }
        return gz.toByteArray();
    }
}
