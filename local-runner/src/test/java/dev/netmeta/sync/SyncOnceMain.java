package dev.netmeta.sync;

import dev.netmeta.local.testing.TestLambdaContext;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Runs one scheduled sync in its own JVM (environment from the process environment) and prints the summary and
 * the heap's peak use, so a test can run the sync with a small {@code -Xmx} and check what it did.
 */
public final class SyncOnceMain {

    private SyncOnceMain() {
    }

    public static void main(String[] args) {
        SyncSummary s = new SyncHandler(System.getenv()).handleRequest(null, TestLambdaContext.realTime(15 * 60 * 1000L));
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("RESULT copied=" + s.getCopied() + " failed=" + s.getFailed() + " bytes=" + s.getBytes()
                + " maxHeap=" + Runtime.getRuntime().maxMemory() + " peakHeapSum=" + peak);
        System.exit(s.getFailed() == 0 ? 0 : 3);
    }
}
