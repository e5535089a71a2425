package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Behaviours of a scheduled run that docs/SYNC.md states and no other test reached: the saved throughput is a
 * planning hint that can fail without failing the run; copy-file invocations neither read nor write it; and files the
 * scheduled run had no time for (not started, or stopped) are fanned out at the end, not only deferred.
 */
class ScheduledRunEdgesTest {

    private static final Instant NOW = Instant.parse("2026-11-27T02:00:00Z");
    private static final long MIB = 1024 * 1024;

    @Test
    void aThroughputStateThatCannotBeReadOrWrittenFailsNoFile() {
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        Source source = new Source(List.of(new RemoteFile("big.csv.gz", 17 * MIB, NOW.minusSeconds(3600))));
        Store store = new Store();
        BrokenState state = new BrokenState();
        SyncService service = service(Map.of("SYNC_FANOUT_ENABLED", "false"), source, store, null, state, logs);

        SyncSummary s = service.runScheduled(() -> 900_000);

        assertThat(s.getCopied()).isEqualTo(1);
        assertThat(s.getFailures()).isEmpty();
        assertThat(store.uploaded).containsExactly("raw/big.csv.gz");
        assertThat(state.reads).as("the run asked for the saved estimate").hasValue(1);
        assertThat(state.writes).as("17 MiB copied: the run tried to save its measurement").hasValue(1);
        String log = logs.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("\"level\":\"WARN\"")
                .contains("cannot read the saved throughput, planning with SYNC_THROUGHPUT_MBPS")
                .contains("cannot save the measured throughput")
                .doesNotContain("\"level\":\"ERROR\"");
    }

    @Test
    void aCopyFileInvocationNeitherReadsNorWritesTheThroughputState() {
        RemoteFile file = new RemoteFile("big.csv.gz", 17 * MIB, NOW.minusSeconds(3600));
        Store store = new Store();
        BrokenState state = new BrokenState();
        SyncService service = service(Map.of(), new Source(List.of()), store, p -> { }, state, new ByteArrayOutputStream());

        SyncSummary s = service.copyFile(CopyFileRequest.of(file), () -> 900_000);

        assertThat(s.getCopied()).isEqualTo(1);
        assertThat(state.reads).hasValue(0);
        assertThat(state.writes).hasValue(0);
    }

    @Test
    void filesTheRunHadNoTimeLeftForAreHandedToCopyFileInvocationsAtTheEnd() {
        List<RemoteFile> files = List.of(new RemoteFile("f0.csv.gz", 4, NOW.minusSeconds(3000)),
                new RemoteFile("f1.csv.gz", 4, NOW.minusSeconds(2000)), new RemoteFile("f2.csv.gz", 4, NOW.minusSeconds(1000)));
        Store store = new Store();
        List<String> payloads = new CopyOnWriteArrayList<>();
        // one worker; every file fits the plan; reading 1 is the plan, 2 the check before f0; from then on the
        // remaining time is below the 60 s margin, so f1 and f2 are never started
        AtomicInteger readings = new AtomicInteger();
        SyncService service = service(Map.of("SYNC_CONCURRENCY", "1"), new Source(files), store, payloads::add,
                ThroughputStore.NONE, new ByteArrayOutputStream());

        SyncSummary s = service.runScheduled(() -> readings.incrementAndGet() <= 2 ? 900_000 : 30_000);

        assertThat(store.uploaded).containsExactly("raw/f0.csv.gz");
        assertThat(s.getCopied()).isEqualTo(1);
        assertThat(s.getFannedOut()).isEqualTo(2);
        assertThat(s.getDeferred()).isZero();
        assertThat(payloads).hasSize(2);
        assertThat(payloads.get(0)).contains("\"path\":\"f1.csv.gz\"");
        assertThat(payloads.get(1)).contains("\"path\":\"f2.csv.gz\"");
    }

    @Test
    void aTransferStoppedForLackOfTimeIsHandedToACopyFileInvocationAtTheEnd() {
        List<RemoteFile> files = List.of(new RemoteFile("slow.csv.gz", 4, NOW.minusSeconds(3000)),
                new RemoteFile("quick.csv.gz", 4, NOW.minusSeconds(2000)));
        Store store = new Store();
        store.stop.add("raw/slow.csv.gz"); // as S3ObjectStore does when keepGoing turns false between parts
        List<String> payloads = new CopyOnWriteArrayList<>();
        SyncService service = service(Map.of("SYNC_CONCURRENCY", "1"), new Source(files), store, payloads::add,
                ThroughputStore.NONE, new ByteArrayOutputStream());

        SyncSummary s = service.runScheduled(() -> 900_000);

        assertThat(store.uploaded).containsExactly("raw/quick.csv.gz");
        assertThat(s.getCopied()).isEqualTo(1);
        assertThat(s.getFailures()).isEmpty();
        assertThat(s.getFannedOut()).isEqualTo(1);
        assertThat(s.getDeferred()).isZero();
        assertThat(payloads).singleElement().asString().contains("\"path\":\"slow.csv.gz\"");
    }

    /**
     * A worker that dies of an Error (copyOne ends every exception in the tally; an OutOfMemoryError is not one): the
     * run fails, naming it, but the other workers are not interrupted in the middle of a transfer — an interrupt could
     * stop a multipart upload's abort and leave its parts in the bucket — and take no new file. Which worker's future
     * the run waits on first is not fixed, so the race is run several times (before, it interrupted the other upload
     * whenever the failed worker's future came first).
     */
    @Test
    void aWorkerThatDiesOfAnErrorLetsTheOtherTransfersEndOnTheirOwn() throws Exception {
        for (int attempt = 0; attempt < 8; attempt++) {
            List<RemoteFile> files = List.of(new RemoteFile("a.csv.gz", 4, NOW.minusSeconds(3000)),
                    new RemoteFile("b.csv.gz", 4, NOW.minusSeconds(2000)),
                    new RemoteFile("later.csv.gz", 4, NOW.minusSeconds(1000)));
            java.util.concurrent.CountDownLatch bothStarted = new java.util.concurrent.CountDownLatch(2);
            AtomicInteger calls = new AtomicInteger();
            AtomicReference<Thread> dying = new AtomicReference<>();
            Thread run = Thread.currentThread();
            List<String> ended = new CopyOnWriteArrayList<>();
            EmptyBucketStore store = (key, data, expectedSize, partSize, keepGoing) -> {
                boolean first = calls.incrementAndGet() == 1;
                if (first) {
                    dying.set(Thread.currentThread());
                }
                bothStarted.countDown();
                try {
                    bothStarted.await();
                    if (first) {
                        throw new OutOfMemoryError("Java heap space (test)");
                    }
                    awaitTheErrorTaken(dying.get(), run); // still uploading when the run takes the other worker's error
                    ended.add(key + " finished");
                    return data.transferTo(OutputStreamSink.INSTANCE);
                } catch (InterruptedException e) {
                    ended.add(key + " interrupted");
                    throw new IOException("interrupted", e);
                }
            };
            SyncService service = service(Map.of("SYNC_CONCURRENCY", "2", "SYNC_FANOUT_ENABLED", "false"),
                    new Source(files), store, null, ThroughputStore.NONE, new ByteArrayOutputStream());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> service.runScheduled(() -> 900_000))
                    .isInstanceOf(SyncException.class).hasMessageContaining("transfer worker failed")
                    .hasMessageContaining("Java heap space");
            assertThat(ended).as("attempt %d", attempt).singleElement().asString().endsWith(" finished");
            assertThat(calls).as("no file taken after the error").hasValue(2);
        }
    }

    /**
     * Waits (interruptibly: a run that interrupts its workers is seen as such) until the worker that died has left its
     * transfer — it emptied the queue on its way out — and the run's thread is blocked in the service: on this
     * transfer's future, or waiting for the pool to end after taking the error. A fixed sleep lost this race when the
     * dying thread was descheduled for as long, and this worker then took the third file. 30 s keeps a regression
     * from hanging.
     */
    private static void awaitTheErrorTaken(Thread dead, Thread run) throws InterruptedException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(idleOutsideTheService(dead) && blockedInTheService(run)) && System.nanoTime() < giveUp) {
            Thread.sleep(5);
        }
    }

    private static boolean idleOutsideTheService(Thread t) {
        Thread.State state = t.getState();
        return state == Thread.State.TERMINATED
                || state == Thread.State.WAITING && !inTheService(t);
    }

    private static boolean blockedInTheService(Thread t) {
        Thread.State state = t.getState();
        return (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) && inTheService(t);
    }

    private static boolean inTheService(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().startsWith(SyncService.class.getName()));
    }

    private static SyncService service(Map<String, String> settings, Source source, ObjectStore store, SelfInvoker invoker,
                                       ThroughputStore state, ByteArrayOutputStream logs) {
        Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "h", "FTP_USER", "u", "BUCKET", "b",
                "AWS_LAMBDA_FUNCTION_NAME", "sync", "SYNC_THROUGHPUT_MBPS", "1000"));
        env.putAll(settings);
        Redactor redactor = new Redactor(new EnvSecretSource("pw"));
        JsonLog log = new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8), redactor);
        return new SyncService(SyncConfig.fromEnv(env), source, store, invoker, redactor, log,
                Clock.fixed(NOW, ZoneOffset.UTC), state);
    }

    /** Lists the given files; each download reports the listed file and streams as many zero bytes as it has. */
    private static final class Source implements RemoteFileSource {
        private final List<RemoteFile> files;

        Source(List<RemoteFile> files) {
            this.files = files;
        }

        @Override
        public RemoteListing list() {
            return RemoteListing.of(files);
        }

        @Override
        public Download open(String path) {
            RemoteFile f = files.stream().filter(x -> x.path().equals(path)).findFirst()
                    .orElse(new RemoteFile(path, 17 * MIB, NOW.minusSeconds(3600)));
            return new Download() {
                @Override
                public Optional<RemoteFile> current() {
                    return Optional.of(f);
                }

                @Override
                public InputStream stream() {
                    return new InputStream() {
                        private long left = f.size();

                        @Override
                        public int read() {
                            return left-- > 0 ? 0 : -1;
                        }

                        @Override
                        public int read(byte[] b, int off, int len) {
                            if (left <= 0) {
                                return -1;
                            }
                            int n = (int) Math.min(len, left);
                            left -= n;
                            java.util.Arrays.fill(b, off, off + n, (byte) 0);
                            return n;
                        }
                    };
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Reads every byte; throws TransferStoppedException for the keys in {@code stop}. */
    private static final class Store implements EmptyBucketStore {
        final List<String> uploaded = new CopyOnWriteArrayList<>();
        final List<String> stop = new ArrayList<>();

        @Override
        public long upload(String key, InputStream data, long expectedSize, int partSize, BooleanSupplier keepGoing)
                throws IOException {
            if (stop.contains(key)) {
                throw new TransferStoppedException("stopped after 0 bytes: the invocation is running out of time");
            }
            long n = data.transferTo(OutputStreamSink.INSTANCE);
            uploaded.add(key);
            return n;
        }
    }

    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }

    /** A state object S3 refuses to give or take (e.g. an IAM policy without it, or S3 unavailable). */
    private static final class BrokenState implements ThroughputStore {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();

        @Override
        public OptionalDouble read() {
            reads.incrementAndGet();
            throw new IllegalStateException("Access Denied (Service: S3, Status Code: 403)");
        }

        @Override
        public void write(double bytesPerSecond) {
            writes.incrementAndGet();
            throw new IllegalStateException("Access Denied (Service: S3, Status Code: 403)");
        }
    }
}
