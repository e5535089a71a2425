package dev.netmeta.local.runner.http;

import com.fasterxml.jackson.databind.JsonNode;

/** What the {@code /_local/*} endpoints ask of the running pipeline. */
public interface LocalControl {

    /** Runs the scheduled function now and waits for it; the result is its summary (or its error) as JSON. */
    SyncOutcome syncNow();

    /** Per object key its load state and report, and whether the pipeline is idle. */
    JsonNode status();

    /** Whether every server and function is up. */
    boolean ready();

    record SyncOutcome(boolean failed, String json) {
    }
}
