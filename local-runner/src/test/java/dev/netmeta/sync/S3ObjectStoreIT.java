package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The three upload paths of {@link S3ObjectStore} against the real S3 stand-in, fed a source that turns out longer or
 * shorter than listed (a file still being written, or cut): the upload fails with {@link FileChangedException} and
 * the key never appears.
 */
@ExtendWith(TestServers.class)
class S3ObjectStoreIT {

    private static final int MIB = 1024 * 1024;

    @ParameterizedTest(name = "{0}: listed {1} bytes, source has {2}")
    @CsvSource({
        "single PUT,      3000000,  3000001",
        "single PUT,      3000000,  2999999",
        "streamed PUT,   12000000, 12000001",
        "streamed PUT,   12000000, 11999999",
        "multipart,      20000000, 20000001",
        "multipart,      20000000, 19999999",
    })
    void sourceOfAnotherLengthNeverBecomesAnObject(String path, long listed, int actual, S3Endpoint endpoint) throws Exception {
        try (S3Client s3 = TestServers.s3Client(endpoint)) {
            String bucket = "it-store-" + UUID.randomUUID().toString().substring(0, 8);
            s3.createBucket(b -> b.bucket(bucket));
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL_S3", endpoint.uri().toString(),
                    "AWS_ACCESS_KEY_ID", endpoint.accessKey(), "AWS_SECRET_ACCESS_KEY", endpoint.secretKey(),
                    "AWS_REGION", endpoint.region());
            long streamingMax = path.equals("multipart") ? 0 : 16L * MIB;
            S3ObjectStore store = new S3ObjectStore(SyncFactory.s3Client(env), bucket, streamingMax);
            byte[] bytes = new byte[actual];
            new Random(actual).nextBytes(bytes);

            assertThatThrownBy(() -> store.upload("raw/f.csv.gz", new ByteArrayInputStream(bytes),
                    listed, 8 * MIB, () -> true))
                    .isInstanceOf(FileChangedException.class);

            assertThat(store.sizeOf("raw/f.csv.gz")).isEmpty();
            assertThat(s3.listMultipartUploads(b -> b.bucket(bucket).prefix("raw/f.csv.gz")).uploads()).isEmpty();

            // the same store copies a source of the right length byte-identically
            byte[] good = new byte[(int) listed];
            new Random(listed).nextBytes(good);
            assertThat(store.upload("raw/f.csv.gz", new ByteArrayInputStream(good),
                    listed, 8 * MIB, () -> true)).isEqualTo(listed);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key("raw/f.csv.gz")).asByteArray()).isEqualTo(good);
        }
    }

    /**
     * docs/SYNC.md: "A streamed PUT (≤ 100 MiB) checks the clock only before it starts". Below the stop line it does
     * not start: nothing is read from the FTP stream, nothing is stored, and the caller hears TransferStopped (the
     * file is handed off or deferred, not failed).
     */
    @Test
    void aStreamedPutDoesNotStartWhenTheClockSaysStop(S3Endpoint endpoint) throws Exception {
        try (S3Client s3 = TestServers.s3Client(endpoint)) {
            String bucket = "it-store-" + UUID.randomUUID().toString().substring(0, 8);
            s3.createBucket(b -> b.bucket(bucket));
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL_S3", endpoint.uri().toString(),
                    "AWS_ACCESS_KEY_ID", endpoint.accessKey(), "AWS_SECRET_ACCESS_KEY", endpoint.secretKey(),
                    "AWS_REGION", endpoint.region());
            S3ObjectStore store = new S3ObjectStore(SyncFactory.s3Client(env), bucket, 16L * MIB);
            int size = 12 * MIB; // above one 8 MiB part, below the streamed-PUT maximum
            ByteArrayInputStream source = new ByteArrayInputStream(new byte[size]);
            AtomicInteger asked = new AtomicInteger();

            assertThatThrownBy(() -> store.upload("raw/late.csv.gz", source, size, 8 * MIB,
                    () -> asked.incrementAndGet() < 0))
                    .isInstanceOf(TransferStoppedException.class).hasMessageContaining("not started");

            assertThat(asked).as("the clock was asked").hasValue(1);
            assertThat(source.available()).as("no byte taken from the FTP stream").isEqualTo(size);
            assertThat(store.sizeOf("raw/late.csv.gz")).isEmpty();
            assertThat(s3.listObjectsV2(b -> b.bucket(bucket)).contents()).isEmpty();
        }
    }

    @Test
    void sizesOfKeepsOnlyTheAskedKeysAndStopsBetweenPagesWhenTimeRunsOut(S3Endpoint endpoint) throws Exception {
        try (S3Client s3 = TestServers.s3Client(endpoint)) {
            String bucket = "it-store-" + UUID.randomUUID().toString().substring(0, 8);
            s3.createBucket(b -> b.bucket(bucket));
            // history the FTP server no longer lists, then this run's files (10 objects, pages of 3)
            for (String key : new String[] {"raw/2017/a", "raw/2017/b", "raw/2017/c", "raw/2017/d",
                    "raw/2018/a", "raw/2018/b", "raw/2018/c", "raw/2018/d", "raw/2018/e", "raw/2019/a"}) {
                s3.putObject(b -> b.bucket(bucket).key(key), software.amazon.awssdk.core.sync.RequestBody.fromString(key + "!"));
            }
            Map<String, String> env = Map.of("AWS_ENDPOINT_URL_S3", endpoint.uri().toString(),
                    "AWS_ACCESS_KEY_ID", endpoint.accessKey(), "AWS_SECRET_ACCESS_KEY", endpoint.secretKey(),
                    "AWS_REGION", endpoint.region());
            S3ObjectStore store = new S3ObjectStore(SyncFactory.s3Client(env), bucket, 0, 3);
            Set<String> asked = Set.of("raw/2017/b", "raw/2018/b", "raw/2018/x", "raw/2018/e");

            KeySizes all = store.sizesOf(asked, () -> true);
            assertThat(all.complete()).isTrue();
            assertThat(all.sizes()).containsOnly(Map.entry("raw/2017/b", 11L), Map.entry("raw/2018/b", 11L),
                    Map.entry("raw/2018/e", 11L));

            // the clock says stop after the first page: raw/2017/a..c listed, nothing later decided
            AtomicInteger questions = new AtomicInteger();
            KeySizes stopped = store.sizesOf(asked, () -> questions.incrementAndGet() < 1);
            assertThat(stopped.complete()).isFalse();
            assertThat(questions).hasValue(1);
            assertThat(stopped.listedThrough()).isEqualTo("raw/2017/c");
            assertThat(stopped.sizes()).containsOnly(Map.entry("raw/2017/b", 11L));
            assertThat(stopped.covers("raw/2017/b")).isTrue();
            assertThat(stopped.covers("raw/2018/b")).isFalse();

            // keys of one directory: listed under their common prefix only, so the history is not paged through
            AtomicInteger pages = new AtomicInteger();
            KeySizes narrow = store.sizesOf(Set.of("raw/2018/d", "raw/2018/e"), () -> pages.incrementAndGet() > 0);
            assertThat(narrow.complete()).isTrue();
            assertThat(narrow.sizes()).containsOnlyKeys("raw/2018/d", "raw/2018/e");
            assertThat(pages).as("raw/2018/: 5 keys = 2 pages, one question in between").hasValue(1);
        }
    }
}
