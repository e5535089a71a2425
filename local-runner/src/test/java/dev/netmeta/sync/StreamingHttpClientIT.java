package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * The sync's SDK HTTP client against a real HTTP server (the JDK's): what the server receives (length, framing, the
 * exact bytes) and what the SDK gets back (status, headers, error bodies, no body for HEAD/204); and against a
 * server that refuses an upload after its headers, as S3 does with {@code Expect: 100-continue}.
 * Its use by the S3, Lambda and SSM clients is covered by the sync's end-to-end tests against s3proxy.
 */
class StreamingHttpClientIT {

    private HttpServer server;
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final SdkHttpClient http = SyncFactory.httpClient();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/upload", this::upload);
        server.createContext("/missing", x -> respond(x, 404, "<Error><Code>NoSuchKey</Code></Error>"));
        server.createContext("/empty", x -> respond(x, 204, null));
        server.start();
    }

    @AfterEach
    void stop() {
        http.close();
        server.stop(0);
    }

    @Test
    void aLargeBodyIsStreamedWithItsLengthAndArrivesIntact() throws Exception {
        byte[] body = new byte[24 * 1024 * 1024 + 17];
        new SplittableRandom(7).nextBytes(body);

        HttpExecuteResponse response = call(SdkHttpMethod.PUT, "/upload", Map.of("Content-Length", Integer.toString(body.length),
                "Expect", "100-continue", "x-amz-meta-origin", "ftp"), () -> new ByteArrayInputStream(body));

        assertThat(response.httpResponse().statusCode()).isEqualTo(200);
        assertThat(response.httpResponse().firstMatchingHeader("etag")).hasValue("\"" + sha256(body) + "\"");
        assertThat(read(response)).isEqualTo("stored " + body.length);
        assertThat(seen).containsEntry("content-length", Integer.toString(body.length))
                .containsEntry("x-amz-meta-origin", "ftp")
                .containsEntry("expect", "100-continue")
                .containsEntry("sha256", sha256(body))
                .doesNotContainKey("transfer-encoding");
    }

    @Test
    void anUploadRefusedBeforeItsBodyGetsTheServersStatusNotAWriteError() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024];
        try (ServerSocket refusing = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> refuse(refusing, "HTTP/1.1 403 Forbidden"));
            server.start();
            SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(SdkHttpMethod.PUT)
                    .uri(URI.create("http://127.0.0.1:" + refusing.getLocalPort() + "/bucket/key"))
                    .putHeader("Content-Length", Integer.toString(body.length))
                    .putHeader("Expect", "100-continue");

            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(request.build())
                    .contentStreamProvider(() -> new ByteArrayInputStream(body)).build()).call();

            assertThat(response.httpResponse().statusCode()).isEqualTo(403);
            server.join(10_000);
            assertThat(seen).containsEntry("expect", "100-continue").containsEntry("bodyBytesRead", "0");
        }
    }

    /** Reads one request's headers, answers with a final status instead of 100 Continue, reads no body. */
    private void refuse(ServerSocket socket, String statusLine) {
        try (Socket s = socket.accept()) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.append((char) c);
            }
            for (String line : head.toString().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    seen.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT), line.substring(colon + 1).trim());
                }
            }
            OutputStream out = s.getOutputStream();
            out.write((statusLine + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long body = 0; // whatever arrives until the client closes: none of the body may have been sent
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) >= 0; ) {
                body += n;
            }
            seen.put("bodyBytesRead", Long.toString(body));
        } catch (IOException e) {
            seen.put("serverError", String.valueOf(e));
        }
    }

    @Test
    void aBodyOfUnknownLengthIsSentChunked() throws Exception {
        byte[] body = "no length given".getBytes(StandardCharsets.UTF_8);

        HttpExecuteResponse response = call(SdkHttpMethod.POST, "/upload", Map.of(), () -> new ByteArrayInputStream(body));

        assertThat(response.httpResponse().statusCode()).isEqualTo(200);
        assertThat(seen).containsEntry("transfer-encoding", "chunked").containsEntry("sha256", sha256(body));
    }

    @Test
    void anErrorAnswerKeepsItsStatusAndBodyForTheSdk() throws Exception {
        HttpExecuteResponse response = call(SdkHttpMethod.GET, "/missing", Map.of(), null);

        assertThat(response.httpResponse().statusCode()).isEqualTo(404);
        assertThat(response.httpResponse().isSuccessful()).isFalse();
        assertThat(read(response)).contains("NoSuchKey");
    }

    @Test
    void headAndNoContentAnswersHaveNoBody() throws Exception {
        HttpExecuteResponse head = call(SdkHttpMethod.HEAD, "/missing", Map.of(), null);
        assertThat(head.httpResponse().statusCode()).isEqualTo(404);
        assertThat(head.responseBody()).isEmpty();

        HttpExecuteResponse empty = call(SdkHttpMethod.DELETE, "/empty", Map.of(), null);
        assertThat(empty.httpResponse().statusCode()).isEqualTo(204);
        assertThat(empty.responseBody()).isEmpty();
    }

    private HttpExecuteResponse call(SdkHttpMethod method, String path, Map<String, String> headers, ContentStreamProvider body)
            throws IOException {
        SdkHttpFullRequest.Builder request = SdkHttpFullRequest.builder().method(method)
                .uri(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path));
        headers.forEach(request::putHeader);
        return http.prepareRequest(HttpExecuteRequest.builder().request(request.build()).contentStreamProvider(body).build()).call();
    }

    private void upload(HttpExchange exchange) throws IOException {
        exchange.getRequestHeaders().forEach((name, values) -> seen.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
        MessageDigest digest = sha256();
        long n = 0;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] buf = new byte[64 * 1024];
            for (int r; (r = in.read(buf)) >= 0; n += r) {
                digest.update(buf, 0, r);
            }
        }
        String hash = HexFormat.of().formatHex(digest.digest());
        seen.put("sha256", hash);
        exchange.getResponseHeaders().add("ETag", "\"" + hash + "\"");
        respond(exchange, 200, "stored " + n);
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        boolean noBody = body == null || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            if (!noBody) {
                out.write(bytes);
            }
        }
    }

    private static String read(HttpExecuteResponse response) throws IOException {
        try (InputStream in = response.responseBody().orElseThrow()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String sha256(byte[] data) {
        return HexFormat.of().formatHex(sha256().digest(data));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
