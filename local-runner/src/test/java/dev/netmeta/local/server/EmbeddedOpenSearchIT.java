package dev.netmeta.local.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.Refresh;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.search.Hit;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;

@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedOpenSearchIT {

    private static final String PREFIX = "it-embedded-os";

    /** A small composable template in the shape of the shared-model one: ip, date, integer, long, keyword. */
    private static final String TEMPLATE = """
            {
              "index_patterns": ["%1$s-*"],
              "template": {
                "settings": {"number_of_shards": 1, "number_of_replicas": 0},
                "aliases": {"%1$s": {}},
                "mappings": {
                  "dynamic_templates": [{"strings": {"match_mapping_type": "string", "mapping": {"type": "keyword"}}}],
                  "properties": {
                    "timestamp": {"type": "date"},
                    "srcIp": {"type": "ip"}, "dstIp": {"type": "ip"},
                    "srcPort": {"type": "integer"}, "dstPort": {"type": "integer"},
                    "proto": {"type": "keyword"}, "host": {"type": "keyword"},
                    "bytesOut": {"type": "long"}
                  }
                }
              }
            }
            """.formatted(PREFIX);

    private OpenSearchClient client;

    @BeforeAll
    void indexSomeFlows(OpenSearchEndpoint endpoint) throws IOException {
        client = TestServers.openSearchClient(endpoint);
        try (Response response = client.generic().execute(Requests.builder()
                .method("PUT").endpoint("/_index_template/" + PREFIX).json(TEMPLATE).build())) {
            assertThat(response.getStatus()).as(response.getBody().map(b -> b.bodyAsString()).orElse("")).isEqualTo(200);
        }
        List<Map<String, Object>> docs = List.of(
                flow("a", "10.1.2.3", "192.168.1.10", 443, "tcp", "google.com"),
                flow("b", "2001:db8::1", "2001:db8::53", 53, "udp", "example.org"),
                flow("c", "172.16.0.5", "10.9.9.9", 8080, "tcp", "google.com"),
                flow("d", "10.200.0.1", "192.168.1.22", 22, "tcp", "ssh.example.net"));
        BulkResponse bulk = client.bulk(b -> {
            b.refresh(Refresh.True);
            for (Map<String, Object> doc : docs) {
                b.operations(BulkOperation.of(op -> op.index(i -> i
                        .index(PREFIX + "-2026.11.26").id((String) doc.get("id")).document(doc))));
            }
            return b;
        });
        assertThat(bulk.errors()).as(bulk.items().toString()).isFalse();
    }

    @AfterAll
    void closeClient() throws Exception {
        client._transport().close();
    }

    private static Map<String, Object> flow(String id, String src, String dst, int dstPort, String proto, String host) {
        return Map.of("id", id, "timestamp", "2026-11-26T12:00:00Z", "srcIp", src, "dstIp", dst, "srcPort", 40000,
                "dstPort", dstPort, "proto", proto, "host", host, "bytesOut", 1234L);
    }

    private List<String> idsMatching(String query) throws IOException {
        return client.search(s -> s.index(PREFIX).size(100).query(q -> q.queryString(qs -> qs.query(query))), ObjectNode.class)
                .hits().hits().stream().map(Hit::id).sorted().toList();
    }

    @Test
    void quotedIpv4CidrMatchesAddressesInTheRange() throws IOException {
        assertThat(idsMatching("srcIp:\"10.0.0.0/8\"")).containsExactly("a", "d");
    }

    @Test
    void quotedIpv6CidrMatchesAddressesInTheRange() throws IOException {
        assertThat(idsMatching("srcIp:\"2001:db8::/32\"")).containsExactly("b");
        assertThat(idsMatching("dstIp:\"10.0.0.0/8\" OR dstIp:\"2001:db8::/64\"")).containsExactly("b", "c");
    }

    @Test
    void portRangeUsesTheIntegerMapping() throws IOException {
        assertThat(idsMatching("dstPort:[400 TO 9000]")).containsExactly("a", "c");
    }

    @Test
    void hostTermMatchesTheWholeKeyword() throws IOException {
        assertThat(idsMatching("host:google.com")).containsExactly("a", "c");
        assertThat(idsMatching("host:google.com AND proto:tcp AND srcIp:\"172.16.0.0/12\"")).containsExactly("c");
    }

    @Test
    void unquotedCidrIsRejectedBecauseTheSlashStartsARegex() {
        OpenSearchException e = catchThrowableOfType(OpenSearchException.class, () -> idsMatching("srcIp:10.0.0.0/8"));
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.error().rootCause()).extracting(cause -> cause.type()).contains("query_shard_exception");
    }

    @Test
    void nodeOnAGivenDirectoryKeepsItsIndicesAcrossRestartsAndLeavesStdoutAlone(@TempDir Path dir) throws IOException {
        PrintStream stdout = System.out;
        try (EmbeddedOpenSearch node = EmbeddedOpenSearch.start(dir)) {
            assertThat(System.out).isSameAs(stdout);
            OpenSearchClient other = TestServers.openSearchClient(new OpenSearchEndpoint(node.httpUri()));
            other.index(i -> i.index("kept").id("1").document(Map.of("host", "survivor.example")).refresh(Refresh.True));
            other._transport().close();
        }
        assertThat(Files.exists(dir.resolve("node_1"))).isTrue();
        try (EmbeddedOpenSearch node = EmbeddedOpenSearch.start(dir)) {
            OpenSearchClient other = TestServers.openSearchClient(new OpenSearchEndpoint(node.httpUri()));
            ObjectNode kept = other.get(g -> g.index("kept").id("1"), ObjectNode.class).source();
            assertThat(kept.path("host").asText()).isEqualTo("survivor.example");
            other._transport().close();
        }
    }
}
