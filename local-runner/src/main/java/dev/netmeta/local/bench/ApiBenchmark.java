package dev.netmeta.local.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.api.ApiHandler;
import dev.netmeta.local.server.EmbeddedOpenSearch;
import dev.netmeta.model.Fields;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;

/**
 * The api benchmark: handler latency vs. the same search sent straight to OpenSearch, and the cold start of the
 * shaded api jar in fresh JVMs.
 *
 * <p>Usage: {@code java -cp local-runner/target/local-runner.jar dev.netmeta.local.bench.ApiBenchmark
 * [--docs 100000] [--iterations 1000] [--warmup 300] [--cold-runs 5] [--api-jar api-function/target/api-function.jar]}
 */
public final class ApiBenchmark {

    private static final String PREFIX = "apibench";
    private static final String SEARCH_PARAMS =
            "ignore_unavailable=true&allow_no_indices=true&allow_partial_search_results=false";

    /** One representative query: the API parameters and the equivalent raw OpenSearch request body. */
    private record BenchQuery(String name, Map<String, String> params, String directBody) {
    }

    private ApiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int docs = Integer.parseInt(opts.getOrDefault("docs", "100000"));
        int iterations = Integer.parseInt(opts.getOrDefault("iterations", "1000"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "300"));
        int coldRuns = Integer.parseInt(opts.getOrDefault("cold-runs", "5"));
        Path apiJar = Paths.get(opts.getOrDefault("api-jar", "api-function/target/api-function.jar"));
        PrintStream out = System.out;

        Path dataDir = Files.createTempDirectory("netmeta-apibench");
        try (EmbeddedOpenSearch openSearch = EmbeddedOpenSearch.start(dataDir)) {
            URI uri = openSearch.httpUri();
            long indexStart = System.nanoTime();
            new ApiBenchData(uri).index(PREFIX, docs);
            out.printf(Locale.ROOT, "indexed %d docs in %.1f s%n", docs, (System.nanoTime() - indexStart) / 1e9);

            List<String> report = new ArrayList<>();
            report.add(machine());
            report.add(String.format(Locale.ROOT, "data: %d synthetic flow records in 7 daily indices, force-merged;"
                    + " %d measured iterations per query and side (interleaved) after %d warm-up rounds of every query",
                    docs, iterations, warmup));
            report.add("");
            report.add("| query | handler p50 ms | handler p99 ms | direct p50 ms | direct p99 ms | p50 ratio |");
            report.add("| --- | ---: | ---: | ---: | ---: | ---: |");
            // The handler writes one JSON log line per request (as on Lambda); here it goes to a null stream so
            // the benchmark's own output stays readable. The line is still built and written.
            PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
            System.setOut(quiet);
            ApiHandler handler = new ApiHandler(Map.of("OPENSEARCH_URL", uri.toString(), "INDEX_PREFIX", PREFIX));
            System.setOut(out);
            OpenSearchGenericClient direct = new OpenSearchClient(ApacheHttpClient5TransportBuilder
                    .builder(new HttpHost(uri.getScheme(), uri.getHost(), uri.getPort()))
                    .setMapper(new JacksonJsonpMapper()).build()).generic();
            for (BenchQuery q : queries()) {
                checkSameHits(handler, direct, q);
            }
            // Warm every query first, so the first measured query does not pay the JIT's work for all of them.
            for (BenchQuery q : queries()) {
                measure(handler, direct, q, warmup, 0);
            }
            for (BenchQuery q : queries()) {
                double[][] t = measure(handler, direct, q, warmup / 3, iterations);
                double hp50 = percentile(t[0], 50);
                double dp50 = percentile(t[1], 50);
                report.add(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f | %.3f |", q.name(), hp50,
                        percentile(t[0], 99), dp50, percentile(t[1], 99), hp50 / dp50));
                out.println(report.get(report.size() - 1));
            }
            report.add("");
            report.addAll(coldStarts(apiJar, uri, coldRuns, out));
            out.println();
            out.println("---- api benchmark ----");
            report.forEach(out::println);
        } finally {
            deleteRecursively(dataDir);
        }
        System.exit(0);
    }

    private static List<BenchQuery> queries() {
        // The handler's sort: the default key (timestamp desc), then the provenance tiebreaker it appends to every
        // search (OpenSearchSearchBackend.TIEBREAKER), missing values last, unmapped indices typed like the mapping.
        String tiebreak = "\":{\"missing\":\"_last\",\"order\":\"asc\",\"unmapped_type\":";
        String sort = "\"sort\":[{\"timestamp\":{\"order\":\"desc\",\"unmapped_type\":\"date\"}},"
                + "{\"" + Fields.SOURCE_FILE + tiebreak + "\"keyword\"}},"
                + "{\"" + Fields.SOURCE_RECORD + tiebreak + "\"long\"}}]";
        String qs = "\"default_field\":\"host\",\"default_operator\":\"or\",\"allow_leading_wildcard\":false,"
                + "\"lenient\":false,\"analyze_wildcard\":false,\"max_determinized_states\":10000";
        List<BenchQuery> list = new ArrayList<>();
        list.add(new BenchQuery("fixture `srcIp:127.0.0.1 AND host:google.com`, size 50",
                Map.of("q", "srcIp:127.0.0.1 AND host:google.com"),
                "{\"size\":51,\"timeout\":\"10000ms\",\"query\":{\"query_string\":{\"query\":"
                        + "\"srcIp:127.0.0.1 AND host:google.com\"," + qs + "}}," + sort + "}"));
        list.add(new BenchQuery("CIDR + port range, size 50", Map.of("q", "srcIp:10.0.0.0/8 AND dstPort:[0 TO 1023]"),
                "{\"size\":51,\"timeout\":\"10000ms\",\"query\":{\"query_string\":{\"query\":"
                        + "\"srcIp:\\\"10.0.0.0/8\\\" AND dstPort:[0 TO 1023]\"," + qs + "}}," + sort + "}"));
        list.add(new BenchQuery("one day, all documents, size 50",
                Map.of("from", "2018-05-10T00:00:00Z", "to", "2018-05-11T00:00:00Z"),
                "{\"size\":51,\"timeout\":\"10000ms\",\"query\":{\"bool\":{\"must\":[{\"match_all\":{}}],\"filter\":["
                        + "{\"range\":{\"timestamp\":{\"format\":\"epoch_millis\",\"gte\":1525910400000,"
                        + "\"lt\":1525996800000}}}]}}," + sort + "}"));
        list.add(new BenchQuery("wildcard `host:mail.goo*`, size 1000", Map.of("q", "host:mail.goo*", "size", "1000"),
                "{\"size\":1001,\"timeout\":\"10000ms\",\"query\":{\"query_string\":{\"query\":\"host:mail.goo*\","
                        + qs + "}}," + sort + "}"));
        return list;
    }

    private static double[][] measure(ApiHandler handler, OpenSearchGenericClient direct, BenchQuery q, int warmup,
                                      int iterations) throws IOException {
        double[] h = new double[iterations];
        double[] d = new double[iterations];
        String endpoint = "/" + PREFIX + "-*/_search?" + SEARCH_PARAMS;
        for (int i = -warmup; i < iterations; i++) {
            boolean handlerFirst = (i & 1) == 0;
            for (int side = 0; side < 2; side++) {
                boolean runHandler = (side == 0) == handlerFirst;
                long t0 = System.nanoTime();
                if (runHandler) {
                    APIGatewayProxyResponseEvent r = handler.handleRequest(event(q.params()), null);
                    if (r.getStatusCode() != 200 || r.getBody().isEmpty()) {
                        throw new IllegalStateException(q.name() + ": handler answered " + r.getStatusCode() + " "
                                + r.getBody());
                    }
                } else {
                    try (Response r = direct.execute(Requests.builder().method("POST").endpoint(endpoint)
                            .json(q.directBody()).build())) {
                        String body = r.getBody().map(b -> b.bodyAsString()).orElse("");
                        if (r.getStatus() != 200 || body.isEmpty()) {
                            throw new IllegalStateException(q.name() + ": OpenSearch answered " + r.getStatus() + " "
                                    + body);
                        }
                    }
                }
                long elapsed = System.nanoTime() - t0;
                if (i >= 0) {
                    (runHandler ? h : d)[i] = elapsed / 1e6;
                }
            }
        }
        return new double[][] {h, d};
    }

    /** The ratio only means something if both sides do the same work: same hits, in the same order. */
    private static void checkSameHits(ApiHandler handler, OpenSearchGenericClient direct, BenchQuery q)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> viaHandler = new ArrayList<>();
        json.readTree(handler.handleRequest(event(q.params()), null).getBody()).path("hits")
                .forEach(h -> viaHandler.add(h.path("id").asText()));
        List<String> viaDirect = new ArrayList<>();
        try (Response r = direct.execute(Requests.builder().method("POST")
                .endpoint("/" + PREFIX + "-*/_search?" + SEARCH_PARAMS).json(q.directBody()).build())) {
            json.readTree(r.getBody().map(b -> b.bodyAsString()).orElse("{}")).path("hits").path("hits")
                    .forEach(h -> viaDirect.add(h.path("_id").asText()));
        }
        // the handler fetches one hit more than it returns (to know whether there is a next page)
        int extra = viaDirect.size() - viaHandler.size();
        if (viaHandler.isEmpty() || extra < 0 || extra > 1
                || !viaDirect.subList(0, viaHandler.size()).equals(viaHandler)) {
            throw new IllegalStateException(q.name() + ": the direct request does not return the handler's hits ("
                    + viaHandler.size() + " via the handler, " + viaDirect.size() + " direct)");
        }
    }

    private static APIGatewayProxyRequestEvent event(Map<String, String> params) {
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/metadata/search")
                .withResource("/metadata/search").withQueryStringParameters(params)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("bench"));
    }

    /** Starts fresh JVMs on the shaded api jar alone and reads the timings {@link ApiColdStart} prints. */
    private static List<String> coldStarts(Path apiJar, URI uri, int runs, PrintStream out) throws Exception {
        List<String> lines = new ArrayList<>();
        if (!Files.isRegularFile(apiJar)) {
            lines.add("cold start: skipped, " + apiJar + " not found (build with ./mvnw -DskipTests package)");
            return lines;
        }
        Path classes = Files.createTempDirectory("netmeta-coldstart");
        Path classFile = classes.resolve("dev/netmeta/local/bench/ApiColdStart.class");
        Files.createDirectories(classFile.getParent());
        try (InputStream in = ApiColdStart.class.getResourceAsStream("ApiColdStart.class")) {
            Files.copy(in, classFile);
        }
        Map<String, List<double[]>> byMode = new LinkedHashMap<>();
        Pattern number = Pattern.compile("\"(\\w+)\":(-?[0-9.]+)");
        for (int run = 0; run < runs; run++) {
            for (String mode : List.of("plain", "primed")) {
                ProcessBuilder pb = new ProcessBuilder(LambdaJvm.command(List.of(
                        "-Xmx512m", "-cp", apiJar.toAbsolutePath() + File.pathSeparator + classes,
                        ApiColdStart.class.getName(), uri.toString(), PREFIX, mode))).redirectOutput(
                        ProcessBuilder.Redirect.DISCARD);
                long started = System.currentTimeMillis();
                Process p = pb.start();
                String line = null;
                try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l; (l = err.readLine()) != null; ) {
                        if (l.startsWith("COLDSTART ")) {
                            line = l;
                        }
                    }
                }
                p.waitFor();
                if (line == null) {
                    throw new IllegalStateException("cold start run printed no timings (exit " + p.exitValue() + ")");
                }
                Map<String, Double> v = new LinkedHashMap<>();
                Matcher m = number.matcher(line);
                while (m.find()) {
                    v.put(m.group(1), Double.parseDouble(m.group(2)));
                }
                if (v.get("status") != 200 || v.get("status2") != 200) {
                    throw new IllegalStateException("cold start run got an error response: " + line);
                }
                double wall = v.get("firstResponseEpochMs") - started;
                double fromJvmStart = 0; // ProcessHandle's start instant has only clock-tick precision: not used
                byMode.computeIfAbsent(mode, k -> new ArrayList<>()).add(new double[] {wall, fromJvmStart,
                    v.get("initMs"), v.get("primeMs"), v.get("firstRequestMs"), v.get("secondRequestMs")});
                out.println(line);
            }
        }
        deleteRecursively(classes);
        lines.add(String.format(Locale.ROOT, "cold start of `%s` (%.1f MB), fresh JVM per run (%s,"
                + " as Lambda's java21 runtime), medians of %d runs:", apiJar.getFileName(), String.join(" ", LambdaJvm.OPTIONS),
                Files.size(apiJar) / 1e6, runs));
        lines.add("");
        lines.add("| mode | process start → first response ms | handler init ms | priming ms | 1st request ms"
                + " | 2nd request ms |");
        lines.add("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, List<double[]>> e : byMode.entrySet()) {
            double[] med = new double[6];
            for (int c = 0; c < 6; c++) {
                double[] col = new double[e.getValue().size()];
                for (int r = 0; r < col.length; r++) {
                    col[r] = e.getValue().get(r)[c];
                }
                med[c] = percentile(col, 50);
            }
            lines.add(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.1f | %.1f |", e.getKey(), med[0],
                    med[2], med[3], med[4], med[5]));
        }
        return lines;
    }

    static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String machine() {
        String cpu = "unknown CPU";
        try {
            for (String l : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    cpu = l.substring(l.indexOf(':') + 1).strip();
                    break;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return String.format(Locale.ROOT, "machine: %s, %d cores, %s %s, Java %s; OpenSearch embedded in the"
                + " benchmark JVM", cpu, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }
}
