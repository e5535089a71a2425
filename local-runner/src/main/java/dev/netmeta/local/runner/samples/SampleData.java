package dev.netmeta.local.runner.samples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Realistic generated network metadata for a first run: gzip CSV files in the spellings real tools write —
 * CICFlowMeter flows ({@code Src IP,Dst IP,Src Port,…}, protocol numbers, {@code dd/MM/yyyy hh:mm:ss a}), Zeek DNS
 * ({@code ts,id.orig_h,…,query}, epoch seconds), HTTP in the canonical names (ISO-8601), Suricata TLS
 * ({@code src_ip,dest_ip,…,server_name}) — IPv4 and IPv6 clients, hosts such as {@code google.com}.
 * Deterministic (fixed seed, fixed day 2018-05-09 and following) so documented queries always find the same rows.
 */
public final class SampleData {

    public static final int ROWS_PER_FILE = 2_500;
    private static final LocalDateTime DAY = LocalDateTime.of(2018, 5, 9, 0, 0);
    private static final String[] HOSTS = {"google.com", "www.google.com", "mail.google.com", "github.com",
            "api.github.com", "example.org", "s3.amazonaws.com", "cloudflare.com", "en.wikipedia.org", "netflix.com",
            "update.microsoft.com", "slack.com"};
    private static final String[] HOST_V4 = {"142.250.74.46", "142.250.74.36", "142.250.74.37", "140.82.121.4",
            "140.82.121.6", "93.184.216.34", "52.216.8.11", "104.16.132.229", "208.80.154.224", "54.237.226.164",
            "13.107.4.50", "3.120.10.12"};
    private static final String[] HOST_V6 = {"2a00:1450:4001:82b::200e", "2a00:1450:4001:82b::2004",
            "2a00:1450:4001:82b::2005", "2606:50c0:8000::154", "2606:50c0:8000::156", "2606:2800:220:1:248:1893:25c8:1946",
            "2600:1fa0:80c0::1", "2606:4700::6810:84e5", "2620:0:862:ed1a::1", "2600:1f18:631e:2f80::1",
            "2620:1ec:c11::200", "2600:1f18:24e6:b901::1"};
    private static final DateTimeFormatter ISO_UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    private static final DateTimeFormatter ISO_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'+00:00'");
    private static final String[] KINDS = {"flows-cicflowmeter", "dns-zeek", "http", "tls-suricata"};

    private SampleData() {
    }

    /** Writes {@code files} sample files into {@code dir}; their modification time is an hour ago (finished files). */
    public static List<Path> write(Path dir, int files) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            String kind = KINDS[i % KINDS.length];
            int dayOffset = i / KINDS.length;
            LocalDateTime day = DAY.plusDays(dayOffset);
            Path file = dir.resolve(day.toLocalDate() + "-" + kind + ".csv.gz");
            Random random = new Random(20180509L + i);
            try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024), StandardCharsets.UTF_8))) {
                switch (kind) {
                    case "flows-cicflowmeter" -> flows(out, random, day);
                    case "dns-zeek" -> dns(out, random, day);
                    case "http" -> http(out, random, day);
                    default -> tls(out, random, day);
                }
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
            written.add(file);
        }
        return written;
    }

    private static void flows(BufferedWriter out, Random r, LocalDateTime day) throws IOException {
        DateTimeFormatter cic = DateTimeFormatter.ofPattern("dd/MM/yyyy hh:mm:ss a", Locale.ENGLISH);
        out.write("Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Tot Fwd Pkts,Tot Bwd Pkts,"
                + "TotLen Fwd Pkts,TotLen Bwd Pkts\r\n");
        for (int i = 0; i < ROWS_PER_FILE; i++) {
            boolean v6 = i % 5 == 4;
            String src = client(r, v6);
            int h = r.nextInt(HOSTS.length);
            String dst = v6 ? HOST_V6[h] : HOST_V4[h];
            int sport = 49152 + r.nextInt(16000);
            boolean udp = r.nextInt(4) == 0;
            int dport = udp ? 53 : (r.nextBoolean() ? 443 : 80);
            int proto = udp ? 17 : 6;
            String ts = time(day, i).format(cic);
            out.write(String.join(",", src + "-" + dst + "-" + sport + "-" + dport + "-" + proto, src,
                    Integer.toString(sport), dst, Integer.toString(dport), Integer.toString(proto), ts,
                    Integer.toString(1000 + r.nextInt(5_000_000)), Integer.toString(1 + r.nextInt(40)),
                    Integer.toString(1 + r.nextInt(60)), Integer.toString(60 + r.nextInt(20_000)),
                    Integer.toString(60 + r.nextInt(900_000))));
            out.write("\r\n");
        }
    }

    private static void dns(BufferedWriter out, Random r, LocalDateTime day) throws IOException {
        out.write("ts,uid,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,query,qtype_name,rcode_name\n");
        String[] resolvers = {"10.0.0.53", "8.8.8.8", "2001:4860:4860::8888"};
        for (int i = 0; i < ROWS_PER_FILE; i++) {
            boolean v6 = i % 4 == 3;
            String src = client(r, v6);
            String resolver = v6 ? resolvers[2] : resolvers[r.nextInt(2)];
            double ts = time(day, i).toEpochSecond(ZoneOffset.UTC) + r.nextInt(1_000_000) / 1_000_000.0;
            out.write(String.format(Locale.ROOT, "%.6f,C%08x,%s,%d,%s,53,udp,%s,%s,%s%n", ts, r.nextInt(), src,
                    1024 + r.nextInt(60000), resolver, HOSTS[r.nextInt(HOSTS.length)], v6 ? "AAAA" : "A",
                    r.nextInt(20) == 0 ? "NXDOMAIN" : "NOERROR"));
        }
    }

    private static void http(BufferedWriter out, Random r, LocalDateTime day) throws IOException {
        out.write("timestamp,srcIp,srcPort,dstIp,dstPort,proto,host,method,uri,status,bytesOut,bytesIn\n");
        String[] uris = {"/", "/search?q=netmeta", "/index.html", "/api/v1/items", "/login", "/favicon.ico"};
        for (int i = 0; i < ROWS_PER_FILE; i++) {
            boolean v6 = i % 5 == 2;
            String src = client(r, v6);
            int h = r.nextInt(HOSTS.length);
            String uri = uris[r.nextInt(uris.length)];
            out.write(String.join(",", time(day, i).format(ISO_UTC), src,
                    Integer.toString(49152 + r.nextInt(16000)), v6 ? HOST_V6[h] : HOST_V4[h], "80", "tcp", HOSTS[h],
                    r.nextInt(6) == 0 ? "POST" : "GET", uri.contains(",") ? "\"" + uri + "\"" : uri,
                    r.nextInt(10) == 0 ? "404" : "200", Integer.toString(200 + r.nextInt(2_000)),
                    Integer.toString(300 + r.nextInt(500_000))));
            out.write("\n");
        }
    }

    private static void tls(BufferedWriter out, Random r, LocalDateTime day) throws IOException {
        out.write("timestamp,src_ip,src_port,dest_ip,dest_port,proto,server_name,tls_version,bytes_toserver,bytes_toclient\n");
        String[] versions = {"TLS 1.2", "TLS 1.3", "TLS 1.3"};
        for (int i = 0; i < ROWS_PER_FILE; i++) {
            boolean v6 = i % 3 == 0;
            String src = client(r, v6);
            int h = r.nextInt(HOSTS.length);
            String ts = time(day, i).format(ISO_OFFSET);
            out.write(String.join(",", ts, src, Integer.toString(49152 + r.nextInt(16000)), v6 ? HOST_V6[h] : HOST_V4[h],
                    "443", "TCP", HOSTS[h], versions[r.nextInt(versions.length)], Integer.toString(500 + r.nextInt(5_000)),
                    Integer.toString(2_000 + r.nextInt(1_000_000))));
            out.write("\n");
        }
    }

    /** Clients 10.0.0.1–10.0.0.40 and 192.168.1.10–192.168.1.29, or 2001:db8:10::1–2001:db8:10::28. */
    private static String client(Random r, boolean v6) {
        if (v6) {
            return "2001:db8:10::" + Integer.toHexString(1 + r.nextInt(40));
        }
        return r.nextInt(3) == 0 ? "192.168.1." + (10 + r.nextInt(20)) : "10.0.0." + (1 + r.nextInt(40));
    }

    /** Row i of the day: rows spread evenly over 24 hours, with millisecond jitter kept deterministic. */
    private static LocalDateTime time(LocalDateTime day, int i) {
        long millis = (long) i * 86_400_000L / ROWS_PER_FILE;
        return day.plusNanos(millis * 1_000_000L);
    }
}
