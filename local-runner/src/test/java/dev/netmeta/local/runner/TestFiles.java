package dev.netmeta.local.runner;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Gzip CSV files with a known number of rows, and a known number of rows per host. */
final class TestFiles {

    private TestFiles() {
    }

    /**
     * {@code rows} rows; row i has host {@code google.com} when i % 4 == 0 (so rows/4 rounded up of them), else
     * {@code example.org}; src IPs 10.1.x.y (IPv4) and fd00::x (IPv6) alternate every 5th row.
     */
    static Path csv(Path dir, String name, int rows) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name);
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(file)),
                StandardCharsets.UTF_8))) {
            out.write("ts,src_ip,src_port,dest_ip,dest_port,proto,host,bytes_toserver\n");
            long base = 1_525_860_000L; // 2018-05-09T10:00:00Z
            for (int i = 0; i < rows; i++) {
                String src = i % 5 == 4 ? "fd00::" + Integer.toHexString(1 + i % 200) : "10.1." + (i / 250 % 250) + "." + (1 + i % 250);
                out.write(String.format(java.util.Locale.ROOT, "%d.%03d,%s,%d,93.184.216.34,443,6,%s,%d%n",
                        base + i / 100, i % 1000, src, 40_000 + i % 20_000, i % 4 == 0 ? "google.com" : "example.org", 100 + i));
            }
        }
        return file;
    }

    static long googleRows(int rows) {
        return (rows + 3) / 4;
    }
}
