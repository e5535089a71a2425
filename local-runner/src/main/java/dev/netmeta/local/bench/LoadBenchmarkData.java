package dev.netmeta.local.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a realistic flow-metadata gzip CSV (12 columns, one day of traffic, fixed seed): ISO-8601 timestamps,
 * private source / public destination IPv4 (1 % IPv6), ephemeral and well-known ports, IANA protocol numbers, host
 * names, byte counts, durations, a few quoted fields with embedded commas.
 */
final class LoadBenchmarkData {

    static final String HEADER = "Timestamp,Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,host,orig_bytes,"
            + "resp_bytes,Flow Duration,Label";
    private static final String[] HOSTS = {"google.com", "www.example.org", "api.github.com", "s3.amazonaws.com",
        "login.microsoftonline.com", "cdn.jsdelivr.net", "update.ubuntu.com", "time.cloudflare.com"};
    private static final int[] PORTS = {443, 80, 53, 22, 123, 8080, 993, 3389};
    private static final String[] LABELS = {"BENIGN", "BENIGN", "BENIGN", "\"scan, slow\"", "DoS"};

    private LoadBenchmarkData() {
    }

    static void write(Path file, long rows) throws IOException {
        Random random = new Random(42);
        long start = 1_525_824_000_000L; // 2018-05-09T00:00:00Z
        try (OutputStream out = Files.newOutputStream(file);
             GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16);
             BufferedWriter w = new BufferedWriter(new OutputStreamWriter(gz, StandardCharsets.UTF_8), 1 << 16)) {
            w.write(HEADER);
            w.write('\n');
            StringBuilder row = new StringBuilder(200);
            for (long i = 0; i < rows; i++) {
                row.setLength(0);
                long ts = start + i * 86_000_000L / rows;
                row.append(java.time.Instant.ofEpochMilli(ts)).append(',');
                row.append("F").append(Long.toHexString(random.nextLong())).append(',');
                String src = "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
                row.append(src).append(',').append(1024 + random.nextInt(64_000)).append(',');
                if (random.nextInt(100) == 0) {
                    row.append("2001:db8::").append(Integer.toHexString(random.nextInt(65_536)));
                } else {
                    row.append(random.nextInt(223) + 1).append('.').append(random.nextInt(256)).append('.')
                            .append(random.nextInt(256)).append('.').append(random.nextInt(256));
                }
                int port = PORTS[random.nextInt(PORTS.length)];
                row.append(',').append(port).append(',').append(port == 53 || port == 123 ? 17 : 6).append(',');
                row.append(HOSTS[random.nextInt(HOSTS.length)]).append(',');
                row.append(random.nextInt(100_000)).append(',').append(random.nextInt(10_000_000)).append(',');
                row.append(random.nextInt(5_000_000)).append(',').append(LABELS[random.nextInt(LABELS.length)]);
                row.append('\n');
                w.append(row);
            }
        }
    }
}
