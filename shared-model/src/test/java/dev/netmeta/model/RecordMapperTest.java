package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class RecordMapperTest {

    private static long utc(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void mapsAZeekConnLogRow() {
        RecordMapper mapper = RecordMapper.forColumns(List.of("ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h",
                "id.resp_p", "proto", "service", "duration", "orig_bytes", "resp_bytes", "conn_state", "tunnel_parents"));
        Map<String, Object> doc = mapper.toDocument(new String[] {"1525876221.123456", "CHhAvVGS1DHFjwGM9",
                "10.0.0.1", "49152", "2001:DB8::1", "443", "tcp", "ssl", "0.5", "1024", "-", "SF", "(empty)"});

        assertThat(doc).containsExactly(
                entry("timestamp", utc("2018-05-09T14:30:21.123Z")),
                entry("uid", "CHhAvVGS1DHFjwGM9"),
                entry("srcIp", "10.0.0.1"),
                entry("srcPort", 49152),
                entry("dstIp", "2001:db8::1"),
                entry("dstPort", 443),
                entry("proto", "tcp"),
                entry("service", "ssl"),
                entry("duration", 0.5d),
                entry("bytesOut", 1024L),
                entry("conn_state", "SF"));
        assertThat(mapper.fieldNames()).containsExactly("timestamp", "uid", "srcIp", "srcPort", "dstIp", "dstPort",
                "proto", "service", "duration", "bytesOut", "bytesIn", "conn_state", "tunnel_parents");
    }

    @Test
    void mapsACicFlowMeterRowWithPaddedHeaders() {
        RecordMapper mapper = RecordMapper.forColumns(List.of("Flow ID", " Source IP", " Source Port",
                " Destination IP", " Destination Port", " Protocol", " Timestamp", " Flow Duration",
                "Total Length of Fwd Packets", " Total Length of Bwd Packets", "Flow Bytes/s", " Label"));
        Map<String, Object> doc = mapper.toDocument(new String[] {"192.168.10.5-104.16.207.165-54865-443-6",
                "192.168.10.5", "54865", "104.16.207.165", "443", "6", "3/7/2017 8:55", "3", "12", "0",
                "4000000", "BENIGN"});

        assertThat(doc).containsExactly(
                entry("Flow_ID", "192.168.10.5-104.16.207.165-54865-443-6"),
                entry("srcIp", "192.168.10.5"),
                entry("srcPort", 54865),
                entry("dstIp", "104.16.207.165"),
                entry("dstPort", 443),
                entry("proto", "tcp"),
                entry("timestamp", utc("2017-07-03T08:55:00Z")),
                entry("Flow_Duration", 3L),
                entry("bytesOut", 12L),
                entry("bytesIn", 0L),
                entry("Flow_Bytes_s", 4000000L),
                entry("Label", "BENIGN"));
    }

    @Test
    void mapsASuricataStyleCsvRow() {
        RecordMapper mapper = RecordMapper.forColumns(List.of("timestamp", "flow_id", "event_type", "src_ip",
                "src_port", "dest_ip", "dest_port", "proto", "tls.sni", "bytes_toserver", "bytes_toclient"));
        Map<String, Object> doc = mapper.toDocument(new String[] {"2018-05-09T14:30:21.123456+0000",
                "1234567890123456", "tls", "::ffff:10.0.0.2", "50000", "2001:db8::2", "443", "TCP", "WWW.Google.com.",
                "517", "4321"});
        assertThat(doc).containsExactly(
                entry("timestamp", utc("2018-05-09T14:30:21.123Z")),
                entry("flow_id", 1234567890123456L),
                entry("event_type", "tls"),
                entry("srcIp", "10.0.0.2"),
                entry("srcPort", 50000),
                entry("dstIp", "2001:db8::2"),
                entry("dstPort", 443),
                entry("proto", "tcp"),
                entry("host", "www.google.com"),
                entry("bytesOut", 517L),
                entry("bytesIn", 4321L));
    }

    @Test
    void skipsMissingValuesAndTrimsBlanks() {
        RecordMapper mapper = RecordMapper.forColumns(List.of("a", "b", "c", "d", "e", "srcPort"));
        Map<String, Object> doc = mapper.toDocument(new String[] {null, "", "  ", "-", " x ", " 80 "});
        assertThat(doc).containsExactly(entry("e", "x"), entry("srcPort", 80));
    }

    @Test
    void aShortRowLacksTheMissingColumns() {
        RecordMapper mapper = RecordMapper.forColumns(List.of("ts", "host", "uid"));
        assertThat(mapper.toDocument(new String[] {"1525876221"}))
                .containsExactly(entry("timestamp", utc("2018-05-09T14:30:21Z")));
    }

    @Test
    void aLongRowIsRejectedBecauseItsExtraValuesHaveNoName() {
        RecordMapper mapper = RecordMapper.forColumns(List.of("ts", "host"));
        assertThatThrownBy(() -> mapper.toDocument(new String[] {"1525876221", "a.com", "extra"}))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("3 values").hasMessageContaining("2 columns");
    }

    @Test
    void aBadCanonicalValueIsRejectedNamingItsField() {
        RecordMapper mapper = RecordMapper.forColumns(List.of("ts", "id.orig_h", "id.resp_p"));
        assertThatThrownBy(() -> mapper.toDocument(new String[] {"1525876221", "999.1.1.1", "80"}))
                .isInstanceOf(InvalidValueException.class)
                .satisfies(e -> {
                    InvalidValueException ive = (InvalidValueException) e;
                    assertThat(ive.field()).isEqualTo("srcIp");
                    assertThat(ive.value()).isEqualTo("999.1.1.1");
                    assertThat(ive.getMessage()).startsWith("srcIp: ").contains("'999.1.1.1'");
                });
        assertThatThrownBy(() -> mapper.toDocument(new String[] {"yesterday", "1.1.1.1", "80"}))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("timestamp: ");
        assertThatThrownBy(() -> mapper.toDocument(new String[] {"1525876221", "1.1.1.1", "70000"}))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("dstPort: ");
    }

    @Test
    void duplicateAndBlankColumnsGetDistinctNames() {
        RecordMapper mapper = RecordMapper.forColumns(List.of("Src IP", "Source IP", "", "a.b", "a_b", "a b", " "));
        assertThat(mapper.fieldNames()).containsExactly("srcIp", "srcIp_2", "column_3", "a_b", "a_b_2", "a_b_3",
                "column_7");
        Map<String, Object> doc = mapper.toDocument(new String[] {"1.1.1.1", "not-an-ip", "x", "1", "2", "3", "y"});
        assertThat(doc).containsEntry("srcIp", "1.1.1.1").containsEntry("srcIp_2", "not-an-ip")
                .containsEntry("a_b_3", 3L).containsEntry("column_7", "y");
        assertThat(mapper.columns()).containsExactly("Src IP", "Source IP", "", "a.b", "a_b", "a b", " ");
    }

    @Test
    void inputColumnsNamedLikeTheProvenanceFieldsAreRenamed() {
        // e.g. re-loading a CSV export of this API, which carries the provenance of the first load
        RecordMapper mapper = RecordMapper.forColumns(List.of("sourceFile", "sourceRecord", "sourceFile_2", "ts",
                "sourceVersion"));
        assertThat(mapper.fieldNames()).containsExactly("sourceFile_2", "sourceRecord_2", "sourceFile_2_2",
                "timestamp", "sourceVersion_2");
        Map<String, Object> doc = mapper.toDocument(new String[] {"raw/old.csv.gz", "41", "x", "1525876221",
                "9f0e"});
        assertThat(doc).doesNotContainKeys(Fields.SOURCE_FILE, Fields.SOURCE_RECORD, Fields.SOURCE_VERSION)
                .containsEntry("sourceFile_2", "raw/old.csv.gz").containsEntry("sourceRecord_2", 41L)
                .containsEntry("sourceFile_2_2", "x").containsEntry("sourceVersion_2", "9f0e");
    }

    @Test
    void anEmptyHeaderIsRefused() {
        assertThatThrownBy(() -> RecordMapper.forColumns(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecordMapper.forColumns(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void convertsTypedNdjsonValues() {
        assertThat(RecordMapper.convert("timestamp", 1525876221.123456d)).isEqualTo(utc("2018-05-09T14:30:21.123Z"));
        assertThat(RecordMapper.convert("timestamp", 1525876221123L)).isEqualTo(utc("2018-05-09T14:30:21.123Z"));
        assertThat(RecordMapper.convert("timestamp", new BigDecimal("1525876221.5"))).isEqualTo(utc("2018-05-09T14:30:21.500Z"));
        assertThat(RecordMapper.convert("timestamp", "2018-05-09T14:30:21.123456+0000")).isEqualTo(utc("2018-05-09T14:30:21.123Z"));
        assertThat(RecordMapper.convert("srcIp", "2001:0DB8::0001")).isEqualTo("2001:db8::1");
        assertThat(RecordMapper.convert("srcPort", 443)).isEqualTo(443);
        assertThat(RecordMapper.convert("dstPort", 443.0d)).isEqualTo(443);
        assertThat(RecordMapper.convert("dstPort", "443")).isEqualTo(443);
        assertThat(RecordMapper.convert("bytesOut", 123L)).isEqualTo(123L);
        assertThat(RecordMapper.convert("bytesIn", new BigInteger("9000000000"))).isEqualTo(9_000_000_000L);
        assertThat(RecordMapper.convert("proto", 17)).isEqualTo("udp");
        assertThat(RecordMapper.convert("proto", "TCP")).isEqualTo("tcp");
        assertThat(RecordMapper.convert("host", "Example.ORG.")).isEqualTo("example.org");
    }

    @Test
    void unknownNdjsonFieldsKeepTheirJsonValue() {
        Object list = List.of(1, 2);
        assertThat(RecordMapper.convert("flow_id", 123L)).isEqualTo(123L);
        assertThat(RecordMapper.convert("flow_id", "123")).isEqualTo("123");
        assertThat(RecordMapper.convert("alert_signature", "ET POLICY x")).isEqualTo("ET POLICY x");
        assertThat(RecordMapper.convert("pcap_cnt", 1.5d)).isEqualTo(1.5d);
        assertThat(RecordMapper.convert("tx", true)).isEqualTo(true);
        assertThat(RecordMapper.convert("answers", list)).isSameAs(list);
    }

    @Test
    void ndjsonMissingValuesBecomeNull() {
        assertThat(RecordMapper.convert("host", null)).isNull();
        assertThat(RecordMapper.convert("host", "-")).isNull();
        assertThat(RecordMapper.convert("srcIp", " ")).isNull();
        assertThat(RecordMapper.convert("host", "(empty)")).isNull();
    }

    @Test
    void badNdjsonValuesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> RecordMapper.convert("srcIp", 167772161L))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("srcIp: ");
        assertThatThrownBy(() -> RecordMapper.convert("srcPort", 443.5d))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("srcPort: ");
        assertThatThrownBy(() -> RecordMapper.convert("srcPort", 70000))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("srcPort: ");
        assertThatThrownBy(() -> RecordMapper.convert("bytesOut", Double.NaN))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("bytesOut: ");
        assertThatThrownBy(() -> RecordMapper.convert("timestamp", Double.POSITIVE_INFINITY))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("timestamp: ");
        assertThatThrownBy(() -> RecordMapper.convert("host", List.of("a")))
                .isInstanceOf(InvalidValueException.class).hasMessageContaining("text or number");
        assertThatThrownBy(() -> RecordMapper.convert("dstIp", "example.com"))
                .isInstanceOf(InvalidValueException.class).hasMessageStartingWith("dstIp: ");
    }

    @Test
    void aNonScalarInACanonicalFieldIsNamedAsJsonNamesItNotAsAJavaClass() {
        assertThatThrownBy(() -> RecordMapper.convert("host", new ArrayList<>(List.of("a.com", "b.com"))))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("host: expected a text or number value, not an array, got '[a.com, b.com]'");
        assertThatThrownBy(() -> RecordMapper.convert("srcIp", new java.util.LinkedHashMap<>(Map.of("a", 1))))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("srcIp: expected a text or number value, not an object, got '{a=1}'");
        assertThatThrownBy(() -> RecordMapper.convert("srcPort", Boolean.TRUE))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("srcPort: expected a text or number value, not a boolean, got 'true'");
    }

    @Test
    void oneMapperServesManyThreads() throws Exception {
        RecordMapper mapper = RecordMapper.forColumns(List.of("ts", "id.orig_h", "id.orig_p", "note"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        int port = thread * 10_000 + i;
                        Map<String, Object> doc = mapper.toDocument(new String[] {
                                "1525876221." + String.format("%03d", i % 1000), "10.0." + thread + "." + (i % 256),
                                Integer.toString(port), "n" + i});
                        if (!doc.get("srcPort").equals(port) || !doc.get("srcIp").equals("10.0." + thread + "." + (i % 256))
                                || !doc.get("timestamp").equals(1525876221000L + i % 1000)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
