package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FieldsTest {

    /** Every spelling of DESIGN.md's table (written out here, independent of the table in Fields). */
    static Stream<Arguments> designSpellings() {
        return Stream.of(
                Arguments.of("ts", Fields.TIMESTAMP), Arguments.of("Timestamp", Fields.TIMESTAMP),
                Arguments.of("time", Fields.TIMESTAMP), Arguments.of("timestamp", Fields.TIMESTAMP),
                Arguments.of("id.orig_h", Fields.SRC_IP), Arguments.of("id.resp_h", Fields.DST_IP),
                Arguments.of("src_ip", Fields.SRC_IP), Arguments.of("dest_ip", Fields.DST_IP),
                Arguments.of("Src IP", Fields.SRC_IP), Arguments.of("Dst IP", Fields.DST_IP),
                Arguments.of("Source IP", Fields.SRC_IP), Arguments.of("Destination IP", Fields.DST_IP),
                Arguments.of("id.orig_p", Fields.SRC_PORT), Arguments.of("id.resp_p", Fields.DST_PORT),
                Arguments.of("src_port", Fields.SRC_PORT), Arguments.of("dest_port", Fields.DST_PORT),
                Arguments.of("Src Port", Fields.SRC_PORT), Arguments.of("Dst Port", Fields.DST_PORT),
                Arguments.of("Source Port", Fields.SRC_PORT), Arguments.of("Destination Port", Fields.DST_PORT),
                Arguments.of("proto", Fields.PROTO), Arguments.of("Protocol", Fields.PROTO),
                Arguments.of("host", Fields.HOST), Arguments.of("server_name", Fields.HOST),
                Arguments.of("query", Fields.HOST), Arguments.of("sni", Fields.HOST),
                Arguments.of("hostname", Fields.HOST),
                Arguments.of("orig_bytes", Fields.BYTES_OUT), Arguments.of("resp_bytes", Fields.BYTES_IN),
                Arguments.of("bytes_toserver", Fields.BYTES_OUT), Arguments.of("bytes_toclient", Fields.BYTES_IN),
                // the canonical names themselves
                Arguments.of("srcIp", Fields.SRC_IP), Arguments.of("dstIp", Fields.DST_IP),
                Arguments.of("srcPort", Fields.SRC_PORT), Arguments.of("dstPort", Fields.DST_PORT),
                Arguments.of("bytesOut", Fields.BYTES_OUT), Arguments.of("bytesIn", Fields.BYTES_IN));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("designSpellings")
    void mapsEverySpellingOfTheDesignTable(String column, String canonical) {
        assertThat(Fields.canonicalName(column)).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("designSpellings")
    void matchesIgnoringCaseSpacesUnderscoresAndDots(String column, String canonical) {
        assertThat(Fields.canonicalName(column.toUpperCase())).isEqualTo(canonical);
        assertThat(Fields.canonicalName(column.toLowerCase())).isEqualTo(canonical);
        assertThat(Fields.canonicalName("  " + column + " ")).isEqualTo(canonical);
        assertThat(Fields.canonicalName(column.replace(" ", "_"))).isEqualTo(canonical);
        assertThat(Fields.canonicalName(column.replace("_", " "))).isEqualTo(canonical);
        assertThat(Fields.canonicalName(column.replace(".", "_"))).isEqualTo(canonical);
        assertThat(Fields.canonicalName(column.replace(" ", ""))).isEqualTo(canonical);
    }

    @Test
    void everyAliasOfTheTableMapsToItsCanonicalField() {
        assertThat(Fields.aliases()).hasSizeGreaterThanOrEqualTo(40);
        for (Map.Entry<String, String> e : Fields.aliases().entrySet()) {
            assertThat(Fields.canonicalName(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(Fields.isCanonical(e.getValue())).isTrue();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "@timestamp|timestamp",
            "http.hostname|host",
            "tls.sni|host",
            "dns.rrname|host",
            "flow.bytes_toserver|bytesOut",
            "flow.bytes_toclient|bytesIn",
            "Total Length of Fwd Packets|bytesOut",
            "Total Length of Bwd Packets|bytesIn",
            "TotLen Fwd Pkts|bytesOut",
            "TotLen Bwd Pkts|bytesIn",
            "src-ip|srcIp",
            "SRC.IP|srcIp",
            "' Source IP'|srcIp",
            "ID.ORIG_H|srcIp",
            "\uFEFFts|timestamp"})
    void mapsTheAdditionalSpellings(String column, String canonical) {
        assertThat(Fields.canonicalName(column)).isEqualTo(canonical);
    }

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "uid|uid",
            "conn_state|conn_state",
            "Flow Bytes/s|Flow_Bytes_s",
            "Fwd Pkt Len Max|Fwd_Pkt_Len_Max",
            "tls.version|tls_version",
            "a.b.c|a_b_c",
            "_id|id",
            "__private|private",
            "_source|source",
            "'  spaced  name '|spaced__name",
            "-dash|dash",
            "@version|version",
            "häufigkeit|häufigkeit",
            "Flow ID|Flow_ID",
            "x[0]|x_0_",
            "'a\"b'|a_b",
            "''|field",
            "...|field",
            "___|field",
            "' '|field"})
    void keepsUnknownColumnsUnderASafeName(String column, String expected) {
        assertThat(Fields.canonicalName(column)).isEqualTo(expected);
    }

    @Test
    void safeNamesHaveNoDotsNoLeadingUnderscoresAndAreNotEmpty() {
        for (String column : new String[] {".a", "a.", "_.", "._x", " _ y", "\t", "a/b\\c", "q?r*s"}) {
            String name = Fields.canonicalName(column);
            assertThat(name).as(column).doesNotContain(".").doesNotStartWith("_").isNotEmpty()
                    .matches("[\\p{L}\\p{N}_-]+");
        }
        assertThat(Fields.canonicalName(null)).isEqualTo(Fields.UNNAMED);
    }

    @Test
    void typesOfCanonicalFieldsAndUnknownOnes() {
        assertThat(Fields.typeOf(Fields.TIMESTAMP)).isEqualTo(FieldType.DATE);
        assertThat(Fields.typeOf(Fields.SRC_IP)).isEqualTo(FieldType.IP);
        assertThat(Fields.typeOf(Fields.DST_IP)).isEqualTo(FieldType.IP);
        assertThat(Fields.typeOf(Fields.SRC_PORT)).isEqualTo(FieldType.INTEGER);
        assertThat(Fields.typeOf(Fields.DST_PORT)).isEqualTo(FieldType.INTEGER);
        assertThat(Fields.typeOf(Fields.PROTO)).isEqualTo(FieldType.KEYWORD);
        assertThat(Fields.typeOf(Fields.HOST)).isEqualTo(FieldType.KEYWORD);
        assertThat(Fields.typeOf(Fields.BYTES_OUT)).isEqualTo(FieldType.LONG);
        assertThat(Fields.typeOf(Fields.BYTES_IN)).isEqualTo(FieldType.LONG);
        assertThat(Fields.typeOf("uid")).isEqualTo(FieldType.KEYWORD);
        assertThat(Fields.typeOf("srcip")).as("typeOf takes canonical names, exact spelling").isEqualTo(FieldType.KEYWORD);
        assertThat(Fields.typeOf(null)).isEqualTo(FieldType.KEYWORD);
        assertThat(Fields.canonicalFields()).containsExactly("timestamp", "srcIp", "dstIp", "srcPort", "dstPort",
                "proto", "host", "bytesOut", "bytesIn");
    }

    @Test
    void provenanceFieldsHaveTheirTypesButAreNotCanonical() {
        assertThat(Fields.provenanceFields()).containsExactly("sourceFile", "sourceRecord", "sourceVersion");
        assertThat(Fields.typeOf(Fields.SOURCE_FILE)).isEqualTo(FieldType.KEYWORD);
        assertThat(Fields.typeOf(Fields.SOURCE_RECORD)).isEqualTo(FieldType.LONG);
        assertThat(Fields.typeOf(Fields.SOURCE_VERSION)).isEqualTo(FieldType.KEYWORD);
        assertThat(Fields.isProvenance("sourceVersion")).isTrue();
        assertThat(Fields.isCanonical(Fields.SOURCE_VERSION)).isFalse();
        assertThat(Fields.isProvenance("sourceFile")).isTrue();
        assertThat(Fields.isProvenance("sourcefile")).isFalse();
        assertThat(Fields.isCanonical(Fields.SOURCE_FILE)).as("never converted as an input value").isFalse();
    }

    @Test
    void theObserversOwnNamesInEcsNeverBecomeACanonicalField() {
        // ECS (Filebeat, Elastic Agent): host.* / observer.* / agent.* describe the machine that saw or shipped the
        // event; host.name matched the alias "hostname" and took the place of the SNI, HTTP host or DNS query
        assertThat(Fields.canonicalName("host.name")).isEqualTo("host_name");
        assertThat(Fields.canonicalName("Host.Hostname")).isEqualTo("Host_Hostname");
        assertThat(Fields.canonicalName("observer.ip")).isEqualTo("observer_ip");
        assertThat(Fields.canonicalName("agent.hostname")).isEqualTo("agent_hostname");
        assertThat(Fields.isObserverField("host.ip")).isTrue();
        assertThat(Fields.canonicalName(" host.name")).as("a padded CSV header").isEqualTo("host_name");
        assertThat(Fields.canonicalName("\uFEFFhost.name")).as("a BOM before the first header").isEqualTo("host_name");
        assertThat(Fields.isObserverField("http.hostname")).isFalse();
        assertThat(Fields.isObserverField("host")).isFalse();
        assertThat(Fields.isObserverField("hostname")).isFalse();
        // the traffic's own fields still are
        assertThat(Fields.canonicalName("hostname")).isEqualTo("host");
        assertThat(Fields.canonicalName("http.hostname")).isEqualTo("host");
        assertThat(Fields.canonicalName("source.ip")).isEqualTo("srcIp");
        assertThat(Fields.canonicalName("destination.port")).isEqualTo("dstPort");
    }

    @Test
    void aColumnNamedLikeAProvenanceFieldIsRenamedSoItCannotOverwriteIt() {
        assertThat(Fields.canonicalName("sourceFile")).isEqualTo("sourceFile_2");
        assertThat(Fields.canonicalName("sourceRecord")).isEqualTo("sourceRecord_2");
        assertThat(Fields.canonicalName("sourceVersion")).isEqualTo("sourceVersion_2");
        assertThat(Fields.canonicalName("source.Version")).as("safe name first").isEqualTo("source_Version");
        assertThat(Fields.canonicalName("_sourceFile")).as("safe name first, then the check").isEqualTo("sourceFile_2");
        // other spellings are different OpenSearch fields already: nothing to rename
        assertThat(Fields.canonicalName("source_file")).isEqualTo("source_file");
        assertThat(Fields.canonicalName("SourceFile")).isEqualTo("SourceFile");
    }
}
