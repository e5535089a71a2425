package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
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
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * Least privilege for the retention's OpenSearch access, measured instead of assumed (as LoadOpenSearchRequestsIT
 * does for the load): a real run of the handler with {@code OPENSEARCH_AUTH=sigv4}, as in AWS, against a recording
 * proxy in front of the embedded OpenSearch, with an expired daily index to delete. Each recorded request must be
 * allowed by RetentionRole's statements in the packaged template (created and existing domain) and by the created
 * domain's access policy ({@link OpenSearchGrants}); requests it must never be able to make — another stage's
 * indices, a wildcard or list delete, {@code _all}, the alias, documents, settings — by none of them.
 */
@ExtendWith(TestServers.class)
class RetentionOpenSearchRequestsIT {

    @Test
    void theRetentionSendsOnlyRequestsItsRoleGrantsAndItsRoleGrantsNothingElse(S3Endpoint s3,
                                                                                OpenSearchEndpoint openSearch,
                                                                                @TempDir Path dir) throws Exception {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String prefix = servers.prefix;
        String expired = prefix + "-2001.01.01";
        String kept = prefix + "-" + LocalDate.now(ZoneOffset.UTC).toString().replace('-', '.');
        for (String index : List.of(expired, kept)) {
            servers.openSearch.indices().create(c -> c.index(index));
        }
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(dir);
        Set<Sent> sent = new TreeSet<>(Comparator.comparing(Sent::toString));
        RetentionSummary summary;
        try (RecordingHttpsProxy proxy = new RecordingHttpsProxy(certificate, openSearch.uri())) {
            Map<String, String> env = new HashMap<>(servers.env());
            env.put("OPENSEARCH_URL", proxy.uri().toString());
            env.put("OPENSEARCH_AUTH", "sigv4");
            env.put("OPENSEARCH_SIGV4_SERVICE", "es");
            env.put("INDEX_RETENTION_DAYS", "30");
            RetentionHandler handler = JvmTrustStore.whileBuilding(certificate, () -> new RetentionHandler(env));
            summary = handler.handleRequest(EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json"),
                    TestLambdaContext.plentyOfTime());
            for (Recorded request : proxy.requests()) {
                sent.add(Sent.recorded(request.method(), request.rawPath()));
            }
        }
        System.out.println("retention → OpenSearch requests (method, decoded path): " + sent);
        assertThat(summary.getDeleted()).containsExactly(expired);
        assertThat(summary.getKept()).isEqualTo(1);
        assertThat(sent).as("the listing and one DELETE by name")
                .containsExactlyInAnyOrder(new Sent("GET", "/_cat/indices/" + prefix + "-*"),
                        new Sent("DELETE", "/" + expired));

        List<Sent> neverSent = List.of(
                new Sent("DELETE", "/" + prefix + "-dev-2001.01.01"),           // another stage's prefix
                new Sent("DELETE", "/" + prefix + "x-2001.01.01"),
                new Sent("DELETE", "/other-2001.01.01"),
                new Sent("DELETE", "/" + expired + "-copy"),                     // a suffix
                new Sent("DELETE", "/" + prefix + "-*"),                         // wildcards
                new Sent("DELETE", "/" + prefix + "-****.**.**"),                // as long as a day: '?' matches '*'
                new Sent("DELETE", "/" + prefix + "-2001.**.**"),
                new Sent("DELETE", "/" + prefix + "-ab,c.de.fg"),                // a list naming another index
                new Sent("DELETE", "/" + expired + "," + kept),
                new Sent("DELETE", "/_all"),
                new Sent("DELETE", "/*"),
                new Sent("DELETE", "/" + prefix),                                // the alias
                new Sent("DELETE", "/" + expired + "/_doc/1"),
                new Sent("DELETE", "/_index_template/" + IndexTemplate.name(prefix)),
                new Sent("GET", "/_cat/indices"),                                // every index's name
                new Sent("GET", "/_cat/indices/" + prefix + "-x,other*"),        // a list: other indices' names, sizes
                new Sent("GET", "/_cat/indices/" + prefix + "-*,*"),
                new Sent("GET", "/_cat/indices/" + prefix + "-,_all"),
                new Sent("GET", "/" + prefix + "/_search"),
                new Sent("POST", "/" + prefix + "/_search"),
                new Sent("PUT", "/" + expired),
                new Sent("POST", "/" + expired + "/_close"),
                new Sent("POST", "/_bulk"),
                new Sent("PUT", "/_cluster/settings"));
        assertThat(OpenSearchGrants.packagedWithIndexPrefix(prefix).problems("RetentionRole", sent, neverSent))
                .as("every request the retention sends is allowed (role for a created and an existing domain, the"
                        + " created domain's access policy), no request it must not send is").isEmpty();
    }
}
