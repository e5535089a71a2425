package dev.netmeta.load.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.load.RealClock;
import dev.netmeta.load.Uninterruptibly;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OpenSearchBulkIndexerTest {

    private static final Backoff FAST = new Backoff(1, 2, 5);

    private static Map<String, Object> doc(int i) {
        return Map.of("srcIp", "10.0.0." + (i % 250), "n", (long) i);
    }

    @Test
    void batchesByDocumentCount() {
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 100, 10_000_000, 2, FAST)) {
            IndexingSession session = indexer.start(null, null, (p, l, d, r) -> { });
            for (int i = 0; i < 1050; i++) {
                session.add("metadata-2018.05.09", "id-" + i, i, i + 2, doc(i));
            }
            IndexingResult result = session.finish();

            assertThat(result).isEqualTo(new IndexingResult(1050, 0, 0, null));
            assertThat(transport.requestSizes).hasSize(11).containsOnly(100, 50);
            assertThat(transport.stored).hasSize(1050);
            assertThat(transport.stored.get("id-7").get("n").asLong()).isEqualTo(7);
        }
    }

    @Test
    void batchesByBytes() {
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 10_000, 4_096, 1, FAST)) {
            IndexingSession session = indexer.start(null, null, (p, l, d, r) -> { });
            for (int i = 0; i < 500; i++) {
                session.add("metadata-2018.05.09", "id-" + i, i, i + 2, doc(i));
            }
            assertThat(session.finish().indexed()).isEqualTo(500);
            assertThat(transport.requestSizes.size()).isGreaterThan(5);
            // a batch is sent as soon as it reaches the limit: at most one document beyond it
            assertThat(transport.requestBytes).allSatisfy(bytes -> assertThat(bytes).isLessThan(4_096 + 200));
        }
    }

    @Test
    void retriesOnlyTheItemsRefusedWith429Or503() {
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> {
            int n = deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            int i = Integer.parseInt(id.substring(3));
            if (n == 1 && i % 3 == 0) {
                return 429;
            }
            if (n <= 2 && i % 7 == 0) {
                return 503;
            }
            return 201;
        });
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 50, 10_000_000, 2, FAST)) {
            IndexingSession session = indexer.start(null, null, (p, l, d, r) -> { });
            for (int i = 0; i < 300; i++) {
                session.add("metadata-2018.05.09", "id-" + i, i, i + 2, doc(i));
            }
            IndexingResult result = session.finish();

            assertThat(result).isEqualTo(new IndexingResult(300, 0, 0, null));
            assertThat(transport.stored).hasSize(300);
            assertThat(deliveries.get("id-1").get()).isEqualTo(1);
            assertThat(deliveries.get("id-3").get()).isEqualTo(2);
            assertThat(deliveries.get("id-7").get()).isEqualTo(3);
        }
    }

    @Test
    void everyDocumentCarriesItsFilePositionAndVersionAlsoWhenRetried() {
        String key = "raw/2018-05-09 \"odd\"/flows-ü.csv.gz";
        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id ->
                id.equals("id-3") && deliveries.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet() == 1
                        ? 429 : 201);
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 4, 10_000_000, 1, FAST)) {
            IndexingSession session = indexer.start(key, "9f0e\\\"x-2", (p, l, d, r) -> { });
            for (int i = 0; i < 10; i++) {
                session.add("metadata-2018.05.09", "id-" + i, 100 + i, i + 2, doc(i));
            }
            assertThat(session.finish().indexed()).isEqualTo(10);
        }
        assertThat(transport.stored).hasSize(10);
        for (int i = 0; i < 10; i++) {
            var stored = transport.stored.get("id-" + i);
            assertThat(stored.get("sourceFile").asText()).isEqualTo(key);
            assertThat(stored.get("sourceRecord").isIntegralNumber()).isTrue();
            assertThat(stored.get("sourceRecord").asLong()).isEqualTo(100 + i);
            assertThat(stored.get("sourceVersion").asText()).as("written as a JSON string, escaped")
                    .isEqualTo("9f0e\\\"x-2");
            assertThat(stored.get("n").asLong()).as("the record's own fields stay").isEqualTo(i);
        }
        assertThat(deliveries.get("id-3")).hasValue(2);
    }

    @Test
    void aSessionWithoutASourceFileWritesNoProvenance() {
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 4, 10_000_000, 1, FAST)) {
            IndexingSession session = indexer.start(null, null, (p, l, d, r) -> { });
            session.add("metadata-2018.05.09", "id-1", 1, 2, doc(1));
            session.finish();
        }
        assertThat(transport.stored.get("id-1").has("sourceFile")).isFalse();
        assertThat(transport.stored.get("id-1").has("sourceRecord")).isFalse();
        assertThat(transport.stored.get("id-1").has("sourceVersion")).isFalse();
    }

    @Test
    void nonRetryableItemFailuresAreRejectedWithTheReason() {
        List<String> rejects = Collections.synchronizedList(new ArrayList<>());
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> id.equals("id-5") ? 400 : 201);
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 4, 10_000_000, 1, FAST)) {
            IndexingSession session = indexer.start(null, null, (position, line, document, reason) ->
                    rejects.add(position + "|" + line + "|" + document + "|" + reason));
            for (int i = 0; i < 10; i++) {
                session.add("metadata-2018.05.09", "id-" + i, i, i + 2, doc(i));
            }
            IndexingResult result = session.finish();

            assertThat(result).isEqualTo(new IndexingResult(9, 1, 0, null));
            assertThat(rejects).singleElement().asString()
                    .startsWith("5|7|{")
                    .contains("\"n\":5", "mapper_parsing_exception", "HTTP 400");
        }
    }

    /**
     * Refusals about the target index, not the document: AWS blocks index creation on a domain low on storage
     * (403 {@code cluster_block_exception} "cluster create-index blocked"), a cluster at its shard limit refuses a new
     * daily index (400 {@code validation_exception} "maximum shards open"), a missing index with auto-creation off
     * answers 404. Every document of that day went to the rejects as if it were bad, the file SUCCEEDED (and its
     * previous version's documents were removed). The session fails instead — retryably: the documents stay
     * unsettled, none is rejected.
     */
    @Test
    void itemsRefusedBecauseOfTheirIndexFailTheSessionInsteadOfBeingRejected() {
        String[] answers = {
            "{\"index\":{\"status\":201}}",
            "{\"index\":{\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"bad n\"}}}",
            "{\"index\":{\"status\":403,\"error\":{\"type\":\"cluster_block_exception\",\"reason\":\"index "
                    + "[metadata-2018.05.10] blocked by: [FORBIDDEN/10/cluster create-index blocked (api)];\"}}}",
            "{\"index\":{\"status\":400,\"error\":{\"type\":\"validation_exception\",\"reason\":\"Validation "
                    + "Failed: 1: this action would add [2] total shards, but this cluster currently has [1000]/[1000] "
                    + "maximum shards open;\"}}}",
            "{\"index\":{\"status\":404,\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such "
                    + "index [metadata-2018.05.11]\"}}}",
            "{\"index\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\"}}}"};
        BulkTransport transport = (body, length) -> new BulkTransport.BulkReply(200,
                ("{\"took\":1,\"errors\":true,\"items\":[" + String.join(",", answers) + "]}").getBytes());
        List<String> rejects = Collections.synchronizedList(new ArrayList<>());
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 6, 10_000_000, 1, FAST)) {
            IndexingSession session = indexer.start(null, null, (position, line, document, reason) ->
                    rejects.add(position + "|" + reason));
            for (int i = 0; i < 6; i++) {
                session.add("metadata-2018.05.0" + (9 + i), "id-" + i, i, i + 2, doc(i));
            }
            IndexingResult result = session.finish();

            assertThat(rejects).singleElement().asString().startsWith("1|").contains("mapper_parsing_exception");
            assertThat(result.indexed()).isEqualTo(1);
            assertThat(result.rejected()).isEqualTo(1);
            assertThat(result.unsettled()).as("three refused for their index, one not retried").isEqualTo(4);
            assertThat(result.failure()).contains("HTTP 403", "cluster_block_exception", "create-index blocked");
        }
    }

    @Test
    void aRejectThatCannotBeRecordedFailsTheSessionWithoutCountingAnyDocumentTwice() {
        // ids 1 and 2 refused for good, 3 refused with 429 (to be retried); the rejects object cannot be written
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> switch (id) {
            case "id-1", "id-2" -> 400;
            case "id-3" -> 429;
            default -> 201;
        });
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 5, 10_000_000, 1, FAST)) {
            IndexingSession session = indexer.start(null, null, (position, line, document, reason) -> {
                throw new IllegalStateException("writing the rejects s3://b/rejects/k.ndjson failed: slow down");
            });
            for (int i = 0; i < 5; i++) {
                session.add("metadata-2018.05.09", "id-" + i, i, i + 2, doc(i));
            }
            IndexingResult result = session.finish();

            // 0 and 4 are in the index; 1 and 2 are neither indexed nor recorded, 3 was not retried: a new attempt
            // must read those three again — and every document is counted exactly once
            assertThat(result.indexed()).isEqualTo(2);
            assertThat(result.rejected()).isZero();
            assertThat(result.unsettled()).isEqualTo(3);
            assertThat(result.failure()).contains("recording a document OpenSearch refused failed",
                    "writing the rejects s3://b/rejects/k.ndjson failed: slow down");
        }
    }

    @Test
    void aDocumentTooLargeForOneRequestThatCannotBeRecordedIsUnsettledNotRejected() {
        BulkTransport tooLarge = (body, length) -> new BulkTransport.BulkReply(413, "{}".getBytes());
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(tooLarge, 1, 10_000_000, 1, FAST)) {
            IndexingSession session = indexer.start(null, null, (position, line, document, reason) -> {
                throw new IllegalStateException("the rejects object cannot be written");
            });
            session.add("metadata-2018.05.09", "id-0", 0, 2, doc(0));
            IndexingResult result = session.finish();

            assertThat(result.rejected()).isZero();
            assertThat(result.unsettled()).isEqualTo(1);
            assertThat(result.failure()).contains("the rejects object cannot be written");
        }
    }

    @Test
    void retriesWholeRequestsOnConnectionErrorsAndRetryableStatuses() {
        AtomicInteger calls = new AtomicInteger();
        ScriptedBulkTransport ok = new ScriptedBulkTransport(id -> 201);
        BulkTransport flaky = (body, length) -> {
            int n = calls.incrementAndGet();
            if (n == 1) {
                throw new IOException("connection reset");
            }
            if (n == 2) {
                return new BulkTransport.BulkReply(503, "{}".getBytes());
            }
            return ok.post(body, length);
        };
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(flaky, 100, 10_000_000, 1, FAST)) {
            IndexingSession session = indexer.start(null, null, (p, l, d, r) -> { });
            for (int i = 0; i < 10; i++) {
                session.add("metadata-2018.05.09", "id-" + i, i, i + 2, doc(i));
            }
            assertThat(session.finish()).isEqualTo(new IndexingResult(10, 0, 0, null));
            assertThat(ok.stored).hasSize(10);
        }
    }

    @Test
    void failsTheSessionWhenTheAttemptsRunOut() {
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> id.equals("id-1") ? 429 : 201);
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 2, 10_000_000, 1, FAST)) {
            IndexingSession session = indexer.start(null, null, (p, l, d, r) -> { });
            session.add("i", "id-0", 0, 1, doc(0));
            session.add("i", "id-1", 1, 2, doc(1));
            IndexingResult result = session.finish();

            assertThat(result.indexed()).isEqualTo(1);
            assertThat(result.unsettled()).isEqualTo(1);
            assertThat(result.failure()).contains("after 5 attempts");
            assertThatThrownBy(() -> session.add("i", "id-2", 2, 3, doc(2)))
                    .isInstanceOf(IndexingFailedException.class);
        }
    }

    @Test
    void failsOnNonRetryableRequestStatus() {
        BulkTransport forbidden = (body, length) -> new BulkTransport.BulkReply(403, "{\"message\":\"no\"}".getBytes());
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(forbidden, 100, 10_000_000, 1, FAST)) {
            IndexingSession session = indexer.start(null, null, (p, l, d, r) -> { });
            session.add("i", "id-0", 0, 1, doc(0));
            IndexingResult result = session.finish();
            assertThat(result.failure()).contains("HTTP 403", "no");
            assertThat(result.unsettled()).isEqualTo(1);
        }
    }

    @Test
    void stopsRetryingWhenTheDeadlineNearsAndSaysWhereToContinue() {
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> Integer.parseInt(id.substring(3)) >= 7 ? 429 : 201);
        Backoff patient = new Backoff(20, 50, 1_000_000); // would retry for hours
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 5, 10_000_000, 2, patient)) {
            // the deadline nears once OpenSearch has taken all it takes (ids 0-6): 2 s left, retries stop below 0.8 s
            IndexingSession session = indexer.start(null, null, (p, l, d, r) -> { },
                    RealClock.startingWhen(() -> transport.stored.size() >= 7, 2_000), 1_600);
            for (int i = 0; i < 20; i++) {
                session.add("i", "id-" + i, i, i + 2, doc(i));
            }
            IndexingResult result = session.finish();

            assertThat(result.failure()).isNull();
            assertThat(result.indexed()).isEqualTo(7);
            assertThat(result.unsettled()).isEqualTo(13);
            assertThat(result.resumeAt()).isEqualTo(7);
        }
    }

    @Test
    void finishDoesNotWaitForAStalledRequestPastTheDeadline() {
        ScriptedBulkTransport ok = new ScriptedBulkTransport(id -> 201);
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        BulkTransport stallsAfterTheFirst = (body, length) -> {
            if (calls.incrementAndGet() == 1) {
                return ok.post(body, length);
            }
            try {
                never.await(); // a request that never gets an answer
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException("interrupted");
            }
            throw new IOException("unreachable");
        };
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(stallsAfterTheFirst, 10, 10_000_000, 1, FAST)) {
            // 1.5 s left from the moment the second request (the stalled one) is sent
            IndexingSession session = indexer.start(null, null, (p, l, d, r) -> { },
                    RealClock.startingWhen(() -> calls.get() >= 2, 1_500), 1_200);
            for (int i = 0; i < 25; i++) {
                session.add("i", "id-" + i, i, i + 2, doc(i));
            }
            IndexingResult result = session.finish();

            assertThat(result.failure()).isNull();
            assertThat(result.indexed()).isEqualTo(10);
            assertThat(result.unsettled()).isEqualTo(15);
            assertThat(result.resumeAt()).isEqualTo(10);
            assertThat(ok.stored).hasSize(10);
        }
    }


    /**
     * finish() gives up at the deadline while a worker is still settling a batch OpenSearch has answered — here it
     * is writing the reject of a refused document, which does not end on the interrupt finish() sends. The worker
     * had already counted the batch's acknowledged documents as indexed (and the first refused one as rejected)
     * while the batch was still among the unsettled ones that finish() counts and resumes from, so the result said
     * 8 indexed, 1 rejected and 5 unsettled of 10 documents. The abandoned batch counts as unsettled only — its
     * records are read again from {@code resumeAt} — whatever the worker does after finish().
     */
    @Test
    void aBatchAbandonedWhileItsAnswerIsBeingSettledCountsAsUnsettledOnly() throws InterruptedException {
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id ->
                id.equals("id-7") || id.equals("id-8") ? 400 : 201);
        CountDownLatch recording = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong remaining = new AtomicLong(60_000); // the invocation's clock, as the test sets it
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 5, 10_000_000, 1, FAST)) {
            IndexingSession session = indexer.start(null, null, (position, line, document, reason) -> {
                if (position == 8) {
                    recording.countDown();
                    Uninterruptibly.await(release);
                }
            }, remaining::get, 1_000);
            try {
                for (int i = 0; i < 10; i++) {
                    session.add("i", "id-" + i, i, i + 2, doc(i));
                }
                // one request at a time: ids 0-4 are settled, the worker is recording the reject of id 8
                assertThat(recording.await(10, TimeUnit.SECONDS)).isTrue();
                remaining.set(200); // below a quarter of the margin: finish() stops waiting at once

                IndexingResult result = session.finish();

                assertThat(result).isEqualTo(new IndexingResult(5, 0, 5, null, 5L));
            } finally {
                release.countDown();
            }
        }
    }

    /**
     * The same with the session failed by another request before finish(): then the result goes into the FAILED
     * report as it is ({@code rowsRead = indexed + rejected + skipped + unsettled}), and the documents the abandoned
     * worker had counted were counted twice.
     */
    @Test
    void aBatchAbandonedWhileItsAnswerIsBeingSettledIsCountedOnceInAFailedSession() throws InterruptedException {
        ScriptedBulkTransport items = new ScriptedBulkTransport(id ->
                id.equals("id-7") || id.equals("id-8") ? 400 : 201);
        CountDownLatch recording = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BulkTransport transport = (body, length) -> {
            if (new String(body, 0, length, java.nio.charset.StandardCharsets.UTF_8).contains("\"id-0\"")) {
                // ids 0-4 fail the session for good, once the other request is being settled
                Uninterruptibly.await(recording);
                return new BulkTransport.BulkReply(403, "{\"message\":\"no\"}".getBytes());
            }
            return items.post(body, length);
        };
        AtomicLong remaining = new AtomicLong(60_000);
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 5, 10_000_000, 2, FAST)) {
            IndexingSession session = indexer.start(null, null, (position, line, document, reason) -> {
                if (position == 8) {
                    recording.countDown();
                    Uninterruptibly.await(release);
                }
            }, remaining::get, 1_000);
            try {
                for (int i = 0; i < 10; i++) {
                    session.add("i", "id-" + i, i, i + 2, doc(i));
                }
                assertThat(recording.await(10, TimeUnit.SECONDS)).isTrue();
                // the indexer has two worker threads and one is held by the reject of id 8: another session's
                // request runs only once the 403 of ids 0-4 has been dealt with completely
                IndexingSession probe = indexer.start(null, null, (p, l, d, r) -> { });
                probe.add("i", "probe", 0, 1, doc(0));
                assertThat(probe.finish()).isEqualTo(new IndexingResult(1, 0, 0, null));
                remaining.set(200);

                IndexingResult result = session.finish();

                assertThat(result.failure()).contains("HTTP 403");
                assertThat(result.indexed()).isZero();
                assertThat(result.rejected()).isZero();
                assertThat(result.unsettled()).as("%s", result).isEqualTo(10);
            } finally {
                release.countDown();
            }
        }
    }
}
