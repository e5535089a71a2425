package dev.netmeta.local.runner.invoke;

import java.nio.charset.StandardCharsets;

/**
 * The outcome of one invocation: the serialized response, or an error in the shape Lambda reports it
 * ({@code errorType}, {@code errorMessage}) — a thrown exception, an init failure, or a timeout — or one the runner
 * never started (shutting down, or no concurrency slot before the caller's start deadline).
 */
public record InvocationResult(String requestId, byte[] payload, String errorType, String errorMessage, long durationMillis) {

    /**
     * The {@code errorType} of an invocation that never started: no concurrency slot freed before its caller's start
     * deadline ({@link LocalFunction#invokeStartingBy}).
     */
    public static final String NOT_STARTED = "Runtime.NotStarted";

    public boolean failed() {
        return errorType != null;
    }

    /** True when the invocation never started (no handler ran): see {@link #NOT_STARTED}. */
    public boolean notStarted() {
        return NOT_STARTED.equals(errorType);
    }

    public String payloadText() {
        return payload == null ? "null" : new String(payload, StandardCharsets.UTF_8);
    }

    static InvocationResult error(String requestId, String type, String message, long durationMillis) {
        return new InvocationResult(requestId, null, type, message == null ? type : message, durationMillis);
    }
}
