package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.load.aws.S3RejectWriter;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;

/**
 * {@link S3RejectWriter} against the embedded S3: when the rejects of a file outgrow one part they go up as a
 * multipart upload while they are written, a failure aborts that upload (no upload left behind, no partial object),
 * and the writer never holds more than one part. The writer's client is the real one, seen through a proxy that
 * records the calls and can make one of them fail; what is left on the server is asked of the server itself
 * (ListMultipartUploads, GetObject).
 */
@ExtendWith(TestServers.class)
class S3RejectWriterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PART = S3RejectWriter.PART_BYTES;
    private static final String SOURCE_KEY = "raw/mostly-bad.csv";
    private static final String FILLER = "x".repeat(900);

    private S3Client real;
    private String bucket;
    private FaultyS3 faulty;
    private S3RejectWriter writer;
    private String rejectsKey;

    @BeforeEach
    void setUp(S3Endpoint endpoint) {
        real = TestServers.s3Client(endpoint);
        bucket = TestServers.uniqueName("rejects-it");
        real.createBucket(b -> b.bucket(bucket));
        faulty = new FaultyS3(real);
        writer = new S3RejectWriter(faulty.client(), "rejects/");
        rejectsKey = writer.objectKey(SOURCE_KEY);
    }

    @AfterEach
    void tearDown() {
        real.close();
    }

    @Test
    void rejectsOfMoreThanOnePartGoUpAsAMultipartUploadWhileTheyAreWritten() throws Exception {
        RejectSink sink = writer.open(bucket, SOURCE_KEY, 0);
        long bytes = 0;
        int lines = 0;
        while (bytes < 2L * PART + PART / 2) {
            bytes += write(sink, lines++);
        }

        // before close: the server holds an upload in progress (two parts of it), no object yet
        List<MultipartUpload> uploads = uploads();
        assertThat(uploads).extracting(MultipartUpload::key).containsExactly(rejectsKey);
        assertThat(faulty.calls("uploadPart")).isEqualTo(2);
        assertThat(objectExists()).isFalse();

        sink.close();

        assertThat(uploads()).isEmpty();
        assertThat(faulty.calls("createMultipartUpload")).isEqualTo(1);
        assertThat(faulty.calls("uploadPart")).isEqualTo(3);
        assertThat(faulty.calls("completeMultipartUpload")).isEqualTo(1);
        assertThat(faulty.calls("putObject")).isZero();
        assertThat(real.headObject(h -> h.bucket(bucket).key(rejectsKey)).eTag()).endsWith("-3\"");
        assertWholeRejects(lines, bytes);
    }

    @Test
    void rejectsOfLessThanOnePartGoUpWithOnePutWhenTheFileIsDone() throws Exception {
        RejectSink sink = writer.open(bucket, SOURCE_KEY, 0);
        long bytes = 0;
        int lines = 0;
        while (bytes < PART - 2_000) {
            bytes += write(sink, lines++);
        }

        assertThat(uploads()).isEmpty();
        assertThat(objectExists()).isFalse();

        sink.close();

        assertThat(faulty.calls("createMultipartUpload")).isZero();
        assertThat(faulty.calls("putObject")).isEqualTo(1);
        assertThat(real.headObject(h -> h.bucket(bucket).key(rejectsKey)).eTag()).doesNotContain("-");
        assertWholeRejects(lines, bytes);
    }

    /** Memory: every part the writer hands to S3 is at most one part long, so it never held more than that. */
    @Test
    void theWriterNeverHoldsMoreThanOnePart() throws Exception {
        RejectSink sink = writer.open(bucket, SOURCE_KEY, 0);
        long bytes = 0;
        int lines = 0;
        while (bytes < 3L * PART + 12_345) {
            bytes += write(sink, lines++);
            // what is written and not yet sent stays below one part after every write
            assertThat(bytes - faulty.partBytes()).isLessThan(PART);
        }
        sink.close();

        assertThat(faulty.partSizes()).hasSize(4).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(PART));
        assertThat(faulty.partSizes().subList(0, 3)).containsOnly((long) PART);
        assertWholeRejects(lines, bytes);
    }

    @Test
    void aPartThatFailsAbortsTheUploadAndLeavesTheEarlierRejectsObjectAsItWas() {
        putEarlierRejects("{\"position\":0}\n");
        faulty.failCall("uploadPart", 2);
        RejectSink sink = writer.open(bucket, SOURCE_KEY, 0);
        long bytes = 0;
        int lines = 0;
        Throwable failed = null;
        while (failed == null && bytes < 4L * PART) {
            int line = lines++;
            try {
                bytes += write(sink, line);
            } catch (Throwable t) {
                failed = t;
            }
        }
        assertThat(failed).isInstanceOf(RemoteCallFailedException.class).hasMessageContaining(rejectsKey);

        // the caller closes the sink after the failed write (LoadService does, in a finally): nothing is saved
        Throwable closed = catchThrowable(sink::close);

        assertThat(closed).isInstanceOf(RemoteCallFailedException.class);
        assertThat(faulty.calls("abortMultipartUpload")).isEqualTo(1);
        assertThat(faulty.calls("completeMultipartUpload")).isZero();
        assertThat(uploads()).isEmpty();
        assertThat(text()).isEqualTo("{\"position\":0}\n");
    }

    @Test
    void aCompleteThatFailsAbortsTheUploadAndLeavesNoObject() {
        faulty.failCall("completeMultipartUpload", 1);
        RejectSink sink = writer.open(bucket, SOURCE_KEY, 0);
        long bytes = 0;
        int lines = 0;
        while (bytes < PART + PART / 2) {
            bytes += write(sink, lines++);
        }
        assertThat(uploads()).hasSize(1);

        assertThatThrownBy(sink::close).isInstanceOf(RemoteCallFailedException.class)
                .hasMessageContaining(rejectsKey);

        assertThat(faulty.calls("abortMultipartUpload")).isEqualTo(1);
        assertThat(uploads()).isEmpty();
        assertThat(objectExists()).isFalse();
    }

    /**
     * A continuation starts from the rejects saved before; more than a part of them is carried over into a multipart
     * upload, so reading them failing half-way must abort that upload: the caller never gets a sink to close.
     */
    @Test
    void carryingOverEarlierRejectsThatFailsHalfWayAbortsTheUploadItStarted() throws Exception {
        StringBuilder earlier = new StringBuilder();
        int lines = 0;
        while (earlier.length() < 2 * PART) {
            earlier.append(JSON.writeValueAsString(Map.of("position", lines++, "raw", FILLER))).append('\n');
        }
        putEarlierRejects(earlier.toString());
        faulty.breakObjectStreamAfter(PART + PART / 2);
        long continuationStart = lines;

        assertThatThrownBy(() -> writer.open(bucket, SOURCE_KEY, continuationStart))
                .isInstanceOf(RemoteCallFailedException.class).hasMessageContaining("earlier rejects");

        assertThat(faulty.calls("uploadPart")).isEqualTo(1);
        assertThat(faulty.calls("abortMultipartUpload")).isEqualTo(1);
        assertThat(uploads()).isEmpty();
        assertThat(text()).isEqualTo(earlier.toString());
    }

    /**
     * LOAD_MAX_REJECTS_BYTES: the sink refuses the line that would take the object past its bound, and every line
     * after it (also a shorter one), and saves the lines that fit — here across three parts of a multipart upload.
     */
    @Test
    void aSinkBoundedInBytesKeepsTheLinesThatFitAndRefusesTheRest() throws Exception {
        long max = 2L * PART + PART / 2;
        RejectSink sink = writer.open(bucket, SOURCE_KEY, 0, max);
        long bytes = 0;
        int lines = 0;
        while (true) {
            Reject reject = reject(lines);
            int length = line(reject).length;
            boolean accepted = sink.write(reject);
            assertThat(accepted).as("line %d (%d bytes after %d)", lines, length, bytes)
                    .isEqualTo(bytes + length <= max);
            if (!accepted) {
                break;
            }
            bytes += length;
            lines++;
        }
        assertThat(sink.write(new Reject("s", 1, lines + 1L, "", "short"))).as("full: a short line too").isFalse();

        sink.close();

        assertThat(uploads()).isEmpty();
        assertThat(faulty.calls("completeMultipartUpload")).isEqualTo(1);
        assertThat(bytes).isLessThanOrEqualTo(max).isGreaterThan(max - line(reject(lines)).length);
        assertWholeRejects(lines, bytes);
    }

    /** A continuation's bound counts the lines it carries over: the object as a whole stays within it. */
    @Test
    void theByteBoundCountsTheCarriedOverRejects() throws Exception {
        StringBuilder earlier = new StringBuilder();
        int lines = 0;
        while (earlier.length() < PART / 2) {
            earlier.append(new String(line(reject(lines++)), StandardCharsets.UTF_8));
        }
        putEarlierRejects(earlier.toString());
        long three = line(reject(lines)).length + line(reject(lines + 1)).length + line(reject(lines + 2)).length;
        long max = earlier.length() + three + line(reject(lines + 3)).length / 2;

        RejectSink sink = writer.open(bucket, SOURCE_KEY, lines, max);
        int accepted = 0;
        while (sink.write(reject(lines + accepted))) {
            accepted++;
        }
        sink.close();

        assertThat(accepted).isEqualTo(3);
        assertWholeRejects(lines + 3, earlier.length() + three);
    }

    private Reject reject(int i) {
        return new Reject("s3://" + bucket + "/" + SOURCE_KEY, i + 2L, i,
                "10.0.0." + (i % 250) + ",99999," + FILLER, "dstPort: 99999 is not a port number");
    }

    private int write(RejectSink sink, int i) {
        Reject reject = new Reject("s3://" + bucket + "/" + SOURCE_KEY, i + 2L, i,
                "10.0.0." + (i % 250) + ",99999," + FILLER, "dstPort: 99999 is not a port number");
        sink.write(reject);
        return line(reject).length;
    }

    private static byte[] line(Reject r) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", r.source());
        fields.put("line", r.line());
        fields.put("position", r.position());
        fields.put("reason", r.reason());
        fields.put("raw", r.raw());
        try {
            return (JSON.writeValueAsString(fields) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The object holds every line, whole and in order (lines split across part boundaries come back together). */
    private void assertWholeRejects(int lines, long bytes) throws IOException {
        String text = text();
        assertThat((long) text.getBytes(StandardCharsets.UTF_8).length).isEqualTo(bytes);
        String[] split = text.split("\n");
        assertThat(split).hasSize(lines);
        for (int i = 0; i < lines; i++) {
            assertThat(JSON.readTree(split[i]).get("position").asLong()).isEqualTo(i);
        }
    }

    private void putEarlierRejects(String content) {
        real.putObject(p -> p.bucket(bucket).key(rejectsKey), RequestBody.fromString(content));
    }

    private List<MultipartUpload> uploads() {
        return real.listMultipartUploads(l -> l.bucket(bucket).prefix(rejectsKey)).uploads();
    }

    private boolean objectExists() {
        return !real.listObjectsV2(l -> l.bucket(bucket).prefix(rejectsKey)).contents().isEmpty();
    }

    private String text() {
        return real.getObjectAsBytes(g -> g.bucket(bucket).key(rejectsKey)).asUtf8String();
    }

    /** The real client, counting calls and part sizes, with one call made to fail or an object stream cut short. */
    private static final class FaultyS3 {
        private final S3Client real;
        private final Map<String, Integer> calls = Collections.synchronizedMap(new HashMap<>());
        private final List<Long> partSizes = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, Integer> failOnCall = new HashMap<>();
        private long breakStreamAfter = -1;

        FaultyS3(S3Client real) {
            this.real = real;
        }

        void failCall(String method, int nth) {
            failOnCall.put(method, nth);
        }

        void breakObjectStreamAfter(long bytes) {
            breakStreamAfter = bytes;
        }

        int calls(String method) {
            return calls.getOrDefault(method, 0);
        }

        List<Long> partSizes() {
            return List.copyOf(partSizes);
        }

        long partBytes() {
            return partSizes().stream().mapToLong(Long::longValue).sum();
        }

        S3Client client() {
            return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                    (proxy, method, args) -> {
                        String name = method.getName();
                        int nth = calls.merge(name, 1, Integer::sum);
                        if (failOnCall.getOrDefault(name, -1) == nth) {
                            throw SdkClientException.create("injected failure of " + name + " call " + nth);
                        }
                        Object result;
                        try {
                            result = method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (name.equals("uploadPart")) {
                            partSizes.add(((RequestBody) args[1]).optionalContentLength().orElseThrow());
                        }
                        if (name.equals("getObject") && breakStreamAfter >= 0) {
                            @SuppressWarnings("unchecked")
                            ResponseInputStream<GetObjectResponse> in = (ResponseInputStream<GetObjectResponse>) result;
                            return new ResponseInputStream<>(in.response(), cutAfter(in, breakStreamAfter));
                        }
                        return result;
                    });
        }

        private static InputStream cutAfter(InputStream in, long limit) {
            return new FilterInputStream(in) {
                private long read;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (read >= limit) {
                        throw new IOException("injected: connection reset after " + read + " bytes");
                    }
                    int n = super.read(b, off, (int) Math.min(len, limit - read));
                    if (n > 0) {
                        read += n;
                    }
                    return n;
                }
            };
        }
    }
}
