package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.runner.http.ApiGatewayProxy;
import dev.netmeta.local.runner.http.LambdaInvokeApi;
import dev.netmeta.local.runner.http.LocalControl;
import dev.netmeta.local.runner.http.LocalHttpServer;
import dev.netmeta.local.runner.invoke.AsyncCallbacks;
import dev.netmeta.local.runner.invoke.AsyncInvoker;
import dev.netmeta.local.runner.invoke.ContextClock;
import dev.netmeta.local.runner.invoke.FunctionLog;
import dev.netmeta.local.runner.invoke.FunctionRegistry;
import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.invoke.LocalFunction;
import dev.netmeta.local.runner.manifest.FunctionDefinition;
import dev.netmeta.local.runner.manifest.HttpRoute;
import dev.netmeta.local.runner.manifest.ManifestReader;
import dev.netmeta.local.runner.manifest.RateExpression;
import dev.netmeta.local.runner.manifest.S3Trigger;
import dev.netmeta.local.runner.manifest.ScheduleTrigger;
import dev.netmeta.local.runner.manifest.ServerlessManifest;
import dev.netmeta.local.runner.samples.SampleData;
import dev.netmeta.local.runner.sync.SyncScheduler;
import dev.netmeta.local.runner.watch.BucketWatcher;
import dev.netmeta.local.runner.watch.DeliveryState;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The whole pipeline on one machine: servers, the manifest's functions, and their event sources — the schedule,
 * the bucket watcher standing in for S3 notifications, API Gateway, the Lambda Invoke API — behind one local port.
 * {@link #start} returns once everything is up (the ready line is printed); {@link #close} stops it cleanly.
 */
public final class LocalPipeline implements LocalControl, AutoCloseable {

    public static final String STAGE = "local";
    private static final long POLL_MILLIS = 1_000;
    private static final long RETRY_DELAY_MILLIS = 2_000;
    /** Said beside the embedded servers' keys in the status. */
    private static final String LOCAL_KEYS_NOTE = "fixed keys of the embedded server, the same on every machine, for "
            + "clients on this machine (it listens on 127.0.0.1 only): not secrets";

    private final long startedAt = System.currentTimeMillis();
    private final RunnerOptions options;
    private final Progress progress;
    private final ContextClock contextClock;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private LocalHttpServer http;
    private Backends backends;
    private S3Client s3;
    private ServerlessManifest manifest;
    private FunctionRegistry functions;
    private AsyncInvoker async;
    private volatile BucketWatcher watcher;
    private SyncScheduler scheduler;
    /** The schedules of the scheduled functions after the sync (the index retention), each at its own rate. */
    private final List<OtherSchedule> otherSchedules = new ArrayList<>();
    private ScheduledExecutorService poller;
    private String bucket;
    private volatile boolean ready;
    private volatile boolean scheduleRunsAtStart;
    private String scheduleDescription;
    private volatile boolean closed;
    /** The start got as far as the ready line: only then does stopping print a run summary. */
    private volatile boolean started;
    private final AtomicLong lastPollStarted = new AtomicLong();
    private final AtomicLong lastSyncFinished = new AtomicLong();
    private volatile String watcherError;
    private PrintStream originalOut;
    private PrintStream originalErr;

    private LocalPipeline(RunnerOptions options, PrintStream console, ContextClock contextClock) {
        this.options = options;
        this.progress = new Progress(console);
        this.contextClock = contextClock;
    }

    /** Starts everything; on failure, stops what was started and rethrows with a message saying what failed. */
    public static LocalPipeline start(RunnerOptions options, PrintStream console, Map<String, String> processEnv) {
        return start(options, console, processEnv, ContextClock.WALL);
    }

    /**
     * As {@link #start(RunnerOptions, PrintStream, Map)}, with the clock the functions' {@code Context} reads its
     * remaining time from — for tests that need a function to run out of time after a known amount of work.
     */
    static LocalPipeline start(RunnerOptions options, PrintStream console, Map<String, String> processEnv,
                               ContextClock contextClock) {
        LocalPipeline pipeline = new LocalPipeline(options, console, contextClock);
        try {
            pipeline.startAll(processEnv);
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.close();
            throw e;
        } catch (IOException e) {
            pipeline.close();
            // The runner's own IOExceptions say what is wrong in words; "could not start: java.io.IOException: the
            // data directory … is a file" read like a crash. The JDK's file exceptions need their name (a bare path).
            throw new UncheckedIOException(e.getClass() == IOException.class ? e.getMessage() : e.toString(), e);
        }
    }

    /**
     * Creates the data directory, when it does not exist yet, readable by this user only (rwx------ on POSIX file
     * systems): it holds the bucket's raw logs, the index, the state and the function logs, which may be real network
     * metadata — with the usual umask (022) every user of the machine could read them. An existing directory is left
     * as it is.
     */
    static void createPrivateDirectory(Path dir) throws IOException {
        createPrivateDirectory(dir, "the data directory", "--data-dir");
    }

    /**
     * As {@link #createPrivateDirectory(Path)}, for the directory {@code what} that {@code option} names: also a
     * {@code --ftp-root} the runner creates, which is to hold the same raw logs before they are synced.
     */
    static void createPrivateDirectory(Path dir, String what, String option) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir)) {
            throw new IOException(what + " " + dir.toAbsolutePath() + " is a file, not a directory;"
                    + " give " + option + " a directory (it is created when missing)");
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir);
            return;
        }
        try {
            Files.createDirectory(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // created meanwhile (by another runner, which the lock below then refuses): left as it is
        }
    }

    private void startAll(Map<String, String> processEnv) throws IOException {
        createPrivateDirectory(options.dataDir());
        resources.add(DataDirLock.acquire(options.dataDir())); // released last, with the other resources
        if (!options.defaultFtpRoot() && options.ftpUrl() == null) {
            createPrivateDirectory(options.ftpRoot(), "the FTP root", "--ftp-root");
        }
        Path manifestFile = options.manifest() != null ? options.manifest() : ManifestLocator.find();
        manifest = new ManifestReader(STAGE, "us-east-1", processEnv).read(manifestFile);
        progress.line("netmeta local: " + ReadyBanner.describe(manifest, options.syncRate()) + " (from " + manifestFile + ")");
        checkHandlers(manifestFile);
        try {
            http = new LocalHttpServer(options.port());
        } catch (BindException e) {
            throw new IllegalStateException("port " + options.port() + " is in use: stop what listens there or choose "
                    + "another with --port (NETMETA_PORT)", e);
        }
        if (!LocalHttpServer.refusesUnencodedSpaces()) {
            progress.line("note: a URL with an unencoded space is not refused here (its request line cannot be read):"
                    + " start the runner with java -jar, or add --add-opens jdk.httpserver/sun.net.httpserver=ALL-UNNAMED");
        }
        seedSamples();
        quietConsole();
        backends = LocalServers.start(options, processEnv, progress);
        s3 = RunnerS3Client.create(backends.s3());
        bucket = localBucket();
        if (RunnerS3Client.ensureBucket(s3, bucket)) {
            progress.line("created bucket " + bucket);
        }
        async = new AsyncInvoker(RETRY_DELAY_MILLIS);
        functions = new FunctionRegistry();
        Path logs = options.dataDir().resolve("logs");
        for (FunctionDefinition definition : manifest.functions().values()) {
            String name = manifest.functionName(definition.key());
            FunctionEnvironment.Result env = FunctionEnvironment.build(definition, name, bucket, backends, http.baseUrl(),
                    processEnv, options.indexRetentionDays());
            env.unavailable().forEach(u -> progress.line("note: " + definition.key() + ": " + u
                    + " exists only in AWS and is not set locally"));
            FunctionLog log = new FunctionLog(logs, definition.key(), options.verbose() ? progress::line : null,
                    progress::line);
            resources.add(log);
            int concurrency = definition.reservedConcurrency() != null && definition.reservedConcurrency() > 0
                    ? Math.min(definition.reservedConcurrency(), 4) : 2;
            functions.add(new LocalFunction(definition, name, backends.s3().region(), env.environment(), concurrency, log,
                    contextClock));
        }
        List<ApiGatewayProxy.Route> routes = new ArrayList<>();
        for (LocalFunction f : functions.all()) {
            for (HttpRoute route : f.definition().httpRoutes()) {
                routes.add(new ApiGatewayProxy.Route(route, f));
            }
        }
        http.attach(new ApiGatewayProxy(routes, manifest.gatewayResponses(), STAGE),
                new LambdaInvokeApi(functions, async, backends.s3().region(),
                        (function, payload) -> watcher == null ? AsyncCallbacks.NONE : watcher.follow(function, payload)),
                this);
        // the samples are seeded only into the default FTP root: with --ftp-root or --ftp-url the data is the user's own
        String sampleQuery = ReadyBanner.sampleQuery(options.ftpUrl() == null && options.defaultFtpRoot()
                ? options.samples() : 0);
        progress.searchable(ReadyBanner.tryCommand(http.baseUrl(), routes, sampleQuery), http.baseUrl() + "/_local/status");
        startWatcher();
        startSchedule();
        ready = true;
        started = true;
        ReadyBanner.print(progress, backends, bucket, options.dataDir().resolve("logs"), http.baseUrl(),
                scheduleDescription, otherSchedules.stream().map(OtherSchedule::description).toList(), watcher,
                routes, System.currentTimeMillis() - startedAt, scheduleRunsAtStart && watcher != null,
                sampleQuery.equals("*") ? null // every document: whatever the retention keeps
                        : ReadyBanner.samplesPastRetention(otherSchedules.stream()
                        .map(OtherSchedule::retentionRunAtStart).filter(Objects::nonNull).findFirst().orElse(null),
                        options.samples(), LocalDate.now(ZoneOffset.UTC)), sampleQuery);
    }

    /** A handler string naming no usable class fails the start, before any server starts. */
    private void checkHandlers(Path manifestFile) {
        List<String> problems = new ArrayList<>();
        for (FunctionDefinition definition : manifest.functions().values()) {
            try {
                LocalFunction.checkHandler(definition);
            } catch (IllegalStateException e) {
                problems.add("function '" + definition.key() + "' (handler " + definition.handler() + "): " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(manifestFile + ":\n  " + String.join("\n  ", problems)
                    + "\n  (the functions are built with: ./mvnw -q -DskipTests package)");
        }
    }

    private void startWatcher() {
        LocalFunction target = manifest.s3Triggered().flatMap(d -> functions.byKey(d.key())).orElse(null);
        if (target == null) {
            return;
        }
        S3Trigger trigger = target.definition().s3Triggers().stream().filter(S3Trigger::onObjectCreated).findFirst()
                .orElse(target.definition().s3Triggers().get(0));
        String reportsPrefix = target.environment().getOrDefault("REPORTS_PREFIX", "reports/");
        DeliveryState state = DeliveryState.open(options.dataDir().resolve("state").resolve(bucket + ".json"));
        String continuationName = target.environment().get("CONTINUATION_FUNCTION_NAME");
        LocalFunction continuation = continuationName == null ? null : functions.find(continuationName).orElse(null);
        watcher = new BucketWatcher(s3, bucket, backends.s3().region(), trigger, target, continuation, async, state,
                reportsPrefix, progress);
        progress.deliveredBy(target.key(), trigger.describeRules());
        watcher.resumeUnfinished();
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bucket-watcher");
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollOnce, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void pollOnce() {
        long started = System.currentTimeMillis();
        try {
            // nothing runs or waits before the listing: this poll reads every load report written until now
            boolean quiet = async.pending() == 0 && functions.running() == 0;
            watcher.poll();
            lastPollStarted.set(started);
            if (quiet) {
                progress.loadsQuiet();
            }
            if (watcherError != null) {
                progress.line("bucket watcher: listing works again");
                watcherError = null;
            }
        } catch (RuntimeException e) {
            if (!closed && watcherError == null) {
                progress.line("bucket watcher: cannot list bucket " + bucket + ": " + e.getMessage() + " (retrying)");
            }
            watcherError = String.valueOf(e.getMessage());
        }
    }

    private void startSchedule() {
        FunctionDefinition definition = manifest.scheduled().orElse(null);
        if (definition == null) {
            return;
        }
        startSyncSchedule(definition);
        for (FunctionDefinition other : manifest.scheduledFunctions()) {
            if (other != definition) {
                otherSchedules.add(new OtherSchedule(functions.byKey(other.key()).orElseThrow(),
                        backends.s3().region(), RETRY_DELAY_MILLIS, progress));
            }
        }
    }

    /** The first scheduled function's schedule: the sync, with --sync-rate, POST /_local/sync and its console lines. */
    private void startSyncSchedule(FunctionDefinition definition) {
        ScheduleTrigger schedule = definition.schedules().get(0);
        RateExpression rate = options.syncRate() != null ? options.syncRate() : schedule.rate();
        if (!schedule.enabled() && options.syncRate() == null) {
            progress.line("note: the schedule of " + definition.key() + " is disabled in the manifest; POST /_local/sync runs it");
            rate = null;
        }
        Duration interval = rate == null ? null : rate.interval();
        LocalFunction function = functions.byKey(definition.key()).orElseThrow();
        String rawPrefix = function.environment().getOrDefault("RAW_PREFIX", "raw/"); // the sync's own default
        progress.syncMinAgeSeconds(function.environment().get("SYNC_MIN_AGE_SECONDS"));
        scheduler = new SyncScheduler(function, backends.s3().region(), schedule.input(), interval, RETRY_DELAY_MILLIS,
                (trigger, result) -> {
            progress.syncFinished(trigger, result, result.failed() ? List.of() : copiedDuring(rawPrefix, result),
                    key -> watcher != null && watcher.delivers(key));
            lastSyncFinished.set(System.currentTimeMillis());
        });
        if (schedule.enabled() || options.syncRate() != null) {
            scheduleRunsAtStart = true;
            scheduler.start();
            scheduleDescription = definition.key() + (rate == null ? " at start" : " now and every " + rate);
        } else {
            scheduleDescription = definition.key() + " only when asked (its schedule is disabled)";
        }
    }

    /** The objects under the sync's prefix written while the run went (S3 times have one-second precision). */
    private List<Progress.CopiedObject> copiedDuring(String prefix, InvocationResult result) {
        java.time.Instant since = java.time.Instant.now().minusMillis(result.durationMillis()).minusSeconds(1)
                .truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<Progress.CopiedObject> out = new ArrayList<>();
        try {
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> {
                if (!o.lastModified().isBefore(since)) {
                    out.add(new Progress.CopiedObject(o.key(), o.size()));
                }
            });
        } catch (RuntimeException e) {
            // the per-file lines are a courtesy; the summary line still comes
        }
        return out;
    }

    private void seedSamples() throws IOException {
        if (options.ftpUrl() != null || !options.defaultFtpRoot() || options.samples() == 0) {
            return;
        }
        Path root = options.effectiveFtpRoot();
        Files.createDirectories(root);
        try (Stream<Path> entries = Files.list(root)) {
            if (entries.findAny().isPresent()) {
                return;
            }
        }
        List<Path> written = SampleData.write(root, options.samples());
        progress.samplesSeeded(written.size());
        int stats = SampleData.statsEvents(written.size());
        progress.line("seeded " + written.size() + (written.size() == 1 ? " sample file (" : " sample files (")
                + SampleData.ROWS_PER_FILE * written.size()
                + " rows to index" + (stats == 0 ? "" : ", and " + stats + " Suricata stats events the load skips")
                + ") into " + root);
    }

    /** Third-party output (and what functions print) goes to {@code <data-dir>/logs/output.log} unless --verbose. */
    private void quietConsole() throws IOException {
        if (options.verbose()) {
            return;
        }
        Path logs = Files.createDirectories(options.dataDir().resolve("logs"));
        PrintStream file = new PrintStream(Files.newOutputStream(logs.resolve("output.log"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND), true, java.nio.charset.StandardCharsets.UTF_8);
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(file);
        System.setErr(file);
        resources.add(file);
    }

    private String localBucket() {
        return manifest.s3Triggered().flatMap(d -> d.s3Triggers().stream().map(S3Trigger::bucket)
                        .filter(b -> b != null && b.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")).findFirst())
                .orElse(manifest.service() + "-" + STAGE);
    }

    // ---- LocalControl ----

    @Override
    public SyncOutcome syncNow() {
        if (scheduler == null) {
            return new SyncOutcome(true, "{\"message\":\"the manifest has no scheduled function\"}");
        }
        InvocationResult result = scheduler.runNow();
        if (result == null) {
            return new SyncOutcome(true, "{\"message\":\"the local runner is shutting down\"}");
        }
        if (result.failed()) {
            ObjectNode error = Json.MAPPER.createObjectNode();
            error.put("errorType", result.errorType());
            error.put("errorMessage", result.errorMessage());
            return new SyncOutcome(true, error.toString());
        }
        return new SyncOutcome(false, result.payloadText());
    }

    @Override
    public LoadOutcome loadAgain(String key) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("key", key);
        if (watcher == null) {
            return new LoadOutcome(404, body.put("message", "the manifest has no S3-triggered function: nothing "
                    + "loads objects here").toString());
        }
        BucketWatcher.LoadAgainResult r;
        try {
            r = watcher.loadAgain(key);
        } catch (RuntimeException e) {
            return new LoadOutcome(502, body.put("message", "cannot read the object from the bucket " + bucket + ": "
                    + e.getMessage()).toString());
        }
        return switch (r.outcome()) {
            case NOT_IN_BUCKET -> new LoadOutcome(404, body.put("message", "the bucket " + bucket + " has no object "
                    + "'" + key + "' (keys are case-sensitive; GET /_local/status lists the delivered ones)").toString());
            case NOT_DELIVERED_BY_THE_RULES -> new LoadOutcome(400, body.put("message", "'" + key + "' is not "
                    + "delivered to " + watcher.describe().path("function").asText() + ": it does not match its s3 "
                    + "rules (" + watcher.describe().path("rules").asText() + ") or is a load report").toString());
            case RUNNING -> new LoadOutcome(409, RunningLoadRefusal.body(body, key, r.running()).toString());
            case DELIVERED -> {
                body.put("delivered", true);
                body.put("eTag", r.eTag());
                body.put("size", r.size());
                if (r.before() != null) {
                    body.put("previousState", stateName(r.before()));
                    if (r.before().failedForGood()) {
                        body.put("previousFailedForGood", true);
                    }
                }
                body.put("message", "delivered again to " + watcher.describe().path("function").asText()
                        + "; its outcome: the console's 'loaded' or 'FAILED' line for the key, or objects['" + key
                        + "'].state in GET " + http.baseUrl() + "/_local/status ('delivered' while it loads, then "
                        + "'loaded' or 'failed')");
                yield new LoadOutcome(202, body.toString());
            }
        };
    }

    @Override
    public JsonNode status() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("ready", ready);
        root.put("idle", idle());
        if (backends != null && backends.ftp() != null && backends.s3() != null && backends.openSearch() != null) {
            ObjectNode servers = root.putObject("servers");
            servers.put("openSearch", backends.openSearch().url().toString());
            servers.put("s3", backends.s3().endpoint().toString());
            servers.put("bucket", bucket);
            if (options.s3Endpoint() == null) {
                // the embedded server's fixed keys (an external endpoint's come from the environment: not shown)
                ObjectNode keys = servers.putObject("s3Credentials");
                keys.put("accessKeyId", backends.s3().accessKey());
                keys.put("secretAccessKey", backends.s3().secretKey());
                keys.put("region", backends.s3().region());
                keys.put("note", LOCAL_KEYS_NOTE);
            }
            ObjectNode ftp = servers.putObject("ftp");
            ftp.put("host", backends.ftp().host());
            ftp.put("port", backends.ftp().port());
            ftp.put("user", backends.ftp().user());
            if (options.ftpUrl() == null) {
                ftp.put("password", backends.ftp().password());
                ftp.put("note", LOCAL_KEYS_NOTE);
            }
            ftp.put("directory", backends.ftp().remoteDir());
        }
        ObjectNode sync = root.putObject("sync");
        sync.put("runs", progress.syncs());
        sync.put("running", scheduler != null && scheduler.busy());
        sync.put("retryWaiting", scheduler != null && scheduler.retrying());
        if (progress.lastSync() != null) {
            sync.set("last", progress.lastSync());
        }
        ObjectNode objects = root.putObject("objects");
        if (watcher != null) {
            root.set("watching", watcher.describe());
            watcher.stateSnapshot().forEach((key, e) -> {
                ObjectNode o = objects.putObject(key);
                o.put("state", stateName(e));
                o.put("size", e.size());
                o.put("eTag", e.eTag());
                o.put("deliveredAt", e.deliveredAt().toString());
                if (e.report() != null) {
                    o.set("report", e.report());
                }
                if (e.error() != null) {
                    o.put("error", e.error());
                }
                if (e.failedForGood()) {
                    o.put("failedForGood", true);
                }
            });
            var ignored = root.putArray("notMatchingRules");
            watcher.ignored().forEach(ignored::add);
            if (watcherError != null) {
                root.put("watcherError", watcherError);
            }
        }
        ObjectNode pending = root.putObject("invocations");
        pending.put("running", functions == null ? 0 : functions.running());
        pending.put("queuedEvents", async == null ? 0 : async.pending());
        var failures = root.putArray("failedEvents");
        if (async != null) {
            async.failures().forEach(failures::add);
        }
        if (scheduler != null) {
            scheduler.failures().forEach(failures::add);
        }
        if (!otherSchedules.isEmpty()) {
            ObjectNode scheduled = root.putObject("scheduled");
            for (OtherSchedule other : otherSchedules) {
                scheduled.set(other.key(), other.status());
                other.failures().forEach(failures::add);
            }
        }
        return root;
    }

    /**
     * The object's state as the status shows it: {@code loaded} only for a load that succeeded — a final report
     * with another status (a corrupt file, a FAILED load that is not retried) is {@code failed}, like a delivery
     * that failed every attempt.
     */
    static String stateName(DeliveryState.Entry e) {
        if (e.status() == DeliveryState.Status.LOADED && e.report() != null
                && !dev.netmeta.local.runner.watch.LoadReport.of(e.report()).succeeded()) {
            return "failed";
        }
        return e.status().name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Idle: the first scheduled run has finished (the sync's and every other scheduled function's), the bucket was listed after the last run finished, nothing is
     * running or queued, and every delivered object has its report (or failed for good).
     */
    public boolean idle() {
        if (!ready) {
            return false;
        }
        boolean syncDone = scheduler == null
                || (!scheduleRunsAtStart || progress.syncs() > 0) && !scheduler.busy() && !scheduler.retrying();
        boolean listedAfterSync = watcher == null || lastPollStarted.get() > lastSyncFinished.get();
        boolean othersSettled = otherSchedules.stream().allMatch(OtherSchedule::settled);
        return syncDone && othersSettled && listedAfterSync && (watcher == null || watcher.idle())
                && async.pending() == 0 && functions.running() == 0;
    }

    @Override
    public boolean ready() {
        return ready && !closed;
    }

    public int port() {
        return http.port();
    }

    public String baseUrl() {
        return http.baseUrl();
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ready = false;
        // no new deliveries; then the running invocations get their grace (new ones answer Runtime.Shutdown at
        // once; in its last 2 s their deadline is its end, so the load stops as at its own and saves its report)
        // before the threads that wait for them — the schedule's, the async queue's — are interrupted
        if (watcher != null) {
            watcher.stopping(); // an invocation cut off by the stop is never taken for a final failure
        }
        if (poller != null) {
            poller.shutdownNow();
        }
        if (functions != null) {
            functions.close(5_000);
        }
        if (watcher != null && s3 != null) {
            // a load that finished during the grace wrote its report: read it while S3 still runs
            try {
                if (poller != null) {
                    poller.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            watcher.readReportsAtStop();
        }
        if (scheduler != null) {
            scheduler.close();
        }
        otherSchedules.forEach(OtherSchedule::close);
        if (async != null) {
            async.close();
        }
        if (http != null) {
            http.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (backends != null) {
            backends.close();
        }
        if (originalOut != null) {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // best effort at shutdown
            }
        }
        if (started) { // a failed start says why (LocalRunner); a summary of a run that never began would precede it
            progress.summary(Duration.ofMillis(System.currentTimeMillis() - startedAt));
        }
    }
}
