package dev.netmeta.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A byte-for-byte TCP proxy in front of the S3 server (requests stay validly signed: the client signs the proxy's
 * host:port) that cuts downloads mid-way, as S3 or a proxy's idle timeout does to a long GetObject: the first
 * {@code cuts} connections whose answers pass {@code limitBytes} are closed right there, in the middle of the body —
 * the first with an orderly close (the body ends early), the second with a reset (an I/O error), and so on.
 * Small answers (reports, HeadObject, PutObject) pass; every later connection passes whole. {@link #onCut} runs
 * before the connection is closed, so what it does (a new version of the object) is done before the client can
 * resume. With {@link #changeInResumedBody} set, the first ranged answer (HTTP 206: a resume's rest) that holds that
 * text in its body has the text's second byte changed on the way (one bit, as a faulty link or middlebox would),
 * once — the rest of the answer, its length and its headers stay as they were.
 */
final class CuttingS3Proxy implements AutoCloseable {

    private final ServerSocket listener;
    private final URI target;
    private final long limitBytes;
    private final AtomicInteger cutsLeft;
    final AtomicInteger cuts = new AtomicInteger();
    volatile Runnable onCut = () -> { };
    /** Text whose second byte is changed in the first resumed body that holds it; null: bytes pass unchanged. */
    volatile String changeInResumedBody;
    final AtomicInteger changed = new AtomicInteger();

    CuttingS3Proxy(URI target, long limitBytes, int cuts) throws IOException {
        this.target = target;
        this.limitBytes = limitBytes;
        this.cutsLeft = new AtomicInteger(cuts);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "cutting-s3-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(target.getHost(), target.getPort());
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean downstream) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            long sent = 0;
            boolean cutting = downstream;
            BodyChange change = new BodyChange();
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (downstream) {
                        change.apply(buf, n);
                    }
                    out.write(buf, 0, n);
                    out.flush();
                    sent += n;
                    if (cutting && sent > limitBytes) {
                        if (cutsLeft.getAndDecrement() > 0) {
                            if (cuts.incrementAndGet() % 2 == 0) {
                                to.setSoLinger(true, 0); // every second cut a reset (an I/O error), the others an end
                            }
                            onCut.run();
                            break; // closed in the middle of the answer
                        }
                        cutting = false;
                    }
                }
            } catch (IOException ignored) {
                // the other side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "cutting-s3-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Finds a 206 answer on one connection and changes {@link #changeInResumedBody} in its body, once in all. */
    private final class BodyChange {
        private boolean inPartialBody;

        void apply(byte[] buf, int n) {
            String text = changeInResumedBody;
            if (text == null || changed.get() > 0) {
                return;
            }
            String chunk = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
            int from = 0;
            if (!inPartialBody) {
                int status = chunk.indexOf("HTTP/1.1 206 ");
                int headersEnd = status < 0 ? -1 : chunk.indexOf("\r\n\r\n", status);
                if (headersEnd < 0) {
                    return;
                }
                inPartialBody = true;
                from = headersEnd + 4;
            }
            int at = chunk.indexOf(text, from);
            if (at >= 0 && changed.getAndIncrement() == 0) {
                buf[at + 1] ^= 0x01;
            }
        }
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
