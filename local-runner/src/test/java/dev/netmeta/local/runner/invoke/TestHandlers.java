package dev.netmeta.local.runner.invoke;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Small handlers written for the runner's own tests: they report what the runner gave them. */
public final class TestHandlers {

    public static final AtomicInteger INSTANCES = new AtomicInteger();
    /** Environment variable naming the {@link Sink} an {@link Echo} reports each finished invocation to. */
    public static final String SINK = "TEST_SINK";
    private static final Map<String, BlockingQueue<Map<String, Object>>> SINKS = new ConcurrentHashMap<>();

    private TestHandlers() {
    }

    /**
     * Where the {@link Echo} handlers of one test report what they answered: one per test, so tests share no state.
     * Give its {@link #id()} to the function as env {@link #SINK}; {@link #close()} forgets it.
     */
    public static final class Sink implements AutoCloseable {
        private final String id = UUID.randomUUID().toString();
        private final BlockingQueue<Map<String, Object>> seen = new LinkedBlockingQueue<>();

        public Sink() {
            SINKS.put(id, seen);
        }

        public String id() {
            return id;
        }

        /** The next invocation's answer, waiting for it at most {@code timeout}; null if none came. */
        public Map<String, Object> next(java.time.Duration timeout) throws InterruptedException {
            return seen.poll(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            SINKS.remove(id);
        }
    }

    /** Answers with its input, its environment's ENV_PROBE, the context it got, and which instance ran. */
    public static final class Echo implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        private final Map<String, String> env;
        private final int instance;

        public Echo(Map<String, String> env) {
            this.env = env;
            this.instance = INSTANCES.incrementAndGet();
        }

        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("input", input);
            out.put("probe", env.get("ENV_PROBE"));
            out.put("functionName", context.getFunctionName());
            out.put("requestId", context.getAwsRequestId());
            out.put("remaining", context.getRemainingTimeInMillis());
            out.put("instance", instance);
            context.getLogger().log("echo " + input);
            if (input != null && input.containsKey("sleepMillis")) {
                try {
                    Thread.sleep(((Number) input.get("sleepMillis")).longValue());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    out.put("interrupted", true);
                }
            }
            if (input != null && input.containsKey("fail")) {
                throw new IllegalStateException("asked to fail: " + input.get("fail"));
            }
            BlockingQueue<Map<String, Object>> sink = SINKS.get(String.valueOf(env.get(SINK)));
            if (sink != null) {
                sink.add(out);
            }
            return out;
        }
    }

    /** Fails its first {@code failTimes} invocations (counted over all instances), then answers {@code "ok"}. */
    public static final class FailsFirst implements RequestHandler<Map<String, Object>, String> {
        public static final AtomicInteger CALLS = new AtomicInteger();

        public FailsFirst(Map<String, String> env) {
        }

        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            int call = CALLS.incrementAndGet();
            if (call <= ((Number) input.get("failTimes")).intValue()) {
                throw new IllegalStateException("FTP server unreachable (call " + call + ")");
            }
            return "ok";
        }
    }

    /**
     * An API Gateway proxy handler: echoes method, path and query parameter q; status 418 for {@code q=boom}, fails
     * for {@code q=throw}, sleeps 60 s (or until interrupted) for {@code q=sleep} and 3 s before answering for
     * {@code q=slow}, and answers {@code q=held} once the test opens its id's latch in {@link #HELD} (30 s at most, or
     * until interrupted). {@link #CALLS} counts the calls per {@code id} query parameter.
     */
    public static final class Api implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {
        /** How many times the handler was called, per value of the request's {@code id} query parameter. */
        public static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
        /** The latch a {@code q=held} call waits for, per {@code id}: a function that answers when told. */
        public static final Map<String, CountDownLatch> HELD = new ConcurrentHashMap<>();

        /** The latch that lets the {@code q=held} call of {@code id} answer. */
        public static CountDownLatch held(String id) {
            return HELD.computeIfAbsent(id, k -> new CountDownLatch(1));
        }

        public Api(Map<String, String> env) {
        }

        @Override
        public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
            String q = event.getQueryStringParameters() == null ? null : event.getQueryStringParameters().get("q");
            String id = event.getQueryStringParameters() == null ? null : event.getQueryStringParameters().get("id");
            if (id != null) {
                CALLS.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            }
            if ("throw".equals(q)) {
                throw new IllegalStateException("asked to fail");
            }
            if ("held".equals(q)) {
                try {
                    held(id).await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if ("sleep".equals(q) || "slow".equals(q)) {
                try {
                    Thread.sleep("slow".equals(q) ? 3_000 : 60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new APIGatewayProxyResponseEvent()
                    .withStatusCode("boom".equals(q) ? 418 : 200)
                    .withHeaders(Map.of("Content-Type", "application/json", "X-Resource", event.getResource()))
                    .withBody("{\"method\":\"" + event.getHttpMethod() + "\",\"q\":\"" + q + "\",\"stage\":\""
                            + event.getRequestContext().getStage() + "\"}");
        }
    }

    /**
     * Waits for its env {@link #GATE}'s latch and ignores every interrupt meanwhile: a handler that does not stop at
     * its timeout. Reports to its {@link Sink} when it starts.
     */
    public static final class IgnoresInterrupts implements RequestHandler<Map<String, Object>, String> {
        public static final String GATE = "TEST_GATE";
        public static final Map<String, java.util.concurrent.CountDownLatch> GATES = new ConcurrentHashMap<>();
        private final Map<String, String> env;

        public IgnoresInterrupts(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            BlockingQueue<Map<String, Object>> sink = SINKS.get(String.valueOf(env.get(SINK)));
            if (sink != null) {
                sink.add(Map.of("started", context.getAwsRequestId()));
            }
            java.util.concurrent.CountDownLatch gate = GATES.get(env.get(GATE));
            boolean interrupted = false;
            while (true) {
                try {
                    gate.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // and on it goes
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return "done";
        }
    }

    /**
     * Watches its clock as the load function does: works (sleeps 20 ms at a time) until its {@code Context}'s remaining
     * time is below the input's {@code marginMillis}, then answers the remaining time it saw — or {@code interrupted}
     * when it was interrupted first.
     */
    public static final class WatchesItsClock implements RequestHandler<Map<String, Object>, Map<String, Object>> {

        public WatchesItsClock(Map<String, String> env) {
        }

        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            long margin = ((Number) input.get("marginMillis")).longValue();
            Map<String, Object> out = new LinkedHashMap<>();
            try {
                int remaining;
                while ((remaining = context.getRemainingTimeInMillis()) >= margin) {
                    Thread.sleep(20);
                }
                out.put("remaining", remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                out.put("interrupted", true);
            }
            return out;
        }
    }

    /** No environment constructor: what the runner must refuse with a clear message. */
    /** Refuses its environment when it is built, as the functions refuse a bad setting at start. */
    public static final class RefusesASetting implements RequestHandler<Map<String, Object>, String> {

        public RefusesASetting(Map<String, String> env) {
            throw new IllegalArgumentException("ENV_PROBE must be something else, got '" + env.get("ENV_PROBE") + "'");
        }

        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            return "never";
        }
    }

    public static final class NoEnvConstructor implements RequestHandler<Map<String, Object>, String> {
        @Override
        public String handleRequest(Map<String, Object> input, Context context) {
            return "x";
        }
    }

    /**
     * The real load function, held at its start until its env {@link #GATE}'s latch opens (an interrupt fails it):
     * a load that is running when the runner stops and finishes during the grace. Counts down {@link #STARTED}.
     */
    public static final class GatedLoad implements RequestHandler<com.amazonaws.services.lambda.runtime.events.S3Event, String> {
        public static final String GATE = "TEST_GATE";
        public static final Map<String, java.util.concurrent.CountDownLatch> GATES = new ConcurrentHashMap<>();
        public static final Map<String, java.util.concurrent.CountDownLatch> STARTED = new ConcurrentHashMap<>();
        private final Map<String, String> env;
        private final dev.netmeta.load.LoadHandler load;

        public GatedLoad(Map<String, String> env) {
            this.env = env;
            this.load = new dev.netmeta.load.LoadHandler(env);
        }

        @Override
        public String handleRequest(com.amazonaws.services.lambda.runtime.events.S3Event event, Context context) {
            STARTED.get(env.get(GATE)).countDown();
            try {
                GATES.get(env.get(GATE)).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the gate", e);
            }
            return load.handleRequest(event, context);
        }
    }
    /**
     * {@code loadContinue}'s handler held at a gate: it counts {@code STARTED} down, waits until its gate
     * ({@code GATES} under the value of {@code TEST_GATE}) opens, then runs the real continuation — or, interrupted
     * at the stop's end, fails without touching the file (its report stays the CONTINUING one of the load before).
     */
    public static final class GatedContinuation implements RequestHandler<dev.netmeta.load.LoadContinuation, String> {
        public static final Map<String, java.util.concurrent.CountDownLatch> GATES = new ConcurrentHashMap<>();
        public static final Map<String, java.util.concurrent.CountDownLatch> STARTED = new ConcurrentHashMap<>();
        private final Map<String, String> env;
        private final dev.netmeta.load.LoadContinuationHandler continuation;

        public GatedContinuation(Map<String, String> env) {
            this.env = env;
            this.continuation = new dev.netmeta.load.LoadContinuationHandler(env);
        }

        @Override
        public String handleRequest(dev.netmeta.load.LoadContinuation payload, Context context) {
            STARTED.get(env.get(GatedLoad.GATE)).countDown();
            try {
                GATES.get(env.get(GatedLoad.GATE)).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the gate", e);
            }
            return continuation.handleRequest(payload, context);
        }
    }

    /**
     * The real continuation function, except that its first invocation for a gate ({@code TEST_GATE}) runs with an
     * OpenSearch nobody listens on ({@code http://127.0.0.1:1}, one bulk attempt): it saves a FAILED report that Lambda
     * retries and throws, as a continuation does when OpenSearch is unavailable; the retry runs the real one.
     */
    public static final class FailingOnceContinuation
            implements RequestHandler<dev.netmeta.load.LoadContinuation, String> {
        public static final java.util.Set<String> FAILED = ConcurrentHashMap.newKeySet();
        private final String gate;
        private final dev.netmeta.load.LoadContinuationHandler broken;
        private final dev.netmeta.load.LoadContinuationHandler continuation;

        public FailingOnceContinuation(Map<String, String> env) {
            this.gate = env.get(GatedLoad.GATE);
            Map<String, String> unavailable = new LinkedHashMap<>(env);
            unavailable.put("OPENSEARCH_URL", "http://127.0.0.1:1");
            unavailable.put("BULK_MAX_ATTEMPTS", "1");
            this.broken = new dev.netmeta.load.LoadContinuationHandler(unavailable);
            this.continuation = new dev.netmeta.load.LoadContinuationHandler(env);
        }

        @Override
        public String handleRequest(dev.netmeta.load.LoadContinuation payload, Context context) {
            return FAILED.add(gate) ? broken.handleRequest(payload, context)
                    : continuation.handleRequest(payload, context);
        }
    }

    /**
     * A load stand-in held at the gate of {@link GatedLoad} (its {@code GATES} and {@code STARTED}): once let through it
     * saves, where the load function saves it, a SUCCEEDED report of the version its event names ({@code eTag}) with
     * the time it began ({@code startedAt}) and 100 rows — as a load that opened its version before the key was
     * replaced and finished later would — and indexes nothing.
     */
    public static final class GatedReport implements RequestHandler<com.amazonaws.services.lambda.runtime.events.S3Event, String> {
        public static final long ROWS = 100;
        private final Map<String, String> env;

        public GatedReport(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public String handleRequest(com.amazonaws.services.lambda.runtime.events.S3Event event, Context context) {
            java.time.Instant started = java.time.Instant.now();
            GatedLoad.STARTED.get(env.get(GatedLoad.GATE)).countDown();
            try {
                GatedLoad.GATES.get(env.get(GatedLoad.GATE)).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at the gate", e);
            }
            var s3 = event.getRecords().get(0).getS3();
            String key = s3.getObject().getUrlDecodedKey();
            String report = "{\"bucket\":\"" + s3.getBucket().getName() + "\",\"key\":\"" + key + "\",\"eTag\":\""
                    + s3.getObject().geteTag() + "\",\"status\":\"SUCCEEDED\",\"rowsRead\":" + ROWS + ",\"indexed\":"
                    + ROWS + ",\"rejected\":0,\"durationMs\":" + (System.currentTimeMillis() - started.toEpochMilli())
                    + ",\"startedAt\":\"" + started + "\"}";
            try (var client = software.amazon.awssdk.services.s3.S3Client.builder()
                    .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                    .endpointOverride(java.net.URI.create(env.get("AWS_ENDPOINT_URL_S3")))
                    .forcePathStyle(true)
                    .region(software.amazon.awssdk.regions.Region.of(env.get("AWS_REGION")))
                    .credentialsProvider(software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                            software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                                    env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"))))
                    .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                    .build()) {
                client.putObject(b -> b.bucket(s3.getBucket().getName())
                                .key(dev.netmeta.load.OutputKeys.report(env.get("REPORTS_PREFIX"), key)),
                        software.amazon.awssdk.core.sync.RequestBody.fromString(report));
            }
            return "s3://" + s3.getBucket().getName() + "/" + key + " SUCCEEDED";
        }
    }
}
