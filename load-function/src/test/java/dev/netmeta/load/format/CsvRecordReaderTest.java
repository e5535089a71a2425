package dev.netmeta.load.format;

import static dev.netmeta.load.format.Inputs.gzip;
import static dev.netmeta.load.format.Inputs.readAll;
import static dev.netmeta.load.format.Inputs.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.load.format.SourceRecord.Kind;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvRecordReaderTest {

    private static final String HEADER = "ts,Src IP,Dst IP,Src Port,Dst Port,Protocol,host,note\n";

    @Test
    void mapsColumnsToCanonicalFieldsAndKeepsTheOthers() throws IOException {
        List<SourceRecord> records = readAll(utf8(HEADER
                + "1525876221.5,10.0.0.1,8.8.8.8,51000,53,17,google.com,hello\n"));

        assertThat(records).hasSize(1);
        SourceRecord r = records.get(0);
        assertThat(r.kind()).isEqualTo(Kind.DOCUMENT);
        assertThat(r.position()).isZero();
        assertThat(r.line()).isEqualTo(2);
        assertThat(r.document()).containsEntry("srcIp", "10.0.0.1").containsEntry("dstIp", "8.8.8.8")
                .containsEntry("srcPort", 51000).containsEntry("dstPort", 53).containsEntry("proto", "udp")
                .containsEntry("host", "google.com").containsEntry("note", "hello").containsKey("timestamp");
    }

    @Test
    void readsQuotedFieldsWithSeparatorsQuotesAndNewlines() throws IOException {
        List<SourceRecord> records = readAll(utf8(HEADER
                + "1525876221,10.0.0.1,8.8.8.8,1,2,6,google.com,\"a, \"\"quoted\"\"\nmultiline note\"\n"
                + "1525876222,10.0.0.2,8.8.4.4,1,2,6,example.org,plain\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.DOCUMENT);
        assertThat(records.get(0).document()).containsEntry("note", "a, \"quoted\"\nmultiline note");
        assertThat(records.get(1).line()).isEqualTo(4);
        assertThat(records.get(1).position()).isEqualTo(1);
    }

    @Test
    void handlesByteOrderMarkAndCrlf() throws IOException {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        byte[] body = utf8("Src IP,host\r\n10.0.0.1,google.com\r\n10.0.0.2,example.org\r\n");
        byte[] input = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, input, 0, 3);
        System.arraycopy(body, 0, input, 3, body.length);

        List<SourceRecord> records = readAll(input);

        assertThat(records).hasSize(2);
        assertThat(records.get(0).document()).containsOnlyKeys("srcIp", "host").containsEntry("host", "google.com");
        assertThat(records.get(1).document()).containsEntry("host", "example.org");
    }

    /**
     * A line of spaces or tabs before the header row is a blank line, as LOAD.md says of CSV and as the Zeek and NDJSON
     * readers pass it over: it was the header row, one blank column, so every row was rejected ("expected 1 columns").
     */
    @ParameterizedTest
    @ValueSource(strings = {"   \n", "\t\r\n", "\n \n"})
    void linesOfSpacesAndTabsBeforeTheHeaderAreNoHeader(String blank) throws IOException {
        List<SourceRecord> records = readAll(utf8(blank + "Src IP,host\n10.0.0.1,google.com\n"));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.kind()).as(r.reason()).isEqualTo(Kind.DOCUMENT);
            assertThat(r.position()).isZero();
            assertThat(r.document()).containsEntry("srcIp", "10.0.0.1").containsEntry("host", "google.com");
        });
    }

    /**
     * A quoted blank is a line with text, not a blank line: FastCSV takes its quotes off, so it read as one field of
     * spaces and was passed over like a line of spaces — the first data row became the header, neither indexed nor
     * rejected. It is a header row of one column (column_1), as before lines of spaces were passed over.
     */
    @ParameterizedTest
    @ValueSource(strings = {"\"   \"\n", "\"\"\n", "\"\t\"\r\n", " \n\t\n\"  \"\n"})
    void aQuotedBlankFirstLineIsTheHeaderAndNoRowIsLost(String first) throws IOException {
        List<SourceRecord> records = readAll(utf8(first + "google.com\nexample.org\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.DOCUMENT);
        assertThat(records.get(0).position()).isZero();
        assertThat(records.get(0).document()).containsOnlyKeys("column_1").containsEntry("column_1", "google.com");
        assertThat(records.get(1).document()).containsEntry("column_1", "example.org");
    }

    @Test
    void emptyFileAndHeaderOnlyFileHaveNoRecords() throws IOException {
        assertThat(readAll(new byte[0])).isEmpty();
        assertThat(readAll(utf8(HEADER))).isEmpty();
        assertThat(readAll(gzip(new byte[0]))).isEmpty();
    }

    @Test
    void theHeaderRowRepeatedByConcatenatedFilesIsRejectedAsSuchNotIndexed() throws IOException {
        // cat a.csv b.csv: b's header row is no data. Without a typed column it was indexed as a document
        // {"Flow ID":"Flow ID", ...}; with one it was rejected as "srcIp: not an IPv4 or IPv6 address, got 'Src IP'"
        List<SourceRecord> records = readAll(utf8("\uFEFFFlow ID,Label\r\nf1,BENIGN\r\n"
                + "Flow ID,Label\r\nf2,DDoS\r\n\uFEFFFlow ID,Label\r\nf3,BENIGN\r\n"
                + HEADER));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.REJECT,
                Kind.DOCUMENT, Kind.REJECT, Kind.DOCUMENT, Kind.REJECT);
        assertThat(records.get(1).reason()).isEqualTo("the header row again (concatenated CSV files?), not a data row");
        assertThat(records.get(1).raw()).isEqualTo("Flow ID,Label");
        assertThat(records.get(1).line()).isEqualTo(3);
        assertThat(records.get(3).reason()).startsWith("the header row again");
        assertThat(records.get(4).document()).containsEntry("Flow_ID", "f3");
        // another file's header is a row like any other (here its column count is wrong)
        assertThat(records.get(5).reason()).startsWith("expected 2 columns");
    }

    @Test
    void aQuotedHeaderRepeatedAfterALaterFilesBomIsRecognisedToo() throws IOException {
        List<SourceRecord> records = readAll(utf8("\"Src IP\",\"a,b\"\r\n10.0.0.1,x\r\n"
                + "\uFEFF\"Src IP\",\"a,b\"\r\n10.0.0.2,y\r\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.REJECT,
                Kind.DOCUMENT);
        assertThat(records.get(1).reason()).startsWith("the header row again");
    }

    @Test
    void aRowWithoutAnyValueIsSkippedNotIndexedAsAnEmptyDocument() throws IOException {
        // CIC-IDS2017's Thursday-WorkingHours-Morning-WebAttacks file ends in ~288k rows of only commas: indexed,
        // each was a document holding nothing but its provenance
        List<SourceRecord> records = readAll(utf8(HEADER
                + ",,,,,,,\n"
                + "1525876221,10.0.0.1,8.8.8.8,1,2,6,google.com,x\n"
                + " , ,-,,-, ,,\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.SKIP, Kind.DOCUMENT, Kind.SKIP);
        assertThat(records).extracting(SourceRecord::position).containsExactly(0L, 1L, 2L);
        assertThat(records.get(0).reason()).isEqualTo("a record without any value");
    }

    @Test
    void raggedRowsAreRejectedWithTheirLineAndTheOthersKept() throws IOException {
        List<SourceRecord> records = readAll(utf8("Src IP,Dst IP,host\n"
                + "10.0.0.1,10.0.0.2,a.com\n"
                + "10.0.0.1,10.0.0.2\n"
                + "10.0.0.1,10.0.0.2,b.com,extra\n"
                + "\n"
                + "10.0.0.3,10.0.0.4,c.com\n"));

        assertThat(records).extracting(SourceRecord::kind)
                .containsExactly(Kind.DOCUMENT, Kind.REJECT, Kind.REJECT, Kind.DOCUMENT);
        assertThat(records.get(1).line()).isEqualTo(3);
        assertThat(records.get(1).raw()).isEqualTo("10.0.0.1,10.0.0.2");
        assertThat(records.get(1).reason()).contains("expected 3 columns", "found 2");
        assertThat(records.get(2).reason()).contains("found 4");
        assertThat(records.get(3).line()).isEqualTo(6);
        assertThat(records.get(3).position()).isEqualTo(3);
    }

    @Test
    void acceptsIpv6AndRejectsUnparsableCanonicalValues() throws IOException {
        List<SourceRecord> records = readAll(utf8("Src IP,Dst Port,ts\n"
                + "2001:db8::1,443,2018-05-09T14:30:21Z\n"
                + "not-an-ip,443,2018-05-09T14:30:21Z\n"
                + "10.0.0.1,99999,2018-05-09T14:30:21Z\n"
                + "10.0.0.1,80,yesterday\n"));

        assertThat(records).extracting(SourceRecord::kind)
                .containsExactly(Kind.DOCUMENT, Kind.REJECT, Kind.REJECT, Kind.REJECT);
        assertThat(String.valueOf(records.get(0).document().get("srcIp"))).contains("2001:db8");
        assertThat(records.get(1).reason()).contains("not-an-ip");
        assertThat(records.get(2).reason()).contains("99999");
        assertThat(records.get(3).reason()).contains("yesterday");
    }

    @Test
    void rejectsRowsWithInvalidUtf8AndKeepsTheRest() throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(utf8("Src IP,note\n10.0.0.1,caf"));
        in.write(0xe9); // Latin-1 é: not UTF-8
        in.writeBytes(utf8("\n10.0.0.2,café\n"));

        List<SourceRecord> records = readAll(in.toByteArray());

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.REJECT, Kind.DOCUMENT);
        assertThat(records.get(0).reason()).contains("UTF-8");
        assertThat(records.get(1).document()).containsEntry("note", "café");
    }

    @Test
    void gzipIsDetectedByMagicBytes() throws IOException {
        List<SourceRecord> records = readAll(gzip(utf8(HEADER
                + "1525876221,10.0.0.1,8.8.8.8,1,2,6,google.com,x\n")));

        assertThat(records).singleElement().extracting(SourceRecord::kind).isEqualTo(Kind.DOCUMENT);
    }

    @Test
    void truncatedGzipFailsAfterTheRecordsBeforeTheBreak() throws IOException {
        StringBuilder csv = new StringBuilder("Src IP,n\n");
        for (int i = 0; i < 50_000; i++) {
            csv.append("10.0.").append(i % 250).append(".1,").append(i).append('\n');
        }
        byte[] full = gzip(utf8(csv.toString()));
        byte[] truncated = Arrays.copyOf(full, full.length / 2);

        try (RecordReader reader = Inputs.open(truncated)) {
            assertThatThrownBy(() -> {
                while (reader.next() != null) {
                    // drain
                }
            }).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void skipMovesPastRecordsKeepingPositions() throws IOException {
        try (RecordReader reader = Inputs.open(utf8("Src IP\n10.0.0.1\n\"10.0.0.2\"\n10.0.0.3\n"))) {
            assertThat(reader.skip(2)).isEqualTo(2);
            SourceRecord r = reader.next();
            assertThat(r.position()).isEqualTo(2);
            assertThat(r.document()).containsEntry("srcIp", "10.0.0.3");
            assertThat(reader.skip(5)).isZero();
        }
    }

    @Test
    void anUnterminatedQuoteFailsTheFileInsteadOfEatingTheHeap() throws IOException {
        StringBuilder csv = new StringBuilder("Src IP,note\n10.0.0.1,fine\n10.0.0.2,\"never closed\n");
        for (int i = 0; i < 30_000; i++) {
            csv.append("10.0.0.3,more text that ends up inside the quoted field\n");
        }
        try (RecordReader reader = Inputs.open(utf8(csv.toString()))) {
            assertThat(reader.next().kind()).isEqualTo(Kind.DOCUMENT);
            assertThatThrownBy(reader::next).isInstanceOf(MalformedFileException.class)
                    .hasMessage("line 3: a quoted field runs for more than 1048576 characters"
                            + " (a quote that is never closed?)");
        }
    }

    @Test
    void textAfterAClosingQuoteRejectsThatRecordAndReadingGoesOn() throws IOException {
        List<SourceRecord> records = readAll(utf8("ts,Src IP,note\n"
                + "2018-05-09T14:30:21Z,10.61.0.1,fine\n"
                + "2018-05-09T14:30:22Z,10.61.0.2,\"x\"y\n"
                + "2018-05-09T14:30:23Z,10.61.0.3,\"two\nlines\" and more\n"
                + "2018-05-09T14:30:24Z,10.61.0.4,\"a \"\"quoted\"\" word\"\n"));

        assertThat(records).extracting(SourceRecord::kind)
                .containsExactly(Kind.DOCUMENT, Kind.REJECT, Kind.REJECT, Kind.DOCUMENT);
        assertThat(records).extracting(SourceRecord::line).containsExactly(2L, 3L, 4L, 6L);
        assertThat(records).extracting(SourceRecord::position).containsExactly(0L, 1L, 2L, 3L);
        assertThat(records.get(1).reason()).isEqualTo("unexpected character 'y' after the closing quote of a field");
        assertThat(records.get(2).reason()).isEqualTo("unexpected character ' ' after the closing quote of a field");
        assertThat(records.get(3).document()).containsEntry("srcIp", "10.61.0.4")
                .containsEntry("note", "a \"quoted\" word");
    }

    @Test
    void aRecordOverTheLimitIsRejectedLikeAnOverlongNdjsonLineAndReadingGoesOn() throws IOException {
        String huge = "z".repeat(2 * CsvRecordReader.MAX_RECORD_CHARS);
        List<SourceRecord> records = readAll(utf8("Src IP,note\n"
                + "10.0.0.1,before\n"
                + "10.0.0.2," + huge + "\n"
                + "10.0.0.3,after\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.REJECT, Kind.DOCUMENT);
        SourceRecord rejected = records.get(1);
        assertThat(rejected.line()).isEqualTo(3);
        assertThat(rejected.reason()).isEqualTo("record longer than 1048576 characters");
        assertThat(rejected.raw()).hasSize(1024).startsWith("10.0.0.2,zzz");
        assertThat(records.get(2).line()).isEqualTo(4);
        assertThat(records.get(2).position()).isEqualTo(2);
        assertThat(records.get(2).document()).containsEntry("note", "after");
    }

    @ParameterizedTest(name = "line end {0}")
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void aRecordOfExactlyTheLimitIsReadWhateverItsLineEnd(String eol) throws IOException {
        // found by ReadingPathRoundTripTest: the LF of a CRLF was counted into the next record, so after the header
        // every record of a CRLF file could hold one character less than the limit, and one of exactly the limit
        // was rejected as "record longer than 1048576 characters"
        String prefix = "10.0.0.2,";
        String atLimit = prefix + "y".repeat(CsvRecordReader.MAX_RECORD_CHARS - prefix.length());
        String over = prefix + "z".repeat(CsvRecordReader.MAX_RECORD_CHARS - prefix.length() + 1);
        List<SourceRecord> records = readAll(utf8("Src IP,note" + eol + atLimit + eol + "10.0.0.3,after" + eol
                + over + eol + atLimit + eol));

        assertThat(records).extracting(SourceRecord::kind)
                .containsExactly(Kind.DOCUMENT, Kind.DOCUMENT, Kind.REJECT, Kind.DOCUMENT);
        assertThat((String) records.get(0).document().get("note")).hasSize(CsvRecordReader.MAX_RECORD_CHARS - 9);
        assertThat(records.get(2).reason()).isEqualTo("record longer than 1048576 characters");
        assertThat(records.get(3).line()).isEqualTo(5);
    }

    @Test
    void aRecordThatReachesTheLimitInsideAMultiLineQuotedFieldKeepsTheLineNumbersOfTheRest() throws IOException {
        String quoted = "\"" + "line of text\n".repeat(20_000) + "\"";
        List<SourceRecord> records = readAll(utf8("Src IP,a,b\n"
                + "10.0.0.2," + "y".repeat(CsvRecordReader.MAX_RECORD_CHARS - 100_000) + "," + quoted + "\r\n"
                + "10.0.0.3,x,after\r\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.REJECT, Kind.DOCUMENT);
        assertThat(records.get(0).reason()).isEqualTo("record longer than 1048576 characters");
        assertThat(records.get(1).line()).isEqualTo(2 + 20_000 + 1);
        assertThat(records.get(1).position()).isEqualTo(1);
        assertThat(records.get(1).document()).containsEntry("b", "after");
    }

    @Test
    void aRecordWithMoreFieldsThanFastCsvTakesIsRejected() throws IOException {
        List<SourceRecord> records = readAll(utf8("Src IP,note\n"
                + "10.0.0.1" + ",x".repeat(20_000) + "\n"
                + "10.0.0.3,after\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.REJECT, Kind.DOCUMENT);
        assertThat(records.get(0).reason()).isEqualTo("record with more than 16000 fields");
        assertThat(records.get(1).document()).containsEntry("note", "after");
    }

    @Test
    void aHeaderWithTextAfterAClosingQuoteFailsTheFileSayingWhy() {
        assertThatThrownBy(() -> readAll(utf8("\"Src IP\"x,note\n10.0.0.1,a\n")))
                .isInstanceOf(MalformedFileException.class)
                .hasMessage("line 1: header row: unexpected character 'x' after the closing quote of a field");
    }

    @Test
    void aHeaderThatIsNotUtf8TextFailsTheFileSayingWhy() throws IOException {
        ByteArrayOutputStream latin1 = new ByteArrayOutputStream();
        latin1.writeBytes(utf8("Src IP,Gr"));
        latin1.write(0xf6); // Latin-1 ö
        latin1.writeBytes(utf8("sse\n10.0.0.1,42\n"));
        // a CSV compressed twice: the inner gzip is binary with no line break, read as one long header
        byte[] twice = gzip(gzip(utf8(HEADER + "1525876221,10.0.0.1,8.8.8.8,1,2,6,google.com,x\n")));

        for (byte[] input : List.of(latin1.toByteArray(), twice)) {
            assertThatThrownBy(() -> readAll(input)).isInstanceOf(MalformedFileException.class)
                    .hasMessageContaining("the header row is not UTF-8 text");
        }
    }

    @Test
    void aFileFailedByItsHeaderHasItsDecompressedStreamClosed() throws IOException {
        byte[] twice = gzip(gzip(utf8(HEADER + "1525876221,10.0.0.1,8.8.8.8,1,2,6,google.com,x\n")));
        boolean[] closed = {false};
        java.io.InputStream decoded = new java.io.FilterInputStream(Decompression.open(new java.io.ByteArrayInputStream(twice))) {
            @Override
            public void close() throws IOException {
                closed[0] = true;
                super.close();
            }
        };
        assertThatThrownBy(() -> RecordReaders.open(decoded)).isInstanceOf(MalformedFileException.class);
        assertThat(closed[0]).as("the gzip decoder released at once, not by the garbage collector").isTrue();
    }

    @Test
    void aQuoteThatIsNeverClosedRejectsTheLastRecordInsteadOfSwallowingTheRowsAfterIt() throws IOException {
        List<SourceRecord> records = readAll(utf8("Src IP,note\n10.0.0.1,ok\n10.0.0.2,\"never closed\n10.0.0.3,gone\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.REJECT);
        assertThat(records.get(1).line()).isEqualTo(3);
        assertThat(records.get(1).reason()).isEqualTo("a quote that is never closed: the field runs to the end of the file");
    }

    @Test
    void aBareCrInAQuotedFieldBeforeALineEndIsRejectedNotMergedWithTheNextLine() throws IOException {
        // FastCSV 4.1.0 alone reads these two lines as one record [10.0.0.1, 10.0.0.2, b] and drops "a\rb"; the
        // row after the rejected one is a record of its own (found by ReadingPathRoundTripTest: it was part of the
        // reject, and never indexed)
        List<SourceRecord> records = readAll(utf8("Src IP,note\n10.0.0.1,\"a\rb\"\n10.0.0.2,b\n10.0.0.3,c\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.REJECT, Kind.DOCUMENT, Kind.DOCUMENT);
        assertThat(records.get(0).line()).isEqualTo(2);
        assertThat(records.get(0).reason())
                .isEqualTo("a CR inside a quoted field before the end of its line, which FastCSV 4.1.0 misreads");
        assertThat(records.get(0).raw()).doesNotContain("10.0.0.2");
        assertThat(records.get(1).document()).containsEntry("srcIp", "10.0.0.2").containsEntry("note", "b");
        assertThat(records).extracting(SourceRecord::line, SourceRecord::position).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2L, 0L), org.assertj.core.groups.Tuple.tuple(4L, 1L),
                org.assertj.core.groups.Tuple.tuple(5L, 2L));
        assertThat(records.get(2).document()).containsEntry("srcIp", "10.0.0.3");
    }

    @Test
    void aRowAfterABareCrRejectAtTheEndOfTheFileIsReadToo() throws IOException {
        List<SourceRecord> records = readAll(utf8("Src IP,note\r\n10.0.0.1,x\n10.0.0.4,\"cr\r\"\n10.0.0.5,last"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.REJECT, Kind.DOCUMENT);
        assertThat(records.get(2).document()).containsEntry("srcIp", "10.0.0.5").containsEntry("note", "last");
    }

    @Test
    void skippingPastABadRecordKeepsThePositionsOfARead() throws IOException {
        byte[] csv = utf8("Src IP,note\n10.0.0.1,\"x\"y\n10.0.0.2,\"b\"c\n10.0.0.3,ok\n");
        try (RecordReader reader = Inputs.open(csv)) {
            assertThat(reader.skip(1)).isEqualTo(1);
            SourceRecord r = reader.next();
            assertThat(r.position()).isEqualTo(1);
            assertThat(r.reason()).isEqualTo("unexpected character 'c' after the closing quote of a field");
            assertThat(reader.next().document()).containsEntry("note", "ok");
        }
    }
}
