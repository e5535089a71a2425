package dev.netmeta.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The sync's SDK HTTP client: the JDK's {@link HttpURLConnection} (as the SDK's {@code url-connection-client}), with a
 * request-body path made for copying gigabytes. The SDK's client copies a body 4 KiB at a time
 * ({@code IoUtils.copy}); every 4 KiB then passes the SDK's stream wrappers, the FTP read buffer and a write buffer —
 * measured (docs/BENCHMARKS.md) as most of the sync's own CPU per GB. Here a body is copied in
 * {@value #COPY_BUFFER}-byte reads straight from the source into the connection, which streams it with the request's
 * {@code Content-Length} (fixed-length mode: never the whole body in memory), or chunked when the length is unknown.
 *
 * <p>{@code Expect: 100-continue} (which the SDK asks for on uploads) is honoured: S3 refuses an upload it will not
 * take (no such bucket, access denied) before the body is sent, and that status reaches the SDK — instead of
 * "error writing request body" after the server has closed the connection. {@code HttpURLConnection} reports such an
 * answer as a {@code ProtocolException} from {@code getOutputStream()}, having kept the status only; the response then
 * has that status and no headers or body (the SDK's own client works around the same JDK behaviour). TLS for
 * {@code https} URIs is the JVM's default (trust store, host-name check) — the same as the SDK's client without TLS
 * settings; see {@code SyncHttpsIT}.
 */
public final class StreamingHttpClient implements SdkHttpClient {

    static final int COPY_BUFFER = 256 * 1024;

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    public StreamingHttpClient(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new Exchange(request);
    }

    @Override
    public String clientName() {
        return "NetmetaStreaming";
    }

    @Override
    public void close() {
        // connections are the JDK's keep-alive cache; nothing of ours to release
    }

    private final class Exchange implements ExecutableHttpRequest {

        private final HttpExecuteRequest request;
        private volatile HttpURLConnection connection;

        Exchange(HttpExecuteRequest request) {
            this.request = request;
        }

        @Override
        public HttpExecuteResponse call() throws IOException {
            SdkHttpRequest http = request.httpRequest();
            Optional<ContentStreamProvider> body = request.contentStreamProvider();
            HttpURLConnection c = open(http.getUri());
            connection = c;
            try {
                c.setRequestMethod(http.method().name());
                http.forEachHeader((name, values) -> {
                    if (!isManagedHeader(name)) {
                        values.forEach(v -> c.addRequestProperty(name, v));
                    }
                });
                if (http.firstMatchingHeader("Accept").isEmpty()) {
                    c.setRequestProperty("Accept", "*/*"); // else the JDK sends its own list
                }
                if (body.isPresent()) {
                    c.setDoOutput(true);
                    Optional<String> length = http.firstMatchingHeader("Content-Length");
                    if (length.isPresent()) {
                        c.setFixedLengthStreamingMode(Long.parseLong(length.get().trim()));
                    } else {
                        c.setChunkedStreamingMode(COPY_BUFFER);
                    }
                    OutputStream out;
                    try {
                        out = c.getOutputStream();
                    } catch (ProtocolException refused) { // the answer to Expect: 100-continue was a final status
                        int status = c.getResponseCode(); // kept by the connection; nothing else of the answer is
                        if (status < 400) {
                            throw refused;
                        }
                        c.disconnect(); // the body was not sent: this connection cannot carry another request
                        return HttpExecuteResponse.builder()
                                .response(SdkHttpResponse.builder().statusCode(status).build())
                                .build();
                    }
                    try (InputStream in = body.get().newStream(); OutputStream o = out) {
                        copy(in, o);
                    }
                }
                int status = statusOf(c);
                SdkHttpResponse response = SdkHttpResponse.builder()
                        .statusCode(status)
                        .statusText(c.getResponseMessage())
                        .headers(headersOf(c))
                        .build();
                InputStream responseBody = responseBody(c, http, status);
                return HttpExecuteResponse.builder()
                        .response(response)
                        .responseBody(responseBody == null ? null : AbortableInputStream.create(responseBody, c::disconnect))
                        .build();
            } catch (IOException | RuntimeException e) {
                c.disconnect();
                throw e;
            }
        }

        @Override
        public void abort() {
            HttpURLConnection c = connection;
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private HttpURLConnection open(URI uri) throws IOException {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout(connectTimeoutMillis);
        c.setReadTimeout(readTimeoutMillis);
        c.setInstanceFollowRedirects(false); // the SDK handles redirects (and S3's region errors) itself
        c.setUseCaches(false);
        return c;
    }

    /** Headers the connection sets itself from the request (Host, length, framing). */
    static boolean isManagedHeader(String name) {
        return name.equalsIgnoreCase("Host") || name.equalsIgnoreCase("Content-Length")
                || name.equalsIgnoreCase("Transfer-Encoding") || name.equalsIgnoreCase("Connection");
    }

    /** Copies in large reads: a read of at least the FTP buffer's size goes straight from the socket into {@code buf}. */
    static long copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[COPY_BUFFER];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (n > 0) {
                out.write(buf, 0, n);
                total += n;
            }
        }
        return total;
    }

    private static int statusOf(HttpURLConnection c) throws IOException {
        try {
            return c.getResponseCode();
        } catch (HttpRetryException e) {
            return e.responseCode(); // a 401/407 challenge to a streamed body: the status is all there is
        }
    }

    private static Map<String, List<String>> headersOf(HttpURLConnection c) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        c.getHeaderFields().forEach((name, values) -> {
            if (name != null) { // the status line comes with a null name
                headers.put(name, values);
            }
        });
        return headers;
    }

    private static InputStream responseBody(HttpURLConnection c, SdkHttpRequest request, int status) throws IOException {
        if (request.method().name().equals("HEAD") || status == 204 || status == 304 || (status >= 100 && status < 200)) {
            return null;
        }
        if (status >= 400) {
            return c.getErrorStream(); // null when the server sent no body
        }
        return c.getInputStream();
    }
}
