package dev.netmeta.local.runner.samples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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

    @Test
    void writesGzipCsvInTheSpellingsOfRealTools() throws Exception {
        List<Path> files = SampleData.write(dir, 4);
        assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly(
                "2018-05-09-flows-cicflowmeter.csv.gz", "2018-05-09-dns-zeek.csv.gz", "2018-05-09-http.csv.gz",
                "2018-05-09-tls-suricata.csv.gz");
        assertThat(lines(files.get(0)).get(0)).startsWith("Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp");
        assertThat(lines(files.get(1)).get(0)).startsWith("ts,uid,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,query");
        assertThat(lines(files.get(2)).get(0)).startsWith("timestamp,srcIp,srcPort,dstIp,dstPort,proto,host");
        assertThat(lines(files.get(3)).get(0)).startsWith("timestamp,src_ip,src_port,dest_ip,dest_port,proto,server_name");
        for (Path f : files) {
            assertThat(lines(f)).hasSize(SampleData.ROWS_PER_FILE + 1);
            assertThat(Files.getLastModifiedTime(f).toInstant()).as("finished files, older than any minimum age")
                    .isBefore(Instant.now().minusSeconds(600));
        }
        String all = String.join("\n", lines(files.get(2))) + String.join("\n", lines(files.get(3)));
        assertThat(all).contains("google.com").contains("10.0.0.1,").contains("2001:db8:10::");
    }

    @Test
    void isTheSameEveryTime() throws Exception {
        Path a = SampleData.write(dir.resolve("a"), 2).get(1);
        Path b = SampleData.write(dir.resolve("b"), 2).get(1);
        assertThat(lines(a)).isEqualTo(lines(b));
    }
}
