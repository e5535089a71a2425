package dev.netmeta.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The part of the AWS Lambda Runtime API that a runtime client uses, served on 127.0.0.1: the runtime long-polls
 * {@code GET /2018-06-01/runtime/invocation/next} for the next event (with the {@code Lambda-Runtime-*} headers) and
 * answers with {@code POST …/invocation/{id}/response} or {@code …/{id}/error}; a failing initialisation posts
 * {@code …/runtime/init/error}. {@link #invoke} queues one event and completes when the runtime has answered it.
 */
final class LambdaRuntimeApiStandIn implements AutoCloseable {

    private static final String PREFIX = "/2018-06-01/runtime/";
    private static final Pattern ANSWER = Pattern.compile(PREFIX + "invocation/([^/]+)/(response|error)");

    /** What the runtime posted for one invocation (or for its initialisation). */
    record Answer(String requestId, boolean error, String errorType, String body) {
    }

    private record Pending(String requestId, String event, long deadlineMs) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final String functionArn;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Answer>> answers = new ConcurrentHashMap<>();
    private final CompletableFuture<Answer> initError = new CompletableFuture<>();
    private volatile boolean closed;

    private LambdaRuntimeApiStandIn(HttpServer server, ExecutorService executor, String functionArn) {
        this.server = server;
        this.executor = executor;
        this.functionArn = functionArn;
    }

    static LambdaRuntimeApiStandIn start(String functionArn) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        LambdaRuntimeApiStandIn api = new LambdaRuntimeApiStandIn(server, executor, functionArn);
        server.createContext(PREFIX, api::handle);
        server.setExecutor(executor);
        server.start();
        return api;
    }

    /** The value for {@code AWS_LAMBDA_RUNTIME_API}. */
    String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an event; the future completes with the runtime's response or error (or its init error). */
    CompletableFuture<Answer> invoke(String eventJson, long timeoutMs) {
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        answers.put(requestId, answer);
        initError.thenAccept(answer::complete);
        queue.add(new Pending(requestId, eventJson, System.currentTimeMillis() + timeoutMs));
        return answer;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (method.equals("GET") && path.equals(PREFIX + "invocation/next")) {
                next(exchange);
                return;
            }
            String body = readBody(exchange);
            Matcher answer = ANSWER.matcher(path);
            if (method.equals("POST") && answer.matches()) {
                CompletableFuture<Answer> pending = answers.get(answer.group(1));
                if (pending == null) {
                    send(exchange, 400, "{\"errorMessage\":\"unknown request id\"}");
                    return;
                }
                boolean error = answer.group(2).equals("error");
                pending.complete(new Answer(answer.group(1), error, errorType(exchange), body));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else if (method.equals("POST") && path.equals(PREFIX + "init/error")) {
                initError.complete(new Answer("init", true, errorType(exchange), body));
                send(exchange, 202, "{\"status\":\"OK\"}");
            } else {
                send(exchange, 404, "{\"errorMessage\":\"not part of the Runtime API: " + method + " " + path + "\"}");
            }
        } finally {
            exchange.close();
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        Pending pending = null;
        try {
            while (pending == null && !closed) {
                pending = queue.poll(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pending == null) {
            send(exchange, 500, "{\"errorMessage\":\"runtime API shutting down\"}");
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", "application/json");
        headers.set("Lambda-Runtime-Aws-Request-Id", pending.requestId());
        headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(pending.deadlineMs()));
        headers.set("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        headers.set("Lambda-Runtime-Trace-Id",
                "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000) + "-"
                        + pending.requestId().replace("-", "").substring(0, 24) + ";Sampled=0");
        send(exchange, 200, pending.event());
    }

    private static String errorType(HttpExchange exchange) {
        String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        return type == null ? "" : type;
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        executor.shutdownNow();
    }
}
