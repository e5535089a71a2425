package dev.netmeta.load.format;

import static dev.netmeta.load.format.Inputs.gzip;
import static dev.netmeta.load.format.Inputs.open;
import static dev.netmeta.load.format.Inputs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.load.format.SourceRecord.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Files that read without a reject but as junk get a warning, decided per header (or on an NDJSON file's first
 * records); the formats this service is for get none. No servers: the readers on crafted bytes.
 */
class ShapeWarningsTest {

    /** What a reader made of a file: its records and, once they are read, its warnings. */
    private record Read(List<SourceRecord> records, List<String> warnings) {
    }

    private static Read read(byte[] bytes) throws IOException {
        try (RecordReader reader = open(bytes)) {
            List<SourceRecord> records = new ArrayList<>();
            SourceRecord r;
            while ((r = reader.next()) != null) {
                records.add(r);
            }
            return new Read(records, reader.warnings());
        }
    }

    private static List<String> warningsOf(String text) throws IOException {
        return read(gzip(utf8(text))).warnings();
    }

    // ----- the wrong shapes -----------------------------------------------------------------------------------------

    /** A Zeek conn.log exported without its # lines under a .csv.gz name: one column whose name holds the TABs. */
    @Test
    void aTabSeparatedFileReadAsCsvIsOneColumnWithTabsAndSaysSo() throws IOException {
        Read read = read(gzip(utf8("ts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n"
                + "1525876221.1\tCx1\t10.0.0.1\t51000\t8.8.8.8\t53\tudp\n"
                + "1525876222.2\tCx2\t10.0.0.2\t51001\t8.8.4.4\t53\tudp\n")));

        assertThat(read.records()).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.DOCUMENT);
        assertThat(read.records().get(0).document()).as("the junk the warning is about").hasSize(1)
                .doesNotContainKey("timestamp");
        assertThat(read.warnings()).containsExactly("CSV header \"ts\\tuid\\tid.orig_h\\tid.orig_p\\tid.resp_h\\t"
                + "id.resp_p\\tproto\" is one column holding TABs: a tab-separated file? CSV input must be "
                + "comma-separated, so each row became one field, without a timestamp. Convert it to comma-separated "
                + "CSV at its source; the corrected copy is loaded again");
    }

    @Test
    void aSemicolonSeparatedExportIsOneColumnWithSemicolonsAndSaysSo() throws IOException {
        assertThat(warningsOf("Src IP;Dst IP;Src Port;Dst Port;Protocol;Timestamp\r\n"
                + "10.0.0.1;8.8.8.8;51000;53;17;09/05/2018 02:30:21 PM\r\n"))
                .singleElement().asString()
                .startsWith("CSV header \"Src IP;Dst IP;Src Port;Dst Port;Protocol;Timestamp\" is one column holding "
                        + "semicolons: a ;-separated export? CSV input must be comma-separated");
    }

    @Test
    void aGzipOfPlainTextHasNoKnownFieldAndIsNamedAsOneColumn() throws IOException {
        Read read = read(gzip(utf8("Lorem ipsum dolor sit amet\nconsectetur adipiscing elit\nsed do eiusmod\n")));

        assertThat(read.records()).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.DOCUMENT);
        assertThat(read.warnings()).containsExactly("no column of the CSV header \"Lorem ipsum dolor sit amet\" (one "
                + "column: a text file rather than CSV?) is a known field (timestamp, srcIp, dstIp, srcPort, dstPort, "
                + "proto, host, bytesOut, bytesIn or an alias of one): no record can have a timestamp, so any record "
                + "indexed went to the daily index of the file's last-modified day. If the file is meant so, name a "
                + "column as the data contract does (e.g. timestamp); if not, replace it at its source");
    }

    /** The data contract allows it, so it loads; the warning says what it costs (no timestamp) and how to fix it. */
    @Test
    void aCustomCsvWithoutAnyCanonicalColumnIsWarnedAbout() throws IOException {
        assertThat(warningsOf("name,value,count\na,1,2\n")).singleElement().asString()
                .startsWith("no column of the CSV header \"name,value,count\" is a known field (timestamp,");
    }

    @Test
    void aLongHeaderIsQuotedShortAndControlCharactersStayOnTheLine() {
        String quoted = ShapeWarnings.quote(List.of("a".repeat(200)), ",");
        assertThat(quoted).hasSize(ShapeWarnings.QUOTE_CHARS + 3).endsWith("a…\"");
        assertThat(ShapeWarnings.quote(List.of("a\tb", "c\u0001"), ",")).isEqualTo("\"a\\tb,c\\u0001\"");
    }

    @Test
    void aZeekLogWithoutAnyCanonicalFieldIsWarnedAboutOnceForRepeatedHeaders() throws IOException {
        String block = "#separator \\x09\n#path\tloaded_scripts\n#fields\tname\n#types\tstring\n"
                + "/opt/zeek/share/zeek/base/init-bare.zeek\n#close\t2018-05-09-15-00-00\n";
        Read read = read(utf8(block + block));

        assertThat(read.records()).hasSize(2);
        assertThat(read.warnings()).containsExactly("no column of the Zeek header #fields \"name\" is a known field ("
                + "timestamp, srcIp, dstIp, srcPort, dstPort, proto, host, bytesOut, bytesIn or an alias of one): no "
                + "record can have a timestamp, so any record indexed went to the daily index of the file's "
                + "last-modified day. If the file is meant so, name a column as the data contract does (e.g. "
                + "timestamp); if not, replace it at its source");
    }

    @Test
    void ndjsonWhoseFirstRecordsHaveNoCanonicalKeyIsWarnedAboutAtItsEnd() throws IOException {
        Read read = read(utf8("{\"eventTime\":\"2018-05-09T14:30:21Z\",\"sourceIPAddress\":\"10.0.0.1\"}\n"
                + "{\"eventTime\":\"2018-05-09T14:30:22Z\",\"userAgent\":\"aws-cli\"}\n"));

        assertThat(read.records()).extracting(SourceRecord::kind).containsOnly(Kind.DOCUMENT);
        assertThat(read.warnings()).singleElement().asString().startsWith("none of the file's first 2 JSON records "
                        + "has a known field (timestamp, srcIp,")
                .contains("(the first one's fields: \"eventTime, sourceIPAddress\"): no record can have a timestamp");
    }

    @Test
    void ndjsonDecidesOnItsFirstThousandRecordsAndNotBeforeTheyAreRead() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1_500; i++) {
            text.append("{\"n\":").append(i).append("}\n");
        }
        try (RecordReader reader = open(utf8(text.toString()))) {
            for (int i = 0; i < 999; i++) {
                reader.next();
            }
            assertThat(reader.warnings()).as("the window is not read yet, the input has not ended").isEmpty();
            reader.next();
            reader.next(); // the first record past the window decides
            assertThat(reader.warnings()).singleElement().asString()
                    .startsWith("none of the file's first 1000 JSON records has a known field");
        }
        try (RecordReader resumed = open(utf8(text.toString()))) {
            resumed.skip(1_024);
            while (resumed.next() != null) {
                // a continuation beyond the window: its records decide nothing (the payload carries the warning)
            }
            assertThat(resumed.warnings()).isEmpty();
        }
    }

    @Test
    void oneRecordWithACanonicalFieldInTheWindowIsEnough() throws IOException {
        assertThat(warningsOf("{\"note\":\"export of 2018-05-09\"}\n"
                + "{\"timestamp\":\"2018-05-09T14:30:21Z\",\"src_ip\":\"10.0.0.1\"}\n")).isEmpty();
    }

    @Test
    void aContinuationReadsTheCsvHeaderAgainAndFindsTheSameWarning() throws IOException {
        byte[] file = gzip(utf8("a\tb\n1\t2\n3\t4\n5\t6\n"));
        List<String> whole = read(file).warnings();
        try (RecordReader resumed = open(file)) {
            resumed.skip(2);
            assertThat(resumed.warnings()).isEqualTo(whole).hasSize(1);
        }
    }

    // ----- the formats of this service: no warning ------------------------------------------------------------------

    private static final String ZEEK_PREAMBLE = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n"
            + "#unset_field\t-\n#path\t%s\n#open\t2018-05-09-14-30-21\n";

    private static String zeek(String path, String fields, String types, String row) {
        return String.format(ZEEK_PREAMBLE, path) + "#fields\t" + fields.replace(' ', '\t') + "\n#types\t"
                + types.replace(' ', '\t') + "\n" + row.replace(' ', '\t') + "\n#close\t2018-05-09-15-00-00\n";
    }

    @Test
    void zeekConnDnsHttpAndSslLogsHaveNoWarning() throws IOException {
        String id = "ts uid id.orig_h id.orig_p id.resp_h id.resp_p";
        String idTypes = "time string addr port addr port";
        String idRow = "1525876221.123456 CHhAvVGS1DHFjwGM9 10.0.0.1 51000 93.184.216.34";
        String conn = zeek("conn", id + " proto service duration orig_bytes resp_bytes conn_state local_orig "
                        + "local_resp missed_bytes history orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents",
                idTypes + " enum string interval count count string bool bool count string count count count count "
                        + "set[string]",
                idRow + " 443 tcp ssl 0.5 100 2000 SF - - 0 ShADadFf 5 400 4 2200 (empty)");
        String dns = zeek("dns", id + " proto trans_id rtt query qclass qclass_name qtype qtype_name rcode rcode_name "
                        + "AA TC RD RA Z answers TTLs rejected",
                idTypes + " enum count interval string count string count string count string bool bool bool bool "
                        + "count vector[string] vector[interval] bool",
                idRow + " 53 udp 1234 0.01 google.com 1 C_INTERNET 1 A 0 NOERROR F F T T 0 142.250.74.46 300.000000 F");
        String http = zeek("http", id + " trans_depth method host uri referrer version user_agent request_body_len "
                        + "response_body_len status_code status_msg tags resp_mime_types",
                idTypes + " count string string string string string string count count count string set[enum] "
                        + "vector[string]",
                idRow + " 80 1 GET example.org / - 1.1 curl/7.58 0 1256 200 OK (empty) text/html");
        String ssl = zeek("ssl", id + " version cipher curve server_name resumed established cert_chain_fuids "
                        + "subject issuer validation_status",
                idTypes + " string string string string bool bool vector[string] string string string",
                idRow + " 443 TLSv12 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 x25519 google.com F T FvK1 CN=google.com "
                        + "CN=GTS ok");
        for (String log : List.of(conn, dns, http, ssl, conn + dns + http + ssl)) {
            Read read = read(gzip(utf8(log)));
            assertThat(read.records()).extracting(SourceRecord::kind).as(log).containsOnly(Kind.DOCUMENT);
            assertThat(read.warnings()).as(log).isEmpty();
        }
    }

    @Test
    void suricataEveAndZeekJsonHaveNoWarning() throws IOException {
        String eve = """
                {"timestamp":"2018-05-09T14:30:21.000000+0000","event_type":"stats","stats":{"uptime":10}}
                {"timestamp":"2018-05-09T14:30:21.123456+0000","flow_id":123,"event_type":"alert","src_ip":"10.0.0.1","src_port":51000,"dest_ip":"93.184.216.34","dest_port":80,"proto":"TCP","alert":{"signature_id":2013028,"signature":"ET POLICY curl User-Agent Outbound"}}
                {"timestamp":"2018-05-09T14:30:21.2+0000","event_type":"http","src_ip":"10.0.0.1","dest_ip":"93.184.216.34","proto":"TCP","http":{"hostname":"google.com","url":"/"}}
                {"timestamp":"2018-05-09T14:30:22.000000+0000","event_type":"dns","src_ip":"10.0.0.1","dest_ip":"8.8.8.8","proto":"UDP","dns":{"type":"query","rrname":"example.org"}}
                {"timestamp":"2018-05-09T14:30:22.5+0000","event_type":"tls","src_ip":"10.0.0.1","dest_ip":"1.1.1.1","proto":"TCP","tls":{"sni":"cloudflare.com","version":"TLS 1.3"}}
                {"timestamp":"2018-05-09T14:30:23.000000+0000","event_type":"flow","src_ip":"10.0.0.1","dest_ip":"8.8.8.8","proto":"UDP","flow":{"bytes_toserver":70,"bytes_toclient":120}}
                {"timestamp":"2018-05-09T14:30:24.000000+0000","event_type":"anomaly","anomaly":{"type":"stream","event":"UNABLE_TO_MATCH_RESPONSE_TO_REQUEST"}}
                """;
        String zeekJson = """
                {"ts":1525876221.123456,"uid":"Cx1","id.orig_h":"10.0.0.1","id.orig_p":51000,"id.resp_h":"8.8.8.8","id.resp_p":53,"proto":"udp","query":"google.com"}
                """;
        for (String text : List.of(eve, zeekJson)) {
            Read read = read(gzip(utf8(text)));
            assertThat(read.records()).as(text).isNotEmpty();
            assertThat(read.warnings()).as(text).isEmpty();
        }
    }

    /**
     * CICFlowMeter's spellings (2017 with the padded headers, 2018), CIC-IDS2017's MachineLearningCVE files (no
     * address, no time: only " Destination Port" is canonical), CSV in Zeek's and in EVE's column names, the local
     * runner's two CSV samples (flows, HTTP; local-runner's SampleDataTest reads all four whole, its Zeek dns.log and
     * EVE tls events too) and the load benchmark's header.
     */
    @Test
    void cicFlowMeterAndTheShippedSampleHeadersHaveNoWarning() throws IOException {
        List<String> csvs = List.of(
                "Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration,"
                        + " Total Fwd Packets, Total Backward Packets,Total Length of Fwd Packets, Total Length of Bwd "
                        + "Packets, Label\r\n192.168.10.5-104.16.207.165-54865-443-6,192.168.10.5,54865,104.16.207.165,"
                        + "443,6,3/7/2017 8:55,3,2,0,12,0,BENIGN\r\n",
                "Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,Timestamp,Flow Duration,Tot Fwd Pkts,Tot Bwd Pkts,"
                        + "TotLen Fwd Pkts,TotLen Bwd Pkts,Label\r\n172.31.0.2-172.31.64.92-53-56372-17,172.31.64.92,"
                        + "56372,172.31.0.2,53,17,14/02/2018 08:31:01,1000,1,1,40,56,Benign\r\n",
                " Destination Port, Flow Duration, Total Fwd Packets, Label\r\n54865,3,2,BENIGN\r\n",
                "ts,uid,id.orig_h,id.orig_p,id.resp_h,id.resp_p,proto,query,qtype_name,rcode_name\n"
                        + "1525824000.5,C1,10.0.0.1,5353,8.8.8.8,53,udp,google.com,A,NOERROR\n",
                "timestamp,srcIp,srcPort,dstIp,dstPort,proto,host,method,uri,status,bytesOut,bytesIn\n"
                        + "2018-05-09T00:00:00.000Z,10.0.0.1,50000,142.250.74.46,80,tcp,google.com,GET,/,200,300,400\n",
                "timestamp,src_ip,src_port,dest_ip,dest_port,proto,server_name,tls_version,bytes_toserver,"
                        + "bytes_toclient\n2018-05-09T00:00:00.000+00:00,10.0.0.1,50000,142.250.74.46,443,TCP,google.com,"
                        + "TLS 1.3,500,2000\n",
                "Timestamp,Flow ID,Src IP,Src Port,Dst IP,Dst Port,Protocol,host,orig_bytes,resp_bytes,Flow Duration,"
                        + "Label\n2018-05-09T00:00:00Z,f1,10.0.0.1,50000,93.184.216.34,443,6,google.com,1,2,3,BENIGN\n");
        for (String csv : csvs) {
            Read read = read(gzip(utf8(csv)));
            assertThat(read.records()).extracting(SourceRecord::kind).as(csv).containsOnly(Kind.DOCUMENT);
            assertThat(read.warnings()).as(csv).isEmpty();
        }
    }

    /** A comma-separated file whose header has a ';' or a TAB inside one of several columns is no ;/TAB export. */
    @Test
    void aSeparatorCharacterInsideOneOfSeveralColumnsIsNoWarning() throws IOException {
        assertThat(warningsOf("timestamp,note;kind,\"a\tb\"\n2018-05-09T00:00:00Z,x,y\n")).isEmpty();
        assertThat(warningsOf("")).as("an empty file").isEmpty();
        assertThat(warningsOf("timestamp\n")).as("one canonical column, header only").isEmpty();
    }
}
