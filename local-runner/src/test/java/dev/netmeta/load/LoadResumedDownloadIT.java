package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.flowsCsv;
import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.deploy.MetricFilterPattern;
import dev.netmeta.deploy.ProjectRoot;
import dev.netmeta.deploy.ServerlessManifest;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.sync.S3ObjectStore;
import dev.netmeta.sync.SyncFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

/**
 * A download of the object cut mid-way — as S3 does to long GetObject streams, and as s3proxy's idle timeout did to a
 * reader that stalled — goes on where it broke (a ranged GetObject pinned to the version's ETag): through the real
 * load handler, a TCP proxy that cuts the connection in front of s3proxy, and OpenSearch. The load ends SUCCEEDED with
 * every row searchable once, in the same invocation; one {@code "load download resumed"} log line per cut.
 */
@ExtendWith(TestServers.class)
class LoadResumedDownloadIT {

    private static final String BUCKET = "load-it";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS = 60_000;

    private LoadTestEnvironment servers;
    private S3Endpoint s3;
    private String key;

    @BeforeEach
    void setUp(S3Endpoint s3, OpenSearchEndpoint openSearch) {
        this.servers = new LoadTestEnvironment(s3, openSearch);
        this.s3 = s3;
        this.key = "raw/" + servers.prefix + "/cut.csv.gz";
    }

    /** The handler's answer and the log lines of one invocation through {@code proxy}. */
    private record Invocation(String returned, RuntimeException thrown, List<JsonNode> log) {
    }

    private Invocation load(CuttingS3Proxy proxy) {
        Map<String, String> env = servers.env();
        env.put("AWS_ENDPOINT_URL_S3", proxy.endpoint().toString());
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        String returned = null;
        RuntimeException thrown = null;
        try {
            LoadHandler handler = new LoadHandler(env); // logs to the stdout it finds at construction
            returned = handler.handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());
        } catch (RuntimeException e) {
            thrown = e;
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        List<JsonNode> log = out.lines().filter(l -> l.startsWith("{")).map(LoadResumedDownloadIT::parse).toList();
        return new Invocation(returned, thrown, log);
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<JsonNode> resumes(Invocation run) {
        return run.log().stream().filter(l -> l.path("message").asText().equals("load download resumed")).toList();
    }

    /**
     * The load-download-resumes alarm's metric filters (serverless.yml) count exactly the resume lines of this run,
     * one each — and none of its other lines (the report, the template install).
     */
    private static void assertCountedByTheDeployedAlarm(Invocation run, int resumes) throws IOException {
        ServerlessManifest manifest = ServerlessManifest.read(ProjectRoot.get());
        for (String id : List.of("LoadDownloadResumedMetricFilter", "LoadContinueDownloadResumedMetricFilter")) {
            JsonNode filter = manifest.resourceProperties(id);
            String pattern = filter.path("FilterPattern").asText();
            List<JsonNode> counted = run.log().stream().filter(l -> MetricFilterPattern.matches(pattern, l)).toList();
            assertThat(counted).as("%s counts in %s", pattern, run.log()).isEqualTo(resumes(run)).hasSize(resumes);
            String value = filter.path("MetricTransformations").get(0).path("MetricValue").asText();
            assertThat(counted).allSatisfy(l -> assertThat(MetricFilterPattern.metricValue(value, l))
                    .isEqualByComparingTo(java.math.BigDecimal.ONE));
        }
    }

    /** The load-checksum-mismatches alarm's metric filters count exactly the mismatch lines of this run, one each. */
    private static void assertMismatchCountedByTheDeployedAlarm(Invocation run) throws IOException {
        ServerlessManifest manifest = ServerlessManifest.read(ProjectRoot.get());
        for (String id : List.of("LoadChecksumMismatchMetricFilter", "LoadContinueChecksumMismatchMetricFilter")) {
            JsonNode filter = manifest.resourceProperties(id);
            String pattern = filter.path("FilterPattern").asText();
            List<JsonNode> counted = run.log().stream().filter(l -> MetricFilterPattern.matches(pattern, l)).toList();
            assertThat(counted).as("%s counts in %s", pattern, run.log()).isEqualTo(mismatches(run)).hasSize(1);
            String value = filter.path("MetricTransformations").get(0).path("MetricValue").asText();
            assertThat(MetricFilterPattern.metricValue(value, counted.get(0)))
                    .isEqualByComparingTo(java.math.BigDecimal.ONE);
        }
    }

    private void assertLoadedWhole(byte[] file, Invocation run) {
        assertThat(run.thrown()).as("no Lambda retry needed").isNull();
        assertThat(run.returned()).startsWith("s3://" + BUCKET + "/" + key + " SUCCEEDED " + ROWS
                + " indexed, 0 rejected");
        JsonNode report = servers.report(BUCKET, key);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("rowsRead").asLong()).isEqualTo(ROWS);
        assertThat(report.get("indexed").asLong()).isEqualTo(ROWS);
        assertThat(report.get("invocations").asInt()).as("in the same invocation").isEqualTo(1);
        assertThat(servers.count()).as("every row once: no duplicate ids").isEqualTo(ROWS);
        assertThat(servers.count("host:google.com")).isEqualTo(ROWS / 10);
        assertThat(servers.count("srcIp:\"10.0.239.249\"")).as("a row near the end").isEqualTo(1);
        assertThat(file.length).as("a download worth cutting: ten of the decoder's 64 KiB reads").isGreaterThan(655_360);
    }

    @Test
    void aDownloadCutOnceGoesOnWhereItBroke() throws IOException {
        byte[] file = gzip(flowsCsv(ROWS));
        servers.put(BUCKET, key, file);

        try (CuttingS3Proxy proxy = new CuttingS3Proxy(s3.uri(), file.length / 3, 1)) {
            Invocation run = load(proxy);

            assertThat(proxy.cuts.get()).isEqualTo(1);
            assertLoadedWhole(file, run);
            List<JsonNode> resumed = resumes(run);
            assertThat(resumed).hasSize(1);
            JsonNode line = resumed.get(0);
            assertThat(line.get("level").asText()).isEqualTo("WARN");
            assertThat(line.get("key").asText()).isEqualTo(key);
            assertThat(line.get("size").asLong()).isEqualTo(file.length);
            assertThat(line.get("atByte").asLong()).isBetween((long) file.length / 3 - 64 * 1024, (long) file.length / 2);
            assertThat(line.get("resume").asInt()).isEqualTo(1);
            assertThat(line.get("eTag").asText()).isEqualTo(servers.s3.headObject(b -> b.bucket(BUCKET).key(key)).eTag());
            assertCountedByTheDeployedAlarm(run, 1);
        }
    }

    @Test
    void aDownloadCutTwiceGoesOnWhereItBrokeEachTime() throws IOException {
        byte[] file = gzip(flowsCsv(ROWS));
        servers.put(BUCKET, key, file);

        try (CuttingS3Proxy proxy = new CuttingS3Proxy(s3.uri(), file.length / 3, 2)) {
            Invocation run = load(proxy);

            assertThat(proxy.cuts.get()).isEqualTo(2);
            assertLoadedWhole(file, run);
            List<JsonNode> resumed = resumes(run);
            assertThat(resumed).extracting(l -> l.get("resume").asInt()).containsExactly(1, 2);
            assertCountedByTheDeployedAlarm(run, 2);
            assertThat(resumed.get(1).get("atByte").asLong()).isGreaterThan(resumed.get(0).get("atByte").asLong());
            assertThat(resumed.get(0).get("reason").asText()).as("the first cut ends the body early")
                    .isEqualTo("the connection ended after byte " + resumed.get(0).get("atByte").asLong() + " of "
                            + file.length);
        }
    }

    @Test
    void anObjectReplacedBetweenTheCutAndTheResumeIsLoadedAsItsNewVersion() throws IOException {
        byte[] file = gzip(flowsCsv(ROWS));
        servers.put(BUCKET, key, file);
        byte[] replacement = gzip(flowsCsv(1_000));

        try (CuttingS3Proxy proxy = new CuttingS3Proxy(s3.uri(), file.length / 3, 1)) {
            proxy.onCut = () -> servers.put(BUCKET, key, replacement); // straight to s3proxy, before the resume
            Invocation first = load(proxy);

            assertThat(first.thrown()).as("failed retryably: Lambda retries the event")
                    .isInstanceOf(LoadFailedException.class)
                    .hasMessageContaining("was replaced by a new version while it was loaded");
            assertThat(resumes(first)).isEmpty();
            JsonNode failed = servers.report(BUCKET, key);
            assertThat(failed.get("status").asText()).isEqualTo("FAILED");
            assertThat(failed.get("retryable").asBoolean()).isTrue();
            assertThat(failed.get("error").asText())
                    .isEqualTo("s3://" + BUCKET + "/" + key + " was replaced by a new version while it was loaded");

            Invocation retry = load(proxy);
            assertThat(retry.thrown()).isNull();
            JsonNode report = servers.report(BUCKET, key);
            assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(report.get("indexed").asLong()).isEqualTo(1_000);
            assertThat(servers.count()).as("the new version's rows, the old one's removed").isEqualTo(1_000);
        }
    }

    /**
     * A plain CSV (no gzip CRC-32 of its own) uploaded with its CRC32: s3proxy, as S3, gives it with a GetObject
     * that asks for it (x-amz-checksum-mode: ENABLED) and none with a ranged one. One byte of the resumed rest changed
     * on the way ("example.org" → "eyample.org", still a valid row) fails the load retryably, saying so, with an ERROR
     * line; the retry reads it whole and right.
     */
    @Test
    void aChangedByteInTheResumedRestFailsTheLoadRetryablyAndTheRetryLoadsItRight() throws IOException {
        String csvKey = "raw/" + servers.prefix + "/cut.csv";
        byte[] file = flowsCsv(ROWS).getBytes(StandardCharsets.UTF_8);
        String crc32 = crc32(file);
        servers.bucket(BUCKET);
        // given as a header, s3proxy 4.1 checks it and keeps it (one the SDK computes itself with
        // checksumAlgorithm(CRC32) it does not keep with the filesystem back-end)
        servers.s3.putObject(b -> b.bucket(BUCKET).key(csvKey).checksumCRC32(crc32), RequestBody.fromBytes(file));
        assertThat(servers.s3.headObject(b -> b.bucket(BUCKET).key(csvKey).checksumMode(ChecksumMode.ENABLED))
                .checksumCRC32()).as("s3proxy keeps and gives the object's checksum").isEqualTo(crc32);
        assertThat(servers.s3.getObject(b -> b.bucket(BUCKET).key(csvKey).range("bytes=100-")
                .checksumMode(ChecksumMode.ENABLED)).response().checksumCRC32())
                .as("and none with a ranged answer, as S3").isNull();
        key = csvKey;

        try (CuttingS3Proxy proxy = new CuttingS3Proxy(s3.uri(), file.length / 3, 1)) {
            proxy.changeInResumedBody = "example.org";
            Invocation first = load(proxy);

            assertThat(proxy.cuts.get()).isEqualTo(1);
            assertThat(proxy.changed.get()).as("one byte of the rest changed").isEqualTo(1);
            assertThat(resumes(first)).hasSize(1);
            assertThat(first.thrown()).as("failed retryably: Lambda retries the event")
                    .isInstanceOf(LoadFailedException.class).hasMessageContaining("bytes were changed on the way");
            JsonNode failed = servers.report(BUCKET, key);
            assertThat(failed.get("status").asText()).isEqualTo("FAILED");
            assertThat(failed.get("retryable").asBoolean()).isTrue();
            assertThat(failed.get("error").asText()).startsWith("the download of s3://" + BUCKET + "/" + key
                    + " read all " + file.length + " bytes, resumed 1 time, but their CRC32 is ")
                    .endsWith(" where S3 gave " + crc32 + " for the object: bytes were changed on the way, the object"
                            + " is to be read again");
            List<JsonNode> mismatch = first.log().stream()
                    .filter(l -> l.path("message").asText().equals("load download checksum mismatch")).toList();
            assertThat(mismatch).hasSize(1);
            assertThat(mismatch.get(0).get("level").asText()).isEqualTo("ERROR");
            assertThat(mismatch.get(0).get("key").asText()).isEqualTo(key);
            assertThat(mismatch.get(0).get("algorithm").asText()).isEqualTo("CRC32");
            assertThat(mismatch.get(0).get("expected").asText()).isEqualTo(crc32);
            assertThat(mismatch.get(0).get("actual").asText()).isNotEqualTo(crc32);
            assertThat(mismatch.get(0).get("resumes").asInt()).isEqualTo(1);
            assertMismatchCountedByTheDeployedAlarm(first);

            retryLoadsEveryRowRight(proxy, key);
        }
    }

    /**
     * An object as the sync function stores it — its own CRC32C, sent with a single PUT or with a FULL_OBJECT multipart
     * upload (docs/SYNC.md "Checksums") — is checked end to end by the load: one changed byte of the resumed rest
     * fails it retryably with a CRC32C mismatch. (The streamed PUT's trailing CRC32C is not kept by s3proxy 4.1.0;
     * SyncChecksumIT.)
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"single PUT, 8388608, 100", "multipart, 5242880, 0"})
    void anObjectTheSyncUploadedIsCheckedAgainstItsCrc32c(String path, int partSize, long streamingPutMax)
            throws IOException {
        String csvKey = "raw/" + servers.prefix + "/synced.csv";
        byte[] file = flowsCsv(65_000).getBytes(StandardCharsets.UTF_8); // > 5 MiB: two parts of S3's minimum size
        servers.bucket(BUCKET);
        S3ObjectStore sync = new S3ObjectStore(SyncFactory.s3Client(s3.env()), BUCKET, streamingPutMax);
        sync.upload(csvKey, new ByteArrayInputStream(file), file.length, partSize, () -> true);
        String crc32c = crc32c(file);
        assertThat(servers.s3.headObject(b -> b.bucket(BUCKET).key(csvKey).checksumMode(ChecksumMode.ENABLED))
                .checksumCRC32C()).as("the whole object's CRC32C, also after a multipart upload").isEqualTo(crc32c);
        key = csvKey;

        try (CuttingS3Proxy proxy = new CuttingS3Proxy(s3.uri(), file.length / 3, 1)) {
            proxy.changeInResumedBody = "example.org";
            Invocation first = load(proxy);

            assertThat(proxy.changed.get()).isEqualTo(1);
            assertThat(first.thrown()).isInstanceOf(LoadFailedException.class)
                    .hasMessageContaining("bytes were changed on the way");
            assertThat(servers.report(BUCKET, key).get("error").asText())
                    .contains(" but their CRC32C is ").contains(" where S3 gave " + crc32c + " for the object");

            Invocation retry = load(proxy);
            assertThat(retry.thrown()).isNull();
            assertThat(servers.report(BUCKET, key).get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(servers.count("host:eyample.org")).isZero();
        }
    }

    /**
     * The known gap, shown: an object stored without a checksum (s3proxy keeps none then; S3 gives CRC64NVME, which
     * the function cannot compute without the native aws-crt library) has nothing to compare with, and the changed
     * byte is loaded as it came.
     */
    @Test
    void withoutAChecksumAChangedByteInTheResumedRestIsLoadedAsItCame() throws IOException {
        String csvKey = "raw/" + servers.prefix + "/cut.csv";
        byte[] file = flowsCsv(ROWS).getBytes(StandardCharsets.UTF_8);
        servers.put(BUCKET, csvKey, file);
        key = csvKey;

        try (CuttingS3Proxy proxy = new CuttingS3Proxy(s3.uri(), file.length / 3, 1)) {
            proxy.changeInResumedBody = "example.org";
            Invocation run = load(proxy);

            assertThat(proxy.changed.get()).isEqualTo(1);
            assertThat(run.thrown()).isNull();
            assertThat(servers.report(BUCKET, key).get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(servers.count("host:eyample.org")).as("the changed row, as it came").isEqualTo(1);
        }
    }

    /** Rows before the gzip member boundary of {@link #twoMemberGzip()}. */
    private static final int FIRST_MEMBER_ROWS = 40_000;

    /**
     * {@link LoadFixtures#flowsCsv} as two gzip members (files joined with {@code cat}): the first, of the header and
     * the first {@link #FIRST_MEMBER_ROWS} rows, stored (deflate level 0: one byte changed on the way changes one
     * character, the same in every zlib), the second compressed. A changed byte in the first breaks the decoder at
     * that member's CRC-32 ("Corrupt GZIP trailer") — as nearly every changed bit in compressed data does too (it
     * decodes on into changed text) — with the second member still unread.
     */
    private static byte[] twoMemberGzip() {
        String text = flowsCsv(ROWS);
        int boundary = 0;
        for (int line = 0; line <= FIRST_MEMBER_ROWS; line++) {
            boundary = text.indexOf('\n', boundary) + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream stored = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.NO_COMPRESSION);
            }
        }) {
            stored.write(text.substring(0, boundary).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writeBytes(gzip(text.substring(boundary)));
        return out.toByteArray();
    }

    private static List<JsonNode> mismatches(Invocation run) {
        return run.log().stream()
                .filter(l -> l.path("message").asText().equals("load download checksum mismatch")).toList();
    }

    /**
     * A gzip uploaded with its CRC32C, cut once, one byte of the resumed rest changed on the way: the decoder breaks
     * ("Corrupt GZIP trailer" of the first member) before the end of the data, where the checksum was compared —
     * this was a failure for good as corrupt input, while the object in S3 is whole. Now the rest is read, not
     * decoded, to finish the CRC32C: it does not match, so the load fails retryably with the checksum's ERROR line,
     * and the retry loads every row right.
     */
    @Test
    void aGzipBrokenByAByteChangedInItsResumedRestFailsRetryablyAndTheRetryLoadsItRight() throws IOException {
        byte[] file = twoMemberGzip();
        String crc32c = crc32c(file);
        servers.bucket(BUCKET);
        servers.s3.putObject(b -> b.bucket(BUCKET).key(key).checksumCRC32C(crc32c), RequestBody.fromBytes(file));
        assertThat(servers.s3.headObject(b -> b.bucket(BUCKET).key(key).checksumMode(ChecksumMode.ENABLED))
                .checksumCRC32C()).as("s3proxy keeps and gives the object's CRC32C").isEqualTo(crc32c);

        try (CuttingS3Proxy proxy = new CuttingS3Proxy(s3.uri(), file.length / 3, 1)) {
            proxy.changeInResumedBody = "example.org";
            Invocation first = load(proxy);

            assertThat(proxy.cuts.get()).isEqualTo(1);
            assertThat(proxy.changed.get()).as("one byte of the rest changed").isEqualTo(1);
            assertThat(resumes(first)).as("the rest read on the open connection: no resume of its own").hasSize(1);
            assertThat(first.thrown()).as("failed retryably: Lambda retries the event")
                    .isInstanceOf(LoadFailedException.class).hasMessageContaining("bytes were changed on the way");
            JsonNode failed = servers.report(BUCKET, key);
            assertThat(failed.get("status").asText()).isEqualTo("FAILED");
            assertThat(failed.get("retryable").asBoolean()).isTrue();
            assertThat(failed.get("error").asText()).startsWith("corrupt or truncated input after " + FIRST_MEMBER_ROWS
                    + " records: Corrupt GZIP trailer; the download of s3://" + BUCKET + "/" + key + " read all "
                    + file.length + " bytes, resumed 1 time, but their CRC32C is ")
                    .endsWith(" where S3 gave " + crc32c + " for the object: bytes were changed on the way, the object"
                            + " is to be read again");
            assertThat(failed.has("failedAtByte")).as("the download's break, not the file's").isFalse();
            assertThat(failed.get("indexed").asLong()).as("the first member's rows, before the break")
                    .isEqualTo(FIRST_MEMBER_ROWS);
            assertThat(servers.count("host:eyample.org")).as("the changed row, as it came").isEqualTo(1);
            List<JsonNode> mismatch = mismatches(first);
            assertThat(mismatch).hasSize(1);
            assertThat(mismatch.get(0).get("level").asText()).isEqualTo("ERROR");
            assertThat(mismatch.get(0).get("algorithm").asText()).isEqualTo("CRC32C");
            assertThat(mismatch.get(0).get("expected").asText()).isEqualTo(crc32c);
            assertThat(mismatch.get(0).get("size").asLong()).isEqualTo(file.length);
            assertThat(mismatch.get(0).get("resumes").asInt()).isEqualTo(1);
            assertMismatchCountedByTheDeployedAlarm(first);

            assertThat(mismatches(retryLoadsEveryRowRight(proxy, key))).isEmpty();
        }
    }

    /** The same without a checksum to tell: a failure for good as corrupt input, as before. */
    @Test
    void withoutAChecksumAGzipBrokenByAChangedByteFailsForGoodAsCorrupt() throws IOException {
        byte[] file = twoMemberGzip();
        servers.put(BUCKET, key, file);

        try (CuttingS3Proxy proxy = new CuttingS3Proxy(s3.uri(), file.length / 3, 1)) {
            proxy.changeInResumedBody = "example.org";
            Invocation run = load(proxy);

            assertThat(proxy.changed.get()).isEqualTo(1);
            assertThat(run.thrown()).as("returned normally: not retried").isNull();
            JsonNode failed = servers.report(BUCKET, key);
            assertThat(failed.get("status").asText()).isEqualTo("FAILED");
            assertThat(failed.get("retryable").asBoolean()).isFalse();
            assertThat(failed.get("error").asText()).isEqualTo("corrupt or truncated input after " + FIRST_MEMBER_ROWS
                    + " records: Corrupt GZIP trailer");
            assertThat(failed.get("failedAtByte").asLong()).isBetween(1L, (long) file.length);
            assertThat(mismatches(run)).isEmpty();
        }
    }

    /**
     * The retry after a download changed on the way: no more cuts or changes, so the file loads whole — every row once,
     * the changed row ({@code eyample.org}) indexed again as it is in S3.
     */
    private Invocation retryLoadsEveryRowRight(CuttingS3Proxy proxy, String key) {
        Invocation retry = load(proxy);
        assertThat(retry.thrown()).isNull();
        JsonNode report = servers.report(BUCKET, key);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("indexed").asLong()).isEqualTo(ROWS);
        assertThat(servers.count()).as("every row once").isEqualTo(ROWS);
        assertThat(servers.count("host:eyample.org")).as("the changed row indexed again, right").isZero();
        assertThat(servers.count("host:example.org")).isEqualTo(ROWS - ROWS / 10);
        return retry;
    }

    /** A CRC-32C as S3 writes it: four bytes, big-endian, base64. */
    private static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A CRC-32 as S3 writes it: four bytes, big-endian, base64. */
    private static String crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
