package dev.netmeta.api.truth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The seeded documents of the ground truth, as the loader writes them (docs/DATA-CONTRACT.md): canonical IPv4 and
 * IPv6 addresses (RFC 5952) in a few subnets, ports, protocol keywords (and a number without a name, kept as its
 * text), lower-case hosts (one an address), byte counters up to 10^11, timestamps over five UTC days (some shared, so
 * that sorts tie), the provenance fields ({@code sourceFile} per day and kind, {@code sourceRecord} numbered per
 * file), and three extra columns: {@code app} a keyword (case kept), {@code status} a long, {@code rtt} a double. Some
 * documents lack a field (a flow without a host, an ICMP record without ports).
 */
public final class TruthDocs {

    public static final long FIRST_DAY = java.time.Instant.parse("2018-05-07T00:00:00Z").toEpochMilli();
    public static final int DAYS = 5;
    public static final List<String> HOSTS = List.of("google.com", "mail.google.com", "www.google.com", "example.com",
            "www.example.com", "www.example.net", "dns.example", "api.netmeta.dev", "cdn-1.example.org", "10.9.8.7",
            "gogle.com", "a.b");
    public static final List<String> APPS = List.of("web", "dns", "smtp", "ssh", "Web");
    public static final List<String> PROTOS = List.of("tcp", "tcp", "tcp", "udp", "udp", "icmp", "253");
    public static final int[] PORTS = {22, 25, 53, 80, 123, 443, 8080, 3306};
    public static final long[] STATUSES = {0, 200, 301, 404, 500};
    public static final List<String> KINDS = List.of("zeek", "eve");

    private TruthDocs() {
    }

    /** An address of one of the subnets the documents use. */
    public static String address(Random r) {
        switch (r.nextInt(8)) {
            case 0: case 1: return "10.0.0." + r.nextInt(256);
            case 2: return "10.0.1." + r.nextInt(256);
            case 3: return "10.1." + r.nextInt(256) + "." + r.nextInt(256);
            case 4: return "192.168.0." + (1 + r.nextInt(254));
            case 5: return "2001:db8::" + Integer.toHexString(1 + r.nextInt(0xfff));
            case 6: return "2001:db8:1:" + Integer.toHexString(1 + r.nextInt(0xff)) + "::"
                    + Integer.toHexString(1 + r.nextInt(0xffff));
            default: {
                int k = r.nextInt(6);
                return k == 0 ? "172.16.5." + r.nextInt(256) : k == 1 ? "::" + Integer.toHexString(1 + r.nextInt(0xff))
                        : "fe80::" + Integer.toHexString(1 + r.nextInt(0xff));
            }
        }
    }

    /** {@code count} documents by id, in the order of their sourceRecord within each file. */
    public static Map<String, Map<String, Object>> generate(Random r, int count) {
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        Map<String, Long> records = new LinkedHashMap<>();
        long shared = FIRST_DAY + 2 * 86_400_000L + 36_000_000L; // a minute many documents share
        for (int i = 0; i < count; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            long ts = r.nextInt(6) == 0 ? shared + r.nextInt(3) * 60_000L
                    : FIRST_DAY + (long) (r.nextDouble() * DAYS * 86_400_000L);
            d.put("timestamp", ts);
            d.put("srcIp", address(r));
            if (r.nextInt(20) != 0) {
                d.put("dstIp", address(r));
            }
            String proto = PROTOS.get(r.nextInt(PROTOS.size()));
            d.put("proto", proto);
            if (!proto.equals("icmp")) {
                d.put("srcPort", 1024 + r.nextInt(64512));
                d.put("dstPort", r.nextInt(5) == 0 ? r.nextInt(65536) : PORTS[r.nextInt(PORTS.length)]);
            }
            if (r.nextInt(7) != 0) {
                d.put("host", HOSTS.get(r.nextInt(HOSTS.size())));
            }
            if (r.nextInt(20) != 0) {
                d.put("bytesOut", r.nextInt(10) == 0 ? (long) (r.nextDouble() * 100_000_000_000L) : r.nextInt(10_000));
                d.put("bytesIn", (long) r.nextInt(100_000));
            }
            if (r.nextInt(10) < 7) {
                d.put("app", APPS.get(r.nextInt(APPS.size())));
            }
            if (r.nextInt(2) == 0) {
                d.put("status", STATUSES[r.nextInt(STATUSES.length)]);
            }
            if (r.nextInt(5) < 2) {
                d.put("rtt", (1 + r.nextInt(5000)) / 1000.0);
            }
            String day = java.time.Instant.ofEpochMilli(ts).toString().substring(0, 10);
            String file = "raw/" + day + "-" + KINDS.get(r.nextInt(KINDS.size())) + ".csv.gz";
            long record = records.merge(file, 1L, Long::sum) - 1;
            d.put("sourceFile", file);
            d.put("sourceRecord", record);
            docs.put("d" + i, d);
        }
        return docs;
    }
}
