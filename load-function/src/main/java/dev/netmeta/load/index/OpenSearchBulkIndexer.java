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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Batches documents into {@code _bulk} bodies by count and bytes, keeps up to {@code concurrency} requests in flight
 * (the reader blocks beyond that, so memory stays bounded), and settles every item: 2xx → indexed; 429/502/503/504
 * → retried alone with backoff and jitter; anything else (mapping errors…) → rejected with OpenSearch's reason.
 * A request that fails as a whole with a retryable status or a connection error is retried the same way; when the
 * attempts run out the session fails and says how many documents were left unindexed.
 * <p>The session watches the invocation's clock: no attempt starts (and no backoff sleeps) when less than half the
 * time margin would be left, and {@link IndexingSession#finish()} stops waiting when less than a quarter is left;
 * the documents not settled by then are reported with the lowest position among them, where the file continues.
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
        private final AtomicLong indexed = new AtomicLong();
        private final AtomicLong rejected = new AtomicLong();
        private final AtomicLong unsettled = new AtomicLong();
        private volatile String failure;
        private volatile boolean stopped;
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
            Long resumeAt = null;
            long left = 0;
            synchronized (this) {
                for (BulkBatch b : live) {
                    left += b.size();
                    if (b.size() > 0 && (resumeAt == null || b.position(0) < resumeAt)) {
                        resumeAt = b.position(0);
                    }
                }
            }
            if (failure != null) {
                return new IndexingResult(indexed.get(), rejected.get(), unsettled.get() + left, failure, null);
            }
            return new IndexingResult(indexed.get(), rejected.get(), left, null, resumeAt);
        }

        private void send(BulkBatch first) throws InterruptedException {
            BulkBatch batch = first;
            long delay = 0;
            for (int attempt = 1; ; attempt++) {
                if (stopped || deadline.remainingMillis() - delay < lastAttemptMillis) {
                    stopped = true;
                    return; // out of time: the batch stays unsettled, the file continues from its first record
                }
                Thread.sleep(delay);
                String problem;
                try {
                    BulkTransport.BulkReply reply = transport.post(batch.body(), batch.bytes());
                    if (reply.status() == 200) {
                        BulkBatch retry = settle(batch, reply.body());
                        synchronized (this) { // finish() must never see neither the batch nor its retry
                            if (retry != null) {
                                live.add(retry);
                            }
                            live.remove(batch);
                        }
                        batch = retry;
                        if (batch == null) {
                            return;
                        }
                        problem = batch.size() + " documents still refused with a retryable status";
                    } else if (Backoff.retryable(reply.status())) {
                        problem = "OpenSearch answered HTTP " + reply.status();
                    } else if (reply.status() == 413 && batch.size() == 1) {
                        // one document larger than the domain takes in a request: that record is rejected, not the file
                        int bytes = batch.bytes();
                        if (recordRejects(batch, List.of(0), 0, i -> "the document is larger than OpenSearch accepts"
                                + " in one request (HTTP 413 for " + bytes + " bytes; the domain's"
                                + " http.max_content_length)")) {
                            synchronized (this) {
                                live.remove(batch);
                            }
                        }
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
         * Counts the settled items; returns a batch of the items to retry, or null when none is left. The documents
         * OpenSearch indexed are counted first: a failure to record a refused one (the rejects object cannot be
         * written) must not make them look unsettled, nor the refused ones look rejected.
         */
        private BulkBatch settle(BulkBatch batch, byte[] response) throws IOException {
            List<BulkItems.Item> items = BulkItems.failuresOrNull(response);
            if (items == null) {
                indexed.addAndGet(batch.size());
                return null;
            }
            if (items.size() != batch.size()) {
                throw new IOException("bulk response has " + items.size() + " items for " + batch.size() + " documents");
            }
            BulkBatch retry = null;
            List<Integer> refused = new ArrayList<>();
            BulkItems.Item indexRefused = null;
            int indexRefusals = 0;
            for (int i = 0; i < items.size(); i++) {
                BulkItems.Item item = items.get(i);
                if (item.ok()) {
                    indexed.incrementAndGet();
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
            IntFunction<String> reason =
                    i -> "OpenSearch refused the document (HTTP " + items.get(i).status() + "): " + items.get(i).error();
            int waiting = retry == null ? 0 : retry.size();
            if (indexRefused == null) {
                return recordRejects(batch, refused, waiting, reason) ? retry : null;
            }
            // the index took no document (blocked, missing, not creatable): not the documents' fault, so not
            // rejects — the session fails and a retry of the file may find the cluster able to take them
            if (recordRejects(batch, refused, indexRefusals + waiting, reason)) {
                synchronized (this) {
                    live.remove(batch);
                    unsettled.addAndGet(indexRefusals + waiting);
                    if (failure == null) {
                        failure = "OpenSearch refused " + indexRefusals + " documents because of their index (HTTP "
                                + indexRefused.status() + "): " + indexRefused.error();
                    }
                }
            }
            return null;
        }

        /**
         * Hands the refused items of a batch to the rejection listener. When the listener fails, the session fails
         * and the items not recorded, with {@code waiting} items of the batch still to be retried, count as
         * unsettled (the batch leaves {@link #live}); returns false then. On success the caller settles the batch.
         */
        private boolean recordRejects(BulkBatch batch, List<Integer> refused, int waiting, IntFunction<String> reason) {
            int recorded = 0;
            try {
                for (int i : refused) {
                    rejections.rejected(batch.position(i), batch.line(i), batch.document(i), reason.apply(i));
                    rejected.incrementAndGet();
                    recorded++;
                }
                return true;
            } catch (RuntimeException e) {
                synchronized (this) {
                    live.remove(batch);
                    unsettled.addAndGet(refused.size() - recorded + waiting);
                    if (failure == null) {
                        failure = "bulk indexing stopped: recording a document OpenSearch refused failed: "
                                + (e.getMessage() == null ? e.toString() : e.getMessage());
                    }
                }
                return false;
            }
        }

        private synchronized void fail(BulkBatch batch, String message) {
            if (batch != null && live.remove(batch)) {
                unsettled.addAndGet(batch.size());
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
