package dev.netmeta.local.runner.sync;

import dev.netmeta.local.runner.invoke.InvocationResult;

/** What the schedule tells the person watching the console. */
public interface SyncProgress {

    void syncFinished(String trigger, InvocationResult result);
}
