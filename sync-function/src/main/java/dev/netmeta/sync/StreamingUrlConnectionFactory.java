package dev.netmeta.sync;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.security.Permission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionFactory;

/**
 * Connections for the SDK's {@code url-connection-client} that stream request bodies. The client sets the body's
 * length only as a {@code Content-Length} header, which {@link HttpURLConnection} ignores (restricted header) and then
 * buffers the whole body in a growing byte array before sending — an extra 1.5–2 × part size of heap per request and
 * a copy of every byte. Here the {@code Content-Length} header switches the connection to fixed-length streaming
 * mode, so the body goes from the part buffer straight to the socket.
 *
 * <p>TLS: for an {@code https} URI the wrapper is no {@code HttpsURLConnection}, but everything runs on the wrapped
 * one, which is: the handshake, certificate and host-name checks are the JVM's defaults ({@code javax.net.ssl.*}
 * trust and key stores, else the JDK's CAs). The SDK applies its own TLS settings only to connections it opens
 * itself, never through a {@code UrlConnectionFactory}; and the sync sets none, so the SDK would have built the
 * same context (default trust managers, key managers from the same system properties). Checked by
 * {@code SyncHttpsIT}.
 */
public final class StreamingUrlConnectionFactory implements UrlConnectionFactory {

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    public StreamingUrlConnectionFactory(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        this.readTimeoutMillis = (int) readTimeout.toMillis();
    }

    @Override
    public HttpURLConnection createConnection(URI uri) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout(connectTimeoutMillis);
            c.setReadTimeout(readTimeoutMillis);
            return new Streaming(c);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Delegates everything; turns a positive {@code Content-Length} into fixed-length streaming mode. */
    static final class Streaming extends HttpURLConnection {

        private static final int WRITE_BUFFER = 256 * 1024;

        private final HttpURLConnection d;
        private BufferedOutputStream body;

        Streaming(HttpURLConnection delegate) {
            super(delegate.getURL());
            this.d = delegate;
        }

        private boolean lengthHeader(String key, String value) {
            if (key != null && key.equalsIgnoreCase("Content-Length") && value != null) {
                long length = Long.parseLong(value.trim());
                if (length > 0) {
                    d.setFixedLengthStreamingMode(length);
                }
                return true; // restricted header: HttpURLConnection would drop it anyway and sets it itself
            }
            return false;
        }

        @Override
        public void setRequestProperty(String key, String value) {
            if (!lengthHeader(key, value)) {
                d.setRequestProperty(key, value);
            }
        }

        @Override
        public void addRequestProperty(String key, String value) {
            if (!lengthHeader(key, value)) {
                d.addRequestProperty(key, value);
            }
        }

        @Override
        public String getRequestProperty(String key) {
            return d.getRequestProperty(key);
        }

        @Override
        public Map<String, List<String>> getRequestProperties() {
            return d.getRequestProperties();
        }

        @Override
        public void setRequestMethod(String method) throws java.net.ProtocolException {
            d.setRequestMethod(method);
        }

        @Override
        public String getRequestMethod() {
            return d.getRequestMethod();
        }

        @Override
        public void setChunkedStreamingMode(int chunklen) {
            d.setChunkedStreamingMode(chunklen);
        }

        @Override
        public void setFixedLengthStreamingMode(int contentLength) {
            d.setFixedLengthStreamingMode(contentLength);
        }

        @Override
        public void setFixedLengthStreamingMode(long contentLength) {
            d.setFixedLengthStreamingMode(contentLength);
        }

        @Override
        public void setInstanceFollowRedirects(boolean followRedirects) {
            d.setInstanceFollowRedirects(followRedirects);
        }

        @Override
        public boolean getInstanceFollowRedirects() {
            return d.getInstanceFollowRedirects();
        }

        @Override
        public void setDoOutput(boolean dooutput) {
            d.setDoOutput(dooutput);
        }

        @Override
        public boolean getDoOutput() {
            return d.getDoOutput();
        }

        @Override
        public void setDoInput(boolean doinput) {
            d.setDoInput(doinput);
        }

        @Override
        public boolean getDoInput() {
            return d.getDoInput();
        }

        @Override
        public void setUseCaches(boolean usecaches) {
            d.setUseCaches(usecaches);
        }

        @Override
        public boolean getUseCaches() {
            return d.getUseCaches();
        }

        @Override
        public void setConnectTimeout(int timeout) {
            d.setConnectTimeout(timeout);
        }

        @Override
        public int getConnectTimeout() {
            return d.getConnectTimeout();
        }

        @Override
        public void setReadTimeout(int timeout) {
            d.setReadTimeout(timeout);
        }

        @Override
        public int getReadTimeout() {
            return d.getReadTimeout();
        }

        @Override
        public void connect() throws IOException {
            d.connect();
        }

        @Override
        public void disconnect() {
            d.disconnect();
        }

        @Override
        public boolean usingProxy() {
            return d.usingProxy();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            // The SDK copies the body in 4 KiB writes; gather them so the socket sees large writes.
            if (body == null) {
                body = new BufferedOutputStream(d.getOutputStream(), WRITE_BUFFER);
            }
            return body;
        }

        /** Whatever the SDK wrote must be on the wire before the response is read. */
        private void flushBody() throws IOException {
            if (body != null) {
                body.flush();
            }
        }

        @Override
        public InputStream getInputStream() throws IOException {
            flushBody();
            return d.getInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return d.getErrorStream();
        }

        @Override
        public int getResponseCode() throws IOException {
            flushBody();
            return d.getResponseCode();
        }

        @Override
        public String getResponseMessage() throws IOException {
            flushBody();
            return d.getResponseMessage();
        }

        @Override
        public String getHeaderField(String name) {
            return d.getHeaderField(name);
        }

        @Override
        public String getHeaderField(int n) {
            return d.getHeaderField(n);
        }

        @Override
        public String getHeaderFieldKey(int n) {
            return d.getHeaderFieldKey(n);
        }

        @Override
        public Map<String, List<String>> getHeaderFields() {
            return d.getHeaderFields();
        }

        @Override
        public long getContentLengthLong() {
            return d.getContentLengthLong();
        }

        @Override
        public int getContentLength() {
            return d.getContentLength();
        }

        @Override
        public String getContentType() {
            return d.getContentType();
        }

        @Override
        public String getContentEncoding() {
            return d.getContentEncoding();
        }

        @Override
        public URL getURL() {
            return d.getURL();
        }

        @Override
        public Permission getPermission() throws IOException {
            return d.getPermission();
        }

        @Override
        public String toString() {
            return d.toString();
        }
    }
}
