package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.load.aws.AwsClients;
import dev.netmeta.load.index.OpenSearchConnection;
import dev.netmeta.load.index.OpenSearchIndexTemplates;
import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.JvmTrustStore;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.RecordingHttpsProxy;
import dev.netmeta.local.testing.RecordingHttpsProxy.Recorded;
import dev.netmeta.local.testing.SigV4Signature;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.model.Env;
import dev.netmeta.model.IndexTemplate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.client.transport.OpenSearchTransport;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * The load's {@code OPENSEARCH_AUTH=sigv4} wiring (its credentials, url-connection client and
 * {@code AwsSdk2Transport}, as {@code LoadFactory} puts them together) from a Lambda-like environment: the index
 * template PUT goes over HTTPS to a recording proxy in front of the embedded OpenSearch, signed for {@code es} with
 * the role's session token, and the signature verifies over the body that arrived.
 */
@ExtendWith(TestServers.class)
class LoadSigv4IT {

    private static final String SECRET = "load/role+secret0123456789abcdefghijklm";
    private static final String TOKEN = "IQoJb3JpZ2luX2VjELoad//session+token==";

    @Test
    void theTemplatePutIsSignedWithTheSessionToken(OpenSearchEndpoint openSearch, @TempDir Path dir) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(dir);
        String prefix = "loadsigv4-" + UUID.randomUUID().toString().substring(0, 8);
        try (RecordingHttpsProxy proxy = new RecordingHttpsProxy(certificate, openSearch.uri())) {
            Env env = Env.of(Map.of("OPENSEARCH_URL", proxy.uri().toString(), "OPENSEARCH_AUTH", "sigv4",
                    "AWS_REGION", "us-west-2", "AWS_ACCESS_KEY_ID", "ASIAQNETMETALOADROLE",
                    "AWS_SECRET_ACCESS_KEY", SECRET, "AWS_SESSION_TOKEN", TOKEN));
            SdkHttpClient http = JvmTrustStore.whileBuilding(certificate, AwsClients::httpClient);
            OpenSearchTransport transport = OpenSearchConnection.transport(env, http, AwsClients.region(env),
                    AwsClients.credentials(env));
            try (transport) {
                new OpenSearchIndexTemplates(OpenSearchConnection.generic(transport), prefix).ensureInstalled();
            }

            HttpResponse<String> installed = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    openSearch.uri().resolve("/_index_template/" + IndexTemplate.name(prefix))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(installed.statusCode()).isEqualTo(200);
            assertThat(installed.body()).contains(prefix + "-0*");

            List<Recorded> requests = proxy.requests();
            assertThat(requests).hasSize(1);
            Recorded put = requests.get(0);
            assertThat(put.method()).isEqualTo("PUT");
            assertThat(put.body()).isNotEmpty();
            SigV4Signature sig = SigV4Signature.of(put);
            assertThat(sig.accessKeyId()).isEqualTo("ASIAQNETMETALOADROLE");
            assertThat(sig.region()).isEqualTo("us-west-2");
            assertThat(sig.service()).isEqualTo("es");
            assertThat(put.header("X-Amz-Security-Token")).isEqualTo(TOKEN);
            assertThat(sig.signedHeaders()).contains("host", "x-amz-date", "x-amz-security-token");
            assertThat(put.header("Host")).isEqualTo(URI.create(proxy.uri().toString()).getAuthority());
            assertThat(sig.verifies(put, SECRET)).isTrue();
            assertThat(sig.verifies(put, SECRET + "x")).isFalse();
        }
    }
}
