package dev.netmeta.local.runner.invoke;

import java.nio.charset.StandardCharsets;

/**
 * The outcome of one invocation: the serialized response, or an error in the shape Lambda reports it
 * ({@code errorType}, {@code errorMessage}) — a thrown exception, an init failure, or a timeout.
 */
public record InvocationResult(String requestId, byte[] payload, String errorType, String errorMessage, long durationMillis) {

    public boolean failed() {
        return errorType != null;
    }

    public String payloadText() {
        return payload == null ? "null" : new String(payload, StandardCharsets.UTF_8);
    }

    static InvocationResult error(String requestId, String type, String message, long durationMillis) {
        return new InvocationResult(requestId, null, type, message == null ? type : message, durationMillis);
    }
}
