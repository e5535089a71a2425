package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.flowsCsv;
import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.deploy.OpenSearchGrants;
import dev.netmeta.deploy.OpenSearchGrants.Sent;
import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.JvmTrustStore;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.RecordingHttpsProxy;
import dev.netmeta.local.testing.RecordingHttpsProxy.Recorded;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.model.IndexTemplate;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least privilege for the load's OpenSearch access, measured instead of assumed (as ApiOpenSearchRequestsIT does for
 * the api): two loads of one key run through the real handler with {@code OPENSEARCH_AUTH=sigv4}, as in AWS, against
 * a recording proxy in front of the embedded OpenSearch — the first installs the index template and indexes, the
 * second (a replaced object with fewer rows) also refreshes, searches and deletes the old version's documents, every
 * kind of request the load makes. Each recorded request (method + path) must be allowed by LoadRole's statements in
 * the packaged template (created and existing domain) and by the created domain's access policy
 * ({@link OpenSearchGrants}), and requests the load never makes (cluster settings, index deletion, snapshots, other
 * stages' templates and aliases, GETs) by none of them.
 */
@ExtendWith(TestServers.class)
class LoadOpenSearchRequestsIT {

    private static final String BUCKET = "load-it";

    @Test
    void theLoadSendsOnlyRequestsItsRoleGrantsAndItsRoleGrantsNothingElse(S3Endpoint s3, OpenSearchEndpoint openSearch,
                                                                         @TempDir Path dir) throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String prefix = servers.prefix;
        String key = "raw/" + prefix + "/methods.csv.gz";
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(dir);
        Set<Sent> sent = new TreeSet<>(Comparator.comparing(Sent::toString));
        try (RecordingHttpsProxy proxy = new RecordingHttpsProxy(certificate, openSearch.uri())) {
            Map<String, String> env = new HashMap<>(servers.env());
            env.put("OPENSEARCH_URL", proxy.uri().toString());
            env.put("OPENSEARCH_AUTH", "sigv4");
            env.put("OPENSEARCH_SIGV4_SERVICE", "es");
            LoadHandler handler = JvmTrustStore.whileBuilding(certificate, () -> new LoadHandler(env));

            servers.put(BUCKET, key, gzip(flowsCsv(20)));
            handler.handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());
            servers.put(BUCKET, key, gzip(flowsCsv(10)));
            handler.handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());

            for (Recorded request : proxy.requests()) {
                sent.add(Sent.recorded(request.method(), request.rawPath()));
            }
        }
        System.out.println("load → OpenSearch requests (method, decoded path): " + sent);
        JsonNode report = servers.report(BUCKET, key);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("staleRemoved").asLong()).as("the cleanup of the first version ran").isEqualTo(10);
        assertThat(sent).as("every kind of request the load makes, on its own template and alias")
                .containsExactlyInAnyOrder(new Sent("PUT", "/_index_template/" + IndexTemplate.name(prefix)),
                        new Sent("POST", "/_bulk"),
                        new Sent("POST", "/" + prefix + "/_search"),
                        new Sent("POST", "/" + prefix + "/_refresh"));

        String daily = prefix + "-2026.11.27";
        List<Sent> neverSent = List.of(
                new Sent("GET", "/" + prefix + "/_search"),
                new Sent("HEAD", "/_index_template/" + IndexTemplate.name(prefix)),
                new Sent("PUT", "/_index_template/other-template"),           // another stage's template
                new Sent("PUT", "/_index_template/" + prefix + "-other-template"),
                new Sent("DELETE", "/_index_template/" + IndexTemplate.name(prefix)),
                new Sent("PUT", "/_cluster/settings"),
                new Sent("PUT", "/_snapshot/repo"),
                new Sent("POST", "/_snapshot/repo/snap/_restore"),
                new Sent("DELETE", "/" + daily),
                new Sent("PUT", "/" + daily + "/_settings"),
                new Sent("POST", "/" + daily + "/_close"),
                new Sent("POST", "/" + prefix + "/_delete_by_query"),
                new Sent("POST", "/_search"),                                // every index of the domain
                new Sent("POST", "/other-stage/_search"),
                new Sent("POST", "/" + prefix + "-other/_refresh"),         // a stage whose prefix starts with this one
                new Sent("POST", "/_aliases"),
                new Sent("PUT", "/_plugins/_security/api/roles/x"));
        assertThat(OpenSearchGrants.packagedWithIndexPrefix(prefix).problems("LoadRole", sent, neverSent))
                .as("every request the load sends is allowed (role for a created and an existing domain, the created "
                        + "domain's access policy), no request it never sends is").isEmpty();
    }
}
