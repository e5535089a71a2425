package dev.netmeta.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Thread-safe counters of one invocation, turned into a {@link SyncSummary} at the end. */
final class RunTally {

    final AtomicInteger listed = new AtomicInteger();
    final AtomicInteger notMatching = new AtomicInteger();
    final AtomicInteger newFiles = new AtomicInteger();
    final AtomicInteger copied = new AtomicInteger();
    final AtomicInteger skippedUnstable = new AtomicInteger();
    final AtomicInteger skippedPresent = new AtomicInteger();
    final AtomicInteger deferred = new AtomicInteger();
    final AtomicInteger fannedOut = new AtomicInteger();
    final AtomicInteger listingSessionsDropped = new AtomicInteger();
    final AtomicLong bytes = new AtomicLong();
    private final ConcurrentLinkedQueue<FileFailure> failures = new ConcurrentLinkedQueue<>();

    void failed(String file, String reason) {
        failures.add(new FileFailure(file, reason));
    }

    SyncSummary toSummary(String mode, long durationMs) {
        List<FileFailure> f = new ArrayList<>(failures);
        return new SyncSummary(mode, listed.get(), notMatching.get(), newFiles.get(), copied.get(), skippedUnstable.get(),
                skippedPresent.get(), deferred.get(), fannedOut.get(), listingSessionsDropped.get(), f, bytes.get(), durationMs);
    }
}
