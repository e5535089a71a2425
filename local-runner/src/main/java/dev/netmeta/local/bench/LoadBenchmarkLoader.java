package dev.netmeta.local.bench;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import dev.netmeta.load.LoadHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The loader leg of the benchmark, in its own JVM (started with the heap limit under test): builds the real
 * {@link LoadHandler} from the environment, delivers one S3 notification and prints one result line.
 */
final class LoadBenchmarkLoader {

    static final String RESULT = "LOADER_RESULT";

    private LoadBenchmarkLoader() {
    }

    static void run(String bucket, String key) throws InterruptedException {
        AtomicLong peakUsed = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long used = 0;
                for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                    if (pool.getType() == MemoryType.HEAP) {
                        used += pool.getUsage().getUsed();
                    }
                }
                peakUsed.accumulateAndGet(used, Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long t0 = System.nanoTime();
        LoadHandler handler = new LoadHandler(System.getenv());
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        String summary = handler.handleRequest(event(bucket, key), null);
        long t2 = System.nanoTime();
        long cpu2 = os.getProcessCpuTime();
        sampler.interrupt();
        sampler.join();
        System.out.printf("%s init_ms=%d load_ms=%d loader_cpu_ms=%d peak_heap_used_mb=%d max_heap_mb=%d summary=%s%n",
                RESULT, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (cpu2 - cpu1) / 1_000_000,
                peakUsed.get() >> 20,
                Runtime.getRuntime().maxMemory() >> 20, summary.replace('\n', ' '));
    }

    /**
     * The small-files leg: one {@link LoadHandler} (one container) gets {@code files} notifications one after another,
     * one object each ({@code <prefix><n>.csv.gz}, as {@link LoadBenchmarkSmallFiles} names them); prints the time of
     * each invocation in one result line.
     */
    static void runSmall(String bucket, String prefix, int files) {
        long t0 = System.nanoTime();
        LoadHandler handler = new LoadHandler(System.getenv());
        long init = System.nanoTime() - t0;
        StringBuilder micros = new StringBuilder();
        for (int i = 0; i < files; i++) {
            long t = System.nanoTime();
            String summary = handler.handleRequest(event(bucket, LoadBenchmarkSmallFiles.key(prefix, i)), null);
            long us = (System.nanoTime() - t) / 1000;
            if (!summary.contains("SUCCEEDED")) {
                throw new IllegalStateException("file " + i + " did not load: " + summary);
            }
            micros.append(i == 0 ? "" : ",").append(us);
        }
        System.out.printf("%s init_ms=%d file_us=%s%n", RESULT, init / 1_000_000, micros);
    }

    private static S3Event event(String bucket, String key) {
        return new S3Event(List.of(new S3EventNotification.S3EventNotificationRecord("us-east-1", "ObjectCreated:Put",
                "aws:s3", "2018-05-09T14:30:21.000Z", "2.1", null, null,
                new S3EventNotification.S3Entity("benchmark", new S3EventNotification.S3BucketEntity(bucket, null,
                        "arn:aws:s3:::" + bucket), new S3EventNotification.S3ObjectEntity(key, 0L, null, null, "0"), "1.0"),
                null)));
    }
}
