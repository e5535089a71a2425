package dev.netmeta.sync;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A byte-for-byte TCP proxy in front of the S3 server (requests stay validly signed: the client signs the proxy's
 * host:port, which is what the server receives). While {@link #breakLargeRequests(boolean) armed}, it cuts any client
 * connection that has sent more than {@code limitBytes}: small requests (create/abort/list) pass, every UploadPart
 * dies mid-body — the S3 side of a transfer broken mid-way. While {@link #changeLargeRequests(boolean) changing}, it
 * instead passes everything on but changes (inverts) the byte right after the first {@code limitBytes} a client
 * connection sent — one byte of a large body changed on the way, which only a checksum tells.
 */
final class BreakingTcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final URI target;
    private final long limitBytes;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicBoolean changing = new AtomicBoolean();
    private final Thread acceptor;

    BreakingTcpProxy(URI target, long limitBytes) throws IOException {
        this.target = target;
        this.limitBytes = limitBytes;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "breaking-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    void breakLargeRequests(boolean on) {
        armed.set(on);
    }

    void changeLargeRequests(boolean on) {
        changing.set(on);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getHost(), target.getPort());
                pump(client, server, true);
                pump(server, client, false);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean upstream) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[64 * 1024];
            long sent = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (upstream && changing.get() && sent <= limitBytes && sent + n > limitBytes) {
                        int at = (int) (limitBytes - sent);
                        buf[at] = (byte) ~buf[at];
                    }
                    out.write(buf, 0, n);
                    sent += n;
                    if (upstream && armed.get() && sent > limitBytes) {
                        break; // cut the connection in the middle of a large request
                    }
                }
            } catch (IOException ignored) {
                // the other side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "breaking-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
