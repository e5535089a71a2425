package dev.netmeta.local.bench;

import dev.netmeta.local.server.EmbeddedOpenSearch;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
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

/**
 * The api benchmark: handler latency vs. the same search sent straight to OpenSearch ({@link ApiLatencyWorker}, in a
 * client JVM with Lambda's options, apart from the JVM that runs the embedded node), and the cold start of the shaded
 * api jar in fresh JVMs.
 *
 * <p>Usage: {@code java -cp local-runner/target/local-runner.jar dev.netmeta.local.bench.ApiBenchmark
 * [--docs 100000] [--iterations 1000] [--warmup 300] [--cold-runs 5] [--api-jar api-function/target/api-function.jar]}
 */
public final class ApiBenchmark {

    private static final String PREFIX = "apibench";

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
            // Both sides run in a client JVM of their own, with Lambda's JVM options, apart from the node's JVM:
            // as in AWS, where the function and the domain do not share a JVM (and here still share the two cores).
            report.addAll(latencies(uri, iterations, warmup, out));
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

    /** Runs {@link ApiLatencyWorker} in a JVM with Lambda's options; returns its table rows. */
    private static List<String> latencies(URI uri, int iterations, int warmup, PrintStream out) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(LambdaJvm.command(List.of("-Xmx512m", "-cp",
                System.getProperty("java.class.path"), ApiLatencyWorker.class.getName(), uri.toString(), PREFIX,
                Integer.toString(iterations), Integer.toString(warmup)))).redirectErrorStream(true);
        Process p = pb.start();
        List<String> rows = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                all.append(line).append('\n');
                if (line.startsWith("|")) {
                    rows.add(line);
                    out.println(line);
                }
            }
        }
        if (p.waitFor() != 0 || rows.isEmpty()) {
            throw new IllegalStateException("latency worker failed:\n" + all);
        }
        return rows;
    }

    /** Starts fresh JVMs on the shaded api jar alone and reads the timings {@link ApiColdStart} prints. */
    private static List<String> coldStarts(Path apiJar, URI uri, int runs, PrintStream out) throws Exception {
        List<String> lines = new ArrayList<>();
        if (!Files.isRegularFile(apiJar)) {
            lines.add("cold start: skipped, " + apiJar + " not found (build with ./mvnw -DskipTests package)");
            return lines;
        }
        Path classes = LambdaJvm.classDirWith(ApiColdStart.class);
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
                + " as Lambda's java21 runtime), medians of %d runs:", apiJar.getFileName(), Files.size(apiJar) / 1e6,
                String.join(" ", LambdaJvm.OPTIONS), runs));
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
                + " benchmark JVM, handler and direct client in a second JVM with Lambda's options (%s)", cpu, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), String.join(" ", LambdaJvm.OPTIONS));
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
