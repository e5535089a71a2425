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

    /**
     * Delivers the object of {@code key} in the bucket to the S3-triggered function again ({@code POST /_local/load}):
     * the HTTP status to answer (202 delivered, 404 no such object, 400 a key the rules do not deliver, 409 its load
     * is running) and the JSON body.
     */
    default LoadOutcome loadAgain(String key) {
        return new LoadOutcome(404, "{\"message\":\"this runner delivers no S3 events\"}");
    }

    record SyncOutcome(boolean failed, String json) {
    }

    record LoadOutcome(int status, String json) {
    }
}
