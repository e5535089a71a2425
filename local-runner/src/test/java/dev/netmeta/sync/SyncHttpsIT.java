package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.RecordingHttpsProxy;
import dev.netmeta.local.testing.RecordingHttpsProxy.Recorded;
import dev.netmeta.local.testing.TestServers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * The sync's SDK HTTP client ({@code StreamingHttpClient}, the JDK's {@code HttpURLConnection} with the SDK given no
 * TLS settings of its own) over real TLS: it verifies the server's certificate with the JVM's trust
 * (a self-signed server is refused), and, once the JVM trusts the certificate, sends a request body with its length
 * intact over TLS. The server is a recording HTTPS proxy in front of the embedded OpenSearch.
 */
@ExtendWith(TestServers.class)
class SyncHttpsIT {

    @Test
    void theWrappedConnectionSpeaksVerifiedTls(OpenSearchEndpoint openSearch, @TempDir Path dir) throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(dir);
        SdkHttpClient http = SyncFactory.httpClient();
        byte[] body = ("{\"payload\":\"" + "x".repeat(600_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        String path = "/synchttpsit-" + UUID.randomUUID().toString().substring(0, 8) + "/_doc/1";
        try (RecordingHttpsProxy proxy = new RecordingHttpsProxy(certificate, openSearch.uri())) {
            URI uri = URI.create(proxy.uri() + path);

            assertThatThrownBy(() -> put(http, uri, body)).hasStackTraceContaining("PKIX path building failed");
            assertThat(proxy.requests()).isEmpty();

            SSLSocketFactory jvmDefault = HttpsURLConnection.getDefaultSSLSocketFactory();
            HttpsURLConnection.setDefaultSSLSocketFactory(trusting(certificate)); // as javax.net.ssl.trustStore would
            try {
                HttpExecuteResponse response = put(http, uri, body);
                assertThat(response.httpResponse().statusCode()).isEqualTo(201);
                try (InputStream in = response.responseBody().orElseThrow()) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("\"result\":\"created\"");
                }
            } finally {
                HttpsURLConnection.setDefaultSSLSocketFactory(jvmDefault);
            }
            List<Recorded> requests = proxy.requests();
            assertThat(requests).hasSize(1);
            Recorded put = requests.get(0);
            assertThat(put.header("Content-Length")).isEqualTo(Integer.toString(body.length));
            assertThat(put.header("Transfer-Encoding")).isNull();
            assertThat(Arrays.equals(put.body(), body)).isTrue();
        } finally {
            http.close();
        }
    }

    private static HttpExecuteResponse put(SdkHttpClient http, URI uri, byte[] body) throws Exception {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT).uri(uri)
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        return http.prepareRequest(HttpExecuteRequest.builder().request(request)
                .contentStreamProvider(() -> new ByteArrayInputStream(body)).build()).call();
    }

    private static SSLSocketFactory trusting(SelfSignedCertificate certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificate.trustStore())) {
            trust.load(in, certificate.trustStorePassword().toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context.getSocketFactory();
    }
}
