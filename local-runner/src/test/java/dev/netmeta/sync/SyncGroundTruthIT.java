package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The sync against an independent model of docs/SYNC.md ({@link SyncTruthModel}), on random cases
 * ({@link RandomSyncCase}): a random FTP tree on a MINA FtpServer, random settings, a bucket on s3proxy with keys of
 * the right size, the wrong size and outside the prefix. Each case runs the sync three times — the first with up to two
 * files growing between the listing and the transfer, then after those settled, then once more with nothing to do —
 * and compares every run with the model: the summary's counts, the failures, exactly which keys the bucket holds
 * afterwards and each object's bytes, and no multipart upload left. The LIST cases run the same against MINA made
 * into a server without MLSD/MLST in vsftpd's manner ({@link LsListingFtplet}).
 *
 * <p>{@code -Dnetmeta.truth.seed=N} (first seed, default 15000) and {@code -Dnetmeta.truth.cases=N} (default 8) pick the
 * cases; a failure names the seed and prints the case.
 */
@ExtendWith(TestServers.class)
class SyncGroundTruthIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");
    private static final String FTP_DIR = "/in";
    private static final int GROW_BY = 1000;
    /** MINA FtpServer leaves names beginning with a dot out of MLSD (as of LIST without -a). */
    private static final boolean MINA_HIDES_DOT_NAMES = true;
    private static final long STATE_WRITE_BYTES = 16L * 1024 * 1024; // a run that moved this much saves its rate

    static LongStream seeds() {
        long first = Long.getLong("netmeta.truth.seed", 15_000L);
        return LongStream.range(first, first + Integer.getInteger("netmeta.truth.cases", 8));
    }

    /** The LIST cases: {@code -Dnetmeta.truth.list.seed=N} (default 25000), {@code -Dnetmeta.truth.list.cases=N} (6). */
    static LongStream listSeeds() {
        long first = Long.getLong("netmeta.truth.list.seed", 25_000L);
        return LongStream.range(first, first + Integer.getInteger("netmeta.truth.list.cases", 6));
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyRunDoesWhatSyncMdSays(long seed, S3Endpoint s3e, @TempDir Path root) throws Exception {
        RandomSyncCase c = new RandomSyncCase(seed);
        Path dir = root.resolve(FTP_DIR.substring(1));
        write(c, dir);
        GrowingFileFtplet writer = new GrowingFileFtplet(dir, FTP_DIR, c.changes, GROW_BY);
        try (TestFtpServer ftp = new TestFtpServer(root, writer, null)) {
            runThreeTimes(c, dir, s3e, ftp.env(FTP_DIR), writer, MINA_HIDES_DOT_NAMES);
        }
    }

    /**
     * The same against a server without MLSD/MLST, as vsftpd ({@link LsListingFtplet}): the walk reads LIST lines (in
     * the server's time zone, {@code FTP_SERVER_TIMEZONE}; symbolic links among them), the check before a transfer
     * asks SIZE + MDTM, or, on a server without them, searches the parent's LIST — where a file growing at the check
     * grows at its RETR instead (the LIST is also the walk's, which must not see it grown).
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("listSeeds")
    void everyRunOnAListServerDoesWhatSyncMdSays(long seed, S3Endpoint s3e, @TempDir Path root) throws Exception {
        RandomSyncCase c = new RandomSyncCase(seed, true);
        RandomSyncCase.ListServer server = c.listServer;
        Path dir = root.resolve(FTP_DIR.substring(1));
        write(c, dir);
        Map<String, RandomSyncCase.Change> changes = new LinkedHashMap<>(c.changes);
        if (!server.sizeAndMdtm()) {
            changes.replaceAll((path, when) -> RandomSyncCase.Change.AT_RETR);
        }
        GrowingFileFtplet writer = new GrowingFileFtplet(dir, FTP_DIR, changes, GROW_BY);
        LsListingFtplet ls = new LsListingFtplet(root, ZoneId.of(server.zone()), server.sizeAndMdtm(),
                server.dotNamesListed(), server.totalLine(), writer);
        try (TestFtpServer ftp = new TestFtpServer(root, ls, null)) {
            Map<String, String> ftpEnv = new HashMap<>(ftp.env(FTP_DIR));
            ftpEnv.put("FTP_SERVER_TIMEZONE", server.zone());
            runThreeTimes(c, dir, s3e, ftpEnv, writer, !server.dotNamesListed());
        }
        assertThat(ls.commands).as("the sync listed with LIST").contains("LIST").doesNotContain("MLSD", "MLST");
        if (!server.sizeAndMdtm()) {
            assertThat(ls.commands).as("SIZE and MDTM not announced").doesNotContain("SIZE", "MDTM");
        } else if (ls.commands.contains("RETR")) {
            assertThat(ls.commands).as("the check before a transfer").contains("SIZE", "MDTM");
        }
    }

    /**
     * The case's three runs against the FTP server of {@code ftpEnv} (the sync's FTP settings), whose
     * {@code FTP_REMOTE_DIR} is {@code dir} on disk, into a new bucket; {@code writer} grows the case's changing files.
     */
    static void runThreeTimes(RandomSyncCase c, Path dir, S3Endpoint s3e, Map<String, String> ftpEnv,
                              GrowingFileFtplet writer, boolean hidesDotNames) throws Exception {
        try (S3Client s3 = TestServers.s3Client(s3e)) {
            String bucket = "it-truth-" + UUID.randomUUID().toString().substring(0, 8);
            s3.createBucket(b -> b.bucket(bucket));
            Map<String, String> env = new HashMap<>(ftpEnv);
            env.put("BUCKET", bucket);
            env.putAll(s3e.env());
            env.put("RAW_PREFIX", c.settings.rawPrefix());
            env.put("FTP_RECURSIVE", Boolean.toString(c.settings.recursive()));
            env.put("FTP_PATTERNS", c.settings.patterns());
            env.put("SYNC_MIN_AGE_SECONDS", Long.toString(c.settings.minAgeSeconds()));
            env.put("SYNC_PART_SIZE_MB", Integer.toString(RandomSyncCase.PART_MIB));
            env.put("SYNC_STREAMING_PUT_MAX_MB", Integer.toString(c.streamingPutMaxMb));
            env.put("SYNC_CONCURRENCY", Integer.toString(c.concurrency));
            env.put("SYNC_STATE_KEY", c.stateKey);
            Bucket expected = new Bucket();
            for (RandomSyncCase.Preset p : c.presets) {
                byte[] content = content(p.size(), p.contentSeed());
                s3.putObject(b -> b.bucket(bucket).key(p.key()), RequestBody.fromBytes(content));
                expected.put(p.key(), p.size(), SyncFiles.sha256(new ByteArrayInputStream(content)));
            }

            for (int run = 1; run <= 3; run++) {
                Set<String> changing = run == 1 ? c.changes.keySet() : Set.of();
                Instant now = Instant.now();
                SyncTruthModel.Outcome model = SyncTruthModel.run(c.settings, onDisk(dir), expected.sizes(), changing, now,
                        hidesDotNames);
                SyncSummary summary = new SyncHandler(env).handleRequest(TICK, TestLambdaContext.realTime(900_000));
                for (Map.Entry<String, String> copy : model.copiedKeys().entrySet()) {
                    Path file = dir.resolve(copy.getValue());
                    expected.put(copy.getKey(), Files.size(file), SyncFiles.sha256(file));
                }
                if (!c.stateKey.isEmpty() && model.bytes() >= STATE_WRITE_BYTES) {
                    expected.stateWritten = c.stateKey;
                }
                Set<String> cutPuts = new HashSet<>();
                c.changes.keySet().forEach(path -> cutPuts.add(SyncTruthModel.key(c.settings, path)));
                check("run " + run, c, model, summary, s3, bucket, expected, cutPuts);
                if (run == 1) {
                    assertThat(writer.grown).as("files grown between listing and transfer")
                            .containsExactlyInAnyOrderElementsOf(c.changes.keySet());
                    for (String path : writer.grown) { // the writer is done: the next run may take them
                        Files.setLastModifiedTime(dir.resolve(path), FileTime.from(now.minusSeconds(
                                c.settings.minAgeSeconds() + 3600)));
                    }
                }
                if (run == 3) {
                    assertThat(summary.getCopied()).as("a third run has nothing to copy").isZero();
                }
            }
        }
    }

    /** The keys the bucket should hold: size and SHA-256 of each, and the throughput state object if one was saved. */
    private static final class Bucket {
        final Map<String, Long> sizes = new TreeMap<>();
        final Map<String, String> sha256 = new TreeMap<>();
        String stateWritten;

        void put(String key, long size, String sha) {
            sizes.put(key, size);
            sha256.put(key, sha);
        }

        Map<String, Long> sizes() {
            return Map.copyOf(sizes);
        }
    }

    private static void check(String run, RandomSyncCase c, SyncTruthModel.Outcome model, SyncSummary summary,
                              S3Client s3, String bucket, Bucket expected, Set<String> cutPuts) throws IOException {
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(summary.getListed()).as(run + ": listed").isEqualTo(model.listed());
        softly.assertThat(summary.getNotMatching()).as(run + ": notMatching").isEqualTo(model.notMatching());
        softly.assertThat(summary.getNew()).as(run + ": new").isEqualTo(model.newFiles());
        softly.assertThat(summary.getCopied()).as(run + ": copied").isEqualTo(model.copied());
        softly.assertThat(summary.getSkippedUnstable()).as(run + ": skippedUnstable").isEqualTo(model.skippedUnstable());
        softly.assertThat(summary.getSkippedPresent()).as(run + ": skippedPresent").isEqualTo(model.skippedPresent());
        softly.assertThat(summary.getFailed()).as(run + ": failed").isEqualTo(model.failed());
        softly.assertThat(summary.getBytes()).as(run + ": bytes").isEqualTo(model.bytes());
        softly.assertThat(summary.getDeferred()).as(run + ": deferred").isZero();
        softly.assertThat(summary.getFannedOut()).as(run + ": fannedOut").isZero();
        softly.assertThat(summary.getFailures()).as(run + ": failures").extracting(FileFailure::getFile)
                .containsExactlyInAnyOrderElementsOf(model.failedFiles());
        softly.assertThat(summary.getFailures()).as(run + ": failure reasons").allSatisfy(f ->
                assertThat(f.getReason()).startsWith("its S3 key would be"));

        Map<String, Long> actual = new TreeMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
            boolean leftover = cutPuts.stream().anyMatch(k -> SyncFiles.isCutPutLeftover(o.key(), k));
            if (!leftover && !o.key().equals(expected.stateWritten)) {
                actual.put(o.key(), o.size());
            }
        }
        softly.assertThat(actual).as(run + ": the keys in the bucket and their sizes").isEqualTo(expected.sizes);
        for (Map.Entry<String, String> e : expected.sha256.entrySet()) {
            if (actual.containsKey(e.getKey())) {
                softly.assertThat(SyncFiles.sha256(s3, bucket, e.getKey())).as(run + ": bytes of " + e.getKey())
                        .isEqualTo(e.getValue());
            }
        }
        if (expected.stateWritten != null) {
            softly.assertThat(s3.listObjectsV2(b -> b.bucket(bucket).prefix(expected.stateWritten)).contents())
                    .as(run + ": the throughput state object").extracting(S3Object::key).contains(expected.stateWritten);
        }
        softly.assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).as(run + ": multipart uploads left")
                .isEmpty();
        try {
            softly.assertAll();
        } catch (AssertionError e) {
            throw new AssertionError(c.describe() + "summary: " + summary + "\n" + e.getMessage(), e);
        }
    }

    /** The FTP side as it is on disk: the ground truth the model reads (regular files, path relative to FTP_DIR). */
    private static List<SyncTruthModel.RemoteFile> onDisk(Path dir) throws IOException {
        List<SyncTruthModel.RemoteFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                String rel = dir.relativize(p).toString();
                files.add(new SyncTruthModel.RemoteFile(rel, Files.size(p), Files.getLastModifiedTime(p).toInstant()));
            }
        }
        return files;
    }

    static void write(RandomSyncCase c, Path dir) throws IOException {
        Files.createDirectories(dir);
        Instant now = Instant.now();
        for (RandomSyncCase.Dir d : c.dirs) {
            Files.createDirectories(dir.resolve(d.path()));
        }
        for (RandomSyncCase.File f : c.files) {
            Path file = SyncFiles.write(dir.resolve(f.path()), f.size(), f.contentSeed());
            Files.setLastModifiedTime(file, FileTime.from(now.minusSeconds(f.ageSeconds())));
        }
        for (RandomSyncCase.Link l : c.links) { // LIST shows a link as such: no file, no directory, whatever its target
            Path target = l.target().startsWith("/") ? dir.resolve(l.target().substring(1)) : Path.of(l.target());
            Files.createSymbolicLink(dir.resolve(l.path()), target);
        }
        List<RandomSyncCase.Dir> deepestFirst = c.dirs.stream()
                .sorted(Comparator.comparingInt((RandomSyncCase.Dir d) -> d.path().length()).reversed()).toList();
        for (RandomSyncCase.Dir d : deepestFirst) { // directory times vary the walk's newest-first order
            Files.setLastModifiedTime(dir.resolve(d.path()), FileTime.from(now.minusSeconds(d.ageSeconds())));
        }
    }

    private static byte[] content(long size, long seed) {
        byte[] bytes = new byte[Math.toIntExact(size)];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
