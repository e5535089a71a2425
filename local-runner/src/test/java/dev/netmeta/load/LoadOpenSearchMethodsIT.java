package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.flowsCsv;
import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.JvmTrustStore;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.RecordingHttpsProxy;
import dev.netmeta.local.testing.RecordingHttpsProxy.Recorded;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP methods the load sends to OpenSearch against the {@code es:ESHttp<Method>} actions serverless.yml grants
 * LoadRole (statement {@code IndexIntoOpenSearch}; the new domain's access policy repeats them, which
 * ServerlessTemplateIT checks). Two loads of one key run through the real handler with {@code OPENSEARCH_AUTH=sigv4},
 * as in AWS, against a recording proxy in front of the embedded OpenSearch: the first installs the index template and
 * indexes, the second (a replaced object with fewer rows) also refreshes, searches and deletes the old version's
 * documents — every kind of request the load makes.
 */
@ExtendWith(TestServers.class)
class LoadOpenSearchMethodsIT {

    private static final String BUCKET = "load-it";

    @Test
    void theLoadSendsOnlyMethodsItsRoleGrantsAndNoHead(S3Endpoint s3, OpenSearchEndpoint openSearch,
                                                       @TempDir Path dir) throws IOException {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String key = "raw/" + servers.prefix + "/methods.csv.gz";
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(dir);
        Set<String> sent = new TreeSet<>();
        Set<String> paths = new TreeSet<>();
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
                sent.add("es:ESHttp" + request.method().charAt(0)
                        + request.method().substring(1).toLowerCase(Locale.ROOT));
                paths.add(request.rawPath().replaceAll("^.*/(_[a-z_]+)(/.*)?$", "$1"));
            }
        }
        JsonNode report = servers.report(BUCKET, key);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("staleRemoved").asLong()).as("the cleanup of the first version ran").isEqualTo(10);
        assertThat(paths).as("every kind of request the load makes was seen")
                .containsExactlyInAnyOrder("_index_template", "_bulk", "_refresh", "_search");

        Set<String> granted = loadRoleOpenSearchActions();
        assertThat(granted).as("serverless.yml grants exactly the methods the load sends (least privilege)")
                .containsExactlyInAnyOrderElementsOf(sent);
    }

    /** The actions of LoadRole's {@code IndexIntoOpenSearch} statement in serverless.yml. */
    private static Set<String> loadRoleOpenSearchActions() throws IOException {
        Path root = Path.of(System.getProperty("netmeta.projectRoot", "..")).toAbsolutePath().normalize();
        JsonNode manifest = new ObjectMapper(new YAMLFactory()).readTree(root.resolve("serverless.yml").toFile());
        Set<String> actions = new TreeSet<>();
        for (JsonNode policy : manifest.at("/resources/Resources/LoadRole/Properties/Policies")) {
            for (JsonNode statement : policy.at("/PolicyDocument/Statement")) {
                if (statement.path("Sid").asText().equals("IndexIntoOpenSearch")) {
                    statement.path("Action").forEach(action -> actions.add(action.asText()));
                }
            }
        }
        assertThat(actions).as("LoadRole's IndexIntoOpenSearch statement in %s", root).isNotEmpty();
        return actions;
    }
}
