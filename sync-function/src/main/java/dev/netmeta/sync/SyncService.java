package dev.netmeta.sync;

import dev.netmeta.model.S3Keys;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * The sync logic. A scheduled run lists the remote directory once and the bucket prefix once, copies the files
 * whose key is absent or has another size (if they are old enough), N at a time, each on its own FTP connection and
 * streamed into a multipart upload; what does not fit into the remaining time is handed to copy-file invocations.
 * A copy-file invocation re-checks one file and copies it.
 */
public final class SyncService {

    private final SyncConfig config;
    private final RemoteFileSource source;
    private final ObjectStore store;
    private final SelfInvoker invoker;
    private final Redactor redactor;
    private final JsonLog log;
    private final Clock clock;
    private final ThroughputStore throughputStore;
    private final SyncPlanner planner;
    private final PathPatterns patterns;
    private final boolean fanOutAllowed;

    public SyncService(SyncConfig config, RemoteFileSource source, ObjectStore store, SelfInvoker invoker,
                       Redactor redactor, JsonLog log, Clock clock, ThroughputStore throughputStore) {
        this.config = config;
        this.source = source;
        this.store = store;
        this.invoker = invoker;
        this.redactor = redactor;
        this.log = log;
        this.clock = clock;
        this.throughputStore = throughputStore;
        this.fanOutAllowed = config.canFanOut() && invoker != null;
        this.planner = new SyncPlanner(fanOutAllowed, config.fanOutMaxFiles(), config.timeMarginMillis());
        this.patterns = new PathPatterns(config.patterns());
    }

    /** A scheduled run over the whole remote directory. */
    public SyncSummary runScheduled(RemainingTime remaining) {
        try {
            return scheduled(remaining);
        } finally {
            source.releaseConnections();
        }
    }

    private SyncSummary scheduled(RemainingTime remaining) {
        long start = System.nanoTime();
        RunTally tally = new RunTally();
        // The saved throughput is read while the FTP server lists: on a cold start that first S3 request also loads
        // the SDK's request path, which would otherwise delay the bucket listing (benchmark, cold JVM: 131 → 58 ms).
        FutureTask<Double> savedEstimate = new FutureTask<>(this::savedThroughput);
        Thread reader = new Thread(savedEstimate, "sync-read-throughput");
        reader.setDaemon(true);
        reader.start();
        try {
            // the walk gets half of the time before the margin at most, as the MDTM pass does: the rest is for
            // copying (or handing off) what it found — a walk that ran up to the margin would copy nothing, every run
            RemoteListing listing = listRemote(halfOfTheTimeBeforeTheMargin(remaining));
            List<RemoteFile> remote = withStorableKeys(listing.files(), tally);
            tally.notMatching.set(listing.notMatching());
            listing.unreadable().forEach(d -> tally.failed(d.getFile(), redactor.redact(d.getReason())));
            listing.skippedDirectories().forEach(d -> log.event("INFO", "directory not walked: " + d.getReason(),
                    Map.of("directory", d.getFile())));
            reportDrops("directory walk", "the listing or SIZE it was at", listing.drops(), tally);
            reportWalkStop(listing, tally);
            // Only the keys the FTP listing produced are looked up: memory follows the FTP listing, not raw/'s history.
            Set<String> keys = new HashSet<>();
            remote.forEach(f -> keys.add(config.keyFor(f.path())));
            KeySizes existing = store.sizesOf(keys, () -> remaining.millis() >= config.timeMarginMillis());
            Instant now = clock.instant();
            FileDiff.Result diff = FileDiff.compute(remote, existing, config::keyFor, now, config.minAge());
            List<RemoteFile> timeless = diff.unknownSizeOrTime().stream().filter(f -> f.modified() == null).toList();
            int notAsked = 0;
            if (!timeless.isEmpty()) {
                // MDTM only for the files to copy whose listing gave no time (a file in the bucket needs none), then
                // the same diff with their times: too young, to copy, or still unknown (a failure). The files the
                // pass had no time for are left out of this run: deferred, neither copied nor failures.
                RemoteFileSource.Times times = source.completeTimes(timeless, halfOfTheTimeBeforeTheMargin(remaining));
                notAsked = times.notReached().size();
                reportDrops("MDTM pass", "the file it was asking", times.drops(), tally);
                remote = withTimes(remote, times);
                diff = FileDiff.compute(remote, existing, config::keyFor, now, config.minAge());
                if (notAsked > 0) {
                    tally.deferred.addAndGet(notAsked);
                    log.event("INFO", "MDTM pass stopped: the invocation's remaining time is kept for copying and "
                            + "its margin; the next run continues",
                            Map.of("notAsked", notAsked, "asked", timeless.size() - notAsked));
                }
            }
            tally.listed.set(listing.files().size());
            tally.newFiles.set(diff.candidates() + notAsked); // not asked, still new: key absent or size differs
            tally.skippedPresent.set(diff.present().size());
            tally.skippedUnstable.set(diff.tooYoung().size());
            diff.unknownSizeOrTime().forEach(f -> tally.failed(f.path(), unknownSizeOrTimeReason(f, listing.command())));
            if (!diff.notListed().isEmpty()) {
                // the bucket listing was stopped by the clock: these files are neither known present nor absent
                tally.deferred.addAndGet(diff.notListed().size());
                log.event("INFO", "bucket listing stopped: the invocation is running out of time; the next run continues",
                        Map.of("notListed", diff.notListed().size(), "listedThrough", String.valueOf(existing.listedThrough())));
            }

            double estimate = diff.toCopy().isEmpty() ? initialThroughput() : await(savedEstimate);
            SyncPlan plan = planner.plan(diff.toCopy(), remaining.millis(), estimate);
            List<RemoteFile> notHandedOff = fanOut(plan.fanOut(), tally);
            List<RemoteFile> local = new ArrayList<>(plan.copyHere());
            local.addAll(notHandedOff);

            long copyStart = System.nanoTime();
            List<RemoteFile> leftOver = copyAll(local, remaining, tally);
            saveThroughput(estimate, ThroughputEstimate.blend(estimate, tally.bytes.get(), System.nanoTime() - copyStart));

            // files this invocation had no time for go to copy-file invocations too (each gets a fresh 15 minutes)
            List<RemoteFile> stillLeft = fanOutAllowed ? fanOut(leftOver, tally) : leftOver;
            tally.deferred.addAndGet(stillLeft.size());
        } catch (SyncException e) {
            throw failed("scheduled", e.getMessage());
        } catch (IOException | RuntimeException e) {
            throw failed("scheduled", "sync run failed: " + redactor.reason(e));
        }
        SyncSummary summary = tally.toSummary("scheduled", (System.nanoTime() - start) / 1_000_000);
        log.summary(summary);
        return summary;
    }

    /**
     * One fanned-out file: skipped when the bucket already has it with the same size, otherwise copied after the
     * same stability checks as in a scheduled run. A failed copy throws (after logging), so Lambda's asynchronous
     * retries and failure destination apply; the next scheduled run would pick the file up anyway.
     */
    public SyncSummary copyFile(CopyFileRequest request, RemainingTime remaining) {
        try {
            return copyOneFile(request, remaining);
        } catch (InvalidCopyFileRequestException e) {
            return rejectCopyFile(request.path(), e.getMessage());
        } catch (SyncException e) {
            throw failed("copy-file", e.getMessage());
        } catch (RuntimeException e) {
            throw failed("copy-file", "copy of '" + request.path() + "' failed: " + redactor.reason(e));
        } finally {
            source.releaseConnections();
        }
    }

    /**
     * A copy-file event that can never succeed (see {@link InvalidCopyFileRequestException}): logged as an ERROR line
     * and answered with a summary naming the reason, without an exception — Lambda's two retries could not change
     * the outcome. A real file behind it is taken by the next scheduled run anyway.
     */
    public SyncSummary rejectCopyFile(String path, String reason) {
        String redacted = redactor.redact(reason);
        log.event("ERROR", "copy-file event rejected: " + redacted, Map.of("mode", "copy-file"));
        RunTally tally = new RunTally();
        tally.failed(path == null || path.isBlank() ? "(copy-file event)" : path, redacted);
        SyncSummary summary = tally.toSummary("copy-file", 0);
        log.summary(summary);
        return summary;
    }

    /**
     * Logs a failed invocation and returns what the handler throws: the message redacted, no cause (Lambda prints
     * an exception's causes too, and theirs may quote a server's reply).
     */
    private SyncException failed(String mode, String message) {
        String redacted = redactor.redact(message);
        log.event("ERROR", redacted, Map.of("mode", mode));
        return new SyncException(redacted, null);
    }

    private SyncSummary copyOneFile(CopyFileRequest request, RemainingTime remaining) {
        long start = System.nanoTime();
        RunTally tally = new RunTally();
        tally.listed.set(1);
        if (!patterns.matches(request.path())) {
            throw new InvalidCopyFileRequestException("copy-file path '" + request.path() + "' does not match FTP_PATTERNS "
                    + config.patterns());
        }
        String keyProblem = keyProblem(config.keyFor(request.path()));
        if (keyProblem != null) {
            throw new InvalidCopyFileRequestException(keyProblem);
        }
        OptionalLong present = store.sizeOf(config.keyFor(request.path()));
        if (present.isPresent() && present.getAsLong() == request.size()) {
            tally.skippedPresent.set(1);
        } else {
            tally.newFiles.set(1);
            if (remaining.millis() < config.timeMarginMillis() / 4) {
                tally.deferred.set(1);
            } else if (!copyOne(request.toRemoteFile(), remaining, tally)) {
                // This invocation had a whole timeout for this one file and still ran out of time. Counted as a
                // failure (not deferred) so the invocation fails: Lambda's retries and the on-failure destination
                // apply, and an operator sees it, instead of a "successful" run that copied nothing.
                tally.failed(request.path(), "transfer stopped: the invocation ran out of time before the copy "
                        + "finished (upload aborted, nothing stored; retried by Lambda and by the next scheduled run)");
            }
        }
        SyncSummary summary = tally.toSummary("copy-file", (System.nanoTime() - start) / 1_000_000);
        log.summary(summary);
        if (summary.getFailed() > 0) {
            throw new SyncException("copy of '" + request.path() + "' failed: " + summary.getFailures().get(0).getReason(), null);
        }
        return summary;
    }

    /**
     * Whether the directory walk or the MDTM pass may make one more round trip: while the remaining time is above the
     * margin and above half of what the invocation had before its margin when the step began. The other half copies
     * the files the step found: a step that ran up to the margin would leave no time to copy (without fan-out nothing
     * would be copied, and the next run would do the same work again, every run). The step begins at its first
     * question: a source that asks nothing costs no reading of the clock.
     */
    private BooleanSupplier halfOfTheTimeBeforeTheMargin(RemainingTime remaining) {
        long margin = config.timeMarginMillis();
        return new BooleanSupplier() {
            private boolean begun;
            private long stopBelow;

            @Override
            public boolean getAsBoolean() {
                long left = remaining.millis();
                if (!begun) {
                    begun = true;
                    stopBelow = margin + Math.max(0, left - margin) / 2;
                }
                return left >= stopBelow;
            }
        };
    }

    /** Directories named one by one in the failures when the walk stops; the rest share one entry. */
    static final int NOT_WALKED_NAMED = 100;

    static final String NOT_WALKED_REASON = "not walked: the invocation ran out of time before the directory walk "
            + "reached it (its files are not synced this run; each run walks the tree again, newest directories "
            + "first: a tree that does not fit into one run needs a smaller FTP_REMOTE_DIR or older directories moved "
            + "away; see 'The Lambda clock' in docs/SYNC.md)";

    /**
     * A walk the clock stopped: each directory it did not list is a failure (the first {@link #NOT_WALKED_NAMED} by
     * name, the rest in one entry, so the summary line stays far below CloudWatch's 256 KB per event): the next run
     * walks the same tree again, so a tree too large for one run does not drain by itself and must raise the
     * failed-files alarm. Files it saw but had no time to ask a size for are deferred, as the MDTM pass's are.
     */
    private void reportWalkStop(RemoteListing listing, RunTally tally) {
        if (!listing.stopped()) {
            return;
        }
        List<String> dirs = listing.notWalked();
        dirs.stream().limit(NOT_WALKED_NAMED).forEach(d -> tally.failed(d, NOT_WALKED_REASON));
        if (dirs.size() > NOT_WALKED_NAMED) {
            tally.failed("(" + (dirs.size() - NOT_WALKED_NAMED) + " more directories)", NOT_WALKED_REASON);
        }
        tally.deferred.addAndGet(listing.notSized());
        log.event("WARN", "directory walk stopped: the invocation's remaining time is kept for copying and its margin;"
                + " the directories not walked are failures, the next run walks the tree again",
                Map.of("notWalked", dirs.size(), "notSized", listing.notSized(), "listed", listing.files().size()));
    }

    /**
     * Sessions the server dropped while a step of the listing went on from where it was: one WARN line a step, with
     * the first few drops named (the command each was at, what the client saw), and the count in the summary.
     */
    private void reportDrops(String step, String from, SessionDrops drops, RunTally tally) {
        if (drops.count() == 0) {
            return;
        }
        tally.listingSessionsDropped.addAndGet(drops.count());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("dropped", drops.count());
        fields.put("drops", drops.named()); // the first SessionDrops.NAMED
        log.event("WARN", step + " went on after the FTP server dropped its session: a new session continued from "
                + from + " (unless the clock had stopped it there), keeping what it had", fields);
    }

    /**
     * {@code listed} with each completed file in place of the listed one of its path, and without the files the
     * MDTM pass did not reach (this run does not decide them).
     */
    private static List<RemoteFile> withTimes(List<RemoteFile> listed, RemoteFileSource.Times times) {
        Map<String, RemoteFile> byPath = new HashMap<>();
        times.completed().forEach(f -> byPath.put(f.path(), f));
        Set<String> notReached = new HashSet<>();
        times.notReached().forEach(f -> notReached.add(f.path()));
        return listed.stream().filter(f -> !notReached.contains(f.path())).map(f -> byPath.getOrDefault(f.path(), f))
                .toList();
    }

    /** The listed files whose key S3 takes; each other one is a failure that says why (every run, until renamed). */
    private List<RemoteFile> withStorableKeys(List<RemoteFile> listed, RunTally tally) {
        List<RemoteFile> storable = new ArrayList<>(listed.size());
        for (RemoteFile f : listed) {
            String problem = keyProblem(config.keyFor(f.path()));
            if (problem == null) {
                storable.add(f);
            } else {
                tally.failed(f.path(), problem);
            }
        }
        return storable;
    }

    /**
     * Why a file to copy whose size or modification time the server does not tell is not copied: a failure in every
     * run, until the server tells them, rather than a file held back as "still being written" forever. {@code command}
     * is the listing's ({@code MLSD}, {@code LIST}; null: unnamed).
     */
    static String unknownSizeOrTimeReason(RemoteFile f, String command) {
        String missing = f.size() < 0 && f.modified() == null ? "neither a size nor a modification time"
                : f.size() < 0 ? "no size" : "no modification time";
        String asked = f.size() < 0 && f.modified() == null ? "SIZE and MDTM" : f.size() < 0 ? "SIZE" : "MDTM";
        String where = "LIST".equals(command) ? "not readable from its LIST line"
                : "MLSD".equals(command) ? "not in its MLSD entry" : "not in its listing";
        return "the FTP server gives " + missing + " for this file (" + where + ", and " + asked
                + " not announced or refused): whether it is complete cannot be told, so it is not copied (see"
                + " 'Sizes and times a listing lacks' in docs/SYNC.md)";
    }

    /** Why S3 would refuse the key ({@link S3Keys}), or null. */
    static String keyProblem(String key) {
        return S3Keys.fits(key) ? null : "its S3 key would be " + S3Keys.utf8Length(key) + " bytes (UTF-8), more than"
                + " the " + S3Keys.MAX_BYTES + " S3 allows: shorten the path on the FTP server or RAW_PREFIX";
    }

    private double initialThroughput() {
        return config.initialThroughputMBps() * SyncConfig.MB;
    }

    /** The estimate saved by earlier runs (read once per run), else the configured one. */
    private double savedThroughput() {
        try {
            return throughputStore.read().orElse(initialThroughput());
        } catch (RuntimeException e) {
            log.event("WARN", "cannot read the saved throughput, planning with SYNC_THROUGHPUT_MBPS: " + redactor.reason(e), Map.of());
            return initialThroughput();
        }
    }

    private double await(FutureTask<Double> savedEstimate) {
        try {
            return savedEstimate.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return initialThroughput();
        } catch (ExecutionException e) { // savedThroughput() handles its own failures; this is an Error
            log.event("WARN", "cannot read the saved throughput, planning with SYNC_THROUGHPUT_MBPS: "
                    + redactor.reason(e.getCause()), Map.of());
            return initialThroughput();
        }
    }

    private void saveThroughput(double before, double after) {
        if (after == before) {
            return; // too little copied to measure
        }
        try {
            throughputStore.write(after);
        } catch (RuntimeException e) {
            // a planning hint: losing it costs at most one less accurate plan, never a file
            log.event("WARN", "cannot save the measured throughput: " + redactor.reason(e), Map.of());
        }
    }

    private RemoteListing listRemote(BooleanSupplier keepGoing) throws IOException {
        try {
            return source.list(keepGoing);
        } catch (SyncException e) {
            throw e;
        } catch (IOException e) {
            throw new SyncException("Cannot list the FTP directory " + config.ftpRemoteDir() + " on " + config.ftpHost()
                    + ":" + config.ftpPort() + ": " + redactor.reason(e), null);
        }
    }

    /** Queues one copy-file invocation per file; returns the files whose invocation was not accepted. */
    private List<RemoteFile> fanOut(List<RemoteFile> files, RunTally tally) {
        List<RemoteFile> rejected = new ArrayList<>();
        for (RemoteFile f : files) {
            if (tally.fannedOut.get() >= config.fanOutMaxFiles() || !acceptedByCopyFile(f.path())) {
                rejected.add(f);
                continue;
            }
            try {
                invoker.invokeAsync(CopyFileRequest.of(f).toPayloadJson());
                tally.fannedOut.incrementAndGet();
            } catch (RuntimeException e) {
                log.event("WARN", "fan-out of " + f.path() + " failed, copying it here if time allows: " + redactor.reason(e),
                        Map.of("file", f.path()));
                rejected.add(f);
            }
        }
        return rejected;
    }

    /**
     * Whether a copy-file invocation would take this path. A name the server lists and this run can copy may still be
     * refused there (a backslash, a control character such as a tab, a name of only spaces): such a file stays in this
     * run — handed off, it was rejected and copied by nobody, while this run counted it fanned out.
     */
    private static boolean acceptedByCopyFile(String path) {
        try {
            CopyFileRequest.validatePath(path);
            return true;
        } catch (InvalidCopyFileRequestException e) {
            return false;
        }
    }

    /** Copies the files with N workers; returns those not started (or stopped) because time ran out. */
    private List<RemoteFile> copyAll(List<RemoteFile> files, RemainingTime remaining, RunTally tally) {
        if (files.isEmpty()) {
            return List.of();
        }
        ConcurrentLinkedQueue<RemoteFile> queue = new ConcurrentLinkedQueue<>(files);
        ConcurrentLinkedQueue<RemoteFile> notDone = new ConcurrentLinkedQueue<>();
        int workers = Math.min(config.concurrency(), files.size());
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "sync-transfer");
            t.setDaemon(true);
            return t;
        });
        // workers still taking files; one that cannot get an FTP session leaves (its file back in the queue) as long
        // as another one is left: a server whose session limit is below SYNC_CONCURRENCY gets fewer parallel
        // transfers instead of failed files
        AtomicInteger live = new AtomicInteger(workers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                running.add(pool.submit(() -> {
                    RemoteFile f;
                    while ((f = queue.poll()) != null) {
                        if (remaining.millis() < config.timeMarginMillis()) {
                            notDone.add(f); // no new transfer this close to the deadline
                            continue;
                        }
                        try {
                            if (!copyOne(f, remaining, tally, () -> leave(live))) {
                                notDone.add(f);
                            }
                        } catch (WorkerLeaves e) {
                            queue.add(f);
                            log.event("WARN", "no further FTP session, continuing with fewer parallel transfers: "
                                    + redactor.redact(e.getMessage()), Map.of("file", f.path()));
                            return null; // leave() has counted this worker out
                        } catch (Error e) {
                            queue.clear(); // the run fails: the other workers take no new file (see below)
                            throw e;
                        }
                    }
                    live.decrementAndGet();
                    return null;
                }));
            }
            for (Future<?> fut : running) {
                fut.get();
            }
            // a file put back just as the last other worker found the queue empty: taken here, on this thread
            for (RemoteFile f; (f = queue.poll()) != null; ) {
                if (remaining.millis() < config.timeMarginMillis() || !copyOne(f, remaining, tally)) {
                    notDone.add(f);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncException("sync run interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            // a worker died of an Error (copyOne ends every exception in the tally; it emptied the queue): the others
            // take no new file and finish or abort the transfers they are in on their own clock — an interrupt could
            // stop a multipart upload's abort, leaving its parts in the bucket until the lifecycle rule removes them
            queue.clear();
            pool.shutdown();
            try {
                pool.awaitTermination(Math.max(0, remaining.millis()), TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw new SyncException("transfer worker failed: " + redactor.reason(e.getCause()), null);
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(notDone);
    }

    /**
     * Copies one file; returns false when it was stopped for lack of time (so the caller can defer or hand it off).
     * Everything else ends in the tally: copied, skipped as unstable, or failed with a reason.
     */
    boolean copyOne(RemoteFile listed, RemainingTime remaining, RunTally tally) {
        return copyOne(listed, remaining, tally, () -> false);
    }

    /** Counts one worker out unless it is the last one. */
    private static boolean leave(AtomicInteger live) {
        for (int n = live.get(); n > 1; n = live.get()) {
            if (live.compareAndSet(n, n - 1)) {
                return true;
            }
        }
        return false;
    }

    /** Thrown by {@link #copyOne} when no FTP session could be had and the worker may leave. */
    private static final class WorkerLeaves extends RuntimeException {
        WorkerLeaves(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * As above; when no FTP session can be opened for the file and {@code mayLeave} agrees, throws
     * {@link WorkerLeaves} instead of failing the file (another worker takes it).
     */
    private boolean copyOne(RemoteFile listed, RemainingTime remaining, RunTally tally, BooleanSupplier mayLeave) {
        String key = config.keyFor(listed.path());
        try (RemoteFileSource.Download download = source.open(listed.path())) {
            Optional<RemoteFile> now = download.current();
            if (now.isEmpty() || now.get().size() != listed.size()) {
                tally.skippedUnstable.incrementAndGet();
                String why = now.isEmpty() ? "gone since listing" : now.get().size() < 0
                        ? "no size from the server right before the transfer" : "changed since listing";
                log.event("INFO", "skipped (" + why + ")", Map.of("file", listed.path(),
                        "listedSize", listed.size(), "currentSize", now.map(RemoteFile::size).orElse(-1L)));
                return true;
            }
            Instant modified = now.get().modified();
            if (modified == null || modified.isAfter(clock.instant().minus(config.minAge()))) {
                // same size, but written to since the listing (rewritten in place), or a copy-file event that reached
                // a file younger than the minimum age: it may still be being written; without a time, nothing says not
                tally.skippedUnstable.incrementAndGet();
                String why = modified == null ? "no modification time from the server right before the transfer"
                        : "modified since listing, younger than the minimum age";
                log.event("INFO", "skipped (" + why + ")", Map.of("file", listed.path(),
                        "modified", String.valueOf(modified)));
                return true;
            }
            int partSize = PartSizing.partSizeFor(listed.size(), config.partSizeBytes());
            long stopBelow = config.timeMarginMillis() / 4;
            // the store admits exactly the listed bytes: a file that grows or shrinks meanwhile is FileChangedException
            long n = store.upload(key, download.stream(), listed.size(), partSize, () -> remaining.millis() > stopBelow);
            tally.copied.incrementAndGet();
            tally.bytes.addAndGet(n);
            return true;
        } catch (SessionUnavailableException e) {
            if (mayLeave.getAsBoolean()) {
                throw new WorkerLeaves(e.getMessage());
            }
            tally.failed(listed.path(), redactor.redact(e.getMessage()));
            return true;
        } catch (FileChangedException e) {
            tally.skippedUnstable.incrementAndGet();
            log.event("INFO", "skipped (changed during transfer): " + e.getMessage(), Map.of("file", listed.path()));
            return true;
        } catch (TransferStoppedException e) {
            log.event("INFO", "transfer stopped and aborted: " + e.getMessage(), Map.of("file", listed.path()));
            return false;
        } catch (SyncException e) {
            tally.failed(listed.path(), redactor.redact(e.getMessage()));
            return true;
        } catch (IOException | RuntimeException e) {
            tally.failed(listed.path(), redactor.reason(e));
            return true;
        }
    }
}
