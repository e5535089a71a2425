package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.local.server.SelfSignedCertificate;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/**
 * The sync's S3 client as it runs in Lambda: an {@code https://} endpoint, hence the SDK's own SigV4 signer. Every
 * other sync test reaches S3 over {@code http://}, where {@link SyncFactory} installs {@link UnsignedPayloadSigner}
 * instead — so the production signing path with {@link StreamingHttpClient} never uploaded an object in any test.
 * Here a TLS front end (certificate trusted by the JVM, as a private CA would be) passes the requests unchanged to the
 * embedded S3 and records them: the three upload paths must store byte-identical objects, with bodies sent unsigned
 * (docs/SYNC.md: "real S3 endpoints use the SDK's default", which over HTTPS is UNSIGNED-PAYLOAD) — unchunked with a
 * CRC32C header where the bytes are in a buffer, {@code aws-chunked} with a trailing CRC32C for the streamed PUT
 * (docs/SYNC.md "Checksums").
 */
@ExtendWith(TestServers.class)
class S3ObjectStoreHttpsIT {

    private static final int MIB = 1024 * 1024;
    private static final Pattern CONTENT_SHA256 = Pattern.compile("(?im)^x-amz-content-sha256:\\s*(\\S+)\\s*$");

    @Test
    void overHttpsEveryUploadPathStoresTheBytesWithTheSdksDefaultSigner(S3Endpoint endpoint, @TempDir Path dir)
            throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.generate(dir);
        SSLSocketFactory jvmDefault = HttpsURLConnection.getDefaultSSLSocketFactory();
        try (TlsFrontEnd front = new TlsFrontEnd(certificate, endpoint.uri());
             S3Client admin = TestServers.s3Client(endpoint)) {
            String bucket = "it-https-" + UUID.randomUUID().toString().substring(0, 8);
            admin.createBucket(b -> b.bucket(bucket));
            HttpsURLConnection.setDefaultSSLSocketFactory(trusting(certificate)); // as javax.net.ssl.trustStore would
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL_S3", front.uri().toString(),
                    "AWS_ACCESS_KEY_ID", endpoint.accessKey(), "AWS_SECRET_ACCESS_KEY", endpoint.secretKey(),
                    "AWS_REGION", endpoint.region());
            S3ObjectStore store = new S3ObjectStore(SyncFactory.s3Client(env), bucket, 16L * MIB);

            // one buffered PUT (≤ one part), one streamed PUT (≤ 16 MiB here), one multipart upload (3 parts)
            for (int size : new int[] {3 * MIB + 1, 12 * MIB + 5, 20 * MIB + 17}) {
                byte[] data = new byte[size];
                new Random(size).nextBytes(data);
                String key = "raw/https-" + size + ".csv.gz";
                assertThat(store.upload(key, new ByteArrayInputStream(data), size, 8 * MIB, () -> true)).isEqualTo(size);
                var stored = admin.getObjectAsBytes(b -> b.bucket(bucket).key(key).checksumMode(ChecksumMode.ENABLED));
                assertThat(stored.asByteArray()).as(key).isEqualTo(data);
                if (size != 12 * MIB + 5) { // s3proxy keeps no trailing checksum (SyncChecksumIT)
                    assertThat(stored.response().checksumCRC32C()).as(key).isEqualTo(crc32c(data));
                }
            }
            assertThat(admin.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();

            List<String> uploads = front.headerBlocks().stream().filter(h -> h.startsWith("PUT ")).toList();
            assertThat(uploads).as("PutObject ×2, UploadPart ×3 through the TLS front end").hasSize(5);
            for (String h : uploads) {
                Matcher hash = CONTENT_SHA256.matcher(h);
                assertThat(hash.find()).as("x-amz-content-sha256 in%n%s", h).isTrue();
                if (h.startsWith("PUT /" + bucket + "/raw/https-" + (12 * MIB + 5) + ".csv.gz ")) {
                    // the streamed PUT: its CRC32C is known only at the end, so it trails the unsigned chunks
                    assertThat(hash.group(1)).as(h).isEqualTo("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
                    assertThat(h).containsIgnoringCase("Content-Encoding: aws-chunked")
                            .containsIgnoringCase("x-amz-trailer: x-amz-checksum-crc32c");
                } else {
                    assertThat(hash.group(1)).as("the body is neither hashed up front nor chunk-signed:%n%s", h)
                            .isEqualTo("UNSIGNED-PAYLOAD");
                    assertThat(h).doesNotContainIgnoringCase("aws-chunked").containsIgnoringCase("x-amz-checksum-crc32c: ");
                }
            }
        } finally {
            HttpsURLConnection.setDefaultSSLSocketFactory(jvmDefault);
        }
    }

    /** A CRC32C as S3 writes it: four bytes, big-endian, base64. */
    private static String crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static SSLContext context(SelfSignedCertificate certificate, boolean server) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        if (server) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(certificate.keyStore())) {
                keys.load(in, certificate.keyStorePassword().toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, certificate.keyStorePassword().toCharArray());
            context.init(kmf.getKeyManagers(), null, null);
        } else {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(certificate.trustStore())) {
                trust.load(in, certificate.trustStorePassword().toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            context.init(null, tmf.getTrustManagers(), null);
        }
        return context;
    }

    private static SSLSocketFactory trusting(SelfSignedCertificate certificate) throws Exception {
        return context(certificate, false).getSocketFactory();
    }

    /**
     * Terminates TLS on 127.0.0.1 and relays the bytes unchanged (Host header included, so the SigV4 signature still
     * verifies) to a plain-HTTP upstream; keeps every request's header block, not the bodies.
     */
    private static final class TlsFrontEnd implements AutoCloseable {
        private final SSLServerSocket server;
        private final URI upstream;
        private final List<String> headerBlocks = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        TlsFrontEnd(SelfSignedCertificate certificate, URI upstream) throws Exception {
            this.upstream = upstream;
            server = (SSLServerSocket) context(certificate, true).getServerSocketFactory()
                    .createServerSocket(0, 16, InetAddress.getLoopbackAddress());
            acceptor = new Thread(this::accept, "tls-front-end");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        URI uri() {
            return URI.create("https://127.0.0.1:" + server.getLocalPort());
        }

        List<String> headerBlocks() {
            return List.copyOf(headerBlocks);
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket origin = new Socket(upstream.getHost(), upstream.getPort());
                    Thread up = new Thread(() -> relayRequests(client, origin), "tls-front-end-up");
                    Thread down = new Thread(() -> pump(origin, client), "tls-front-end-down");
                    up.setDaemon(true);
                    down.setDaemon(true);
                    up.start();
                    down.start();
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        /** Copies client → origin, keeping the header block of each request (up to the blank line). */
        private void relayRequests(Socket client, Socket origin) {
            try (client; origin) {
                InputStream in = client.getInputStream();
                OutputStream out = origin.getOutputStream();
                ByteArrayOutputStream header = new ByteArrayOutputStream();
                long bodyLeft = 0;
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                    out.flush();
                    for (int i = 0; i < n; ) {
                        if (bodyLeft > 0) {
                            int skip = (int) Math.min(bodyLeft, n - i);
                            bodyLeft -= skip;
                            i += skip;
                            continue;
                        }
                        header.write(buf[i++]);
                        if (endsWithBlankLine(header)) {
                            String block = header.toString(StandardCharsets.ISO_8859_1);
                            headerBlocks.add(block);
                            Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(block);
                            bodyLeft = length.find() ? Long.parseLong(length.group(1)) : 0;
                            header.reset();
                        }
                    }
                }
            } catch (IOException e) {
                // the connection ended
            }
        }

        private static boolean endsWithBlankLine(ByteArrayOutputStream header) {
            byte[] b = header.toByteArray();
            int n = b.length;
            return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
        }

        private static void pump(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException e) {
                // the connection ended
            } finally {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
