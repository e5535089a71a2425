package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.doc;
import static dev.netmeta.api.SearchIndexFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.JvmTrustStore;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.RecordingHttpsProxy;
import dev.netmeta.local.testing.RecordingHttpsProxy.Recorded;
import dev.netmeta.local.testing.SigV4Signature;
import dev.netmeta.local.testing.TestServers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code OPENSEARCH_AUTH=sigv4} end to end, the path only AWS would otherwise exercise: the api handler, wired from a
 * Lambda-like environment (role keys and session token), talks HTTPS through opensearch-java's
 * {@code AwsSdk2Transport} to a recording proxy standing where the AWS domain would be; the proxy forwards to the
 * embedded OpenSearch. Every request must carry a SigV4 signature that verifies with the role's secret for service
 * {@code es} (or {@code aoss}) and the session token, signed — as AWS requires for temporary credentials.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiSigv4IT {

    private static final String KEY_ID = "ASIAQNETMETAROLEKEY1";
    private static final String SECRET = "role/secret+Key0123456789abcdefghijklmn";
    private static final String TOKEN = "IQoJb3JpZ2luX2VjEBoaCWV1LWNlbnRyYWwtMSJHMEUCIQ+session/token==";
    private static final String REGION = "eu-central-1";

    private final ObjectMapper json = new ObjectMapper();
    @TempDir
    static Path tlsDir; // the self-signed certificate's key and trust stores, removed by JUnit after the class
    private SelfSignedCertificate certificate;
    private RecordingHttpsProxy proxy;
    private SearchIndexFixture fixture;

    @BeforeAll
    void start(OpenSearchEndpoint openSearch) throws Exception {
        fixture = new SearchIndexFixture(openSearch.uri(), "sigv4it-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        docs.put("match", doc("2018-05-09T10:00:00Z", "127.0.0.1", "142.250.1.1", 443, "google.com"));
        docs.put("other", doc("2018-05-09T10:05:00Z", "127.0.0.1", "93.184.216.34", 443, "example.com"));
        fixture.index(docs);
        certificate = SelfSignedCertificate.generate(tlsDir);
        proxy = new RecordingHttpsProxy(certificate, openSearch.uri());
    }

    @AfterAll
    void stop() throws Exception {
        proxy.close();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        proxy.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"es", "aoss"})
    void lambdaRoleSessionCredentialsSignEveryRequestWithTheToken(String service) throws Exception {
        Map<String, String> env = env(service);
        env.put("AWS_ACCESS_KEY_ID", KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET);
        env.put("AWS_SESSION_TOKEN", TOKEN);

        APIGatewayProxyResponseEvent response = search(handler(env), "host:google.com");

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(ids(json.readTree(response.getBody()))).containsExactly("match");
        List<Recorded> requests = proxy.requests();
        assertThat(requests).isNotEmpty();
        for (Recorded request : requests) {
            SigV4Signature sig = SigV4Signature.of(request);
            assertThat(sig.accessKeyId()).isEqualTo(KEY_ID);
            assertThat(sig.region()).isEqualTo(REGION);
            assertThat(sig.service()).isEqualTo(service);
            assertThat(request.header("X-Amz-Security-Token")).isEqualTo(TOKEN);
            assertThat(sig.signedHeaders()).contains("host", "x-amz-date", "x-amz-security-token");
            assertThat(request.header("Host")).isEqualTo(proxy.uri().getAuthority());
            assertThat(sig.verifies(request, SECRET)).as("signature of %s %s", request.method(), request.rawPath())
                    .isTrue();
            // the check is a real one: a wrong secret, or the request without its token, does not verify
            assertThat(sig.verifies(request, SECRET + "x")).isFalse();
            assertThat(sig.verifies(withoutHeader(request, "x-amz-security-token"), SECRET)).isFalse();
            if (request.header("X-Amz-Content-Sha256") != null) {
                assertThat(request.header("X-Amz-Content-Sha256")).isEqualTo(SigV4Signature.sha256Hex(request.body()));
            }
        }
    }

    @Test
    void longTermKeysSignWithoutAToken() throws Exception {
        Map<String, String> env = env("es");
        env.put("AWS_ACCESS_KEY_ID", "AKIAQNETMETALOCAL001");
        env.put("AWS_SECRET_ACCESS_KEY", SECRET);

        APIGatewayProxyResponseEvent response = search(handler(env), "host:example.com");

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(ids(json.readTree(response.getBody()))).containsExactly("other");
        assertThat(proxy.requests()).isNotEmpty().allSatisfy(request -> {
            SigV4Signature sig = SigV4Signature.of(request);
            assertThat(sig.accessKeyId()).isEqualTo("AKIAQNETMETALOCAL001");
            assertThat(request.header("X-Amz-Security-Token")).isNull();
            assertThat(sig.signedHeaders()).doesNotContain("x-amz-security-token");
            assertThat(sig.verifies(request, SECRET)).isTrue();
        });
    }

    /**
     * API.md, Guards, "Time": every search runs with OpenSearch's own {@code timeout} (at most SEARCH_TIMEOUT_MS) and
     * {@code allow_partial_search_results=false}, so the engine stops on its own and a search that lost shards is an
     * error, never a 200 with some of the hits. Checked on the request as it reaches the domain.
     */
    @Test
    void everySearchCarriesTheEngineTimeoutAndRefusesPartialResults() throws Exception {
        Map<String, String> env = env("es");
        env.put("AWS_ACCESS_KEY_ID", KEY_ID);
        env.put("AWS_SECRET_ACCESS_KEY", SECRET);
        env.put("AWS_SESSION_TOKEN", TOKEN);
        env.put("SEARCH_TIMEOUT_MS", "7000");

        APIGatewayProxyResponseEvent response = search(handler(env), "host:google.com");

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        List<Recorded> searches = proxy.requests().stream().filter(r -> r.rawPath().endsWith("/_search")).toList();
        assertThat(searches).isNotEmpty().allSatisfy(request -> {
            assertThat(request.rawQuery()).as("query string").contains("allow_partial_search_results=false");
            String timeout = json.readTree(request.body()).path("timeout").asText();
            assertThat(timeout).as("body timeout").matches("\\d+ms");
            assertThat(Long.parseLong(timeout.substring(0, timeout.length() - 2))).isBetween(1L, 7000L);
        });
    }

    private Map<String, String> env(String service) {
        Map<String, String> env = new HashMap<>();
        env.put("OPENSEARCH_URL", proxy.uri().toString());
        env.put("OPENSEARCH_AUTH", "sigv4");
        env.put("OPENSEARCH_SIGV4_SERVICE", service);
        env.put("AWS_REGION", REGION);
        env.put("INDEX_PREFIX", fixture.prefix);
        return env;
    }

    /** The handler as Lambda builds it; the JVM trusts the proxy's certificate (the client has no setting of its own). */
    private ApiHandler handler(Map<String, String> env) {
        return JvmTrustStore.whileBuilding(certificate, () -> new ApiHandler(env));
    }

    private static APIGatewayProxyResponseEvent search(ApiHandler handler, String q) {
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(Map.of("q", q));
        event.setMultiValueQueryStringParameters(null);
        return handler.handleRequest(event, null);
    }

    private static Recorded withoutHeader(Recorded request, String name) {
        Map<String, List<String>> headers = new TreeMap<>(request.headers());
        headers.remove(name);
        return new Recorded(request.method(), request.rawPath(), request.rawQuery(), headers, request.body());
    }
}
