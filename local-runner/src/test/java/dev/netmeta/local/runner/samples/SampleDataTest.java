package dev.netmeta.local.runner.samples;

import dev.netmeta.load.format.Decompression;
import dev.netmeta.load.format.RecordReader;
import dev.netmeta.load.format.RecordReaders;
import dev.netmeta.load.format.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class SampleDataTest {

    @TempDir
    Path dir;

    private static List<String> lines(Path file) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            return r.lines().toList();
        }
    }

    /** What the loader's own reader makes of a file: its format, its records and its warnings. */
    private record Read(String format, List<SourceRecord> records, List<String> warnings) {

        static Read of(Path file) throws Exception {
            try (RecordReader reader = RecordReaders.open(Decompression.open(Files.newInputStream(file)))) {
                List<SourceRecord> records = new ArrayList<>();
                for (SourceRecord r; (r = reader.next()) != null; ) {
                    records.add(r);
                }
                return new Read(reader.format(), records, reader.warnings());
            }
        }

        long count(SourceRecord.Kind kind) {
            return records.stream().filter(r -> r.kind() == kind).count();
        }

        List<Map<String, Object>> documents() {
            return records.stream().filter(r -> r.kind() == SourceRecord.Kind.DOCUMENT).map(SourceRecord::document)
                    .toList();
        }
    }

    @Test
    void writesOneFileOfEachFormatTheLoaderReadsInTheShapeRealToolsWrite() throws Exception {
        List<Path> files = SampleData.write(dir, 4);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
                "2018-05-09-flows-cicflowmeter.csv.gz", "2018-05-09-dns.log.gz", "2018-05-09-http.csv.gz",
                "2018-05-09-eve-tls.json.gz");
        assertThat(lines(files.get(0)).get(0)).startsWith("Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp");
        List<String> dns = lines(files.get(1));
        assertThat(dns.subList(0, 6)).containsExactly("#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)",
                "#unset_field\t-", "#path\tdns", "#open\t2018-05-09-00-00-00");
        assertThat(dns.get(6)).startsWith("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\ttrans_id"
                + "\trtt\tquery\t");
        assertThat(dns.get(7)).startsWith("#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tcount\tinterval\tstring\t");
        assertThat(dns.get(dns.size() - 1)).isEqualTo("#close\t2018-05-10-00-00-00");
        assertThat(dns).as("an NXDOMAIN answer: answers and TTLs unset").anyMatch(l -> l.contains("\tNXDOMAIN\t")
                && l.endsWith("\t-\t-\tF"));
        assertThat(lines(files.get(2)).get(0)).startsWith("timestamp,srcIp,srcPort,dstIp,dstPort,proto,host");
        List<String> eve = lines(files.get(3));
        assertThat(eve.get(0)).startsWith("{\"timestamp\":\"2018-05-09T00:00:00.000000+0000\",\"flow_id\":")
                .contains(",\"event_type\":\"tls\",\"src_ip\":\"2001:db8:10::c\",\"src_port\":59822,\"dest_ip\":")
                .endsWith(",\"dest_port\":443,\"proto\":\"TCP\",\"tls\":{\"sni\":\"www.google.com\",\"version\":\"TLS 1.2\"}}");
        assertThat(eve).filteredOn(l -> l.contains("\"event_type\":\"stats\"")).hasSize(24).first().asString()
                .startsWith("{\"timestamp\":\"2018-05-09T01:00:00.000000+0000\",\"event_type\":\"stats\",\"stats\":{");
        for (Path f : files) {
            assertThat(Files.getLastModifiedTime(f).toInstant()).as("finished files, older than any minimum age")
                    .isBefore(Instant.now().minusSeconds(600));
        }
    }

    /**
     * The loader's own reader detects each file as the format it is meant to show and reads the 2,500 records of
     * each, without a reject or a warning; the EVE file's 24 stats events are read and skipped.
     */
    @Test
    void theLoaderReadsEachFileAsItsFormatWithoutARejectOrAWarning() throws Exception {
        List<Path> files = SampleData.write(dir, 4);
        List<String> formats = List.of("csv", "zeek-tsv", "csv", "ndjson");
        for (int i = 0; i < files.size(); i++) {
            Read read = Read.of(files.get(i));
            String name = files.get(i).getFileName().toString();
            assertThat(read.format()).as(name).isEqualTo(formats.get(i));
            assertThat(read.count(SourceRecord.Kind.DOCUMENT)).as(name).isEqualTo(SampleData.ROWS_PER_FILE);
            assertThat(read.count(SourceRecord.Kind.REJECT)).as(name).isZero();
            assertThat(read.count(SourceRecord.Kind.SKIP)).as(name).isEqualTo(i == 3 ? 24 : 0);
            assertThat(read.warnings()).as(name).isEmpty();
        }
        assertThat(Read.of(files.get(3)).records()).filteredOn(r -> r.kind() == SourceRecord.Kind.SKIP)
                .extracting(SourceRecord::reason).containsOnly("Suricata stats event");
        assertThat(SampleData.statsEvents(4)).isEqualTo(24);
        assertThat(SampleData.statsEvents(3)).isZero();
        assertThat(SampleData.statsEvents(8)).isEqualTo(48);
    }

    /**
     * The counts README.md, docs/LOCAL.md and docs/API.md print, from the documents the loader makes of the samples
     * (SampleDataIT finds them with the real searches): Zeek's {@code query} and EVE's {@code tls.sni} are
     * {@code host}, {@code id.orig_h} and {@code src_ip} are {@code srcIp}, as they were in the CSV samples.
     */
    @Test
    void theDocumentedSearchesCountWhatTheyAlwaysDid() throws Exception {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Path f : SampleData.write(dir, 4)) {
            docs.addAll(Read.of(f).documents());
        }
        assertThat(docs).hasSize(10_000);
        assertThat(count(docs, d -> "google.com".equals(d.get("host")))).isEqualTo(625);
        assertThat(count(docs, d -> srcIp(d).startsWith("10.0.0.") && Integer.valueOf(443).equals(d.get("dstPort"))))
                .isEqualTo(1609);
        assertThat(count(docs, d -> srcIp(d).startsWith("2001:db8:") && "udp".equals(d.get("proto"))
                && Integer.valueOf(53).equals(d.get("dstPort")))).isEqualTo(749);
        assertThat(count(docs, d -> "10.0.0.1".equals(d.get("srcIp")) && "google.com".equals(d.get("host"))))
                .isEqualTo(7);
        assertThat(count(docs, d -> d.containsKey("host"))).as("all but the CICFlowMeter flows").isEqualTo(7_500);
    }

    private static String srcIp(Map<String, Object> document) {
        return String.valueOf(document.get("srcIp"));
    }

    private static long count(List<Map<String, Object>> documents, Predicate<Map<String, Object>> matching) {
        return documents.stream().filter(matching).count();
    }

    @Test
    void isTheSameEveryTime() throws Exception {
        List<Path> a = SampleData.write(dir.resolve("a"), 4);
        List<Path> b = SampleData.write(dir.resolve("b"), 4);
        for (int i = 0; i < a.size(); i++) {
            assertThat(lines(a.get(i))).isEqualTo(lines(b.get(i)));
        }
    }
}
