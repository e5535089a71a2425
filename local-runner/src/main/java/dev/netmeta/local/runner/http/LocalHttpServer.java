package dev.netmeta.local.runner.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.netmeta.local.runner.events.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's one HTTP port on 127.0.0.1: the API Gateway routes of the manifest, the Lambda Invoke API the
 * functions call through {@code AWS_ENDPOINT_URL_LAMBDA}, and the local control endpoints
 * ({@code POST /_local/sync}, {@code POST /_local/load?key=…}, {@code GET /_local/status}, {@code GET /_local/health}).
 * The port is bound first (so the functions' environment can name it); routes are attached once the functions exist.
 *
 * <p>Only this machine's clients are served: a request whose {@code Host} is not a loopback name
 * ({@code 127.0.0.1}, {@code localhost}, {@code [::1]}, any port) or whose {@code Origin} — sent by browsers — is not
 * a loopback origin is answered 403 and reaches nothing. Binding to 127.0.0.1 alone does not keep web pages out: the
 * developer's browser runs on this machine, no API key is enforced here, and the manifest's api answers
 * {@code Access-Control-Allow-Origin: *}, so any page could read the index with {@code fetch}, POST
 * {@code /_local/sync} or invoke a function (CSRF), or reach the port under its own host name re-bound to 127.0.0.1
 * (DNS rebinding). Pages served from this machine ({@code http://localhost:5173}) stay allowed.
 *
 * <p>Before that, a request whose request line does not end in {@code HTTP/<digit>.<digit>} after the URL — a space in
 * the URL that was not percent-encoded, which the JDK server would cut the URL at — is answered 400 with a JSON
 * {@code message} and reaches nothing ({@link RequestLine}).
 */
public final class LocalHttpServer implements AutoCloseable {

    static {
        // The JDK server writes a response's head and body separately; with Nagle's algorithm on, the body waits for
        // the client's delayed ACK (≈ 40 ms per request with Java's HttpClient on Linux). The JDK reads this property
        // once, when the first server of the JVM starts; a value set on the command line is left alone.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private volatile ApiGatewayProxy api;
    private volatile LambdaInvokeApi lambda;
    private volatile LocalControl control;
    private final boolean anyOrigin;

    /** Serves only this machine's clients and pages (see the class comment). */
    public LocalHttpServer(int port) throws IOException {
        this(port, false);
    }

    /**
     * @param anyOrigin serve requests of any {@code Origin} too (tests of the API Gateway CORS emulation with pages
     *                  of other origins); the {@code Host} must still be a loopback name
     */
    LocalHttpServer(int port, boolean anyOrigin) throws IOException {
        this.anyOrigin = anyOrigin;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Whether a request line with an unencoded space in its URL is refused: it needs the raw request line, read from the
     * JDK server's internals, which {@code java -jar} opens to the runner ({@link RequestLine}).
     */
    public static boolean refusesUnencodedSpaces() {
        return RequestLine.readable();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public void attach(ApiGatewayProxy api, LambdaInvokeApi lambda, LocalControl control) {
        this.api = api;
        this.lambda = lambda;
        this.control = control;
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try {
            String badLine = RequestLine.refusal(RequestLine.protocol(exchange));
            if (badLine != null) {
                Exchanges.json(exchange, 400, Json.MAPPER.createObjectNode().put("message", badLine).toString());
                return;
            }
            String refused = refusal(exchange.getRequestHeaders().getFirst("Host"),
                    anyOrigin ? null : exchange.getRequestHeaders().getFirst("Origin"), port());
            if (refused != null) {
                Exchanges.json(exchange, 403, Json.MAPPER.createObjectNode().put("message", refused).toString());
                return;
            }
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/_local/")) {
                local(exchange, path);
            } else if (path.startsWith(LambdaInvokeApi.PREFIX)) {
                if (lambda == null) {
                    Exchanges.json(exchange, 503, "{\"message\":\"the functions are starting\"}");
                } else {
                    lambda.handle(exchange);
                }
            } else if (api == null) {
                Exchanges.json(exchange, 503, "{\"message\":\"the local runner is starting\"}");
            } else {
                api.handle(exchange);
            }
        } catch (RuntimeException | IOException e) {
            ObjectNode doc = Json.MAPPER.createObjectNode().put("message", "local runner error: " + e);
            try {
                Exchanges.json(exchange, 500, doc.toString());
            } catch (IOException | RuntimeException ignored) {
                exchange.close();
            }
        }
    }

    /**
     * Why a request is not served (a loopback {@code Host}, and an {@code Origin}, if any, of this machine), or null.
     * No {@code Host} (HTTP/1.0) is served; the {@code Origin} {@code null} (a sandboxed frame, a file) is not.
     * The answer says what to do instead and names every form that is served.
     */
    static String refusal(String host, String origin, int port) {
        if (host != null && !isLoopbackName(withoutPort(host.strip()))) {
            return "the local runner serves only requests for this machine, not for host '" + host + "': call it as "
                    + "http://127.0.0.1:" + port + " or http://localhost:" + port + " (any 127.x.y.z and [::1] are "
                    + "served too)";
        }
        if (origin != null && !isLoopbackOrigin(origin.strip())) {
            return "the local runner serves no pages of other origins ('" + origin + "'): it enforces no API key. "
                    + "Call it from a page served from this machine (an http or https origin on localhost, 127.x.y.z "
                    + "or [::1], any port, e.g. http://localhost:5173), or with no Origin header, as curl and the SDKs "
                    + "send";
        }
        return null;
    }

    private static boolean isLoopbackOrigin(String origin) {
        int scheme = origin.indexOf("://");
        if (scheme < 0 || !(origin.startsWith("http://") || origin.startsWith("https://"))) {
            return false;
        }
        String authority = origin.substring(scheme + 3);
        return authority.indexOf('/') < 0 && authority.indexOf('@') < 0 && isLoopbackName(withoutPort(authority));
    }

    /** {@code host[:port]} or {@code [v6][:port]} without the port, lower-case. */
    private static String withoutPort(String authority) {
        String a = authority.toLowerCase(java.util.Locale.ROOT);
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return close < 0 ? a : a.substring(0, close + 1);
        }
        int colon = a.lastIndexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    private static boolean isLoopbackName(String host) {
        return host.equals("localhost") || host.equals("[::1]") || host.matches("127(?:\\.\\d{1,3}){3}");
    }

    private void local(HttpExchange exchange, String path) throws IOException {
        LocalControl c = control;
        String method = exchange.getRequestMethod();
        switch (path) {
            case "/_local/health" -> {
                // HEAD too, as health checkers send it; a POST or DELETE was answered 200 like a GET
                if (!"GET".equals(method) && !"HEAD".equals(method)) {
                    Exchanges.json(exchange, 405, "{\"message\":\"use GET\"}");
                    return;
                }
                boolean up = c != null && c.ready();
                Exchanges.json(exchange, up ? 200 : 503, "{\"status\":\"" + (up ? "up" : "starting") + "\"}");
            }
            case "/_local/status" -> {
                if (!"GET".equals(method)) {
                    Exchanges.json(exchange, 405, "{\"message\":\"use GET\"}");
                } else if (c == null) {
                    Exchanges.json(exchange, 503, "{\"message\":\"the local runner is starting\"}");
                } else {
                    Exchanges.json(exchange, 200, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(c.status()));
                }
            }
            case "/_local/sync" -> {
                if (!"POST".equals(method)) {
                    Exchanges.json(exchange, 405, "{\"message\":\"use POST\"}");
                } else if (c == null || !c.ready()) {
                    Exchanges.json(exchange, 503, "{\"message\":\"the local runner is starting\"}");
                } else {
                    LocalControl.SyncOutcome outcome = c.syncNow();
                    Exchanges.json(exchange, outcome.failed() ? 502 : 200, outcome.json());
                }
            }
            case "/_local/load" -> {
                String key = queryParameter(exchange.getRequestURI().getRawQuery(), "key");
                if (!"POST".equals(method)) {
                    Exchanges.json(exchange, 405, "{\"message\":\"use POST\"}");
                } else if (key == null || key.isEmpty()) {
                    Exchanges.json(exchange, 400, "{\"message\":\"name the object to load again: POST "
                            + "/_local/load?key=raw/x.csv.gz (its key in the bucket)\"}");
                } else if (c == null || !c.ready()) {
                    Exchanges.json(exchange, 503, "{\"message\":\"the local runner is starting\"}");
                } else {
                    LocalControl.LoadOutcome outcome = c.loadAgain(key);
                    Exchanges.json(exchange, outcome.status(), outcome.json());
                }
            }
            default -> Exchanges.json(exchange, 404, "{\"message\":\"unknown local endpoint; use POST /_local/sync, "
                    + "POST /_local/load?key=…, GET /_local/status, GET /_local/health\"}");
        }
    }

    /** The first value of {@code name} in a raw query string, URL-decoded; null when absent. */
    static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String n = eq < 0 ? pair : pair.substring(0, eq);
            if (java.net.URLDecoder.decode(n, java.nio.charset.StandardCharsets.UTF_8).equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1),
                        java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        if (api != null) {
            api.close();
        }
    }
}
