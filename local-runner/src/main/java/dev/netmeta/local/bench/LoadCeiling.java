package dev.netmeta.local.bench;

import dev.netmeta.load.index.BulkTransport;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw {@code _bulk} ceiling: pre-serialized NDJSON bodies (length-prefixed in a file, produced from the same
 * records with the same batch size) posted by {@code concurrency} threads through the same transport as the loader.
 */
final class LoadCeiling {

    private LoadCeiling() {
    }

    /** A transport that appends every body to {@code out} instead of sending it, answering "no errors". */
    static BulkTransport recorder(DataOutputStream out) {
        byte[] ok = "{\"took\":0,\"errors\":false,\"items\":[]}".getBytes(StandardCharsets.UTF_8);
        return (body, length) -> {
            synchronized (out) {
                out.writeInt(length);
                out.write(body, 0, length);
            }
            return new BulkTransport.BulkReply(200, ok);
        };
    }

    /** Posts the bodies of {@code in} (at most {@code maxBodies}); returns the number of documents acknowledged without error. */
    static long post(DataInputStream in, BulkTransport transport, int concurrency, int maxBodies)
            throws InterruptedException {
        AtomicLong documents = new AtomicLong();
        AtomicLong bodies = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            Thread thread = new Thread(() -> {
                while (true) {
                    byte[] body;
                    synchronized (in) {
                        if (bodies.incrementAndGet() > maxBodies) {
                            return;
                        }
                        try {
                            body = new byte[in.readInt()];
                            in.readFully(body);
                        } catch (EOFException e) {
                            return;
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    try {
                        BulkTransport.BulkReply reply = transport.post(body, body.length);
                        String head = new String(reply.body(), 0, Math.min(200, reply.body().length), StandardCharsets.UTF_8);
                        if (reply.status() != 200 || !head.contains("\"errors\":false")) {
                            failures.incrementAndGet();
                        } else {
                            documents.addAndGet(count(body));
                        }
                    } catch (IOException e) {
                        failures.incrementAndGet();
                    }
                }
            }, "ceiling-" + t);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failures.get() > 0) {
            System.out.println("  ceiling: " + failures.get() + " bulk requests failed or had item errors");
        }
        return documents.get();
    }

    private static long count(byte[] body) {
        long lines = 0;
        for (byte b : body) {
            if (b == '\n') {
                lines++;
            }
        }
        return lines / 2;
    }
}
