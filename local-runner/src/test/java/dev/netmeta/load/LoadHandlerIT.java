package dev.netmeta.load;

import dev.netmeta.local.testing.TestLambdaContext;
import static dev.netmeta.load.LoadFixtures.FIXTURE_BUCKET;
import static dev.netmeta.load.LoadFixtures.FIXTURE_KEY;
import static dev.netmeta.load.LoadFixtures.flowsCsv;
import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.load.aws.S3RejectWriter;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestServers;
import dev.netmeta.model.DocumentIds;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestServers.class)
class LoadHandlerIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadTestEnvironment servers;

    @BeforeEach
    void setUp(S3Endpoint s3, OpenSearchEndpoint openSearch) {
        servers = new LoadTestEnvironment(s3, openSearch);
    }

    @Test
    void theS3PutFixtureLoadsEveryRecordAndTheTalksQueryFindsIt() {
        servers.put(FIXTURE_BUCKET, FIXTURE_KEY, gzip(flowsCsv(2_500)));

        new LoadHandler(servers.env()).handleRequest(LoadFixtures.fixtureEvent(), TestLambdaContext.plentyOfTime());

        assertThat(servers.count()).isEqualTo(2_500);
        assertThat(servers.count("srcIp:127.0.0.1 AND host:google.com")).isEqualTo(1);
        assertThat(servers.count("host:google.com")).isEqualTo(250);
        assertThat(servers.count("srcIp:\"10.0.0.0/8\" AND dstPort:53 AND proto:udp")).isEqualTo(1_249);
        assertThat(servers.count("dstIp:\"2001:db8::53\"")).isEqualTo(358);
        assertThat(servers.count("Label:\"scan, slow\"")).isEqualTo(500);
        JsonNode report = servers.report(FIXTURE_BUCKET, FIXTURE_KEY);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("format").asText()).isEqualTo("csv");
        assertThat(report.get("rowsRead").asLong()).isEqualTo(2_500);
        assertThat(report.get("indexed").asLong()).isEqualTo(2_500);
        assertThat(report.get("rejected").asLong()).isZero();
        assertThat(report.get("eTag").asText())
                .isEqualTo(servers.s3.headObject(b -> b.bucket(FIXTURE_BUCKET).key(FIXTURE_KEY)).eTag());
        assertThat(servers.exists(FIXTURE_BUCKET, "rejects/" + FIXTURE_KEY + ".ndjson")).isFalse();
    }

    @Test
    void everyDocumentSaysWhichFileAndRecordItCameFrom() throws Exception {
        String flows = "raw/" + servers.prefix + "/day 1/flows.csv.gz";
        String other = "raw/" + servers.prefix + "/day 1/flows-2.csv";
        servers.put("load-it", flows, gzip(flowsCsv(700)));
        // a column called like a provenance field (e.g. a re-loaded export) must not overwrite it
        servers.put("load-it", other, ("ts,Src IP,sourceFile,sourceRecord\n"
                + "1525876221,10.0.0.1,elsewhere.csv,41\n1525876222,10.0.0.2,elsewhere.csv,42\n")
                .getBytes(StandardCharsets.UTF_8));
        LoadHandler handler = new LoadHandler(servers.env());
        handler.handleRequest(LoadFixtures.event("load-it", flows), TestLambdaContext.plentyOfTime());
        handler.handleRequest(LoadFixtures.event("load-it", other), TestLambdaContext.plentyOfTime());

        assertThat(servers.count()).isEqualTo(702);
        assertThat(servers.count("sourceFile:\"" + flows + "\"")).isEqualTo(700);
        assertThat(servers.count("sourceFile:\"" + other + "\"")).isEqualTo(2);
        assertThat(servers.count("sourceFile_2:\"elsewhere.csv\" AND sourceRecord_2:[41 TO 42]")).isEqualTo(2);
        assertThat(servers.count("sourceFile:\"" + flows + "\" AND sourceRecord:[0 TO 99]")).isEqualTo(100);

        var hits = servers.openSearch.search(s -> s.index(servers.prefix + "-*")
                .query(q -> q.queryString(qs -> qs.query("sourceFile:\"" + flows + "\" AND sourceRecord:7"))),
                JsonNode.class).hits().hits();
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).id()).as("the same position as in the document id")
                .isEqualTo(DocumentIds.of("load-it", flows, 7));
        JsonNode doc = hits.get(0).source();
        assertThat(doc.get("sourceFile").asText()).isEqualTo(flows);
        assertThat(doc.get("sourceRecord").isIntegralNumber()).isTrue();
        assertThat(doc.get("sourceRecord").asLong()).isEqualTo(7);
        assertThat(doc.get("srcIp").asText()).isEqualTo("10.0.0.7");

        var mapping = servers.openSearch.indices().getMapping(m -> m.index(servers.prefix + "-*")).result();
        assertThat(mapping).isNotEmpty().allSatisfy((index, m) -> {
            assertThat(m.mappings().properties().get("sourceFile").isKeyword()).as(index).isTrue();
            assertThat(m.mappings().properties().get("sourceRecord").isLong()).as(index).isTrue();
        });
    }

    @Test
    void deliveringTheSameEventTwiceLeavesOneDocumentPerRecord() throws Exception {
        String key = "raw/" + servers.prefix + "/twice.csv.gz";
        servers.put("load-it", key, gzip(flowsCsv(1_000)));
        LoadHandler handler = new LoadHandler(servers.env());

        handler.handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime());
        handler.handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime());
        assertThat(servers.count()).isEqualTo(1_000);

        LoadHandler other = new LoadHandler(servers.env());
        CompletableFuture<String> a = CompletableFuture.supplyAsync(() ->
                handler.handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime()));
        CompletableFuture<String> b = CompletableFuture.supplyAsync(() ->
                other.handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime()));
        CompletableFuture.allOf(a, b).get();

        assertThat(servers.count()).isEqualTo(1_000);
        assertThat(servers.report("load-it", key).get("indexed").asLong()).isEqualTo(1_000);
    }

    @Test
    void badRowsGoToTheRejectsObjectAndTheGoodRowsAreIndexed() throws Exception {
        String key = "raw/" + servers.prefix + "/bad rows+more.csv";
        byte[] latin1 = "10.0.0.9,80,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] good = ("Src IP,Dst Port,note\n"
                + "10.0.0.1,443,fine\n"
                + "10.0.0.2,443\n"
                + "not-an-ip,443,bad ip\n"
                + "10.0.0.3,70000,bad port\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "10.0.0.4,22,\"quoted, fine\"\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[good.length + latin1.length + tail.length];
        System.arraycopy(good, 0, content, 0, good.length);
        System.arraycopy(latin1, 0, content, good.length, latin1.length);
        System.arraycopy(tail, 0, content, good.length + latin1.length, tail.length);
        servers.put("load-it", key, content);

        new LoadHandler(servers.env()).handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime());

        assertThat(servers.count()).isEqualTo(2);
        assertThat(servers.count("note:\"quoted, fine\" AND srcIp:10.0.0.4")).isEqualTo(1);
        List<JsonNode> rejects = new ArrayList<>();
        for (String line : servers.text("load-it", "rejects/" + key + ".ndjson").split("\n")) {
            rejects.add(JSON.readTree(line));
        }
        assertThat(rejects).extracting(r -> r.get("line").asLong()).containsExactly(3L, 4L, 5L, 6L);
        assertThat(rejects.get(0).get("raw").asText()).isEqualTo("10.0.0.2,443");
        assertThat(rejects.get(0).get("reason").asText()).contains("expected 3 columns");
        assertThat(rejects.get(1).get("reason").asText()).contains("not-an-ip");
        assertThat(rejects.get(2).get("reason").asText()).contains("70000");
        assertThat(rejects.get(3).get("reason").asText()).contains("UTF-8");
        assertThat(rejects).allSatisfy(r -> assertThat(r.get("source").asText()).isEqualTo("s3://load-it/" + key));
        JsonNode report = servers.report("load-it", key);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("rowsRead").asLong()).isEqualTo(6);
        assertThat(report.get("indexed").asLong()).isEqualTo(2);
        assertThat(report.get("rejected").asLong()).isEqualTo(4);
        assertThat(report.get("rejectsObject").asText()).isEqualTo("s3://load-it/rejects/" + key + ".ndjson");
    }

    @Test
    void aTruncatedGzipIndexesTheRowsBeforeTheBreakAndReportsFailure() {
        String key = "raw/" + servers.prefix + "/truncated.csv.gz";
        byte[] full = gzip(flowsCsv(40_000));
        servers.put("load-it", key, Arrays.copyOf(full, full.length * 2 / 3));

        String summary = new LoadHandler(servers.env())
                .handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime());

        JsonNode report = servers.report("load-it", key);
        assertThat(summary).contains("FAILED");
        assertThat(report.get("status").asText()).isEqualTo("FAILED");
        assertThat(report.get("error").asText()).contains("truncated");
        assertThat(report.get("failedAtByte").asLong()).isEqualTo(full.length * 2 / 3);
        long indexed = report.get("indexed").asLong();
        assertThat(indexed).isGreaterThan(10_000).isLessThan(40_000).isEqualTo(report.get("rowsRead").asLong())
                .isEqualTo(completeRows(Arrays.copyOf(full, full.length * 2 / 3)));
        assertThat(servers.count()).isEqualTo(indexed);
    }

    /**
     * A small file cut in half (the newcomer's case: under 64 KiB of text before the break, here 1,500 rows of ~88
     * bytes) indexed 0 rows — the text inflated before the break was lost with the decoder's error. Every row whose
     * line ended before the break is indexed, the cut row is not, and the report is the same FAILED as for a large
     * file.
     */
    @Test
    void aSmallTruncatedGzipIndexesEveryRowBeforeTheBreak() {
        String key = "raw/" + servers.prefix + "/small-truncated.csv.gz";
        byte[] full = gzip(flowsCsv(1_500));
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        long complete = completeRows(cut);
        servers.put("load-it", key, cut);

        String summary = new LoadHandler(servers.env())
                .handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime());

        JsonNode report = servers.report("load-it", key);
        assertThat(complete).isGreaterThan(500).isLessThan(1_500);
        assertThat(summary).contains("FAILED");
        assertThat(report.get("status").asText()).isEqualTo("FAILED");
        assertThat(report.get("error").asText()).isEqualTo("corrupt or truncated input after " + complete
                + " records: Unexpected end of ZLIB input stream");
        assertThat(report.get("failedAtByte").asLong()).isEqualTo(cut.length);
        assertThat(report.get("rowsRead").asLong()).isEqualTo(complete);
        assertThat(report.get("indexed").asLong()).isEqualTo(complete);
        assertThat(report.get("rejected").asLong()).isZero();
        assertThat(servers.count()).isEqualTo(complete);
        assertThat(servers.count("bytesOut:" + (complete - 1) * 10)).as("the last whole row").isEqualTo(1);
        assertThat(servers.count("bytesOut:" + complete * 10)).as("the cut row").isZero();
    }

    /**
     * The rows of {@link LoadFixtures#flowsCsv} (CRLF) whose record ended in the text the JDK's decoder gives before
     * the break: at its LF, or at its CR when the break comes between the two (the CR ends a CSV record).
     */
    private static long completeRows(byte[] truncatedGzip) {
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[100];
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(truncatedGzip))) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                text.write(buf, 0, n);
            }
        } catch (java.io.IOException expected) {
            // the break
        }
        byte[] bytes = text.toByteArray();
        long ends = 0;
        for (byte b : bytes) {
            if (b == '\n') {
                ends++;
            }
        }
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
            ends++;
        }
        return ends - 1; // the header row
    }

    @Test
    void csvZeekAndEveRecordsAnswerTheSameQuery() {
        String zeek = "#separator \\x09\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\n"
                + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\n"
                + "1525876221.5\tC1\t10.9.9.9\t5353\t8.8.8.8\t53\tudp\tgoogle.com\n"
                + "1525876222.5\tC2\t10.9.9.8\t5353\t8.8.8.8\t53\tudp\t-\n#close\t2018-05-09-15-00-00\n";
        String eve = "{\"timestamp\":\"2018-05-09T14:30:21.000000+0000\",\"event_type\":\"tls\",\"src_ip\":\"10.9.9.9\","
                + "\"src_port\":50000,\"dest_ip\":\"142.250.1.1\",\"dest_port\":443,\"proto\":\"TCP\",\"tls\":{\"sni\":\"google.com\"}}\n"
                + "{\"timestamp\":\"2018-05-09T14:30:22.000000+0000\",\"event_type\":\"stats\",\"stats\":{\"uptime\":1}}\n";
        String csv = "ts,Src IP,Dst IP,host\n2018-05-09 14:30:23,10.9.9.9,1.1.1.1,google.com\n";
        servers.put("load-it", "raw/" + servers.prefix + "/dns.log", zeek.getBytes(StandardCharsets.UTF_8));
        servers.put("load-it", "raw/" + servers.prefix + "/eve.json.gz", gzip(eve));
        servers.put("load-it", "raw/" + servers.prefix + "/flows.csv", csv.getBytes(StandardCharsets.UTF_8));
        LoadHandler handler = new LoadHandler(servers.env());

        for (String name : List.of("dns.log", "eve.json.gz", "flows.csv")) {
            handler.handleRequest(LoadFixtures.event("load-it", "raw/" + servers.prefix + "/" + name),
                    TestLambdaContext.plentyOfTime());
        }

        assertThat(servers.count()).isEqualTo(4);
        assertThat(servers.count("srcIp:10.9.9.9 AND host:google.com")).isEqualTo(3);
        assertThat(servers.report("load-it", "raw/" + servers.prefix + "/eve.json.gz").get("skipped").asLong())
                .isEqualTo(1);
        assertThat(servers.report("load-it", "raw/" + servers.prefix + "/dns.log").get("format").asText())
                .isEqualTo("zeek-tsv");
    }

    @Test
    void ignoresItsOwnReportsAndRejects() {
        servers.put("load-it", "reports/x.csv.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        String summary = new LoadHandler(servers.env())
                .handleRequest(LoadFixtures.event("load-it", "reports/x.csv.json"), TestLambdaContext.plentyOfTime());

        assertThat(summary).isEqualTo("nothing to load");
        assertThat(servers.exists("load-it", "reports/reports/x.csv.json.json")).isFalse();
    }

    @Test
    void manyRejectsStreamToTheRejectsObjectAsAMultipartUpload() throws Exception {
        String key = "raw/" + servers.prefix + "/mostly-bad.csv";
        String filler = "x".repeat(400);
        StringBuilder csv = new StringBuilder("Src IP,Dst Port,note\n10.0.0.1,443,good\n");
        for (int i = 0; i < 30_000; i++) {
            csv.append("10.0.0.").append(i % 250).append(",99999,").append(filler).append('\n');
        }
        servers.put("load-it", key, csv.toString().getBytes(StandardCharsets.UTF_8));

        new LoadHandler(servers.env()).handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime());

        String rejects = servers.text("load-it", "rejects/" + key + ".ndjson");
        assertThat(rejects.length()).isGreaterThan(2 * 8 * 1024 * 1024); // more than two 8 MiB parts
        // went up in parts of 8 MiB, not with one PutObject: S3 gives a multipart object the ETag "<md5>-<parts>"
        int parts = (rejects.length() + S3RejectWriter.PART_BYTES - 1)
                / S3RejectWriter.PART_BYTES;
        assertThat(servers.s3.headObject(b -> b.bucket("load-it").key("rejects/" + key + ".ndjson")).eTag())
                .endsWith("-" + parts + "\"");
        String[] lines = rejects.split("\n");
        assertThat(lines).hasSize(30_000);
        assertThat(JSON.readTree(lines[0]).get("line").asLong()).isEqualTo(3);
        assertThat(JSON.readTree(lines[29_999]).get("line").asLong()).isEqualTo(30_002);
        assertThat(servers.count()).isEqualTo(1);
        assertThat(servers.report("load-it", key).get("rejected").asLong()).isEqualTo(30_000);
    }

    @Test
    void anUnreachableOpenSearchFailsTheFileLoudlySoLambdaRetriesIt() throws Exception {
        String key = "raw/" + servers.prefix + "/unreachable.csv.gz";
        servers.put("load-it", key, gzip(flowsCsv(10)));
        Map<String, String> env = servers.env();
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            env.put("OPENSEARCH_URL", "http://127.0.0.1:" + closed.getLocalPort());
        }
        LoadHandler handler = new LoadHandler(env);

        assertThatThrownBy(() -> handler.handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime()))
                .isInstanceOf(LoadFailedException.class)
                .hasMessageContaining(key);
        JsonNode report = servers.report("load-it", key);
        assertThat(report.get("status").asText()).isEqualTo("FAILED");
        assertThat(report.get("error").asText()).containsIgnoringCase("connect");
        assertThat(servers.count()).isZero();
    }

    @Test
    void documentsOpenSearchRefusesGoToTheRejectsWithItsReason() throws Exception {
        String key = "raw/" + servers.prefix + "/mixed-types.csv";
        // "count" is numeric in the first row, so the index maps it as long; OpenSearch then refuses "n/a"
        servers.put("load-it", key, ("Src IP,count\n10.0.0.1,12\n10.0.0.2,n/a\n10.0.0.3,14\n")
                .getBytes(StandardCharsets.UTF_8));

        new LoadHandler(servers.env()).handleRequest(LoadFixtures.event("load-it", key), TestLambdaContext.plentyOfTime());

        assertThat(servers.count()).isEqualTo(2);
        JsonNode reject = JSON.readTree(servers.text("load-it", "rejects/" + key + ".ndjson").trim());
        assertThat(reject.get("line").asLong()).isEqualTo(3);
        assertThat(reject.get("position").asLong()).isEqualTo(1);
        assertThat(reject.get("reason").asText()).contains("HTTP 400", "mapper_parsing_exception", "count");
        assertThat(JSON.readTree(reject.get("raw").asText()).get("count").asText()).isEqualTo("n/a");
        JsonNode report = servers.report("load-it", key);
        assertThat(report.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(report.get("indexed").asLong()).isEqualTo(2);
        assertThat(report.get("rejected").asLong()).isEqualTo(1);
    }
}
