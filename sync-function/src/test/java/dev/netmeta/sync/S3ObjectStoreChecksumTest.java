package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What {@link S3ObjectStore} sends so that S3 checks each upload and keeps its CRC32C (docs/SYNC.md "Checksums"),
 * seen on the wire of the sync's real S3 client (signer, checksum settings) with an HTTP client that records every
 * request and answers as S3 does — over https (AWS) and over http (a local S3 stand-in, {@link UnsignedPayloadSigner}).
 */
class S3ObjectStoreChecksumTest {

    private static final int MIB = 1024 * 1024;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://s3.test", "http://127.0.0.1:9000"})
    void aSinglePutSendsTheCrc32cOfItsBufferAsAHeader(String endpoint) throws Exception {
        RecordingS3 http = new RecordingS3();
        byte[] data = bytes(3_000_000);

        store(endpoint, http, 16L * MIB).upload("raw/a.csv", new ByteArrayInputStream(data), data.length, 8 * MIB, () -> true);

        Exchange put = http.only("PUT");
        assertThat(put.header("x-amz-checksum-crc32c")).isEqualTo(crc32c(data));
        assertThat(put.header("content-encoding")).isNull();
        assertThat(put.header("x-amz-trailer")).isNull();
        assertThat(put.body).isEqualTo(data);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://s3.test", "http://127.0.0.1:9000"})
    void aStreamedPutSendsTheCrc32cOfWhatItReadAsATrailer(String endpoint) throws Exception {
        RecordingS3 http = new RecordingS3();
        byte[] data = bytes(12_000_001);
        CountingStream source = new CountingStream(data);

        store(endpoint, http, 16L * MIB).upload("raw/b.csv", source, data.length, 8 * MIB, () -> true);

        Exchange put = http.only("PUT");
        assertThat(put.header("x-amz-content-sha256")).isEqualTo("STREAMING-UNSIGNED-PAYLOAD-TRAILER");
        assertThat(put.header("content-encoding")).isEqualTo("aws-chunked");
        assertThat(put.header("x-amz-trailer")).isEqualTo("x-amz-checksum-crc32c");
        assertThat(put.header("x-amz-decoded-content-length")).isEqualTo(String.valueOf(data.length));
        assertThat(put.header("x-amz-checksum-crc32c")).as("not known before the body").isNull();
        assertThat(put.header("content-length")).isEqualTo(String.valueOf(put.body.length));
        AwsChunked decoded = AwsChunked.decode(put.body);
        assertThat(decoded.data).isEqualTo(data);
        assertThat(decoded.trailers).containsExactly(Map.entry("x-amz-checksum-crc32c", crc32c(data)));
        assertThat(source.read.get()).as("the FTP stream read once, not once more for the checksum").isEqualTo(data.length);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://s3.test", "http://127.0.0.1:9000"})
    void aMultipartUploadSendsEachPartsCrc32cAndTheWholeObjectsAsFullObject(String endpoint) throws Exception {
        RecordingS3 http = new RecordingS3();
        byte[] data = bytes(20_000_000); // parts of 8 MiB, 8 MiB, 3.2 MB

        store(endpoint, http, 0).upload("raw/c.csv", new ByteArrayInputStream(data), data.length, 8 * MIB, () -> true);

        Exchange create = http.exchanges.get(0);
        assertThat(create.query).isEqualTo("uploads");
        assertThat(create.header("x-amz-checksum-algorithm")).isEqualTo("CRC32C");
        assertThat(create.header("x-amz-checksum-type")).isEqualTo("FULL_OBJECT");
        List<Exchange> parts = http.exchanges.subList(1, 4);
        List<String> partValues = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Exchange part = parts.get(i);
            assertThat(part.method).isEqualTo("PUT");
            byte[] expected = Arrays.copyOfRange(data, i * 8 * MIB, Math.min(data.length, (i + 1) * 8 * MIB));
            assertThat(part.body).isEqualTo(expected);
            assertThat(part.header("x-amz-checksum-crc32c")).isEqualTo(crc32c(expected));
            assertThat(part.header("content-encoding")).isNull();
            partValues.add(crc32c(expected));
        }
        Exchange complete = http.exchanges.get(4);
        assertThat(complete.method).isEqualTo("POST");
        assertThat(complete.header("x-amz-checksum-crc32c")).as("the whole object's").isEqualTo(crc32c(data));
        assertThat(complete.header("x-amz-checksum-type")).isEqualTo("FULL_OBJECT");
        String xml = new String(complete.body, StandardCharsets.UTF_8);
        for (int i = 0; i < 3; i++) {
            assertThat(xml).contains("<ChecksumCRC32C>" + partValues.get(i) + "</ChecksumCRC32C><PartNumber>" + (i + 1));
        }
        assertThat(http.exchanges).hasSize(5);
    }

    @ParameterizedTest(name = "refused on {0}")
    @ValueSource(strings = {"a part", "the completion"})
    void aChecksumS3RefusesFailsTheFileAndAbortsItsUpload(String refused) {
        RecordingS3 http = new RecordingS3();
        http.badDigestOn = refused.equals("a part") ? "PUT partNumber=2" : "POST uploadId=u-1";
        byte[] data = bytes(20_000_000);

        assertThatThrownBy(() -> store("https://s3.test", http, 0)
                .upload("raw/d.csv", new ByteArrayInputStream(data), data.length, 8 * MIB, () -> true))
                .isInstanceOf(ChecksumRefusedException.class)
                .hasMessage("S3 refused " + (refused.equals("a part") ? "part 2" : "the completion of the multipart upload"
                        + " (the whole object's CRC32C)") + ": the CRC32C of the bytes it received is not the one the"
                        + " sync computed from the FTP data (BadDigest), so bytes were changed on the way; nothing was"
                        + " stored, the next run copies the file again")
                .cause().isInstanceOf(S3Exception.class)
                .hasMessageContaining("The CRC32C you specified did not match the calculated checksum.");

        Exchange last = http.exchanges.get(http.exchanges.size() - 1);
        assertThat(last.method + " " + last.query).isEqualTo("DELETE uploadId=u-1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://s3.test", "http://127.0.0.1:9000"})
    void aSinglePutS3RefusesForItsChecksumFailsSayingWhy(String endpoint) {
        RecordingS3 http = new RecordingS3();
        http.badDigestOn = "PUT ";
        byte[] data = bytes(1000);

        assertThatThrownBy(() -> store(endpoint, http, 16L * MIB)
                .upload("raw/s.csv", new ByteArrayInputStream(data), data.length, 8 * MIB, () -> true))
                .isInstanceOf(ChecksumRefusedException.class)
                .hasMessageStartingWith("S3 refused the PUT: the CRC32C of the bytes it received is not");
        assertThat(http.exchanges).as("not retried: the same bytes would be refused again").hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://s3.test", "http://127.0.0.1:9000"})
    void aStreamedPutS3RefusesForItsChecksumFailsAndIsNotSentAgain(String endpoint) {
        RecordingS3 http = new RecordingS3();
        http.badDigestOn = "PUT ";
        byte[] data = bytes(12_000_000);

        assertThatThrownBy(() -> store(endpoint, http, 16L * MIB)
                .upload("raw/e.csv", new ByteArrayInputStream(data), data.length, 8 * MIB, () -> true))
                .isInstanceOf(ChecksumRefusedException.class)
                .hasMessageStartingWith("S3 refused the streamed PUT: the CRC32C of the bytes it received is not")
                .cause().isInstanceOf(S3Exception.class);
        assertThat(http.exchanges).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://s3.test", "http://127.0.0.1:9000"})
    void aStreamedPutRefusedBeforeItsBodyWasReadIsSentAgainAndReadsTheFtpStreamOnce(String endpoint) throws Exception {
        RecordingS3 http = new RecordingS3();
        http.unavailableBeforeTheBody.set(1); // a 503 to Expect: 100-continue: nothing of the body read
        byte[] data = bytes(12_000_000);
        CountingStream source = new CountingStream(data);

        store(endpoint, http, 16L * MIB).upload("raw/r.csv", source, data.length, 8 * MIB, () -> true);

        assertThat(http.exchanges).extracting(Exchange::method).containsExactly("PUT", "PUT");
        assertThat(http.exchanges.get(0).body).isEmpty();
        assertThat(AwsChunked.decode(http.exchanges.get(1).body).data).isEqualTo(data);
        assertThat(source.read.get()).isEqualTo(data.length);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://s3.test", "http://127.0.0.1:9000"})
    void aStreamedPutReadsTheFtpBytesStraightIntoTheHttpClientsBuffer(String endpoint) throws Exception {
        byte[] data = bytes(12_000_000);
        byte[] httpBuffer = new byte[StreamingHttpClient.COPY_BUFFER];
        AtomicInteger intoTheHttpBuffer = new AtomicInteger();
        InputStream ftp = new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (b == httpBuffer && n > 0) {
                    intoTheHttpBuffer.addAndGet(n);
                }
                return n;
            }
        };
        SdkHttpClient http = new RecordingS3() {
            @Override
            byte[] readBody(InputStream in) throws IOException {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                int n;
                while ((n = in.read(httpBuffer, 0, httpBuffer.length)) >= 0) {
                    out.write(httpBuffer, 0, n);
                }
                return out.toByteArray();
            }
        };

        store(endpoint, http, 16L * MIB).upload("raw/w.csv", ftp, data.length, 8 * MIB, () -> true);

        assertThat(intoTheHttpBuffer.get()).as("every byte read from FTP into the HTTP client's buffer: no chunk copies")
                .isEqualTo(data.length);
    }

    private static S3ObjectStore store(String endpoint, SdkHttpClient http, long streamingPutMax) {
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL_S3", endpoint);
        return new S3ObjectStore(SyncFactory.s3Client(env, Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")), http),
                "bucket", streamingPutMax);
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    static String crc32c(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A request as it went out: method, query, headers (lower-case names) and the body's bytes. */
    private record Exchange(String method, String query, Map<String, String> headers, byte[] body) {

        String header(String name) {
            return headers.get(name);
        }
    }

    /**
     * S3 as far as these uploads need it. A request whose method, a space and query begin with {@code badDigestOn}
     * ("PUT partNumber=2", "POST uploadId=u-1"; "PUT " for a PutObject) is refused as S3 refuses a wrong checksum.
     */
    private static class RecordingS3 implements SdkHttpClient {

        final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
        volatile String badDigestOn;
        /** This many PutObjects are answered 503 before their body is read (as to {@code Expect: 100-continue}). */
        final AtomicInteger unavailableBeforeTheBody = new AtomicInteger();

        /** How the client reads a request's body: all of it, as the sync's HTTP client does. */
        byte[] readBody(InputStream in) throws IOException {
            return in.readAllBytes();
        }

        Exchange only(String method) {
            assertThat(exchanges).extracting(Exchange::method).containsExactly(method);
            return exchanges.get(0);
        }

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    SdkHttpRequest http = request.httpRequest();
                    byte[] body = new byte[0];
                    boolean refusedUnread = http.method().name().equals("PUT")
                            && unavailableBeforeTheBody.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
                    if (request.contentStreamProvider().isPresent() && !refusedUnread) {
                        try (InputStream in = request.contentStreamProvider().get().newStream()) {
                            body = readBody(in);
                        }
                    }
                    Map<String, String> headers = new LinkedHashMap<>();
                    http.forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
                    String query = http.encodedQueryParameters().orElse("");
                    String method = http.method().name();
                    exchanges.add(new Exchange(method, query, headers, body));
                    if (refusedUnread) {
                        return answer(503, "<Error><Code>SlowDown</Code><Message>Please reduce your request rate."
                                + "</Message></Error>");
                    }
                    String refused = badDigestOn;
                    if (refused != null && (method + " " + query).startsWith(refused)
                            && (!refused.equals("PUT ") || query.isEmpty())) {
                        return answer(400, "<Error><Code>BadDigest</Code><Message>The CRC32C you specified did not"
                                + " match the calculated checksum.</Message></Error>");
                    }
                    if (method.equals("POST") && query.equals("uploads")) {
                        return answer(200, "<InitiateMultipartUploadResult><Bucket>bucket</Bucket><Key>k</Key>"
                                + "<UploadId>u-1</UploadId></InitiateMultipartUploadResult>");
                    }
                    if (method.equals("POST")) {
                        return answer(200, "<CompleteMultipartUploadResult><Bucket>bucket</Bucket><Key>k</Key>"
                                + "<ETag>\"e-3\"</ETag></CompleteMultipartUploadResult>");
                    }
                    if (method.equals("PUT")) { // S3 answers with the checksum it checked and kept
                        return answer(200, null, storedCrc32c(headers, body));
                    }
                    return answer(method.equals("DELETE") ? 204 : 200, null);
                }

                @Override
                public void abort() {
                }
            };
        }

        /** The CRC32C a PUT carried, in its header or as its {@code aws-chunked} trailer. */
        private static String storedCrc32c(Map<String, String> headers, byte[] body) {
            if (headers.containsKey("x-amz-checksum-crc32c")) {
                return headers.get("x-amz-checksum-crc32c");
            }
            return "aws-chunked".equals(headers.get("content-encoding"))
                    ? AwsChunked.decode(body).trailers.get("x-amz-checksum-crc32c") : null;
        }

        private static HttpExecuteResponse answer(int status, String xml) {
            return answer(status, xml, null);
        }

        private static HttpExecuteResponse answer(int status, String xml, String crc32c) {
            SdkHttpResponse.Builder response = SdkHttpResponse.builder().statusCode(status).putHeader("ETag", "\"e\"");
            if (crc32c != null) {
                response.putHeader("x-amz-checksum-crc32c", crc32c);
            }
            if (xml == null) {
                return HttpExecuteResponse.builder().response(response.putHeader("Content-Length", "0").build()).build();
            }
            byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
            return HttpExecuteResponse.builder()
                    .response(response.putHeader("Content-Length", String.valueOf(bytes.length)).build())
                    .responseBody(AbortableInputStream.create(new ByteArrayInputStream(bytes)))
                    .build();
        }

        @Override
        public void close() {
        }
    }

    /** The data and trailers of an {@code aws-chunked} body (unsigned chunks: {@code <hex size>\r\n<data>\r\n}). */
    private record AwsChunked(byte[] data, Map<String, String> trailers) {

        static AwsChunked decode(byte[] body) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            int at = 0;
            while (true) {
                int eol = lineEnd(body, at);
                int size = Integer.parseInt(new String(body, at, eol - at, StandardCharsets.US_ASCII).split(";")[0], 16);
                at = eol + 2;
                if (size == 0) {
                    break;
                }
                data.write(body, at, size);
                at += size;
                assertThat(new String(body, at, 2, StandardCharsets.US_ASCII)).isEqualTo("\r\n");
                at += 2;
            }
            Map<String, String> trailers = new LinkedHashMap<>();
            while (true) {
                int eol = lineEnd(body, at);
                String line = new String(body, at, eol - at, StandardCharsets.US_ASCII);
                at = eol + 2;
                if (line.isEmpty()) {
                    break;
                }
                String[] nameValue = line.split(":", 2);
                trailers.put(nameValue[0], nameValue[1]);
            }
            assertThat(at).as("nothing after the trailers").isEqualTo(body.length);
            return new AwsChunked(data.toByteArray(), trailers);
        }

        private static int lineEnd(byte[] body, int from) {
            for (int i = from; i + 1 < body.length; i++) {
                if (body[i] == '\r' && body[i + 1] == '\n') {
                    return i;
                }
            }
            throw new AssertionError("no line end after byte " + from);
        }
    }

    /** The FTP stream: counts what the upload took from it. */
    private static final class CountingStream extends InputStream {

        private final ByteArrayInputStream in;
        final AtomicInteger read = new AtomicInteger();

        CountingStream(byte[] data) {
            in = new ByteArrayInputStream(data);
        }

        @Override
        public int read() {
            int b = in.read();
            if (b >= 0) {
                read.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = in.read(b, off, len);
            if (n > 0) {
                read.addAndGet(n);
            }
            return n;
        }
    }
}
