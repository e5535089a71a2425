package dev.netmeta.load;

/** Hands the rest of a file to a fresh invocation when this one runs out of time. */
public interface ContinuationScheduler {

    void schedule(LoadContinuation continuation);
}
