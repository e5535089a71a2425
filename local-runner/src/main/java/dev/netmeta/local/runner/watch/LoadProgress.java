package dev.netmeta.local.runner.watch;

/** What the bucket watcher tells the person watching the console. */
public interface LoadProgress {

    /**
     * An object is handed to the function. {@code resumed}: why an object delivered before this start is delivered
     * again, null for a new one; {@code lastFailure}: how its last attempt failed, when it did.
     */
    void objectDelivered(String key, long size, BucketWatcher.Resume resumed, String lastFailure);

    /**
     * At start: the load of an object that the last stop cut off after it saved a CONTINUING report goes on from that
     * report's position ({@code fromRow}, 0-based: the rows before it are indexed) on the continuation function
     * {@code function}, instead of from its first row.
     */
    void objectContinued(String key, long size, long fromRow, String function);

    /** At start: an object whose load failed for good ({@link BucketWatcher.Resume#FAILED_FOR_GOOD}), not delivered again. */
    void objectFailedForGood(String key, LoadReport report);

    /**
     * A final load report was read. {@code thisRun}: the object was delivered in this run of the runner (false for a
     * load delivered before this start whose report is read only now).
     */
    void objectLoaded(String key, long size, LoadReport report, boolean thisRun);

    void objectFailed(String key, String error);

    /**
     * While the runner stops: a load that ran when the stop began and did not finish — cut off by the stop, neither
     * loaded nor failed; the next start delivers it again. {@code report}: its FAILED report, or the CONTINUING one it
     * saved where it stopped at the deadline the stop set; null when it saved none (interrupted, or its save failed).
     * {@code replacedETag}: the version the load was of, when the key has been delivered again since (a new version
     * came while it ran); null when it is the key's current delivery.
     */
    void objectCutOffByStop(String key, long size, LoadReport report, String replacedETag);

    /** While the runner stops: {@code count} deliveries were still queued for a free slot; the next start delivers them again. */
    void loadsNotStartedAtStop(int count);
}
