package dev.netmeta.local.testing;

import java.io.IOException;

/** A started server (embedded or container) and the endpoint tests use to reach it; closing it stops the server. */
record RunningServer<E>(E endpoint, Stopper stopper) implements AutoCloseable {

    /** Stops a server and removes what it left on disk. */
    @FunctionalInterface
    interface Stopper {
        void stop() throws IOException;
    }

    @Override
    public void close() throws IOException {
        stopper.stop();
    }
}
