package dev.netmeta.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.model.DocumentIds;
import dev.netmeta.model.Fields;
import dev.netmeta.model.IndexTemplate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Indexes synthetic flow records for the api benchmark: 7 daily indices, a few hosts, private and public IPs. Like
 * the loader, every document names the file it came from and its position there ({@code sourceFile},
 * {@code sourceRecord}, the api's paging tiebreaker) and has the id the loader would give it.
 */
final class ApiBenchData {

    static final long START = Instant.parse("2018-05-09T00:00:00Z").toEpochMilli();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
    private static final String[] HOSTS = {"google.com", "example.com", "netmeta.dev", "cdn.example.net",
        "mail.google.com", "updates.vendor.io", "dns.quad9.net"};
    private static final int[] PORTS = {443, 80, 53, 22, 8080, 3389, 123, 51413};
    /** Records are dealt round-robin over this many source files. */
    private static final int FILES = 10;
    private static final String BUCKET = "apibench";

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final URI openSearch;

    ApiBenchData(URI openSearch) {
        this.openSearch = openSearch;
    }

    void index(String prefix, int docs) throws IOException, InterruptedException {
        send("PUT", "/_index_template/" + IndexTemplate.name(prefix), IndexTemplate.json(prefix), "application/json");
        Random random = new Random(42);
        StringBuilder bulk = new StringBuilder(4 << 20);
        for (int i = 0; i < docs; i++) {
            long ts = START + (long) (random.nextDouble() * 7 * 86_400_000L);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("timestamp", ts);
            doc.put("srcIp", i % 50 == 0 ? "127.0.0.1" : "10." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + random.nextInt(256));
            doc.put("dstIp", random.nextInt(256) + "." + random.nextInt(256) + ".1." + random.nextInt(256));
            doc.put("srcPort", 1024 + random.nextInt(64_000));
            doc.put("dstPort", PORTS[random.nextInt(PORTS.length)]);
            doc.put("proto", random.nextInt(10) == 0 ? "udp" : "tcp");
            doc.put("host", HOSTS[random.nextInt(HOSTS.length)]);
            doc.put("bytesOut", (long) random.nextInt(100_000));
            doc.put("bytesIn", (long) random.nextInt(1_000_000));
            String sourceFile = "raw/flows-" + (i % FILES) + ".csv.gz";
            long sourceRecord = i / FILES;
            doc.put(Fields.SOURCE_FILE, sourceFile);
            doc.put(Fields.SOURCE_RECORD, sourceRecord);
            String index = prefix + "-" + DAY.format(Instant.ofEpochMilli(ts));
            bulk.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"")
                    .append(DocumentIds.of(BUCKET, sourceFile, sourceRecord)).append("\"}}\n")
                    .append(json.writeValueAsString(doc)).append('\n');
            if ((i + 1) % 5000 == 0) {
                flush(bulk);
            }
        }
        flush(bulk);
        send("POST", "/" + prefix + "-*/_refresh", "", "application/json");
        send("POST", "/" + prefix + "-*/_forcemerge?max_num_segments=1", "", "application/json");
    }

    private void flush(StringBuilder bulk) throws IOException, InterruptedException {
        if (bulk.length() == 0) {
            return;
        }
        JsonNode r = json.readTree(send("POST", "/_bulk", bulk.toString(), "application/x-ndjson"));
        if (r.path("errors").asBoolean()) {
            throw new IllegalStateException("bulk had item errors");
        }
        bulk.setLength(0);
    }

    private String send(String method, String path, String body, String contentType)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(openSearch.resolve(path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
