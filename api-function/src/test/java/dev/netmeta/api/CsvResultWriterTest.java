package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CsvResultWriterTest {

    private static final String CANONICAL = "timestamp,srcIp,dstIp,srcPort,dstPort,proto,host,bytesOut,bytesIn";

    private final ObjectMapper json = new ObjectMapper();
    private final InMemorySearchBackend backend = new InMemorySearchBackend();

    private static SearchParameters csv(int size, List<String> fields, String cursor) {
        return new SearchParameters("", null, null, size, SearchParametersParser.DEFAULT_SORT, fields, cursor,
                OutputFormat.CSV);
    }

    /** Runs a CSV export to its end the way a client follows X-Next-Cursor; returns the bodies in order. */
    private List<String> export(SearchService service, int size, List<String> fields) {
        List<String> bodies = new ArrayList<>();
        String cursor = null;
        do {
            SearchParameters p = csv(size, fields, cursor);
            ResultWriter writer = ResultWriter.of(OutputFormat.CSV, json, fields);
            SearchResult r = service.search(p, writer);
            bodies.add(writer.finish(r));
            cursor = r.next();
        } while (cursor != null);
        return bodies;
    }

    /** Parses strictly: every record must have as many fields as the header. */
    private static List<CsvRecord> parse(String csv) {
        List<CsvRecord> records = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(csv).forEach(records::add);
        return records;
    }

    /** Newest 150 documents have a dns_query column, the oldest 100 also uid and tags (first seen on page 3). */
    private void addSparseDocs() {
        for (int i = 0; i < 250; i++) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("timestamp", 1_000_000L + i);
            doc.put("host", "h" + i + ".example");
            if (i >= 100) {
                doc.put("dns_query", "q" + i);
            } else {
                doc.put("uid", "C" + i);
                doc.put("tags", List.of("a", "b"));
            }
            backend.add(String.format("doc-%03d", i), doc);
        }
    }

    @Test
    void headerIsFixedByTheFirstResponseAndTheConcatenatedResponsesAreOneCsv() throws Exception {
        addSparseDocs();
        List<String> bodies = export(new SearchService(backend, json, 10_000), 100, List.of());

        assertThat(bodies).hasSize(3);
        String header = "_id,_index," + CANONICAL + ",dns_query,_other";
        assertThat(bodies.get(0)).startsWith(header + "\r\n");
        assertThat(bodies.get(1)).startsWith("doc-149,");
        assertThat(bodies.get(2)).startsWith("doc-049,");

        List<CsvRecord> records = parse(String.join("", bodies));
        assertThat(records.get(0).getFields()).isEqualTo(List.of(header.split(",")));
        assertThat(records).hasSize(1 + 250);
        Set<String> ids = new HashSet<>();
        records.subList(1, records.size()).forEach(r -> assertThat(ids.add(r.getField(0))).isTrue());
        assertThat(ids).hasSize(250);

        CsvRecord newest = records.get(1);
        assertThat(newest.getField(0)).isEqualTo("doc-249");
        assertThat(newest.getField(2)).isEqualTo("1000249");
        assertThat(newest.getField(8)).isEqualTo("h249.example");
        assertThat(newest.getField(11)).isEqualTo("q249");
        assertThat(newest.getField(12)).isEmpty();
        // Columns first seen after the first response are not dropped: they are in _other, as JSON.
        CsvRecord old = records.get(1 + 150 + 5);
        assertThat(old.getField(0)).isEqualTo("doc-094");
        assertThat(old.getField(11)).isEmpty();
        JsonNode other = json.readTree(old.getField(12));
        assertThat(other.path("uid").asText()).isEqualTo("C94");
        assertThat(other.path("tags").toString()).isEqualTo("[\"a\",\"b\"]");
    }

    @Test
    void requestedFieldsAreTheColumnsAndMustStayTheSameWhilePaging() {
        addSparseDocs();
        SearchService service = new SearchService(backend, json, 10_000);
        List<String> fields = List.of("host", "uid");
        List<String> bodies = export(service, 100, fields);
        assertThat(bodies).hasSize(3);
        List<CsvRecord> records = parse(String.join("", bodies));
        assertThat(records.get(0).getFields()).containsExactly("_id", "_index", "host", "uid");
        assertThat(records).hasSize(251);
        assertThat(records.get(250).getFields()).containsExactly("doc-000", "metadata-test", "h0.example", "C0");

        ResultWriter first = ResultWriter.of(OutputFormat.CSV, json, fields);
        String cursor = service.search(csv(100, fields, null), first).next();
        List<String> changed = List.of("host");
        assertThatThrownBy(() -> service.search(csv(100, changed, cursor),
                ResultWriter.of(OutputFormat.CSV, json, changed)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_cursor");
                    assertThat(e.getMessage()).contains("keep fields unchanged");
                });
    }

    @Test
    void wildcardFieldsKeepTheMatchingCanonicalFieldsThenTheFirstBatch() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("srcIp", "10.0.0.1");
        doc.put("src_mac", "aa:bb");
        backend.add("a", doc);
        List<String> bodies = export(new SearchService(backend, json, 10_000), 10, List.of("src*", "host"));
        assertThat(bodies.get(0).split("\r\n")[0]).isEqualTo("_id,_index,srcIp,srcPort,host,src_mac,_other");
    }

    @Test
    void sourceColumnsCalledIdAndIndexGetColumnsOfTheirOwn() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("id", "from-the-dump");
        doc.put("index", "logs-7");
        doc.put("host", "a.example");
        backend.add("doc-1", doc);
        SearchService service = new SearchService(backend, json, 10_000);

        for (List<String> fields : List.of(List.<String>of(), List.of("id", "index", "host"))) {
            List<CsvRecord> records = parse(String.join("", export(service, 10, fields)));
            List<String> header = records.get(0).getFields();
            assertThat(header).as("fields %s", fields).doesNotHaveDuplicates().startsWith("_id", "_index").contains("id", "index");
            List<String> row = records.get(1).getFields();
            assertThat(row.get(header.indexOf("_id"))).isEqualTo("doc-1");
            assertThat(row.get(header.indexOf("id"))).isEqualTo("from-the-dump");
            assertThat(row.get(header.indexOf("index"))).isEqualTo("logs-7");
        }
    }

    @Test
    void sizeBudgetIsMeasuredOnTheCsvWrittenWithWideSparseRows() throws Exception {
        // Every document has a field of its own: small as JSON, but each CSV row has hundreds of (empty) cells.
        for (int i = 0; i < 400; i++) {
            backend.add(String.format("doc-%03d", i), Map.of("timestamp", 1_000_000L + i,
                    String.format("f%03d", i), "v" + i));
        }
        long budget = 20_000;
        SearchService service = new SearchService(backend, json, 10_000, budget, System::currentTimeMillis);
        List<String> bodies = new ArrayList<>();
        String cursor = null;
        do {
            ResultWriter writer = ResultWriter.of(OutputFormat.CSV, json, List.of());
            SearchResult r = service.search(csv(400, List.of(), cursor), writer);
            String body = writer.finish(r);
            long proxied = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8).length - 2;
            assertThat(proxied).as("body of response %d as carried in the proxy response", bodies.size())
                    .isLessThanOrEqualTo(budget);
            if (r.next() != null) {
                assertThat(proxied).as("a response that stops early is full").isGreaterThan(budget - 1_000);
                assertThat(r.next().length()).as("columns carried in the cursor are bounded").isLessThan(4096);
            }
            bodies.add(body);
            cursor = r.next();
        } while (cursor != null);

        assertThat(bodies.size()).isGreaterThan(5);
        List<CsvRecord> records = parse(String.join("", bodies));
        int columns = records.get(0).getFieldCount();
        assertThat(columns).isGreaterThan(200);
        assertThat(records).hasSize(401);
        Set<String> ids = new HashSet<>();
        for (CsvRecord r : records.subList(1, records.size())) {
            assertThat(ids.add(r.getField(0))).isTrue();
        }
        // The names beyond the cursor's bound have no column; their values are in _other.
        CsvRecord oldest = records.get(400);
        assertThat(oldest.getField(0)).isEqualTo("doc-000");
        assertThat(json.readTree(oldest.getField(columns - 1)).path("f000").asText()).isEqualTo("v0");
    }

    @Test
    void valuesAreQuotedAndKeepTheirTextThroughACsvParser() throws Exception {
        String source = "{\"host\":\"a,b\",\"note\":\"say \\\"hi\\\"\\r\\nnext line\",\"name\":\"Z\u00fcrich \u20ac\","
                + "\"n\":12345678901234567,\"ratio\":1.10,\"ok\":true,\"none\":null,\"list\":[\"x\",1],"
                + "\"obj\":{\"k\":\"v\"},\"formula\":\"=1+1\"}";
        List<String> fields = List.of("host", "note", "name", "n", "ratio", "ok", "none", "list", "obj", "formula");
        ResultWriter writer = ResultWriter.of(OutputFormat.CSV, json, fields);
        SearchHit hit = new SearchHit("id,1", "metadata-2018.05.09", RawJson.of(source), List.of());
        assertThat(writer.add(hit, SearchService.DEFAULT_BODY_BUDGET_BYTES)).isTrue();
        String body = writer.finish(new SearchResult(1, true, 1, List.of(hit), null));

        assertThat(body).endsWith("\r\n");
        List<CsvRecord> records = parse(body);
        assertThat(records).hasSize(2);
        assertThat(records.get(1).getFields()).containsExactly("id,1", "metadata-2018.05.09", "a,b",
                "say \"hi\"\r\nnext line", "Z\u00fcrich \u20ac", "12345678901234567", "1.10", "true", "",
                "[\"x\",1]", "{\"k\":\"v\"}", "=1+1");
        long proxied = json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8).length - 2;
        assertThat(ProxyBodySize.of(body)).isGreaterThanOrEqualTo(proxied).isLessThanOrEqualTo(proxied + 4);
    }

    @Test
    void decimalsInJavasENotationAreSpelledPlainlyAndOtherNumbersKeepTheirText() {
        // as documents loaded before the loader spelled decimals plainly are stored (and as OpenSearch writes a
        // document again when fields filters it); the rest as written: 0.10 stays, 1e-8 is JavaScript's spelling
        String source = "{\"rtt\":5.86E-4,\"rate\":1.23456789E7,\"whole\":1.0E7,\"tiny\":1.0E-8,\"kept\":0.10,"
                + "\"n\":10000000,\"list\":[5.86E-4,0.10,7],\"obj\":{\"v\":-2.5E-5},\"later\":[1.0E-3]}";
        ResultWriter writer = ResultWriter.of(OutputFormat.CSV, json, List.of("rtt", "rate", "whole", "tiny", "kept",
                "n", "list", "obj"));
        SearchHit hit = new SearchHit("id-1", "metadata-2018.05.09", RawJson.of(source), List.of());
        assertThat(writer.add(hit, SearchService.DEFAULT_BODY_BUDGET_BYTES)).isTrue();

        List<CsvRecord> records = parse(writer.finish(new SearchResult(1, true, 1, List.of(hit), null)));

        assertThat(records.get(1).getFields()).containsExactly("id-1", "metadata-2018.05.09", "0.000586",
                "12345678.9", "10000000.0", "1e-8", "0.10", "10000000", "[0.000586,0.10,7]", "{\"v\":-0.000025}");
        // a field first seen after the columns were fixed goes to _other
        ResultWriter withOther = ResultWriter.of(OutputFormat.CSV, json, List.of());
        withOther.batch(List.of(new SearchHit("id-0", "metadata-2018.05.09", RawJson.of("{\"rtt\":0.5}"), List.of())));
        withOther.add(hit, SearchService.DEFAULT_BODY_BUDGET_BYTES);
        List<CsvRecord> leftovers = parse(withOther.finish(new SearchResult(1, true, 1, List.of(hit), null)));
        assertThat(leftovers.get(0).getFields()).contains("rtt", "_other");
        assertThat(leftovers.get(1).getField(leftovers.get(1).getFieldCount() - 1)).as("_other")
                .doesNotContain("E").contains("\"later\":[0.001]");
    }

    @Test
    void anEmptyExportIsTheHeaderRow() {
        ResultWriter writer = ResultWriter.of(OutputFormat.CSV, json, List.of());
        SearchResult r = new SearchService(backend, json, 10_000).search(csv(10, List.of(), null), writer);
        assertThat(writer.finish(r)).isEqualTo("_id,_index," + CANONICAL + ",_other\r\n");
    }
}
