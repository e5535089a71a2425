package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export loop of docs/API.md ("To export everything, …"), run as written — only its {@code url=} line pointed at
 * this API behind a local HTTP front — with bash and curl. Users copy that loop: it stopped at a 413 hit_too_large
 * ({@code curl -f … || break}), although the 413's X-Next-Cursor pages past the one document too large for a response
 * (OversizedHitTest). It must go on past it, name it on stderr, keep one CSV header, and stop on any other error.
 */
class DocumentedExportLoopTest {

    /** 2018-05-10T00:00:00Z: after the loop's from=2018-05-09. */
    private static final long DAY = 1_525_910_400_000L;
    private static final String HUGE_HOST = "x" + "\u0001".repeat(999_900);

    private final ObjectMapper json = new ObjectMapper();
    private final InMemorySearchBackend backend = new InMemorySearchBackend();
    private final AtomicInteger failFromRequest = new AtomicInteger(Integer.MAX_VALUE);
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        SearchApi api = ApiFactory.create(backend, json, ApiSettings.from(Map.of("OPENSEARCH_URL", "http://127.0.0.1:9")),
                new PrintStream(new ByteArrayOutputStream()));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/metadata/search", exchange -> {
            Map<String, List<String>> params = new LinkedHashMap<>();
            String raw = exchange.getRequestURI().getRawQuery();
            for (String pair : raw == null ? new String[0] : raw.split("&")) {
                int eq = pair.indexOf('=');
                params.computeIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        k -> new ArrayList<>()).add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
                        StandardCharsets.UTF_8));
            }
            APIGatewayProxyResponseEvent r;
            if (requests.incrementAndGet() >= failFromRequest.get()) { // an engine overloaded from then on
                r = new APIGatewayProxyResponseEvent().withStatusCode(503).withHeaders(Map.of("Content-Type",
                        "application/json")).withBody("{\"error\":\"search_unavailable\",\"message\":\"busy\"}");
            } else {
                r = api.handle(new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/metadata/search")
                        .withMultiValueQueryStringParameters(params));
            }
            byte[] body = r.getBody().getBytes(StandardCharsets.UTF_8);
            r.getHeaders().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(r.getStatusCode(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private record Run(int exit, String file, String stderr) {
    }

    /** The loop of docs/API.md with its url= line pointed here, run in {@code dir}; {@code format}: csv or ndjson. */
    private Run runDocumentedLoop(String format) throws Exception {
        assumeTrue(new File("/bin/bash").canExecute() || new File("/usr/bin/bash").canExecute(), "bash");
        assumeTrue(runs("curl", "--version"), "curl");
        String doc = Files.readString(Path.of("..", "docs", "API.md"));
        int at = doc.indexOf("To export everything, follow the header");
        assertThat(at).as("the export loop in docs/API.md").isPositive();
        int start = doc.indexOf("```bash\n", at) + "```bash\n".length();
        String loop = doc.substring(start, doc.indexOf("```", start));
        assertThat(loop).contains("url='https://<api-id>").contains("export.csv");
        String script = loop.replaceFirst("url='[^']*'", "url='http://127.0.0.1:" + server.getAddress().getPort()
                + "/metadata/search'");
        if (format.equals("ndjson")) {
            script = script.replace("'format=csv'", "'format=ndjson'");
        }
        Process p = new ProcessBuilder("bash", "-c", script).directory(dir.toFile())
                .redirectError(dir.resolve("stderr.txt").toFile()).redirectOutput(dir.resolve("stdout.txt").toFile())
                .start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the loop ends").isTrue();
        Path export = dir.resolve("export.csv");
        return new Run(p.exitValue(), Files.exists(export) ? Files.readString(export) : "",
                Files.readString(dir.resolve("stderr.txt")));
    }

    /** Whether the command runs and exits 0 here (false when it is not installed: the loop needs curl itself). */
    private static boolean runs(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private void addRecords() {
        backend.add("newest", Map.of("timestamp", DAY + 4000, "srcIp", "10.0.0.1", "host", "a.example"));
        backend.add("newer", Map.of("timestamp", DAY + 3000, "srcIp", "10.0.0.2", "host", "b.example"));
        backend.add("huge", Map.of("timestamp", DAY + 2000, "srcIp", "10.0.0.3", "host", HUGE_HOST));
        backend.add("older", Map.of("timestamp", DAY + 1000, "srcIp", "10.0.0.4", "host", "c.example"));
        backend.add("oldest", Map.of("timestamp", DAY, "srcIp", "10.0.0.5", "host", "d.example"));
    }

    @Test
    void theCsvLoopGoesOnPastADocumentTooLargeForOneResponse() throws Exception {
        addRecords();
        Run run = runDocumentedLoop("csv");

        List<String> lines = run.file().lines().toList();
        assertThat(lines.get(0)).isEqualTo("_id,_index,timestamp,srcIp,dstIp,dstPort,host");
        assertThat(lines.subList(1, lines.size())).extracting(l -> l.split(",")[0])
                .containsExactly("newest", "newer", "older", "oldest");
        assertThat(run.stderr()).isEqualTo("skipped document huge in metadata-test: too large for one response\n");
        assertThat(requests.get()).as("200, 413, 200").isEqualTo(3);
    }

    @Test
    void theNdjsonLoopGoesOnPastItToo() throws Exception {
        addRecords();
        Run run = runDocumentedLoop("ndjson");

        assertThat(run.file().lines().map(l -> {
            try {
                return json.readTree(l).get("id").asText();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList()).containsExactly("newest", "newer", "older", "oldest");
        assertThat(run.stderr()).contains("skipped document huge in metadata-test");
    }

    /** The 413 answered the export's first response: the next one writes the header, so the file has one header. */
    @Test
    void aTooLargeFirstDocumentLeavesOneCsvHeader() throws Exception {
        backend.add("huge", Map.of("timestamp", DAY + 2000, "srcIp", "10.0.0.3", "host", HUGE_HOST));
        backend.add("older", Map.of("timestamp", DAY + 1000, "srcIp", "10.0.0.4", "host", "c.example"));
        Run run = runDocumentedLoop("csv");

        assertThat(run.file()).isEqualTo("_id,_index,timestamp,srcIp,dstIp,dstPort,host\r\n"
                + "older,metadata-test," + (DAY + 1000) + ",10.0.0.4,,,c.example\r\n");
        assertThat(run.stderr()).contains("skipped document huge");
    }

    /** Any other error stops the loop, says so on stderr and appends nothing of it. */
    @Test
    void anotherErrorStopsTheLoop() throws Exception {
        addRecords();
        failFromRequest.set(2);
        Run run = runDocumentedLoop("csv");

        assertThat(run.file().lines().toList()).hasSize(3); // header, newest, newer
        assertThat(run.stderr()).startsWith("export stopped: HTTP 503 {\"error\":\"search_unavailable\"");
        assertThat(requests.get()).isEqualTo(2);
    }
}
