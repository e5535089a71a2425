package dev.netmeta.load.index;

/** Receives the documents OpenSearch refused for good, with the reason it gave. Called from worker threads. */
@FunctionalInterface
public interface RejectionListener {

    void rejected(long position, long line, String document, String reason);
}
