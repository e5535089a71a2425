package dev.netmeta.local.runner.watch;

/** What the bucket watcher tells the person watching the console. */
public interface LoadProgress {

    void objectDelivered(String key, long size, boolean redelivery);

    void objectLoaded(String key, long size, LoadReport report);

    void objectFailed(String key, String error);
}
