package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.doc;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.JvmTrustStore;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.RecordingHttpsProxy;
import dev.netmeta.local.testing.TestServers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An export sorted by an extra column asks OpenSearch for the column's types once (docs/API.md), not once per
 * 1,000-hit batch: a 100,000-hit export sent 100 {@code _field_caps} requests, outside the search's time budget.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportFieldCapsIT {

    @TempDir
    static Path tlsDir; // the self-signed certificate's key and trust stores, removed by JUnit after the class
    private SelfSignedCertificate certificate;
    private RecordingHttpsProxy proxy;
    private SearchIndexFixture fixture;

    @BeforeAll
    void start(OpenSearchEndpoint openSearch) throws Exception {
        fixture = new SearchIndexFixture(openSearch.uri(), "caps-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        for (int i = 0; i < 2500; i++) {
            Map<String, Object> d = new LinkedHashMap<>(doc("2018-05-09T10:00:00Z", "127.0.0.1", "10.0.0.1", 53, "h" + i));
            d.put("ttl", (long) i);
            d.put("rtt", (long) (i % 7));
            if (i == 0) {
                for (int c = 0; c < LONG_COLUMNS; c++) {
                    d.put(longColumn(c), (long) c);
                }
            }
            docs.put("d" + i, d);
        }
        fixture.index(docs);
        certificate = SelfSignedCertificate.generate(tlsDir);
        proxy = new RecordingHttpsProxy(certificate, openSearch.uri());
    }

    @AfterAll
    void stop() throws Exception {
        proxy.close();
    }

    @Test
    void anExportSortedByAnExtraColumnAsksForItsTypesOnce() {
        long before = fieldCapsRequests();

        APIGatewayProxyResponseEvent r = search(Map.of("sort", "ttl:desc", "format", "ndjson", "size", "2500"));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getBody().lines()).hasSize(2500);
        assertThat(fieldCapsRequests() - before).isEqualTo(1);
    }

    /**
     * A query naming an extra column (checked against the indices: docs/API.md, "Unknown fields") and sorted by two
     * sends one {@code _field_caps} too: the field check asks for the sort keys as well, so the sort finds their
     * types cached (it sent a second one before). Each engine request may wait the whole search timeout; three in a
     * row would outlast the function's.
     */
    @Test
    void aQueryOnAnExtraColumnSortedByTwoAsksForTypesOnce() {
        long before = fieldCapsRequests();

        APIGatewayProxyResponseEvent r = search(Map.of("q", "ttl:[10 TO 19]", "sort", "rtt:asc,ttl:desc", "size", "5"));

        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getBody()).contains("\"total\":{\"value\":10");
        assertThat(fieldCapsRequests() - before).isEqualTo(1);
    }

    /**
     * The exact extra names of {@code fields} go into the same lookup as q's names and the sort keys (still one
     * {@code _field_caps}, also over an export's batches); one that no index has is a 400 {@code unknown_field} with
     * the spelling meant, where it used to return records without it (newcomer9, 4).
     */
    @Test
    void theExtraNamesOfFieldsAreCheckedInTheSameLookup() {
        long before = fieldCapsRequests();
        APIGatewayProxyResponseEvent r = search(Map.of("q", "ttl:[10 TO 19]", "sort", "rtt:asc", "fields",
                "srcIp,ttl,rtt,src*,nothing*", "format", "csv", "size", "5"));
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getBody().lines().findFirst().orElseThrow()).contains("ttl").contains("rtt");
        assertThat(fieldCapsRequests() - before).isEqualTo(1);

        APIGatewayProxyResponseEvent typo = search(Map.of("fields", "srcIp,TTL", "format", "csv"));
        assertThat(typo.getStatusCode()).isEqualTo(400);
        assertThat(typo.getBody()).contains("\"unknown_field\"").contains("fields names 'TTL', which no daily index"
                + " has; did you mean 'ttl'? (field names are case-sensitive)");
        assertThat(fieldCapsRequests() - before).as("the lower-cased spelling in the same request").isEqualTo(2);
    }

    /**
     * A {@code fields} list of 100 long names (an export listing CICFlowMeter-like columns), each asked with its
     * lower-cased spelling, is more than one {@code _field_caps} request line of OpenSearch's 4 KB can hold: the one GET
     * was refused and the whole check skipped, q's names too (review s9c, 3). The names are now split over several
     * GETs, each request line within the bound, and an unknown name among them is still refused.
     */
    @Test
    void aLongFieldsListIsAskedInSeveralShortRequestsAndStillChecked() {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int c = 0; c < LONG_COLUMNS; c++) {
            names.add(longColumn(c));
        }
        names.add("ttl");
        assertThat(names).hasSize(100);
        java.util.List<String> withTypo = new java.util.ArrayList<>(names);
        withTypo.set(42, longColumn(42) + "x");
        APIGatewayProxyResponseEvent typo = search(Map.of("fields", String.join(",", withTypo), "format", "csv"));
        assertThat(typo.getStatusCode()).as(typo.getBody()).isEqualTo(400);
        assertThat(typo.getBody()).contains("\"unknown_field\"").contains("fields names '" + longColumn(42) + "x'");

        int before = proxy.requests().size();
        APIGatewayProxyResponseEvent r = search(Map.of("q", "ttl:0", "fields", String.join(",", names), "format",
                "csv", "size", "5"));
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        assertThat(r.getBody().lines().findFirst().orElseThrow()).contains(longColumn(LONG_COLUMNS - 1));
        java.util.List<RecordingHttpsProxy.Recorded> caps = proxy.requests().subList(before, proxy.requests().size())
                .stream().filter(q -> q.rawPath().endsWith("/_field_caps")).toList();
        assertThat(caps.size()).isGreaterThan(1);
        for (RecordingHttpsProxy.Recorded q : caps) {
            assertThat(q.method()).isEqualTo("GET");
            assertThat(("GET " + q.rawPath() + "?" + q.rawQuery() + " HTTP/1.1").length())
                    .isLessThanOrEqualTo(OpenSearchSearchBackend.MAX_FIELD_CAPS_LINE);
        }
    }

    private static final int LONG_COLUMNS = 99;

    /** A long extra column's name, as CICFlowMeter's are (the loader's safe name: nothing to ask twice). */
    private static String longColumn(int c) {
        return String.format("Fwd_Packet_Length_Mean_Column_%02d", c);
    }

    /** One request through a new handler (a cold field-caps cache), signed with SigV4 as in AWS, via the proxy. */
    private APIGatewayProxyResponseEvent search(Map<String, String> parameters) {
        Map<String, String> env = new HashMap<>();
        env.put("OPENSEARCH_URL", proxy.uri().toString());
        env.put("OPENSEARCH_AUTH", "sigv4");
        env.put("AWS_ACCESS_KEY_ID", "AKIAQNETMETALOCAL001");
        env.put("AWS_SECRET_ACCESS_KEY", "secret");
        env.put("INDEX_PREFIX", fixture.prefix);
        ApiHandler handler = JvmTrustStore.whileBuilding(certificate, () -> new ApiHandler(env));
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(parameters);
        event.setMultiValueQueryStringParameters(null);
        return handler.handleRequest(event, null);
    }

    /** The {@code _field_caps} requests the proxy has seen (all tests of the class: compare before and after). */
    private long fieldCapsRequests() {
        return proxy.requests().stream().filter(q -> q.rawPath().endsWith("/_field_caps")).count();
    }
}
