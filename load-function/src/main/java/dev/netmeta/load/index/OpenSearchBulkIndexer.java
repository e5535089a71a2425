package dev.netmeta.load.index;

import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.netmeta.load.Deadline;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Batches documents into {@code _bulk} bodies by count and bytes, keeps up to {@code concurrency} requests in flight
 * (the reader blocks beyond that, so memory stays bounded), and settles every item: 2xx → indexed; 429/502/503/504
 * → retried alone with backoff and jitter; refused because of the target index, not the document (403, 404, 400
 * {@code validation_exception}: {@link BulkItems.Item#aboutTheIndex()}) → the session fails, those documents left
 * unindexed; anything else (mapping errors…) → rejected with OpenSearch's reason.
 * A request that fails as a whole with a retryable status or a connection error is retried the same way; when the
 * attempts run out the session fails and says how many documents were left unindexed.
 * <p>The session watches the invocation's clock: no attempt starts (and no backoff sleeps) when less than half the
 * time margin would be left, and {@link IndexingSession#finish()} stops waiting when less than a quarter is left;
 * the documents not settled by then are reported with the lowest position among them, where the file continues.
 * <p>A batch leaves {@code live} together with the counts of what became of its documents, in one step under the
 * session's lock, and finish() takes its result under the same lock and closes the session: a worker it abandoned
 * (a request or a rejects write that did not end on the interrupt) changes nothing after that — its documents stay
 * unsettled, and the file reads them again.
 */
public final class OpenSearchBulkIndexer implements BulkIndexer {

    private final BulkTransport transport;
    private final int maxDocs;
    private final int maxBytes;
    private final int concurrency;
    private final Backoff backoff;
    private final ExecutorService workers;

    public OpenSearchBulkIndexer(BulkTransport transport, int maxDocs, int maxBytes, int concurrency, Backoff backoff) {
        if (maxDocs < 1 || maxBytes < 1 || concurrency < 1) {
            throw new IllegalArgumentException("bulk limits must be positive");
        }
        this.transport = transport;
        this.maxDocs = maxDocs;
        this.maxBytes = maxBytes;
        this.concurrency = concurrency;
        this.backoff = backoff;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "bulk-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public IndexingSession start(String sourceFile, String sourceVersion, RejectionListener rejections,
            Deadline deadline, long marginMillis) {
        return new Session(sourceFile == null ? null : new SerializedString(sourceFile),
                sourceFile == null || sourceVersion == null ? null : new SerializedString(sourceVersion), rejections,
                deadline, marginMillis);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    private final class Session implements IndexingSession {
        private final SerializedString sourceFile;
        private final SerializedString sourceVersion;
        private final RejectionListener rejections;
        private final Deadline deadline;
        /** No new attempt (first or retry) is started when less than this would be left once it may start. */
        private final long lastAttemptMillis;
        /** finish() stops waiting for requests in flight when less than this is left. */
        private final long giveUpMillis;
        private final Semaphore inFlight = new Semaphore(concurrency);
        private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();
        /** Batches not settled yet: sent, backing off, or left unsent because the time ran out. */
        private final Set<BulkBatch> live = ConcurrentHashMap.newKeySet();
        // the counts change only under the session's lock, with the batch they are about leaving live
        private long indexed;
        private long rejected;
        private long unsettled;
        private volatile String failure;
        private volatile boolean stopped;
        /** Set by finish() under the session's lock, with its result taken: from then on nothing is counted. */
        private volatile boolean finished;
        private BulkBatch current;

        Session(SerializedString sourceFile, SerializedString sourceVersion, RejectionListener rejections,
                Deadline deadline, long marginMillis) {
            this.sourceFile = sourceFile;
            this.sourceVersion = sourceVersion;
            this.rejections = rejections;
            this.deadline = deadline;
            this.lastAttemptMillis = marginMillis / 2;
            this.giveUpMillis = marginMillis / 4;
        }

        @Override
        public void add(String index, String id, long position, long line, Map<String, Object> document) {
            if (failure != null) {
                throw new IndexingFailedException(failure);
            }
            if (current == null) {
                current = newBatch();
            }
            current.add(index, id, position, line, document, sourceFile, sourceVersion);
            if (current.bytes() > maxBytes && current.size() > 1) {
                // this document would take the request past BULK_MAX_BYTES (a domain answers 413 above its
                // http.max_content_length): the batch goes without it, and it starts the next one
                BulkBatch next = newBatch();
                next.copyItem(current, current.size() - 1);
                current.dropLast();
                submit();
                current = next;
            }
            if (current.size() >= maxDocs || current.bytes() >= maxBytes) {
                submit(); // a document larger than BULK_MAX_BYTES on its own goes alone
            }
        }

        private BulkBatch newBatch() {
            return new BulkBatch(maxDocs, Math.min(maxBytes + maxBytes / 8, 64 * 1024 * 1024));
        }

        private void submit() {
            BulkBatch batch = current;
            current = null;
            live.add(batch);
            if (stopped || !acquire()) {
                return; // left unsent: unsettled, a continuation reads these records again
            }
            while (!pending.isEmpty() && pending.peekFirst().isDone()) {
                pending.pollFirst();
            }
            pending.add(workers.submit(() -> {
                try {
                    send(batch);
                } catch (InterruptedException e) {
                    // finish() gave up on this request: its documents stay unsettled (in live)
                } catch (Throwable t) {
                    if (!stopped) {
                        fail(batch, "bulk indexing stopped: " + t);
                    }
                } finally {
                    inFlight.release();
                }
            }));
        }

        /** Waits for a free request slot, but not past the deadline. */
        private boolean acquire() {
            try {
                while (true) {
                    long left = deadline.remainingMillis() - giveUpMillis;
                    if (left <= 0) {
                        stopped = true;
                        return false;
                    }
                    if (inFlight.tryAcquire(Math.min(left, 200), TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
                return false;
            }
        }

        @Override
        public boolean outOfTime() {
            return stopped;
        }

        @Override
        public IndexingResult finish() {
            if (current != null && current.size() > 0) {
                submit();
            }
            current = null;
            try {
                for (Future<?> f : pending) {
                    while (!f.isDone()) {
                        long left = deadline.remainingMillis() - giveUpMillis;
                        if (left <= 0) {
                            stopped = true;
                            break;
                        }
                        try {
                            f.get(Math.min(left, 200), TimeUnit.MILLISECONDS);
                        } catch (TimeoutException e) {
                            // look at the clock again
                        }
                    }
                    if (stopped) {
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopped = true;
            } catch (ExecutionException e) {
                fail(null, "bulk worker failed: " + e.getCause());
            }
            if (stopped) {
                pending.forEach(f -> f.cancel(true)); // a stuck request must not outlive the invocation
            }
            pending.clear();
            synchronized (this) {
                // a worker given up on above may still be settling an answer: from here on it counts nothing, and
                // its batch, still in live, is counted here as unsettled, once
                finished = true;
                Long resumeAt = null;
                long left = 0;
                for (BulkBatch b : live) {
                    left += b.size();
                    if (b.size() > 0 && (resumeAt == null || b.position(0) < resumeAt)) {
                        resumeAt = b.position(0);
                    }
                }
                if (failure != null) {
                    return new IndexingResult(indexed, rejected, unsettled + left, failure, null);
                }
                return new IndexingResult(indexed, rejected, left, null, resumeAt);
            }
        }

        private void send(BulkBatch first) throws InterruptedException {
            BulkBatch batch = first;
            long delay = 0;
            for (int attempt = 1; ; attempt++) {
                if (stopped || deadline.remainingMillis() - delay < lastAttemptMillis) {
                    stopped = true;
                    return; // out of time: the batch stays unsettled, the file continues from its first record
                }
                if (delay > 0) {
                    // not sleep(0) on a first attempt: the JVM yields the core there, which on a busy machine held
                    // a small file's only request for up to ~11 ms (JFR, docs/BENCHMARKS.md "Small files")
                    Thread.sleep(delay);
                }
                String problem;
                try {
                    BulkTransport.BulkReply reply = transport.post(batch.body(), batch.bytes());
                    if (reply.status() == 200) {
                        batch = settle(batch, reply.body());
                        if (batch == null) {
                            return;
                        }
                        problem = batch.size() + " documents still refused with a retryable status";
                    } else if (Backoff.retryable(reply.status())) {
                        problem = "OpenSearch answered HTTP " + reply.status();
                    } else if (reply.status() == 413 && batch.size() == 1) {
                        // one document larger than the domain takes in a request: that record is rejected, not the file
                        int bytes = batch.bytes();
                        Recorded r = recordRejects(batch, List.of(0), i -> "the document is larger than OpenSearch"
                                + " accepts in one request (HTTP 413 for " + bytes + " bytes; the domain's"
                                + " http.max_content_length)");
                        settled(batch, 0, r.count(), 1 - r.count(), null, r.failure());
                        return;
                    } else if (reply.status() == 413) {
                        fail(batch, "OpenSearch refused a _bulk request of " + batch.bytes() + " bytes (HTTP 413):"
                                + " BULK_MAX_BYTES (" + maxBytes + ") is above the domain's http.max_content_length;"
                                + " lower it");
                        return;
                    } else {
                        fail(batch, "OpenSearch answered HTTP " + reply.status() + " to _bulk: "
                                + snippet(reply.body()));
                        return;
                    }
                } catch (IOException e) {
                    if (stopped || Thread.currentThread().isInterrupted()) {
                        return;
                    }
                    problem = "bulk request failed: " + e;
                }
                if (!backoff.canRetry(attempt)) {
                    fail(batch, problem + " after " + attempt + " attempts");
                    return;
                }
                delay = backoff.delayMillis(attempt);
            }
        }

        /**
         * Settles the items of an answered batch; returns a batch of the items to retry (in the batch's place in
         * {@link #live}), or null when none is left. The documents OpenSearch indexed count as indexed also when a
         * refused one cannot be recorded (the rejects object cannot be written): they must not look unsettled, nor
         * the refused ones look rejected.
         */
        private BulkBatch settle(BulkBatch batch, byte[] response) throws IOException {
            List<BulkItems.Item> items = BulkItems.failuresOrNull(response);
            if (items == null) {
                settled(batch, batch.size(), 0, 0, null, null);
                return null;
            }
            if (items.size() != batch.size()) {
                throw new IOException("bulk response has " + items.size() + " items for " + batch.size() + " documents");
            }
            BulkBatch retry = null;
            List<Integer> refused = new ArrayList<>();
            BulkItems.Item indexRefused = null;
            int ok = 0;
            int indexRefusals = 0;
            for (int i = 0; i < items.size(); i++) {
                BulkItems.Item item = items.get(i);
                if (item.ok()) {
                    ok++;
                } else if (Backoff.retryable(item.status())) {
                    if (retry == null) {
                        retry = new BulkBatch(items.size(), batch.bytes());
                    }
                    retry.copyItem(batch, i);
                } else if (item.aboutTheIndex()) {
                    indexRefusals++;
                    indexRefused = indexRefused == null ? item : indexRefused;
                } else {
                    refused.add(i);
                }
            }
            Recorded r = recordRejects(batch, refused, i -> "OpenSearch refused the document (HTTP "
                    + items.get(i).status() + "): " + items.get(i).error());
            int waiting = retry == null ? 0 : retry.size();
            if (r.failure() != null) {
                settled(batch, ok, r.count(), refused.size() - r.count() + indexRefusals + waiting, null, r.failure());
                return null;
            }
            if (indexRefused != null) {
                // the index took no document (blocked, missing, not creatable): not the documents' fault, so not
                // rejects — the session fails and a retry of the file may find the cluster able to take them
                settled(batch, ok, r.count(), indexRefusals + waiting, null, "OpenSearch refused " + indexRefusals
                        + " documents because of their index (HTTP " + indexRefused.status() + "): "
                        + indexRefused.error());
                return null;
            }
            return settled(batch, ok, r.count(), 0, retry, null) ? retry : null;
        }

        /** How many refused items of a batch were recorded, and why the others were not (null: all were). */
        private record Recorded(int count, String failure) {
        }

        /**
         * Hands the refused items of a batch to the rejection listener, until it fails or finish() has closed the
         * session (the batch then stays unsettled, and its records are read again); the caller settles the batch
         * with what this returns.
         */
        private Recorded recordRejects(BulkBatch batch, List<Integer> refused, IntFunction<String> reason) {
            int recorded = 0;
            try {
                for (int i : refused) {
                    if (finished) {
                        break;
                    }
                    rejections.rejected(batch.position(i), batch.line(i), batch.document(i), reason.apply(i));
                    recorded++;
                }
                return new Recorded(recorded, null);
            } catch (RuntimeException e) {
                return new Recorded(recorded, "bulk indexing stopped: recording a document OpenSearch refused failed: "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }

        /**
         * Takes an answered batch out of {@link #live} — with {@code retry}, its items to send again, in its place —
         * and counts its other documents as indexed, rejected or (the session failing with {@code problem})
         * unsettled, in one step: finish() sees either the batch or all that became of it. Once finish() has taken
         * its result this changes nothing and returns false: the batch stays unsettled, its records are read again.
         */
        private synchronized boolean settled(BulkBatch batch, long ok, long recorded, long lost, BulkBatch retry,
                                             String problem) {
            if (finished) {
                return false;
            }
            indexed += ok;
            rejected += recorded;
            unsettled += lost;
            live.remove(batch);
            if (retry != null) {
                live.add(retry);
            }
            if (problem != null && failure == null) {
                failure = problem;
            }
            return true;
        }

        private synchronized void fail(BulkBatch batch, String message) {
            if (finished) {
                return; // finish() has counted the batch as unsettled already
            }
            if (batch != null && live.remove(batch)) {
                unsettled += batch.size();
            }
            if (failure == null) {
                failure = message;
            }
        }
    }

    private static String snippet(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 500), StandardCharsets.UTF_8);
        return s.replaceAll("\\s+", " ");
    }
}
