package dev.netmeta.local.bench;

import dev.netmeta.load.format.Decompression;
import dev.netmeta.load.format.RecordReader;
import dev.netmeta.load.format.RecordReaders;
import dev.netmeta.load.format.SourceRecord;
import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.IndexingResult;
import dev.netmeta.load.index.IndexingSession;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.OpenSearchBulkTransport;
import dev.netmeta.load.index.OpenSearchConnection;
import dev.netmeta.load.index.OpenSearchIndexTemplates;
import dev.netmeta.local.server.EmbeddedOpenSearch;
import dev.netmeta.local.server.EmbeddedS3;
import dev.netmeta.model.DocumentIds;
import dev.netmeta.model.Env;
import dev.netmeta.model.FieldValues;
import dev.netmeta.model.Fields;
import dev.netmeta.model.IndexNames;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Load benchmark (see docs/BENCHMARKS.md): generates a gzip CSV, measures decode+parse on one core, then, against
 * the embedded OpenSearch node, the raw {@code _bulk} ceiling (pre-serialized bodies, same batch size and
 * concurrency) before and after the real load function, which runs in a child JVM with a small heap.
 *
 * <pre>java -cp local-runner/target/local-runner.jar dev.netmeta.local.bench.LoadBenchmark [--rows 1000000]
 *     [--docs 5000] [--bytes 5242880] [--concurrency 2] [--loader-heap 256m] [--loader-jvm lambda|default]
 *     [--dir /tmp/netmeta-bench]</pre>
 * The loader JVM runs with Lambda's {@code java21} options ({@link LambdaJvm}) unless {@code --loader-jvm default}.
 * With {@code --small-files N} it measures the fixed cost per file instead ({@link LoadBenchmarkSmallFiles}).
 */
public final class LoadBenchmark {

    private static final String BUCKET = "bench";
    private static final String KEY = "raw/flows.csv.gz";

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--child-load")) {
            LoadBenchmarkLoader.run(args[1], args[2]);
            System.exit(0);
        }
        if (args.length == 4 && args[0].equals("--child-small")) {
            LoadBenchmarkLoader.runSmall(args[1], args[2], Integer.parseInt(args[3]));
            System.exit(0);
        }
        Map<String, String> opts = options(args);
        if (opts.containsKey("small-files")) {
            LoadBenchmarkSmallFiles.run(opts);
            return;
        }
        long rows = Long.parseLong(opts.getOrDefault("rows", "1000000"));
        int docs = Integer.parseInt(opts.getOrDefault("docs", "5000"));
        int bytes = Integer.parseInt(opts.getOrDefault("bytes", String.valueOf(5 * 1024 * 1024)));
        int concurrency = Integer.parseInt(opts.getOrDefault("concurrency", "2"));
        String loaderHeap = opts.getOrDefault("loader-heap", "256m");
        // the loader JVM's options: lambda = those of Lambda's java21 runtime (LambdaJvm), default = the JVM's own
        boolean lambdaJvm = !opts.getOrDefault("loader-jvm", "lambda").equals("default");
        Path dir = Path.of(opts.getOrDefault("dir", System.getProperty("java.io.tmpdir") + "/netmeta-load-bench"));
        Files.createDirectories(dir);

        System.out.println("== netmeta load benchmark");
        System.out.println("machine: " + machine());
        System.out.printf("settings: rows=%d batch=%d docs / %d bytes, concurrency=%d, loader heap=%s%n",
                rows, docs, bytes, concurrency, loaderHeap);

        Path file = dir.resolve("flows.csv.gz");
        long t = System.nanoTime();
        LoadBenchmarkData.write(file, rows);
        System.out.printf("generated %s: %,d rows, %.1f MB gzip (%.1f s)%n", file, rows,
                Files.size(file) / 1e6, seconds(t));

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int run = 1; run <= 3; run++) {
            t = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            long n = decodeAndParse(file);
            double s = seconds(t);
            double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
            System.out.printf("decode+parse (gunzip, CSV, canonical mapping; 1 thread) run %d: %,d records in %.2f s"
                    + " = %,.0f rec/s wall; %.2f s on its core = %,.0f rec/s per CPU-second%n",
                    run, n, s, n / s, cpuSeconds, n / cpuSeconds);
        }
        Path bodies = dir.resolve("ceiling-bodies.bin");
        try {
            t = System.nanoTime();
            long serialized = serialize(file, bodies, docs, bytes);
            double s = seconds(t);
            System.out.printf("decode+parse+serialize to _bulk NDJSON (1 thread + writer): %,d records in %.2f s = %,.0f rec/s%n",
                    serialized, s, serialized / s);

            // the servers' data live in temporary directories under --dir (the system's temporary directory may
            // be far too small for them), deleted on close, and the bodies file (≈ 9 GB for 21 M rows) goes when
            // the run ends: repeated runs must not fill the disk
            try (EmbeddedOpenSearch openSearch = EmbeddedOpenSearch.startTemporary(dir);
                 EmbeddedS3 s3 = EmbeddedS3.startTemporary(dir)) {
                OpenSearchGenericClient client = OpenSearchConnection.generic(OpenSearchConnection.transport(
                        new Env(Map.of("OPENSEARCH_URL", openSearch.httpUri().toString())), null, null, null));
                upload(s3, file);
                new OpenSearchIndexTemplates(client, "ceiling").ensureInstalled();

                warmUp(client, bodies, concurrency);
                double ceiling1 = ceiling(client, bodies, concurrency, rows);
                double loader = loader(openSearch.httpUri(), s3, docs, bytes, concurrency, loaderHeap, lambdaJvm, client, rows);
                double ceiling2 = ceiling(client, bodies, concurrency, rows);
                double ceilingMean = (ceiling1 + ceiling2) / 2;
                System.out.printf("%n== result: loader %,.0f docs/s; raw _bulk ceiling %,.0f / %,.0f docs/s (mean %,.0f); "
                        + "ratio %.2f%n", loader, ceiling1, ceiling2, ceilingMean, loader / ceilingMean);
            }
        } finally {
            Files.deleteIfExists(bodies);
        }
    }

    private static long decodeAndParse(Path file) throws IOException {
        long n = 0;
        try (InputStream in = Files.newInputStream(file);
             RecordReader reader = RecordReaders.open(Decompression.open(in))) {
            SourceRecord r;
            while ((r = reader.next()) != null) {
                if (r.kind() == SourceRecord.Kind.DOCUMENT) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * The ceiling's bodies: the same records, ids, provenance fields and batch limits as the loader, into the
     * "ceiling" prefix.
     */
    private static long serialize(Path file, Path bodies, int docs, int bytes) throws IOException {
        long n = 0;
        try (InputStream in = Files.newInputStream(file);
             RecordReader reader = RecordReaders.open(Decompression.open(in));
             DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(bodies), 1 << 20));
             OpenSearchBulkIndexer recorder = new OpenSearchBulkIndexer(LoadCeiling.recorder(out), docs, bytes, 1,
                     Backoff.standard(1))) {
            IndexingSession session = recorder.start(KEY, "0123456789abcdef0123456789abcdef", (p, l, d, r) -> { });
            SourceRecord r;
            while ((r = reader.next()) != null) {
                if (r.kind() == SourceRecord.Kind.DOCUMENT) {
                    long ts = FieldValues.parseTimestamp(String.valueOf(r.document().get(Fields.TIMESTAMP)));
                    session.add(IndexNames.daily("ceiling", ts), DocumentIds.of(BUCKET, KEY, r.position()),
                            r.position(), r.line(), r.document());
                    n++;
                }
            }
            IndexingResult result = session.finish();
            if (result.failed()) {
                throw new IllegalStateException(result.failure());
            }
        }
        return n;
    }

    /** A fresh node indexes slowly until its JIT is warm: post a fifth of the bodies once, untimed, and drop them. */
    private static void warmUp(OpenSearchGenericClient client, Path bodies, int concurrency) throws Exception {
        long t = System.nanoTime();
        long n;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(bodies), 1 << 20))) {
            n = LoadCeiling.post(in, new OpenSearchBulkTransport(client), concurrency, 40);
        }
        System.out.printf("warm-up (untimed for the result): %,d docs in %.2f s%n", n, seconds(t));
        request(client, "DELETE", "/ceiling-*", null);
    }

    private static double ceiling(OpenSearchGenericClient client, Path bodies, int concurrency, long rows)
            throws Exception {
        request(client, "DELETE", "/ceiling-*", null);
        long t = System.nanoTime();
        long n;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(bodies), 1 << 20))) {
            n = LoadCeiling.post(in, new OpenSearchBulkTransport(client), concurrency, Integer.MAX_VALUE);
        }
        double s = seconds(t);
        long counted = count(client, "ceiling-*");
        System.out.printf("raw _bulk ceiling: %,d docs in %.2f s = %,.0f docs/s (index count %,d)%n", n, s, n / s, counted);
        if (counted != rows) {
            System.out.println("  WARNING: ceiling index holds " + counted + " documents, expected " + rows);
        }
        request(client, "DELETE", "/ceiling-*", null);
        return n / s;
    }

    private static double loader(URI openSearch, EmbeddedS3 s3, int docs, int bytes, int concurrency, String heap,
                                 boolean lambdaJvm,
                                 OpenSearchGenericClient client, long rows) throws Exception {
        request(client, "DELETE", "/metadata-*", null);
        ProcessBuilder pb = loaderJvm(openSearch, s3, docs, bytes, concurrency, heap, lambdaJvm, List.of(),
                "--child-load", BUCKET, KEY);
        Process process = pb.start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(LoadBenchmarkLoader.RESULT)) {
                    result = line;
                } else if (line.contains("\"message\":\"load")) {
                    System.out.println("  loader log: " + line);
                }
            }
        }
        int exit = process.waitFor();
        if (result == null || exit != 0) {
            throw new IllegalStateException("the loader JVM failed (exit " + exit + ")");
        }
        long loadMs = Long.parseLong(result.replaceAll(".*load_ms=(\\d+).*", "$1"));
        long counted = count(client, "metadata-*");
        double rate = counted * 1000.0 / loadMs;
        System.out.println("loader (-Xmx" + heap + "): " + result.substring(LoadBenchmarkLoader.RESULT.length() + 1));
        System.out.printf("loader end-to-end (S3 GET → gunzip → parse → _bulk): %,d docs in %.2f s = %,.0f docs/s%n",
                counted, loadMs / 1000.0, rate);
        if (counted != rows) {
            System.out.println("  WARNING: index holds " + counted + " documents, expected " + rows);
        }
        request(client, "DELETE", "/metadata-*", null);
        return rate;
    }

    /**
     * The loader's child JVM (Lambda's JVM options unless {@code lambdaJvm} is false, {@code jvmOptions} after them)
     * with the load function's environment pointing at the embedded servers.
     */
    static ProcessBuilder loaderJvm(URI openSearch, EmbeddedS3 s3, int docs, int bytes, int concurrency, String heap,
                                    boolean lambdaJvm, List<String> jvmOptions, String... mainArgs) {
        List<String> command = lambdaJvm ? LambdaJvm.command(List.of())
                : new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Xmx" + heap, "-cp", System.getProperty("java.class.path"),
                LoadBenchmark.class.getName()));
        command.addAll(List.of(mainArgs));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("OPENSEARCH_URL", openSearch.toString());
        env.put("OPENSEARCH_AUTH", "none");
        env.put("AWS_ENDPOINT_URL_S3", s3.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", s3.accessKey());
        env.put("AWS_SECRET_ACCESS_KEY", s3.secretKey());
        env.put("AWS_REGION", s3.region());
        env.put("INDEX_PREFIX", "metadata");
        env.put("BULK_MAX_DOCS", String.valueOf(docs));
        env.put("BULK_MAX_BYTES", String.valueOf(bytes));
        env.put("BULK_CONCURRENCY", String.valueOf(concurrency));
        env.remove("CONTINUATION_FUNCTION_NAME");
        return pb;
    }

    private static void upload(EmbeddedS3 s3, Path file) {
        try (S3Client client = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.of(s3.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
                .build()) {
            client.createBucket(b -> b.bucket(BUCKET));
            client.putObject(b -> b.bucket(BUCKET).key(KEY), RequestBody.fromFile(file));
        }
    }

    static long count(OpenSearchGenericClient client, String pattern) throws IOException {
        request(client, "POST", "/" + pattern + "/_refresh", null);
        String body = request(client, "GET", "/" + pattern + "/_count", null);
        return Long.parseLong(body.replaceAll(".*\"count\"\\s*:\\s*(\\d+).*", "$1"));
    }

    static String request(OpenSearchGenericClient client, String method, String path, String json)
            throws IOException {
        try (Response r = client.execute(Requests.create(method, path, List.of(), Map.of(),
                json == null ? null : Body.from(json.getBytes(StandardCharsets.UTF_8), "application/json")))) {
            return r.getBody().map(Body::bodyAsString).orElse("");
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String machine() {
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        } catch (IOException ignored) {
            // not Linux
        }
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.version");
    }
}
