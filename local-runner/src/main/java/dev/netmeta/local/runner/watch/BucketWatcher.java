package dev.netmeta.local.runner.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netmeta.load.LoadContinuation;
import dev.netmeta.load.OutputKeys;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.runner.events.S3EventJson;
import dev.netmeta.local.runner.invoke.AsyncCallbacks;
import dev.netmeta.local.runner.invoke.AsyncInvoker;
import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.invoke.LocalFunction;
import dev.netmeta.local.runner.manifest.S3Trigger;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * S3 notifications for a bucket that sends none: every poll lists the bucket (paginated {@code ListObjectsV2} over the
 * trigger's prefix), and each object that matches the manifest's rules and has not been delivered in this version
 * (key + eTag) is handed to the function as an {@code S3Event}, asynchronously as S3 invokes it. Deliveries are
 * written to the {@link DeliveryState} before the event is sent. An object is finished when its load report appears
 * under the load function's reports prefix; on start, objects delivered but never finished are delivered again
 * ({@link Resume}).
 */
public final class BucketWatcher {

    private final S3Client s3;
    private final String bucket;
    private final String region;
    private final S3Trigger trigger;
    private final LocalFunction function;
    /** The function the load's continuations run on ({@code CONTINUATION_FUNCTION_NAME}); null when there is none. */
    private final LocalFunction continuation;
    private final AsyncInvoker async;
    private final DeliveryState state;
    private final String reportsPrefix;
    private final LoadProgress progress;
    private volatile Set<String> notMatching = Set.of();
    private final Map<String, String> seenReports = new HashMap<>();
    /** The invocations of the deliveries' loads — events and continuations — that run or wait now. */
    private final RunningLoads running = new RunningLoads();
    /** Keys delivered (or continued) by this run of the runner: a report of an earlier run's delivery is not this run's work. */
    private final Set<String> deliveredThisRun = ConcurrentHashMap.newKeySet();
    private volatile Map<String, String> settling = Map.of();
    private volatile boolean listedOnce;
    private volatile boolean stopping;
    /** The invocations that ran or waited when the stop began. */
    private volatile List<RunningLoads.Invocation> invocationsAtStop = List.of();
    /** The deliveries whose load ran when the stop began (an invocation, or no final report yet), as delivered. */
    private volatile Map<RunningLoads.Delivery, DeliveryState.Entry> deliveriesAtStop = Map.of();

    public BucketWatcher(S3Client s3, String bucket, String region, S3Trigger trigger, LocalFunction function,
                         AsyncInvoker async, DeliveryState state, String reportsPrefix, LoadProgress progress) {
        this(s3, bucket, region, trigger, function, null, async, state, reportsPrefix, progress);
    }

    /**
     * {@code continuation}: the function the load function's continuations run on, null when there is none; a start
     * continues a load the last stop cut off on it, and its invocations are followed as part of the delivery's load.
     */
    public BucketWatcher(S3Client s3, String bucket, String region, S3Trigger trigger, LocalFunction function,
                         LocalFunction continuation, AsyncInvoker async, DeliveryState state, String reportsPrefix,
                         LoadProgress progress) {
        this.s3 = s3;
        this.bucket = bucket;
        this.region = region;
        this.trigger = trigger;
        this.function = function;
        this.continuation = continuation;
        this.async = async;
        this.state = state;
        this.reportsPrefix = reportsPrefix;
        this.progress = progress;
    }

    /** What a start does with an object delivered before it, by what the state says of that delivery. */
    public enum Resume {
        /** Its load succeeded: nothing. */
        DONE,
        /**
         * Its load FAILED in a way the load function does not retry, as the same bytes fail the same way — its invocation
         * returned normally saying so, or its final report, a continuation's too, says {@code "retryable": false}
         * ({@link #reportSaysFailedForGood}): not delivered again (a new version of the file is a new delivery).
         */
        FAILED_FOR_GOOD,
        /** No final report: the load was cut off (the last stop, {@code kill -9}) before it reported: delivered again. */
        UNFINISHED,
        /** Its invocation failed every attempt: delivered again. */
        DELIVERY_FAILED,
        /**
         * Its final report is FAILED and nothing says the failure is final (a retryable failure such as OpenSearch
         * unavailable, a load cut off by the last stop, a report of an older load function without
         * {@code retryable}): delivered again.
         */
        LOAD_FAILED,
        /** Not a start's decision: {@code POST /_local/load} asked to load the object again ({@link #loadAgain}). */
        ASKED
    }

    static Resume resume(DeliveryState.Entry e) {
        if (settled(e)) {
            return Resume.DONE;
        }
        if (e.status() == DeliveryState.Status.FAILED) {
            return Resume.DELIVERY_FAILED;
        }
        if (e.status() == DeliveryState.Status.LOADED && e.report() != null) {
            return e.failedForGood() ? Resume.FAILED_FOR_GOOD : Resume.LOAD_FAILED;
        }
        return Resume.UNFINISHED;
    }

    /**
     * At start: delivers again what was delivered before and never finished — no report, a failed delivery, or a
     * FAILED report that may not be final ({@link Resume}); says once that a file whose load failed for good is not
     * delivered again. A load the last stop cut off after it saved a CONTINUING report is not loaded from its first
     * row again: it is continued from where that report says it stopped ({@link #continueAtStart}), as Lambda's
     * continuation would have.
     */
    public synchronized void resumeUnfinished() {
        pollReports();
        state.snapshot().forEach((key, entry) -> {
            Resume why = resume(entry);
            switch (why) {
                case DONE -> {
                }
                case FAILED_FOR_GOOD -> progress.objectFailedForGood(key, LoadReport.of(entry.report()));
                case UNFINISHED -> {
                    if (!continueAtStart(key, entry)) {
                        deliver(key, entry.eTag(), entry.size(), Instant.now(), why, null);
                    }
                }
                default -> deliver(key, entry.eTag(), entry.size(), Instant.now(), why, lastFailure(entry));
            }
        });
    }

    /**
     * Continues the unfinished load of {@code entry}'s delivery on the continuation function, from the position of the
     * CONTINUING report that load saved — the payload the load function itself sends its continuation
     * ({@link ContinuationPayload}) — when the bucket still holds the version that report is about. The delivery is
     * the same one continued (its time and sequence stay): the continuation's reports carry the first invocation's
     * start, which finishes it. False when there is no such report, no continuation function, or the object is
     * another version now (or cannot be read): the object is then delivered again and loaded from its first row.
     */
    private boolean continueAtStart(String key, DeliveryState.Entry entry) {
        if (continuation == null) {
            return false;
        }
        LoadContinuation payload = ContinuationPayload.of(reportOfUnfinishedLoad(key, entry));
        if (payload == null || !bucket.equals(payload.getBucket()) || !key.equals(payload.getKey())) {
            return false;
        }
        Instant modified = modifiedIfInBucket(key, payload.getEtag());
        if (!ContinuationPayload.continuable(modified, payload.getStartedAt())) {
            return false;
        }
        // the version's time, as the load sends it: the continuation's check for a copy of the same content then holds
        payload.setLastModified(modified.toEpochMilli());
        deliveredThisRun.add(key);
        progress.objectContinued(key, entry.size(), payload.getNextPosition(), continuation.key());
        async.submit(continuation, ContinuationPayload.json(payload),
                follow(key, entry, RunningLoads.Kind.CONTINUATION, continuation));
        return true;
    }

    /**
     * The last-modified time of {@code key} when the bucket holds version {@code eTag} of it; null when it holds
     * another version, none, or cannot be read.
     */
    private Instant modifiedIfInBucket(String key, String eTag) {
        try {
            HeadObjectResponse head = s3.headObject(b -> b.bucket(bucket).key(key));
            return ReportVersion.normalise(eTag) != null
                    && ReportVersion.normalise(eTag).equals(ReportVersion.normalise(head.eTag()))
                    ? head.lastModified() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * How the last attempt failed, as the lines put it after "its last load FAILED: " or "its delivery FAILED …: ":
     * a report's error without its status when that is FAILED (it read "FAILED: FAILED: OpenSearch 503").
     */
    static String lastFailure(DeliveryState.Entry e) {
        if (e.status() == DeliveryState.Status.FAILED) {
            return e.error();
        }
        if (e.report() != null) {
            LoadReport r = LoadReport.of(e.report());
            if (r.status() == null || dev.netmeta.load.LoadReport.Status.FAILED.name().equals(r.status())) {
                return r.error();
            }
            return r.status() + (r.error() == null ? "" : ": " + r.error());
        }
        return null;
    }

    /** What {@link #loadAgain} did: {@code DELIVERED}, or why it delivered nothing. */
    public enum LoadAgain {
        DELIVERED,
        /** The bucket has no object of that key. */
        NOT_IN_BUCKET,
        /** The key does not match the trigger's rules (or is a load report): the function is never given it. */
        NOT_DELIVERED_BY_THE_RULES,
        /** Its load runs — its event's invocation or a continuation, running or queued: its report comes first. */
        RUNNING
    }

    /**
     * {@link LoadAgain}, and the object as delivered: its eTag and size ({@code null}/-1 when not delivered);
     * {@code running}: the load that runs ({@link LoadAgain#RUNNING}), else null.
     */
    public record LoadAgainResult(LoadAgain outcome, String eTag, long size, DeliveryState.Entry before,
                                  RunningLoad running) {

        public LoadAgainResult(LoadAgain outcome, String eTag, long size, DeliveryState.Entry before) {
            this(outcome, eTag, size, before, null);
        }
    }

    /**
     * A load of a key that runs (or waits for a free slot): the function its invocation runs on, whether it started,
     * the delivery it works for (its eTag and time; null when it is a continuation of a version no longer delivered),
     * and, once it has saved a CONTINUING report, the row it goes on from and the invocations so far (else -1 and 0).
     */
    public record RunningLoad(String function, boolean started, String eTag, Instant deliveredAt, long continuingFrom,
                              int invocations) {
    }

    /**
     * Delivers the object of {@code key} again, as it is in the bucket, through the normal delivery path (its line,
     * the state, the async invocation), whatever the state says of it — a new delivery, which clears a
     * {@code failedForGood} mark. S3 notifies every PUT, so in AWS the same bytes copied again are loaded again; here
     * the watcher delivers a key only when its eTag changes, and the sync skips a file of unchanged size: this is the
     * way to load a file whose load failed for a cause outside its bytes (a setting, the index) after fixing that.
     */
    public synchronized LoadAgainResult loadAgain(String key) {
        if (!delivers(key)) {
            return new LoadAgainResult(LoadAgain.NOT_DELIVERED_BY_THE_RULES, null, -1, state.get(key));
        }
        HeadObjectResponse head;
        try {
            head = s3.headObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            return new LoadAgainResult(LoadAgain.NOT_IN_BUCKET, null, -1, state.get(key));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return new LoadAgainResult(LoadAgain.NOT_IN_BUCKET, null, -1, state.get(key));
            }
            throw e;
        }
        DeliveryState.Entry before = state.get(key);
        RunningLoads.Invocation runs = running.ofKey(key).orElse(null);
        if (runs != null) {
            return new LoadAgainResult(LoadAgain.RUNNING, null, -1, before, describe(runs));
        }
        String eTag = S3EventJson.unquote(head.eTag());
        long size = head.contentLength() == null ? -1 : head.contentLength();
        deliver(key, eTag, size, head.lastModified() == null ? Instant.now() : head.lastModified(), Resume.ASKED,
                before == null || settled(before) ? null : lastFailure(before));
        return new LoadAgainResult(LoadAgain.DELIVERED, eTag, size, before);
    }

    /** What {@code POST /_local/load}'s refusal says of the load that runs. */
    private RunningLoad describe(RunningLoads.Invocation runs) {
        LoadReport continuing = runs.entry() == null ? null : placeAtStop(runs.key(), runs.entry());
        JsonNode raw = continuing == null ? null : continuing.raw();
        return new RunningLoad(runs.function(), runs.hasStarted(), runs.entry() == null ? null : runs.entry().eTag(),
                runs.entry() == null ? null : runs.entry().deliveredAt(),
                raw == null ? -1 : raw.path("nextPosition").asLong(-1), raw == null ? 0 : raw.path("invocations").asInt());
    }

    /**
     * The runner stops: an invocation that returns from now on may have been cut off, so none is marked final; the
     * loads running now (an invocation of their delivery, or no final report yet) are the ones the stop may cut off,
     * each named by its delivery: an earlier version's load that still runs is not the key's new delivery.
     */
    public void stopping() {
        List<RunningLoads.Invocation> now = running.snapshot();
        Map<RunningLoads.Delivery, DeliveryState.Entry> deliveries = new LinkedHashMap<>();
        now.stream().filter(i -> i.entry() != null).forEach(i -> deliveries.putIfAbsent(i.delivery(), i.entry()));
        state.snapshot().forEach((key, e) -> {
            if (e.status() == DeliveryState.Status.DELIVERED) {
                deliveries.putIfAbsent(RunningLoads.Delivery.of(key, e), e);
            }
        });
        invocationsAtStop = now;
        deliveriesAtStop = Collections.unmodifiableMap(deliveries);
        stopping = true;
    }

    /**
     * Whether a final report read once the runner stops is of a load the stop cut off: one whose delivery's load ran
     * when the stop began and did not succeed. Its FAILED is the stop's doing (the interrupted indexer, the deadline the
     * stop brought forward, a continuation that could not be scheduled on a runner shutting down), not the file's; it is
     * not counted as a failed load, and the next start delivers it again.
     */
    static boolean cutOffByStop(boolean stopping, Set<RunningLoads.Delivery> runningAtStop,
                                RunningLoads.Delivery delivery, LoadReport report) {
        return stopping && runningAtStop.contains(delivery) && !report.succeeded();
    }

    /**
     * Whether a final report read for the delivery {@code delivered} marks its load failed for good: it says FAILED
     * with {@code "retryable": false} — the invocation that wrote it, the S3-triggered one or a continuation, whose
     * answer the watcher never sees, returned normally and nothing retries this version — it was written by a load of
     * this delivery ({@link ReportVersion#startedSince}: at a start, a report an earlier delivery of the same version
     * left says nothing of a reload that had not reported), and the stop did not cut that load off
     * ({@link #cutOffByStop}: its failure may be the stop's doing).
     */
    static boolean reportSaysFailedForGood(LoadReport report, DeliveryState.Entry delivered, boolean cutOffByStop) {
        return !cutOffByStop && report.failedForGood() && ReportVersion.startedSince(report.raw(), delivered);
    }

    /**
     * Whether the load function's answer ({@code LoadSummary}: one line {@code s3://<bucket>/<key> <STATUS> …} per
     * file, as a JSON string) says that the load of {@code key} FAILED. It returns normally with a FAILED line only
     * for a failure it does not retry; a retryable one fails the invocation.
     */
    static boolean answerSaysFailed(String answer, String bucket, String key) {
        if (answer == null) {
            return false;
        }
        String text = answer;
        try {
            JsonNode node = Json.MAPPER.readTree(answer);
            if (node != null && node.isTextual()) {
                text = node.textValue();
            }
        } catch (Exception e) {
            // not JSON: read as it is
        }
        String prefix = "s3://" + bucket + "/" + key + " ";
        return text.lines().anyMatch(line -> line.startsWith(prefix)
                && line.substring(prefix.length()).startsWith(dev.netmeta.load.LoadReport.Status.FAILED.name() + " "));
    }

    /** One round: new objects are delivered, new reports are read. */
    public synchronized void poll() {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket);
        if (trigger.prefix() != null) {
            request.prefix(trigger.prefix());
        }
        Map<String, String> seenNow = new HashMap<>();
        Set<String> notMatchingNow = new TreeSet<>();
        for (S3Object object : s3.listObjectsV2Paginator(request.build()).contents()) {
            String key = object.key();
            if (!delivers(key)) {
                notMatchingNow.add(key);
                continue;
            }
            String eTag = S3EventJson.unquote(object.eTag());
            DeliveryState.Entry entry = state.get(key);
            if (entry == null || !entry.eTag().equals(eTag)) {
                // S3 notifies once an object is complete. The stand-in writes through temporary objects that show
                // in listings while a PUT runs, so an object is delivered once two listings show it unchanged.
                String version = eTag + "|" + object.size();
                if (version.equals(settling.get(key))) {
                    deliver(key, eTag, object.size(), object.lastModified(), null, null);
                } else {
                    seenNow.put(key, version);
                }
            }
        }
        settling = seenNow;
        notMatching = notMatchingNow;
        pollReports();
        listedOnce = true;
    }

    /**
     * Reads the reports once more when the runner stops, after running invocations had their grace: a load that
     * finished meanwhile gets its line and counts in the run's summary, rather than being read at the next start.
     * Every other load that ran when the stop began and has no final report — it stopped at the deadline the stop set
     * and saved a CONTINUING report, or it was interrupted and saved none, or its save failed — is named cut off, and
     * the deliveries still queued for a free slot are counted as not started: the next start delivers them all again.
     * An earlier version's load (the key delivered again while it ran) whose own SUCCEEDED report is at the key's
     * report name finished in the grace: it is neither named nor counted, as the key's current delivery stands for the
     * key; one whose report the new version's load overwrote already is still named cut off.
     * Delivers nothing; a failure to list is left for the next start.
     */
    public synchronized void readReportsAtStop() {
        try {
            pollReports();
        } catch (RuntimeException e) {
            // the next start reads them
        }
        int notStarted = 0;
        for (Map.Entry<RunningLoads.Delivery, DeliveryState.Entry> d : deliveriesAtStop.entrySet()) {
            String key = d.getKey().key();
            DeliveryState.Entry delivered = d.getValue();
            DeliveryState.Entry now = state.get(key);
            boolean current = now != null && now.sequence() == delivered.sequence();
            if (current && now.status() != DeliveryState.Status.DELIVERED) {
                continue; // its final report was read (its line is out), or its delivery failed (its FAILED line)
            }
            if (queuedOnly(d.getKey())) {
                if (current) {
                    notStarted++; // queued for a free slot: the stop came before its load began
                }
                continue; // an earlier version's event that never ran: the key's current delivery stands for it
            }
            if (current) {
                progress.objectCutOffByStop(key, delivered.size(), placeAtStop(key, delivered), null);
                continue;
            }
            // an earlier version's load (the key was delivered again while it ran): the report at the key is its own
            // until the new version's load writes one; a success saved in the grace is a load that finished, neither
            // cut off nor (as while the runner ran) named, as the key's current delivery stands for the key
            JsonNode saved = reportOfLoad(key, delivered);
            LoadReport report = saved == null ? null : LoadReport.of(saved);
            if (report == null || !report.succeeded()) {
                progress.objectCutOffByStop(key, delivered.size(), report, delivered.eTag());
            }
        }
        if (notStarted > 0) {
            progress.loadsNotStartedAtStop(notStarted);
        }
    }

    /** Whether the delivery's load never began: its only invocations at the stop were its event's, none started. */
    private boolean queuedOnly(RunningLoads.Delivery delivery) {
        List<RunningLoads.Invocation> its = invocationsAtStop.stream()
                .filter(i -> delivery.equals(i.delivery())).toList();
        return !its.isEmpty() && its.stream()
                .allMatch(i -> i.kind() == RunningLoads.Kind.EVENT && !i.hasStarted());
    }

    /**
     * The report of an unfinished load of this delivery that the stop cut off: the CONTINUING report it saved when it
     * saw the deadline the stop set (rows read and indexed until there); null when it saved none (interrupted before
     * it could, or its save failed) or when the report is not of this delivery.
     */
    private LoadReport placeAtStop(String key, DeliveryState.Entry entry) {
        JsonNode json = reportOfUnfinishedLoad(key, entry);
        return json == null ? null : LoadReport.of(json);
    }

    /**
     * The CONTINUING report the load of {@code entry}'s delivery saved where it stopped, as JSON; null when there is
     * none of this delivery (or it cannot be read).
     */
    private JsonNode reportOfUnfinishedLoad(String key, DeliveryState.Entry entry) {
        JsonNode json = reportOfLoad(key, entry);
        return json != null && !LoadReport.of(json).finished() ? json : null;
    }

    /**
     * The report at {@code key}'s report name if a load of {@code entry}'s delivery wrote it ({@link
     * ReportVersion#ofDelivery}), final or CONTINUING, as JSON; null when there is none of this delivery (or it cannot
     * be read).
     */
    private JsonNode reportOfLoad(String key, DeliveryState.Entry entry) {
        if (reportsPrefix == null) {
            return null;
        }
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket)
                    .key(OutputKeys.report(reportsPrefix, key)));
            JsonNode json = Json.MAPPER.readTree(bytes.asByteArray());
            return ReportVersion.ofDelivery(json, bytes.response().lastModified(), entry) ? json : null;
        } catch (Exception e) {
            return null; // none, or not readable: the line says no report was saved
        }
    }

    /** Whether a new object of this key is delivered to the function: it matches the rules and is not a load report. */
    public boolean delivers(String key) {
        return trigger.matches(key) && !(reportsPrefix != null && key.startsWith(reportsPrefix));
    }

    /** {@code resumed}: why an object delivered before this start is delivered again (null: a new object). */
    private void deliver(String key, String eTag, long size, Instant lastModified, Resume resumed, String lastFailure) {
        DeliveryState.Entry delivery = state.delivered(key, eTag, size);
        String event = S3EventJson.objectCreated(region, bucket, function.name() + "-s3-notification",
                new S3EventJson.NewObject(key, size, eTag, lastModified), delivery.sequence());
        deliveredThisRun.add(key);
        progress.objectDelivered(key, size, resumed, lastFailure);
        async.submit(function, event.getBytes(StandardCharsets.UTF_8),
                follow(key, delivery, RunningLoads.Kind.EVENT, function));
    }

    /**
     * The callbacks of an asynchronous invocation the functions queue through the Lambda Invoke API: a continuation of
     * a delivered object's load (the payload names this bucket and a key, and the version delivered) is followed as one
     * of that delivery's invocations — it keeps {@code POST /_local/load} from delivering the key again while it runs,
     * the stop names it, and its failure after every retry fails the delivery. Other invocations are not followed.
     */
    public AsyncCallbacks follow(LocalFunction invoked, byte[] payload) {
        if (continuation == null || invoked != continuation) {
            return AsyncCallbacks.NONE;
        }
        JsonNode p;
        try {
            p = Json.MAPPER.readTree(payload);
        } catch (java.io.IOException e) {
            return AsyncCallbacks.NONE;
        }
        String key = p == null ? null : p.path("key").textValue();
        if (key == null || !bucket.equals(p.path("bucket").textValue())) {
            return AsyncCallbacks.NONE;
        }
        DeliveryState.Entry entry = state.get(key);
        String eTag = ReportVersion.normalise(p.path("etag").textValue());
        boolean ofDelivered = entry != null && eTag != null && eTag.equals(ReportVersion.normalise(entry.eTag()));
        return follow(key, ofDelivered ? entry : null, RunningLoads.Kind.CONTINUATION, invoked);
    }

    /** Follows one invocation of {@code delivery}'s load (null: of no delivered version) until its last attempt. */
    private AsyncCallbacks follow(String key, DeliveryState.Entry delivery, RunningLoads.Kind kind, LocalFunction on) {
        RunningLoads.Invocation invocation = running.add(key, delivery, kind, on.key());
        return new AsyncCallbacks(() -> invocation.started().set(true), result -> ended(invocation, result));
    }

    /**
     * An invocation's last attempt ended: a failure fails its delivery (unless a report was read meanwhile or the key
     * was delivered again), an answer saying the load FAILED marks that delivery failed for good.
     */
    private void ended(RunningLoads.Invocation invocation, InvocationResult result) {
        running.ended(invocation);
        if (invocation.entry() == null) {
            return;
        }
        String key = invocation.key();
        long sequence = invocation.entry().sequence();
        if (result.failed()) {
            String error = result.errorType() + ": " + result.errorMessage();
            if (state.failed(key, sequence, error)) {
                progress.objectFailed(key, error);
            }
        } else if (!stopping && answerSaysFailed(result.payloadText(), bucket, key)) {
            state.failedForGood(key, sequence);
        }
    }

    private void pollReports() {
        if (reportsPrefix == null) {
            return;
        }
        Map<String, DeliveryState.Entry> entries = state.snapshot();
        // a final report that did not succeed may still be followed by a retry's report: keep looking for those too
        boolean waiting = entries.values().stream().anyMatch(e -> !settled(e));
        if (!waiting) {
            return;
        }
        // the load function saves the report of <key> as <REPORTS_PREFIX><key>.json, a name it shortens when that is
        // longer than S3 allows (OutputKeys): the names of the delivered objects' reports are computed the same way
        Map<String, String> keyOfReport = new HashMap<>();
        entries.keySet().forEach(key -> keyOfReport.put(OutputKeys.report(reportsPrefix, key), key));
        ListObjectsV2Request request = ListObjectsV2Request.builder().bucket(bucket).prefix(reportsPrefix).build();
        for (S3Object object : s3.listObjectsV2Paginator(request).contents()) {
            String tag = object.eTag() + object.lastModified();
            if (tag.equals(seenReports.get(object.key()))) {
                continue;
            }
            String key = keyOfReport.get(object.key());
            if (key == null) {
                continue; // read only reports of objects this runner delivered
            }
            JsonNode json = readJson(object.key());
            if (json == null) {
                continue;
            }
            seenReports.put(object.key(), tag);
            DeliveryState.Entry entry = entries.get(key);
            if (entry != null && entry.status() == DeliveryState.Status.LOADED && json.equals(entry.report())) {
                continue; // the report the state has (read before the last stop): its line was said then
            }
            LoadReport report = LoadReport.of(json);
            if (entry == null || settled(entry) || !report.finished()) {
                continue;
            }
            if (ReportVersion.ofDelivery(json, object.lastModified(), entry)) {
                boolean cutOff = cutOffByStop(stopping, deliveriesAtStop.keySet(), RunningLoads.Delivery.of(key, entry),
                        report);
                state.loaded(key, json, reportSaysFailedForGood(report, entry, cutOff));
                if (cutOff) {
                    progress.objectCutOffByStop(key, entry.size(), report, null);
                } else {
                    progress.objectLoaded(key, entry.size(), report, deliveredThisRun.contains(key));
                }
            }
        }
    }

    /** Loaded with a report that succeeded: no later report can change it. */
    private static boolean settled(DeliveryState.Entry e) {
        return e.status() == DeliveryState.Status.LOADED && e.report() != null && LoadReport.of(e.report()).succeeded();
    }

    private JsonNode readJson(String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Json.MAPPER.readTree(bytes.asByteArray());
        } catch (Exception e) {
            return null; // being written, or not JSON: looked at again on the next poll
        }
    }

    /** Whether every delivered object is finished and nothing is waiting to be delivered. */
    public boolean idle() {
        return listedOnce && running.isEmpty() && settling.isEmpty() && state.snapshot().values().stream()
                .allMatch(e -> e.status() != DeliveryState.Status.DELIVERED);
    }

    public Map<String, DeliveryState.Entry> stateSnapshot() {
        return state.snapshot();
    }

    /** Keys under the trigger's prefix that its rules do not match (not delivered, by design), as last listed. */
    public Set<String> ignored() {
        return notMatching;
    }

    public ObjectNode describe() {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("bucket", bucket);
        o.put("function", function.key());
        o.put("rules", trigger.describeRules());
        return o;
    }
}
