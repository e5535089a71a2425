package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A CSV export over several responses, following the X-Next-Cursor header like the loop in docs/API.md: the
 * responses concatenated are one CSV file with one header row, fixed columns and every document once.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiCsvExportIT {

    private static final int DOCS = 3000;
    /** The newest documents carry dns_query; the older ones uid and note instead (first seen on a later page). */
    private static final int WITH_DNS_QUERY = 1100;

    private final ObjectMapper json = new ObjectMapper();
    private ApiHandler handler;

    @BeforeAll
    void indexSparseDocuments(OpenSearchEndpoint openSearch) throws Exception {
        SearchIndexFixture fixture = new SearchIndexFixture(openSearch.uri(),
                "apiit-csv-" + UUID.randomUUID().toString().substring(0, 8));
        long start = Instant.parse("2018-05-09T20:00:00Z").toEpochMilli();
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        for (int i = 0; i < DOCS; i++) {
            Map<String, Object> doc = new HashMap<>();
            doc.put("timestamp", start + i * 60_000L);
            doc.put("srcIp", "10.0." + (i % 256) + ".1");
            doc.put("dstPort", 443);
            doc.put("host", "h" + i + ".example");
            if (i >= DOCS - WITH_DNS_QUERY) {
                doc.put("dns_query", "q" + i + ".example");
            } else {
                doc.put("uid", "C" + i);
                doc.put("note", "row " + i + ", says \"hi\"\nsecond line");
            }
            docs.put(id(i), doc);
        }
        fixture.index(docs);
        handler = new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(),
                "INDEX_PREFIX", fixture.prefix));
    }

    private static String id(int i) {
        return String.format("doc-%04d", i);
    }

    /** Follows X-Next-Cursor until it is absent; returns the response bodies in order. */
    private List<String> export(String... kv) {
        List<String> bodies = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < kv.length; i += 2) {
                params.put(kv[i], kv[i + 1]);
            }
            params.put("format", "csv");
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
            event.setQueryStringParameters(params);
            event.setMultiValueQueryStringParameters(null);
            APIGatewayProxyResponseEvent r = handler.handleRequest(event, null);
            assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
            assertThat(r.getHeaders()).containsEntry("Content-Type", "text/csv; charset=utf-8");
            bodies.add(r.getBody());
            cursor = r.getHeaders().get(SearchApi.NEXT_CURSOR_HEADER);
        } while (cursor != null);
        return bodies;
    }

    /** Strict RFC 4180 parse: a record with another number of fields than the header is an error. */
    private static List<CsvRecord> parse(String csv) {
        List<CsvRecord> records = new ArrayList<>();
        CsvReader.builder().ofCsvRecord(csv).forEach(records::add);
        return records;
    }

    @Test
    void exportWithoutFieldsKeepsTheFirstResponsesColumnsAndLosesNothing() throws Exception {
        List<String> bodies = export("size", "1200");
        assertThat(bodies).hasSize(3);

        List<CsvRecord> records = parse(String.join("", bodies));
        List<String> header = records.get(0).getFields();
        assertThat(header).containsExactly("_id", "_index", "timestamp", "srcIp", "dstIp", "srcPort", "dstPort",
                "proto", "host", "bytesOut", "bytesIn", "dns_query", "sourceFile", "sourceRecord", "_other");
        assertThat(records).hasSize(1 + DOCS);
        List<String> ids = new ArrayList<>();
        for (CsvRecord r : records.subList(1, records.size())) {
            ids.add(r.getField(0));
        }
        List<String> expected = new ArrayList<>();
        for (int i = DOCS - 1; i >= 0; i--) {
            expected.add(id(i));
        }
        assertThat(ids).as("every document once, newest first, no header row in between").isEqualTo(expected);

        CsvRecord newest = records.get(1);
        assertThat(newest.getField(header.indexOf("host"))).isEqualTo("h2999.example");
        assertThat(newest.getField(header.indexOf("dns_query"))).isEqualTo("q2999.example");
        assertThat(newest.getField(header.indexOf("_other"))).isEmpty();
        // doc-0007 is in the third response; its uid and note were never in the header, so they are in _other.
        CsvRecord old = records.get(DOCS - 7);
        assertThat(old.getField(0)).isEqualTo("doc-0007");
        assertThat(old.getField(header.indexOf("dns_query"))).isEmpty();
        JsonNode other = json.readTree(old.getField(header.indexOf("_other")));
        assertThat(other.path("uid").asText()).isEqualTo("C7");
        assertThat(other.path("note").asText()).isEqualTo("row 7, says \"hi\"\nsecond line");
    }

    @Test
    void exportWithFieldsHasExactlyThoseColumnsOnEveryResponse() {
        List<String> bodies = export("fields", "timestamp,host,note", "size", "1000", "q", "srcIp:\"10.0.0.0/8\"");
        assertThat(bodies).hasSize(3);
        assertThat(bodies.get(0)).startsWith("_id,_index,timestamp,host,note\r\n");

        List<CsvRecord> records = parse(String.join("", bodies));
        assertThat(records).hasSize(1 + DOCS);
        assertThat(records.stream().skip(1).map(r -> r.getField(0)).distinct().count()).isEqualTo(DOCS);
        CsvRecord oldest = records.get(DOCS);
        assertThat(oldest.getFields()).containsExactly("doc-0000", oldest.getField(1),
                String.valueOf(Instant.parse("2018-05-09T20:00:00Z").toEpochMilli()), "h0.example",
                "row 0, says \"hi\"\nsecond line");
        assertThat(oldest.getField(1)).endsWith("-2018.05.09");
    }
}
