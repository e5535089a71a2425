package dev.netmeta.load.index;

import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches documents into {@code _bulk} bodies by count and bytes, keeps up to {@code concurrency} requests in flight
 * (the reader blocks beyond that, so memory stays bounded), and settles every item: 2xx → indexed; 429/502/503/504
 * → retried alone with backoff and jitter; anything else (mapping errors…) → rejected with OpenSearch's reason.
 * A request that fails as a whole with a retryable status or a connection error is retried the same way; when the
 * attempts run out the session fails and says how many documents were left unindexed.
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
    public IndexingSession start(String sourceFile, RejectionListener rejections) {
        return new Session(sourceFile == null ? null : new SerializedString(sourceFile), rejections);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    private final class Session implements IndexingSession {
        private final SerializedString sourceFile;
        private final RejectionListener rejections;
        private final Semaphore inFlight = new Semaphore(concurrency);
        private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();
        private final AtomicLong indexed = new AtomicLong();
        private final AtomicLong rejected = new AtomicLong();
        private final AtomicLong unsettled = new AtomicLong();
        private volatile String failure;
        private BulkBatch current;

        Session(SerializedString sourceFile, RejectionListener rejections) {
            this.sourceFile = sourceFile;
            this.rejections = rejections;
        }

        @Override
        public void add(String index, String id, long position, long line, Map<String, Object> document) {
            if (failure != null) {
                throw new IndexingFailedException(failure);
            }
            if (current == null) {
                current = new BulkBatch(maxDocs, Math.min(maxBytes + maxBytes / 8, 64 * 1024 * 1024));
            }
            current.add(index, id, position, line, document, sourceFile);
            if (current.size() >= maxDocs || current.bytes() >= maxBytes) {
                submit();
            }
        }

        private void submit() {
            BulkBatch batch = current;
            current = null;
            inFlight.acquireUninterruptibly();
            while (!pending.isEmpty() && pending.peekFirst().isDone()) {
                pending.pollFirst();
            }
            pending.add(workers.submit(() -> {
                try {
                    send(batch);
                } catch (Throwable t) {
                    fail(batch.size(), "bulk indexing stopped: " + t);
                } finally {
                    inFlight.release();
                }
            }));
        }

        @Override
        public IndexingResult finish() {
            if (current != null && current.size() > 0) {
                submit();
            }
            current = null;
            for (Future<?> f : pending) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fail(0, "interrupted while waiting for bulk requests");
                } catch (ExecutionException e) {
                    fail(0, "bulk worker failed: " + e.getCause());
                }
            }
            pending.clear();
            return new IndexingResult(indexed.get(), rejected.get(), unsettled.get(), failure);
        }

        private void send(BulkBatch first) throws InterruptedException {
            BulkBatch batch = first;
            for (int attempt = 1; ; attempt++) {
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
                    } else {
                        fail(batch.size(), "OpenSearch answered HTTP " + reply.status() + " to _bulk: "
                                + snippet(reply.body()));
                        return;
                    }
                } catch (IOException e) {
                    problem = "bulk request failed: " + e;
                }
                if (!backoff.canRetry(attempt)) {
                    fail(batch.size(), problem + " after " + attempt + " attempts");
                    return;
                }
                Thread.sleep(backoff.delayMillis(attempt));
            }
        }

        /** Counts the settled items; returns a batch of the items to retry, or null when none is left. */
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
            for (int i = 0; i < items.size(); i++) {
                BulkItems.Item item = items.get(i);
                if (item.ok()) {
                    indexed.incrementAndGet();
                } else if (Backoff.retryable(item.status())) {
                    if (retry == null) {
                        retry = new BulkBatch(items.size(), batch.bytes());
                    }
                    retry.copyItem(batch, i);
                } else {
                    rejected.incrementAndGet();
                    rejections.rejected(batch.position(i), batch.line(i), batch.document(i),
                            "OpenSearch refused the document (HTTP " + item.status() + "): " + item.error());
                }
            }
            return retry;
        }

        private synchronized void fail(long documents, String message) {
            unsettled.addAndGet(documents);
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
