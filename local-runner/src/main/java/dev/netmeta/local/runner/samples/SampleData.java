package dev.netmeta.local.runner.samples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Realistic generated network metadata for a first run, one gzip file of each format the loader reads, as the tools
 * write them: CICFlowMeter flows as CSV ({@code Src IP,Dst IP,Src Port,…}, protocol numbers,
 * {@code dd/MM/yyyy hh:mm:ss a}), a Zeek {@code dns.log} as Zeek TSV ({@code #separator}, {@code #fields},
 * {@code #types}, epoch seconds, {@code -} for unset), HTTP as CSV in the canonical names (ISO-8601), and Suricata EVE
 * {@code tls} events as NDJSON ({@code src_ip}, {@code tls.sni}, with an hourly {@code stats} event the load skips) —
 * IPv4 and IPv6 clients, hosts such as {@code google.com}. Deterministic (fixed seed, fixed day 2018-05-09 and
 * following) so documented queries always find the same rows: the Zeek and EVE files hold the rows, with the same
 * values, that earlier CSV versions of them held, whose counts README.md and docs/LOCAL.md print.
 */
public final class SampleData {

    /** Records to index per file. */
    public static final int ROWS_PER_FILE = 2_500;
    /** Suricata {@code stats} events in an EVE file, one an hour: read and skipped by the load, never indexed. */
    public static final int STATS_EVENTS_PER_EVE_FILE = 24;
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
    /** Suricata's timestamps: microseconds and the offset without a colon. */
    private static final DateTimeFormatter EVE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+0000'");
    /** Zeek's {@code #open}/{@code #close} times. */
    private static final DateTimeFormatter ZEEK_LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");
    /** The kinds of file, in the order written; each name ends in the format's usual suffix. */
    private static final String EVE_TLS = "eve-tls.json";
    private static final String[] KINDS = {"flows-cicflowmeter.csv", "dns.log", "http.csv", EVE_TLS};

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
            Path file = dir.resolve(day.toLocalDate() + "-" + kind + ".gz");
            long seed = 20180509L + i;
            Random random = new Random(seed);
            try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                    new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024), StandardCharsets.UTF_8))) {
                switch (kind) {
                    case "flows-cicflowmeter.csv" -> flows(out, random, day);
                    case "dns.log" -> dns(out, random, new Random(~seed), day);
                    case "http.csv" -> http(out, random, day);
                    case EVE_TLS -> eveTls(out, random, new Random(~seed), day);
                    default -> throw new IllegalStateException(kind);
                }
            }
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
            written.add(file);
        }
        return written;
    }

    /** The first day of the sample rows (UTC): the first file's. */
    public static LocalDate firstDay() {
        return DAY.toLocalDate();
    }

    /** The last day of the sample rows (UTC) among the first {@code files} (at least 1) sample files. */
    public static LocalDate lastDay(int files) {
        return DAY.toLocalDate().plusDays((Math.max(files, 1) - 1) / KINDS.length);
    }

    /** The Suricata {@code stats} events among the first {@code files} sample files: rows the load reads and skips. */
    public static int statsEvents(int files) {
        int events = 0;
        for (int i = 0; i < files; i++) {
            events += KINDS[i % KINDS.length].equals(EVE_TLS) ? STATS_EVENTS_PER_EVE_FILE : 0;
        }
        return events;
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

    /**
     * A Zeek {@code dns.log} as Zeek writes it (TAB-separated, the header lines, {@code #close} at the end). The
     * columns the CSV version of this sample had draw from {@code r} in the order they always did, so every row keeps
     * its values; the others ({@code trans_id}, {@code rtt}, the TTLs) draw from {@code more}. An NXDOMAIN answer has no
     * {@code answers} and {@code TTLs}: unset, {@code -}.
     */
    private static void dns(BufferedWriter out, Random r, Random more, LocalDateTime day) throws IOException {
        out.write("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n"
                + "#open\t" + day.format(ZEEK_LOG_TIME) + "\n"
                + "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id\trtt\tquery\tqclass"
                + "\tqclass_name\tqtype\tqtype_name\trcode\trcode_name\tAA\tTC\tRD\tRA\tZ\tanswers\tTTLs\trejected\n"
                + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\tcount\tstring\tcount"
                + "\tstring\tcount\tstring\tbool\tbool\tbool\tbool\tcount\tvector[string]\tvector[interval]\tbool\n");
        String[] resolvers = {"10.0.0.53", "8.8.8.8", "2001:4860:4860::8888"};
        int[] ttls = {60, 300, 300, 3600};
        for (int i = 0; i < ROWS_PER_FILE; i++) {
            boolean v6 = i % 4 == 3;
            String src = client(r, v6);
            String resolver = v6 ? resolvers[2] : resolvers[r.nextInt(2)];
            double ts = time(day, i).toEpochSecond(ZoneOffset.UTC) + r.nextInt(1_000_000) / 1_000_000.0;
            int uid = r.nextInt();
            int sport = 1024 + r.nextInt(60000);
            int h = r.nextInt(HOSTS.length);
            boolean nxdomain = r.nextInt(20) == 0;
            boolean local = resolver.startsWith("10.");
            double rtt = (local ? 300 + more.nextInt(2_000) : 8_000 + more.nextInt(30_000)) / 1_000_000.0;
            out.write(String.format(Locale.ROOT,
                    "%.6f\tC%08x\t%s\t%d\t%s\t53\tudp\t%d\t%.6f\t%s\t1\tC_INTERNET\t%d\t%s\t%d\t%s\tF\tF\tT\tT\t0\t%s\t%s\tF\n",
                    ts, uid, src, sport, resolver, more.nextInt(65_536), rtt, HOSTS[h], v6 ? 28 : 1, v6 ? "AAAA" : "A",
                    nxdomain ? 3 : 0, nxdomain ? "NXDOMAIN" : "NOERROR", nxdomain ? "-" : (v6 ? HOST_V6[h] : HOST_V4[h]),
                    nxdomain ? "-" : String.format(Locale.ROOT, "%d.000000", ttls[more.nextInt(ttls.length)])));
        }
        out.write("#close\t" + day.plusDays(1).format(ZEEK_LOG_TIME) + "\n");
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

    /**
     * Suricata EVE {@code tls} events, one JSON object a line, as Suricata writes them with {@code tls} logging
     * {@code custom: [sni, version]}, and on the hour a {@code stats} event ({@code stats.interval: 3600}). The values
     * come from {@code r} in the order they always did, so every connection keeps its addresses, ports, time, SNI
     * and version; the {@code flow_id} comes from {@code more}. An EVE {@code tls} event has no byte counters (a
     * {@code flow} event has): the two drawn per connection, as before, go into the {@code stats} events'
     * {@code decoder.bytes}.
     */
    private static void eveTls(BufferedWriter out, Random r, Random more, LocalDateTime day) throws IOException {
        String[] versions = {"TLS 1.2", "TLS 1.3", "TLS 1.3"};
        int hour = 1;
        long bytes = 0;
        for (int i = 0; i < ROWS_PER_FILE; i++) {
            LocalDateTime time = time(day, i);
            for (; hour <= STATS_EVENTS_PER_EVE_FILE && !time.isBefore(day.plusHours(hour)); hour++) {
                stats(out, day, hour, i, bytes);
            }
            boolean v6 = i % 3 == 0;
            String src = client(r, v6);
            int h = r.nextInt(HOSTS.length);
            int sport = 49152 + r.nextInt(16000);
            String version = versions[r.nextInt(versions.length)];
            bytes += 500 + r.nextInt(5_000);
            bytes += 2_000 + r.nextInt(1_000_000);
            out.write(String.format(Locale.ROOT, "{\"timestamp\":\"%s\",\"flow_id\":%d,\"in_iface\":\"eth0\","
                            + "\"event_type\":\"tls\",\"src_ip\":\"%s\",\"src_port\":%d,\"dest_ip\":\"%s\",\"dest_port\":443,"
                            + "\"proto\":\"TCP\",\"tls\":{\"sni\":\"%s\",\"version\":\"%s\"}}\n",
                    time.format(EVE_TIME), more.nextLong() >>> 14, src, sport, v6 ? HOST_V6[h] : HOST_V4[h], HOSTS[h],
                    version));
        }
        for (; hour <= STATS_EVENTS_PER_EVE_FILE; hour++) {
            stats(out, day, hour, ROWS_PER_FILE, bytes);
        }
    }

    private static void stats(BufferedWriter out, LocalDateTime day, int hour, int tlsFlows, long bytes)
            throws IOException {
        out.write(String.format(Locale.ROOT, "{\"timestamp\":\"%s\",\"event_type\":\"stats\",\"stats\":{\"uptime\":%d,"
                        + "\"decoder\":{\"bytes\":%d},\"app_layer\":{\"flow\":{\"tls\":%d}}}}\n",
                day.plusHours(hour).format(EVE_TIME), hour * 3600, bytes, tlsFlows));
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
