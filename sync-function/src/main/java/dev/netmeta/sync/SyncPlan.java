package dev.netmeta.sync;

import java.util.List;

/** What one scheduled run does with the files it has to copy: copy here, or hand to a copy-file invocation. */
public record SyncPlan(List<RemoteFile> copyHere, List<RemoteFile> fanOut) {
}
