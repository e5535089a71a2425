package dev.netmeta.local.bench;

import dev.netmeta.local.server.EmbeddedFtp;
import dev.netmeta.local.server.EmbeddedS3;
import dev.netmeta.local.server.FtpSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Sync benchmark: N files × M MB of incompressible data from the embedded FTP server to the embedded S3 server.
 * In the same run, on the same servers, per round: the raw FTP download to a null sink, the raw S3 upload of the same
 * bytes from local files (both with the sync's 4 parallel streams), the sync itself (in its own JVM with
 * {@code -Xmx256m} and Lambda's JVM options ({@link LambdaJvm}), so its heap and CPU are measured apart from the
 * servers') and {@code rclone copy} (if on PATH; the Debian
 * package {@code rclone}). Options as system properties: {@code -Dfiles=20 -DsizeMb=50 -Drounds=2 -DsyncHeapMb=256}.
 *
 * <p>{@code java -cp local-runner/target/local-runner.jar dev.netmeta.local.bench.SyncBenchmark}
 */
public final class SyncBenchmark {

    private static final int STREAMS = 4;
    private static final double MB = 1_000_000.0;

    private SyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int files = Integer.getInteger("files", 20);
        int sizeMb = Integer.getInteger("sizeMb", 50);
        int rounds = Integer.getInteger("rounds", 2);
        int syncHeapMb = Integer.getInteger("syncHeapMb", 256);
        Path work = Files.createTempDirectory("netmeta-sync-bench");
        // The sync JVM runs the shaded function jar alone, as Lambda does (the local runner's class path holds other
        // libraries, e.g. Woodstox, which the SDK would then pick for XML); the full class path only without the jar.
        Path syncJar = Path.of(System.getProperty("syncJar", "sync-function/target/sync-function.jar"));
        Path workerDir = Files.isRegularFile(syncJar) ? LambdaJvm.classDirWith(SyncBenchmarkWorker.class) : null;
        String syncClassPath = workerDir == null ? System.getProperty("java.class.path")
                : syncJar.toAbsolutePath() + java.io.File.pathSeparator + workerDir;
        Path ftpRoot = work.resolve("ftp");
        System.out.printf(Locale.ROOT, "sync benchmark: %d files × %d MB incompressible, %d rounds, machine: %s%n",
                files, sizeMb, rounds, machine());
        System.out.println(workerDir == null ? "sync JVM: " + syncJar + " not found, running on the local runner's class path"
                : "sync JVM: " + syncJar + " alone, " + String.join(" ", LambdaJvm.OPTIONS));
        try (EmbeddedFtp ftp = EmbeddedFtp.start(FtpSettings.of(ftpRoot, "bench", "bench-" + System.nanoTime()));
             EmbeddedS3 s3 = EmbeddedS3.start(work.resolve("s3"));
             S3Client client = SyncLegs.client(s3)) {
            List<String> paths = generate(ftpRoot, files, sizeMb * 1_000_000L);
            long total = (long) files * sizeMb * 1_000_000L;
            List<double[]> results = new ArrayList<>();
            String[] names = {"ftp download (null sink)", "s3 upload (local files)", "sync (FTP → S3)", "rclone copy"};
            for (int round = 1; round <= rounds; round++) {
                double[] r = new double[4];
                r[0] = rate(total, timeMillis(() -> check(total, SyncLegs.ftpDownload(ftp, paths, STREAMS))));
                String legBucket = bucket(client, "leg", round);
                r[1] = rate(total, timeMillis(() -> check(total, SyncLegs.s3Upload(s3, legBucket, ftpRoot, paths, STREAMS))));
                empty(client, legBucket);

                String syncBucket = bucket(client, "sync", round);
                long serverCpu0 = SyncBenchmarkWorker.cpuMillis();
                SyncRun sync = runSync(ftp, s3, syncBucket, syncHeapMb, syncClassPath);
                long syncServerCpu = SyncBenchmarkWorker.cpuMillis() - serverCpu0;
                check(total, sync.bytes);
                verify(client, syncBucket, files, sizeMb * 1_000_000L);
                r[2] = rate(total, sync.durationMs);
                empty(client, syncBucket);

                String rcloneBucket = bucket(client, "rclone", round);
                serverCpu0 = SyncBenchmarkWorker.cpuMillis();
                long[] rclone = SyncRclone.copy(ftp, s3, "/bench", rcloneBucket + "/raw", STREAMS);
                long rcloneMs = rclone[0];
                long rcloneServerCpu = SyncBenchmarkWorker.cpuMillis() - serverCpu0;
                if (rcloneMs >= 0) {
                    verify(client, rcloneBucket, files, sizeMb * 1_000_000L);
                }
                r[3] = rcloneMs < 0 ? Double.NaN : rate(total, rcloneMs);
                empty(client, rcloneBucket);
                results.add(r);
                System.out.printf(Locale.ROOT, "round %d: ftp %.0f MB/s, s3 %.0f MB/s, sync %.0f MB/s (peak heap %.0f MB of -Xmx%dm, %d GCs), rclone %.0f MB/s%n",
                        round, r[0], r[1], r[2], sync.peakHeap / MB, syncHeapMb, sync.gcs, r[3]);
                double gb = total / 1e9;
                System.out.printf(Locale.ROOT, "  CPU seconds per GB: sync JVM %.2f (handler %.2f = user %.2f + kernel %.2f; the rest is JVM start)"
                        + " + servers %.2f; rclone %.2f (user %.2f + kernel %.2f) + servers %.2f%n",
                        sync.cpuMs / 1000.0 / gb, sync.handlerCpuMs / 1000.0 / gb, sync.handlerUserMs / 1000.0 / gb,
                        sync.handlerSysMs / 1000.0 / gb, syncServerCpu / 1000.0 / gb,
                        (rclone[1] + rclone[2]) / 1000.0 / gb, rclone[1] / 1000.0 / gb, rclone[2] / 1000.0 / gb,
                        rcloneServerCpu / 1000.0 / gb);
                System.out.printf(Locale.ROOT, "  sync handler's cold-JVM work: %d ms in the JIT compiler, %d classes loaded%n",
                        sync.handlerJitMs, sync.handlerClassesLoaded);
            }
            System.out.println();
            System.out.println("| measure | " + String.join(" | ", roundHeaders(rounds)) + " | best |");
            System.out.println("| --- |" + " ---: |".repeat(rounds + 1));
            double[] best = new double[4];
            for (int i = 0; i < 4; i++) {
                StringBuilder row = new StringBuilder("| " + names[i] + " MB/s |");
                best[i] = Double.NaN;
                for (double[] r : results) {
                    row.append(String.format(Locale.ROOT, " %.0f |", r[i]));
                    best[i] = Double.isNaN(best[i]) || r[i] > best[i] ? r[i] : best[i];
                }
                row.append(String.format(Locale.ROOT, " %.0f |", best[i]));
                System.out.println(row);
            }
            double slowerLeg = Math.min(best[0], best[1]);
            System.out.printf(Locale.ROOT, "%nsync / slower leg = %.2f (target ≥ 0.8); sync / rclone = %.2f (target ≥ 1.0);"
                    + " rclone / slower leg = %.2f%n", best[2] / slowerLeg, best[2] / best[3], best[3] / slowerLeg);
            for (double[] r : results) {
                System.out.printf(Locale.ROOT, "  per round: sync/slower leg %.2f, sync/rclone %.2f, rclone/slower leg %.2f%n",
                        r[2] / Math.min(r[0], r[1]), r[2] / r[3], r[3] / Math.min(r[0], r[1]));
            }
        } finally {
            deleteRecursively(work);
            if (workerDir != null) {
                deleteRecursively(workerDir);
            }
        }
    }

    private record SyncRun(long bytes, long durationMs, long peakHeap, long gcs, long cpuMs, long handlerCpuMs,
                           long handlerUserMs, long handlerSysMs, long handlerJitMs, long handlerClassesLoaded) {
    }

    /** The sync handler in a child JVM, as Lambda would run it: its own heap, the default settings (4 streams, 8 MiB parts). */
    private static SyncRun runSync(EmbeddedFtp ftp, EmbeddedS3 s3, String bucket, int heapMb, String classPath)
            throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("FTP_HOST", ftp.host());
        env.put("FTP_PORT", Integer.toString(ftp.port()));
        env.put("FTP_USER", ftp.user());
        env.put("FTP_PASSWORD", ftp.password());
        env.put("FTP_REMOTE_DIR", "/bench");
        env.put("BUCKET", bucket);
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
        env.put("AWS_REGION", s3.region());
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("SYNC_"))
                .forEach(k -> env.put(k, System.getProperty(k))); // e.g. -DSYNC_PART_SIZE_MB=16 for experiments
        List<String> command = LambdaJvm.command(List.of("-Xmx" + heapMb + "m"));
        String extra = System.getProperty("syncJvmArgs", "").trim(); // e.g. a JFR recording
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", classPath, SyncBenchmarkWorker.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("FTP_") || k.startsWith("SYNC_") || k.startsWith("AWS_"));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("sync JVM failed:\n" + out);
        }
        Matcher m = Pattern.compile("SYNC_RESULT copied=\\d+ failed=0 bytes=(\\d+) durationMs=(\\d+) maxHeap=\\d+ peakHeap=(\\d+) gcs=(\\d+) cpuMs=(\\d+) handlerCpuMs=(\\d+) handlerUserMs=(-?\\d+) handlerSysMs=(-?\\d+) handlerJitMs=(\\d+) handlerClassesLoaded=(\\d+)")
                .matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no result from the sync JVM:\n" + out);
        }
        return new SyncRun(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)),
                Long.parseLong(m.group(5)), Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)), Long.parseLong(m.group(9)), Long.parseLong(m.group(10)));
    }

    private static List<String> generate(Path root, int files, long size) throws IOException {
        List<String> paths = new ArrayList<>();
        byte[] buf = new byte[1 << 20];
        for (int i = 0; i < files; i++) {
            String rel = String.format(Locale.ROOT, "bench/f%02d.csv.gz", i);
            Path file = root.resolve(rel);
            Files.createDirectories(file.getParent());
            SplittableRandom random = new SplittableRandom(1000 + i);
            try (OutputStream out = Files.newOutputStream(file)) {
                for (long left = size; left > 0; ) {
                    for (int j = 0; j < buf.length; j += 8) {
                        long v = random.nextLong();
                        for (int k = 0; k < 8; k++) {
                            buf[j + k] = (byte) (v >>> (8 * k));
                        }
                    }
                    int n = (int) Math.min(buf.length, left);
                    out.write(buf, 0, n);
                    left -= n;
                }
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
            paths.add(rel);
        }
        return paths;
    }

    private static void verify(S3Client s3, String bucket, int files, long size) {
        // only the copied files: the sync also keeps its throughput state object outside raw/
        var objects = s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("raw/")).contents().stream().toList();
        if (objects.size() != files || objects.stream().anyMatch(o -> o.size() != size)) {
            throw new IllegalStateException("bucket " + bucket + " does not hold " + files + " objects of " + size
                    + " bytes under raw/: " + objects);
        }
    }

    private static String bucket(S3Client s3, String what, int round) {
        String name = "bench-" + what + "-" + round + "-" + Long.toString(System.nanoTime(), 36);
        s3.createBucket(b -> b.bucket(name));
        return name;
    }

    private static void empty(S3Client s3, String bucket) {
        s3.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()
                .forEach(o -> s3.deleteObject(d -> d.bucket(bucket).key(o.key())));
        s3.deleteBucket(b -> b.bucket(bucket));
    }

    interface Timed {
        void run() throws Exception;
    }

    private static long timeMillis(Timed t) throws Exception {
        long start = System.nanoTime();
        t.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static double rate(long bytes, long millis) {
        return bytes / MB / (millis / 1000.0);
    }

    private static void check(long expected, long actual) {
        if (expected != actual) {
            throw new IllegalStateException("moved " + actual + " bytes, expected " + expected);
        }
    }

    private static List<String> roundHeaders(int rounds) {
        List<String> h = new ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            h.add("round " + i);
        }
        return h;
    }

    static String machine() {
        String cpu = "unknown CPU";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(cpu);
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + ", Java "
                + System.getProperty("java.version");
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
