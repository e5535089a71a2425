package dev.netmeta.local.bench;

import dev.netmeta.sync.SyncHandler;
import dev.netmeta.sync.SyncSummary;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * One scheduled sync in its own JVM (environment from the process), so its heap is measured apart from the servers'.
 * Prints one line: {@code SYNC_RESULT copied=… bytes=… durationMs=… maxHeap=… peakHeap=… gcs=… cpuMs=… handlerCpuMs=…}
 * (process CPU including JVM start and JIT, and CPU spent inside the one handler call).
 */
public final class SyncBenchmarkWorker {

    private SyncBenchmarkWorker() {
    }

    static long cpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    public static void main(String[] args) {
        SyncHandler handler = new SyncHandler(System.getenv());
        long cpuBefore = cpuMillis();
        SyncSummary s = handler.handleRequest(null, null);
        long handlerCpu = cpuMillis() - cpuBefore;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        long gcs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs += Math.max(0, gc.getCollectionCount());
        }
        System.out.println("SYNC_RESULT copied=" + s.getCopied() + " failed=" + s.getFailed() + " bytes=" + s.getBytes()
                + " durationMs=" + s.getDurationMs() + " maxHeap=" + Runtime.getRuntime().maxMemory()
                + " peakHeap=" + peak + " gcs=" + gcs + " cpuMs=" + cpuMillis() + " handlerCpuMs=" + handlerCpu);
        System.exit(s.getFailed() == 0 ? 0 : 3);
    }
}
