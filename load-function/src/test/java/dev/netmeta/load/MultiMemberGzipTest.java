package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A multi-member gzip (cat a.gz b.gz, bgzip, log shippers that append members) read from a network stream.
 * The JDK's GZIPInputStream (before JDK 23, JDK-7036144) only looks for a next member when {@code available() > 0}
 * or more than 26 bytes are left in its own buffer: when a network read ends exactly at a member boundary, and the
 * socket has nothing buffered yet, the stream just ends there — the rest of the file is silently not loaded and the
 * report says SUCCEEDED.
 */
class MultiMemberGzipTest {

    private static final String BUCKET = "b";
    private static final String KEY = "raw/members.csv.gz";

    private final InMemoryPorts ports = new InMemoryPorts();

    /** A download that behaves like a socket: reads end at the given offsets, and nothing is "available" ahead. */
    private final class NetworkLikeSource implements ObjectSource {
        final int[] boundaries;

        NetworkLikeSource(int... boundaries) {
            this.boundaries = boundaries;
        }

        @Override
        public SourceObject open(String bucket, String key, String eTag, Deadline readingTime) throws IOException {
            SourceObject inner = ports.open(bucket, key, eTag, readingTime);
            InputStream raw = inner.stream();
            InputStream net = new InputStream() {
                long offset;

                @Override
                public int read() throws IOException {
                    int b = raw.read();
                    if (b >= 0) {
                        offset++;
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int max = len;
                    for (int boundary : boundaries) {
                        if (offset < boundary) {
                            max = (int) Math.min(max, boundary - offset);
                            break;
                        }
                    }
                    int n = raw.read(b, off, max);
                    if (n > 0) {
                        offset += n;
                    }
                    return n;
                }

                @Override
                public int available() {
                    return 0; // a socket whose next packet has not arrived yet
                }
            };
            return new ForwardingSourceObject(inner) {
                @Override
                public InputStream stream() {
                    return net;
                }
            };
        }

        @Override
        public ObjectVersion currentVersion(String bucket, String key) {
            return ports.currentVersion(bucket, key);
        }
    }

    private LoadService service(ObjectSource source, ScriptedBulkTransport transport) {
        LoadSettings settings = LoadSettings.from(new dev.netmeta.model.Env(Map.of()));
        return new LoadService(settings, source, new OpenSearchBulkIndexer(transport, 500, 1 << 20, 2,
                new Backoff(1, 2, 3)), ports, ports, ports, () -> { }, new FakeStaleDocuments(),
                new LoadLog(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                Clock.systemUTC());
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String rows(int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            sb.append(1_525_876_221 + i).append(",10.0.0.").append(i % 250).append(",8.8.8.8,53\n");
        }
        return sb.toString();
    }

    @Test
    void everyMemberOfAConcatenatedGzipIsLoadedWhenAReadEndsAtAMemberBoundary() throws IOException {
        byte[] first = gzip("ts,Src IP,Dst IP,Dst Port\n" + rows(0, 100));
        byte[] second = gzip(rows(100, 200));
        byte[] file = new byte[first.length + second.length];
        System.arraycopy(first, 0, file, 0, first.length);
        System.arraycopy(second, 0, file, first.length, second.length);
        ports.objects.put(BUCKET + "/" + KEY, file);
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);

        List<LoadReport> reports = service(new NetworkLikeSource(first.length), transport)
                .load(InMemoryPorts.event(BUCKET, KEY), Deadline.none());

        LoadReport report = reports.get(0);
        assertThat(report.rowsRead()).as("rows of both gzip members (report: %s)", report).isEqualTo(200);
        assertThat(transport.stored).hasSize(200);
    }
}
