package dev.netmeta.load.format;

import static dev.netmeta.load.format.Inputs.gzip;
import static dev.netmeta.load.format.Inputs.readAll;
import static dev.netmeta.load.format.Inputs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.load.format.SourceRecord.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonRecordReaderTest {

    @Test
    void anEventWithoutAnyValueIsSkipped() throws IOException {
        List<SourceRecord> records = readAll(utf8("{}\n{\"a\":null,\"b\":{}}\n{\"src_ip\":\"10.0.0.1\"}\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.SKIP, Kind.SKIP, Kind.DOCUMENT);
        assertThat(records.get(1).reason()).isEqualTo("a record without any value");
    }

    @Test
    void anEcsEventsHostObjectNamesTheSensorAndNeverTheTrafficsHost() throws IOException {
        List<SourceRecord> records = readAll(utf8("""
                {"@timestamp":"2026-11-27T01:00:00Z","host":{"name":"sensor-7","hostname":"sensor-7"},\
                "source":{"ip":"10.0.0.1","port":51000},"destination":{"ip":"8.8.8.8","port":443},\
                "tls":{"client":{"server_name":"example.com"}}}
                {"host":{"name":"sensor-7","hostname":"sensor-7"},"dns":{"question":{"name":"example.org"}}}
                """));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.DOCUMENT);
        assertThat(records.get(0).document()).containsEntry("host", "example.com").containsEntry("srcIp", "10.0.0.1")
                .containsEntry("dstPort", 443).containsEntry("host_name", "sensor-7")
                .containsEntry("host_hostname", "sensor-7");
        assertThat(records.get(1).document()).doesNotContainKey("host").containsEntry("host_name", "sensor-7");
    }

    @Test
    void flattensSuricataEveAndFindsTheCanonicalFields() throws IOException {
        String eve = """
                {"timestamp":"2018-05-09T14:30:21.123456+0000","flow_id":123,"event_type":"http","src_ip":"10.0.0.1","src_port":51000,"dest_ip":"93.184.216.34","dest_port":80,"proto":"TCP","http":{"hostname":"google.com","url":"/","http_user_agent":"curl","status":200,"headers":[{"name":"a","value":"b"}]},"flow":{"bytes_toserver":100,"bytes_toclient":2000},"tags":["x","y"]}
                """;

        List<SourceRecord> records = readAll(gzip(utf8(eve)));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.DOCUMENT);
            assertThat(r.document()).containsEntry("srcIp", "10.0.0.1").containsEntry("dstIp", "93.184.216.34")
                    .containsEntry("srcPort", 51000).containsEntry("dstPort", 80).containsEntry("proto", "tcp")
                    .containsEntry("host", "google.com").containsEntry("http_url", "/")
                    .containsEntry("http_status", 200L).containsEntry("bytesOut", 100L)
                    .containsEntry("bytesIn", 2000L).containsEntry("tags", List.of("x", "y"))
                    .containsEntry("http_headers", "[{\"name\":\"a\",\"value\":\"b\"}]")
                    .containsKey("timestamp");
        });
    }

    @Test
    void anArrayKeptAsJsonTextKeepsItsNumbersAsTheEventWroteThem() throws IOException {
        List<SourceRecord> records = readAll(utf8("""
                {"src_ip":"10.0.0.1","answers":[{"ttl":0.000586,"rate":12345678.9,"n":[1e-8,0.10,-0.0,7]},[2.50]]}
                """));

        assertThat(records).singleElement().satisfies(r -> assertThat(r.document()).containsEntry("answers",
                "[{\"ttl\":0.000586,\"rate\":12345678.9,\"n\":[1e-8,0.10,-0.0,7]},[2.50]]"));
    }

    @Test
    void keysThatShareANameKeepBothValuesAndTheDottedAliasIsTheCanonicalOne() throws IOException {
        List<SourceRecord> records = readAll(utf8("""
                {"timestamp":1525876221,"host":"sensor-1","src_ip":"10.0.0.1","id.orig_h":"10.0.0.9","a":{"b":1},"a_b":2,"http":{"hostname":"Google.COM."}}
                """));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.DOCUMENT);
            assertThat(r.document()).containsEntry("host", "google.com").containsEntry("host_2", "sensor-1")
                    .containsEntry("srcIp", "10.0.0.9").containsEntry("srcIp_2", "10.0.0.1")
                    .containsEntry("a_b", 1L).containsEntry("a_b_2", 2L);
        });
    }

    @Test
    void aPathThatOccursTwiceKeepsBothValues() throws IOException {
        List<SourceRecord> records = readAll(utf8("""
                {"timestamp":1525876221,"m":{"a":1},"m.a":2,"k":1,"k":2,"id":{"orig_h":"10.30.0.1"},"id.orig_h":"10.30.0.2"}
                """));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.DOCUMENT);
            assertThat(r.document()).containsEntry("m_a", 1L).containsEntry("m_a_2", 2L)
                    .containsEntry("k", 1L).containsEntry("k_2", 2L)
                    .containsEntry("srcIp", "10.30.0.1").containsEntry("srcIp_2", "10.30.0.2");
        });
    }

    @Test
    void numbersBeyondLongOrDoubleKeepTheirTextAndLeaveTheNextNumbersAlone() throws IOException {
        // jackson-core 2.18 returned the big integer for the decimal after it once its number type had been asked
        List<SourceRecord> records = readAll(utf8("""
                {"timestamp":1525876221,"big":123456789012345678901234567890,"rtt":2.5,"huge":1e309,"n":-9223372036854775808,"over":9223372036854775808,"d":0.25,"bytes_toclient":7}
                """));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.DOCUMENT);
            assertThat(r.document()).containsEntry("big", "123456789012345678901234567890").containsEntry("rtt", 2.5)
                    .containsEntry("huge", "1e309").containsEntry("n", Long.MIN_VALUE)
                    .containsEntry("over", "9223372036854775808").containsEntry("d", 0.25).containsEntry("bytesIn", 7L);
        });
    }

    @Test
    void aBooleanOrAListInACanonicalFieldRejectsTheRecordAsTheContractSays() throws IOException {
        List<SourceRecord> records = readAll(utf8("""
                {"timestamp":1525876221,"srcIp":true}
                {"timestamp":1525876221,"host":["a.com","b.com"]}
                {"timestamp":1525876221,"srcIp":"10.0.0.1","tags":["x"],"ok":true}
                {"timestamp":1525876221,"host":[{"a":1}]}
                {"timestamp":1525876221,"http":{"hostname":[{"a":1}]}}
                """));

        assertThat(records).extracting(SourceRecord::kind)
                .containsExactly(Kind.REJECT, Kind.REJECT, Kind.DOCUMENT, Kind.REJECT, Kind.REJECT);
        // an array of objects is kept as JSON text in an unknown field, but it is still an array in a canonical one
        assertThat(records.get(3).reason()).isEqualTo("host: expected a text or number value, not an array, got '[{\"a\":1}]'");
        assertThat(records.get(4).reason()).startsWith("host: expected a text or number value, not an array");
        assertThat(records.get(0).reason())
                .isEqualTo("srcIp: expected a text or number value, not a boolean, got 'true'");
        assertThat(records.get(1).reason())
                .isEqualTo("host: expected a text or number value, not an array, got '[a.com, b.com]'");
        assertThat(records.get(2).document()).containsEntry("tags", List.of("x")).containsEntry("ok", true);
    }

    @Test
    void aNestedLeafThatOnlyStandsInForACanonicalFieldNeverRejectsTheEvent() throws IOException {
        // x.proto, y.time, z.host are unknown fields (kept as x_proto, y_time, z_host); that their last name is an
        // alias only makes them a fallback for an absent canonical field, and a value the contract cannot take there
        // must not cost the event - the next fallback that can fills the field instead
        List<SourceRecord> records = readAll(utf8("""
                {"src_ip":"10.0.0.1","x":{"proto":["tcp","udp"]},"y":{"time":"yesterday"},"z":{"host":true},"w":{"host":"Example.COM"},"v":{"src_ip":"fe80::1%eth0"}}
                """));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.DOCUMENT);
            assertThat(r.document()).containsEntry("srcIp", "10.0.0.1").containsEntry("host", "example.com")
                    .containsEntry("x_proto", List.of("tcp", "udp")).containsEntry("y_time", "yesterday")
                    .containsEntry("z_host", true).containsEntry("v_src_ip", "fe80::1%eth0")
                    .doesNotContainKeys("proto", "timestamp");
        });
    }

    @Test
    void dnsAndTlsEventsGiveTheHost() throws IOException {
        List<SourceRecord> records = readAll(utf8("""
                {"timestamp":"2018-05-09T14:30:21.000000+0000","event_type":"dns","src_ip":"10.0.0.1","dest_ip":"8.8.8.8","proto":"UDP","dns":{"type":"query","rrname":"example.org"}}
                {"timestamp":"2018-05-09T14:30:22.000000+0000","event_type":"tls","src_ip":"10.0.0.1","dest_ip":"1.1.1.1","proto":"TCP","tls":{"sni":"cloudflare.com"}}
                """));

        assertThat(records).extracting(r -> r.document().get("host")).containsExactly("example.org", "cloudflare.com");
    }

    @Test
    void eventKeysNamedLikeTheProvenanceFieldsAreRenamed() throws IOException {
        List<SourceRecord> records = readAll(utf8("""
                {"ts":1525876221.123,"sourceFile":"elsewhere.log","sourceRecord":7,"sourceVersion":"abc","id.orig_h":"10.0.0.1"}
                """));

        assertThat(records.get(0).document()).doesNotContainKeys("sourceFile", "sourceRecord", "sourceVersion")
                .containsEntry("sourceFile_2", "elsewhere.log").containsEntry("sourceRecord_2", 7L)
                .containsEntry("sourceVersion_2", "abc");
    }

    @Test
    void readsZeekJsonLogs() throws IOException {
        List<SourceRecord> records = readAll(utf8("""
                {"ts":1525876221.123,"uid":"C1","id.orig_h":"10.0.0.1","id.orig_p":51000,"id.resp_h":"8.8.8.8","id.resp_p":53,"proto":"udp","query":"google.com"}
                """));

        assertThat(records.get(0).document()).containsEntry("srcIp", "10.0.0.1").containsEntry("dstPort", 53)
                .containsEntry("host", "google.com").containsEntry("uid", "C1");
    }

    @Test
    void aJsonArrayOfObjectsIsReadAsJsonAndRejectedInsteadOfLoadedAsACsvHeader() throws IOException {
        // an export as one JSON array was a CSV header and no rows: SUCCEEDED with 0 records, the data gone
        // without a word; pretty-printed, every line became a one-column CSV "record"
        List<SourceRecord> oneLine = readAll(gzip(utf8("""
                [{"src_ip":"10.0.0.1"},{"src_ip":"10.0.0.2"}]
                """)));
        List<SourceRecord> pretty = readAll(utf8("\uFEFF\r\n[\r\n  {\"src_ip\": \"10.0.0.1\"},\r\n  {\"src_ip\": \"10.0.0.2\"}\r\n]\r\n"));

        assertThat(oneLine).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.REJECT);
            assertThat(r.reason()).isEqualTo("not a JSON object");
            assertThat(r.raw()).isEqualTo("[{\"src_ip\":\"10.0.0.1\"},{\"src_ip\":\"10.0.0.2\"}]");
        });
        // pretty-printed: each line is read as NDJSON, so a line that is a whole object (the last element) is one
        assertThat(pretty).extracting(SourceRecord::kind)
                .containsExactly(Kind.REJECT, Kind.REJECT, Kind.DOCUMENT, Kind.REJECT);
        assertThat(pretty.get(1).raw()).isEqualTo("  {\"src_ip\": \"10.0.0.1\"},");
        assertThat(pretty.get(2).document()).containsEntry("srcIp", "10.0.0.2");
        // a CSV whose first column title starts with '[' is still CSV
        assertThat(readAll(utf8("[Time],Src IP\n1525876221,10.0.0.1\n"))).singleElement()
                .satisfies(r -> assertThat(r.document()).containsEntry("srcIp", "10.0.0.1"));
    }

    @Test
    void theByteOrderMarkOfAConcatenatedFileDoesNotRejectItsFirstEvent() throws IOException {
        // cat a.json b.json, b written with a UTF-8 BOM (e.g. PowerShell 5's Out-File -Encoding utf8)
        byte[] input = utf8("\uFEFF{\"src_ip\":\"10.0.0.1\"}\n{\"src_ip\":\"10.0.0.2\"}\n"
                + "\uFEFF{\"src_ip\":\"10.0.0.3\"}\n{\"src_ip\":\"10.0.0.4\"}\n");

        assertThat(readAll(input)).extracting(r -> r.document().get("srcIp"))
                .containsExactly("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4");
        try (RecordReader reader = Inputs.open(input)) {
            assertThat(reader.skip(2)).isEqualTo(2);
            assertThat(reader.next().document()).containsEntry("srcIp", "10.0.0.3");
        }
    }

    @Test
    void skipsStatsEventsAndRejectsBrokenLines() throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(utf8("""
                {"timestamp":"2018-05-09T14:30:21.000000+0000","event_type":"stats","stats":{"uptime":10,"capture":{"kernel_packets":5}}}

                {"timestamp":"2018-05-09T14:30:21.000000+0000","event_type":"flow","src_ip":"10.0.0.1"
                [1,2,3]
                {"event_type":"flow","src_ip":"10.0.0.300"}
                {"event_type":"alert","src_ip":"10.0.0.2","alert":{"signature":"caf"""));
        in.write(0xe9);
        in.writeBytes(utf8("\"}}\n{\"event_type\":\"alert\",\"src_ip\":\"10.0.0.3\"}\n"));

        List<SourceRecord> records = readAll(in.toByteArray());

        assertThat(records).extracting(SourceRecord::kind).containsExactly(
                Kind.SKIP, Kind.REJECT, Kind.REJECT, Kind.REJECT, Kind.REJECT, Kind.DOCUMENT);
        assertThat(records).extracting(SourceRecord::line).containsExactly(1L, 3L, 4L, 5L, 6L, 7L);
        assertThat(records.get(1).reason()).startsWith("invalid JSON");
        assertThat(records.get(2).reason()).isEqualTo("not a JSON object");
        assertThat(records.get(3).reason()).contains("10.0.0.300");
        assertThat(records.get(4).reason()).contains("UTF-8");
        assertThat(records.get(5).position()).isEqualTo(5);
    }
}
