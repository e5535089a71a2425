package dev.netmeta.local.testing;

/** A started server (embedded or container) and the endpoint tests use to reach it; closing it stops the server. */
record RunningServer<E>(E endpoint, AutoCloseable server) implements AutoCloseable {

    @Override
    public void close() throws Exception {
        server.close();
    }
}
