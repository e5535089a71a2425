package dev.netmeta.sync;

/** Hands one file to an asynchronous invocation of this same function (the fan-out). */
public interface SelfInvoker {

    /** Queues an asynchronous invocation with the given JSON payload; returns once the platform accepted it. */
    void invokeAsync(String payloadJson);
}
