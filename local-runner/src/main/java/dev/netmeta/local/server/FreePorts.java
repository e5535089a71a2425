package dev.netmeta.local.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds a free TCP port on 127.0.0.1, for servers that cannot bind port 0 and report the port they got. */
final class FreePorts {

    private FreePorts() {
    }

    /** How many ports a {@link #range} spans: enough that a few taken ones do not matter. */
    static final int RANGE_SIZE = 100;

    /**
     * A range of ports starting at a free one, {@code from-to}, for a server that binds the first free port of a range
     * and reports it (OpenSearch's {@code http.port}, {@code transport.port}): the port {@link #find} returns may be
     * taken by another process before the server binds it (parallel builds on one machine), and the server then
     * takes the next free one instead of failing with "Address already in use".
     */
    static String range() {
        int from = find();
        return from + "-" + Math.min(65_535, from + RANGE_SIZE - 1);
    }

    static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
