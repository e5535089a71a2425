package dev.netmeta.load;

import dev.netmeta.load.index.Backoff;
import dev.netmeta.load.index.OpenSearchBulkIndexer;
import dev.netmeta.load.index.ScriptedBulkTransport;
import dev.netmeta.model.Env;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Not a test: a driver that prints where a small file's time goes on {@link LoadService}'s own path (no network),
 * for a look at the per-file fixed cost. Loads {@code files} gzip CSVs of {@code rows} rows one after another in one
 * JVM, each its own S3 event, with one indexer for all of them (as one Lambda container has), and prints the time
 * per file by rounds, so the first calls (class loading, JIT) stand apart from the steady cost.
 *
 * <pre>java -cp load-function/target/test-classes:load-function/target/classes:&lt;deps&gt;
 *     dev.netmeta.load.SmallFilesProbe [files=2000] [rows=50] [round=200]</pre>
 */
public final class SmallFilesProbe {

    private SmallFilesProbe() {
    }

    public static void main(String[] args) throws IOException {
        int files = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int round = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        if (args.length > 3 && args[3].equals("per-file-wiring")) {
            // as the property tests do (ReadingPath): an indexer, its thread pool and the settings per file
            long[] nanos = new long[files];
            for (int i = 0; i < files; i++) {
                byte[] object = csv(rows, i);
                long t = System.nanoTime();
                ReadingPath.load(object);
                nanos[i] = System.nanoTime() - t;
            }
            print(nanos, round);
            return;
        }
        InMemoryPorts ports = new InMemoryPorts();
        ScriptedBulkTransport transport = new ScriptedBulkTransport(id -> 201);
        try (OpenSearchBulkIndexer indexer = new OpenSearchBulkIndexer(transport, 5000, 5 << 20, 2,
                Backoff.standard(3))) {
            LoadService service = new LoadService(LoadSettings.from(new Env(Map.of())), ports, indexer, ports, ports,
                    ports, () -> { }, new FakeStaleDocuments(),
                    new LoadLog(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)),
                    Clock.systemUTC());
            long[] nanos = new long[files];
            for (int i = 0; i < files; i++) {
                String key = "raw/sensor-" + i + ".csv.gz";
                ports.objects.put("probe/" + key, csv(rows, i));
                long t = System.nanoTime();
                List<LoadReport> reports = service.load(InMemoryPorts.event("probe", key), Deadline.none());
                nanos[i] = System.nanoTime() - t;
                if (reports.size() != 1 || reports.get(0).indexed() != rows) {
                    throw new IllegalStateException("unexpected report " + reports);
                }
                ports.objects.remove("probe/" + key);
                transport.stored.clear();
            }
            print(nanos, round);
        }
    }

    private static void print(long[] nanos, int round) {
        for (int from = 0; from < nanos.length; from += round) {
            long[] r = Arrays.copyOfRange(nanos, from, Math.min(nanos.length, from + round));
            Arrays.sort(r);
            System.out.printf("files %5d-%5d: mean %7.3f ms  p50 %7.3f  p90 %7.3f  max %7.3f%n", from,
                    from + r.length - 1, Arrays.stream(r).average().orElse(0) / 1e6, r[r.length / 2] / 1e6,
                    r[r.length * 9 / 10] / 1e6, r[r.length - 1] / 1e6);
        }
    }

    static byte[] csv(int rows, int seed) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            StringBuilder s = new StringBuilder("Timestamp,Src IP,Src Port,Dst IP,Dst Port,Protocol,host\n");
            for (int i = 0; i < rows; i++) {
                s.append("2018-05-09T14:").append(10 + i % 50).append(":21Z,10.0.").append(seed % 250).append('.')
                        .append(i % 250).append(',').append(1024 + i).append(",93.184.216.34,443,6,example.com\n");
            }
            gz.write(s.toString().getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
