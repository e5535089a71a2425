package dev.netmeta.local.runner.watch;

/** What the bucket watcher tells the person watching the console. */
public interface LoadProgress {

    void objectDelivered(String key, long size, boolean redelivery);

    /**
     * A final load report was read. {@code thisRun}: the object was delivered in this run of the runner (false for a
     * load delivered before this start whose report is read only now).
     */
    void objectLoaded(String key, long size, LoadReport report, boolean thisRun);

    void objectFailed(String key, String error);
}
