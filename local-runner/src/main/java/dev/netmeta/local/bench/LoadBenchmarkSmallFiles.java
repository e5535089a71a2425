package dev.netmeta.local.bench;

import dev.netmeta.load.index.OpenSearchConnection;
import dev.netmeta.local.server.EmbeddedOpenSearch;
import dev.netmeta.local.server.EmbeddedS3;
import dev.netmeta.model.Env;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The load benchmark's small-files mode ({@code --small-files N}, see docs/BENCHMARKS.md): the fixed cost of one file
 * in the load function. N gzip CSVs of {@code --small-rows} rows each (a file per minute per sensor, as FTP servers
 * deliver them) are uploaded to the embedded S3 server; one child JVM (Lambda's JVM options, as the big run's loader)
 * builds the real {@code LoadHandler} once and delivers one S3 notification per file, one after another, as one warm
 * container would. Prints the time of each invocation (first, then the distribution of the rest) and checks
 * {@code _count} = N × rows. {@code --small-rounds} repeats the child (a fresh index each time);
 * {@code --loader-jvm-options "…"} adds options to the child JVM (e.g. {@code -XX:StartFlightRecording=…} to see where
 * an invocation waits).
 *
 * {@code --compare-with <local-runner.jar of another build>} runs that build's loader too in every round, the two in
 * turns against the same servers (the only fair comparison on a shared machine, whose speed drifts by 2–3× within
 * minutes).
 *
 * <pre>java -cp local-runner/target/local-runner.jar dev.netmeta.local.bench.LoadBenchmark --small-files 100
 *     [--small-rows 50] [--small-rounds 3] [--compare-with other/local-runner.jar] [--loader-jvm-options "…"]
 *     [--docs, --bytes, --concurrency, --loader-heap, --loader-jvm, --dir as for the big run]</pre>
 */
final class LoadBenchmarkSmallFiles {

    private static final String BUCKET = "small";
    private static final String PREFIX = "raw/sensor-";

    private LoadBenchmarkSmallFiles() {
    }

    static String key(String prefix, int n) {
        return String.format("%s%05d.csv.gz", prefix, n);
    }

    static void run(Map<String, String> opts) throws Exception {
        int files = Integer.parseInt(opts.get("small-files"));
        int rows = Integer.parseInt(opts.getOrDefault("small-rows", "50"));
        int rounds = Integer.parseInt(opts.getOrDefault("small-rounds", "3"));
        int docs = Integer.parseInt(opts.getOrDefault("docs", "5000"));
        int bytes = Integer.parseInt(opts.getOrDefault("bytes", String.valueOf(5 * 1024 * 1024)));
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "2"));
        String heap = opts.getOrDefault("loader-heap", "256m");
        boolean lambdaJvm = !opts.getOrDefault("loader-jvm", "lambda").equals("default");
        List<String> jvmOptions = opts.containsKey("loader-jvm-options")
                ? List.of(opts.get("loader-jvm-options").split(" ")) : List.of();
        Path dir = Path.of(opts.getOrDefault("dir", System.getProperty("java.io.tmpdir") + "/netmeta-load-bench"));
        Files.createDirectories(dir);
        System.out.println("== netmeta load benchmark: small files");
        System.out.println("machine: " + LoadBenchmark.machine());
        System.out.printf("settings: %d files of %d rows, %d rounds, loader heap=%s%n", files, rows, rounds, heap);
        Path file = dir.resolve("small.csv.gz");
        LoadBenchmarkData.write(file, rows);
        System.out.printf("one file: %d rows, %d bytes gzip%n", rows, Files.size(file));
        try (EmbeddedOpenSearch openSearch = EmbeddedOpenSearch.startTemporary(dir);
             EmbeddedS3 s3 = EmbeddedS3.startTemporary(dir)) {
            OpenSearchGenericClient client = OpenSearchConnection.generic(OpenSearchConnection.transport(
                    new Env(Map.of("OPENSEARCH_URL", openSearch.httpUri().toString())), null, null, null));
            upload(s3, file, files);
            // --compare-with <another build's local-runner.jar>: each round runs both builds' loaders, in turns, against
            // the same servers, so that the machine's drift (large on a shared box) hits both alike
            List<String> builds = new ArrayList<>(List.of(System.getProperty("java.class.path")));
            if (opts.containsKey("compare-with")) {
                builds.add(opts.get("compare-with"));
            }
            for (int round = 1; round <= rounds; round++) {
                for (int b = 0; b < builds.size(); b++) {
                    String classPath = builds.get((b + round - 1) % builds.size());
                    LoadBenchmark.request(client, "DELETE", "/metadata-*", null);
                    ProcessBuilder pb = LoadBenchmark.loaderJvm(openSearch.httpUri(), s3, docs, bytes, concurrency,
                            heap, lambdaJvm, jvmOptions, "--child-small", BUCKET, PREFIX, String.valueOf(files));
                    pb.command().set(pb.command().indexOf("-cp") + 1, classPath);
                    long[] micros = child(pb);
                    long counted = LoadBenchmark.count(client, "metadata-*");
                    long[] rest = Arrays.copyOfRange(micros, 1, micros.length);
                    Arrays.sort(rest);
                    System.out.printf("round %d%s: first file %.1f ms; files 2–%d: mean %.1f ms, p50 %.1f, p90 %.1f,"
                            + " max %.1f; %d files in %.2f s; index count %,d%n", round,
                            builds.size() == 1 ? "" : " " + (classPath.equals(builds.get(0)) ? "this build" : classPath),
                            micros[0] / 1e3, micros.length, Arrays.stream(rest).average().orElse(0) / 1e3,
                            percentile(rest, 50) / 1e3, percentile(rest, 90) / 1e3,
                            rest.length == 0 ? 0 : rest[rest.length - 1] / 1e3, micros.length,
                            Arrays.stream(micros).sum() / 1e6, counted);
                    if (counted != (long) files * rows) {
                        System.out.println("  WARNING: index holds " + counted + " documents, expected "
                                + (long) files * rows);
                    }
                }
            }
            LoadBenchmark.request(client, "DELETE", "/metadata-*", null);
        }
    }

    private static long[] child(ProcessBuilder pb) throws Exception {
        Process process = pb.start();
        String result = null;
        List<String> tail = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(LoadBenchmarkLoader.RESULT)) {
                    result = line;
                } else {
                    tail.add(line);
                    if (tail.size() > 20) {
                        tail.remove(0);
                    }
                }
            }
        }
        int exit = process.waitFor();
        if (result == null || exit != 0) {
            throw new IllegalStateException("the loader JVM failed (exit " + exit + "): " + String.join("\n", tail));
        }
        return Arrays.stream(result.replaceAll(".*file_us=", "").split(",")).mapToLong(Long::parseLong).toArray();
    }

    private static double percentile(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)];
    }

    private static void upload(EmbeddedS3 s3, Path file, int files) {
        try (S3Client client = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.of(s3.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(),
                        s3.secretKey())))
                .build()) {
            client.createBucket(b -> b.bucket(BUCKET));
            for (int i = 0; i < files; i++) {
                String key = key(PREFIX, i);
                client.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromFile(file));
            }
        }
    }
}
