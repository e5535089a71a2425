package dev.netmeta.local.bench;

import dev.netmeta.sync.SyncHandler;
import dev.netmeta.sync.SyncSummary;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One scheduled sync in its own JVM (environment from the process), so its heap is measured apart from the servers'.
 * Prints one line: {@code SYNC_RESULT copied=… bytes=… durationMs=… maxHeap=… peakHeap=… gcs=… cpuMs=… handlerCpuMs=…
 * handlerUserMs=… handlerSysMs=… handlerJitMs=… handlerClassesLoaded=…} (process CPU including JVM start and JIT, CPU
 * spent inside the one handler call, that split into user and kernel time, and the JIT compiler's time and the
 * classes loaded during the call: the cold JVM's fixed costs).
 */
public final class SyncBenchmarkWorker {

    private SyncBenchmarkWorker() {
    }

    static long cpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    /**
     * User and system CPU milliseconds of this process from {@code /proc/self/stat} (fields 14 and 15, in clock ticks
     * of 1/100 s on Linux), {-1, -1} where there is no such file. The split shows what is the kernel's (socket copies,
     * the same for any client) and what is the JVM's own work.
     */
    static long[] userSysMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {Long.parseLong(f[11]) * 10, Long.parseLong(f[12]) * 10};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }

    public static void main(String[] args) {
        SyncHandler handler = new SyncHandler(System.getenv());
        long jit0 = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
        long classes0 = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        long cpuBefore = cpuMillis();
        long[] times0 = userSysMillis();
        SyncSummary s = handler.handleRequest(null, null);
        long handlerCpu = cpuMillis() - cpuBefore;
        long[] times1 = userSysMillis();
        long jitMs = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - jit0;
        long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount() - classes0;
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
                + " peakHeap=" + peak + " gcs=" + gcs + " cpuMs=" + cpuMillis() + " handlerCpuMs=" + handlerCpu
                + " handlerUserMs=" + (times1[0] - times0[0]) + " handlerSysMs=" + (times1[1] - times0[1])
                + " handlerJitMs=" + jitMs + " handlerClassesLoaded=" + classes);
        System.exit(s.getFailed() == 0 ? 0 : 3);
    }
}
