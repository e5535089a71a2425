package dev.netmeta.load.format;

import static dev.netmeta.load.format.Inputs.readAll;
import static dev.netmeta.load.format.Inputs.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.load.format.SourceRecord.Kind;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZeekTsvRecordReaderTest {

    private static final String HEADER = """
            #separator \\x09
            #set_separator\t,
            #empty_field\t(empty)
            #unset_field\t-
            #path\tdns
            #open\t2018-05-09-14-30-21
            #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tquery\tanswers
            #types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tvector[string]
            """;

    @Test
    void aLineOfOnlyUnsetAndEmptyFieldsIsSkipped() throws IOException {
        List<SourceRecord> records = readAll(utf8(HEADER
                + "-\t-\t-\t-\t-\t-\t-\t-\t(empty)\n"
                + "1525876221.1\tCx1\t10.0.0.1\t51000\t8.8.8.8\t53\tudp\tgoogle.com\t-\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.SKIP, Kind.DOCUMENT);
        assertThat(records.get(1).position()).isEqualTo(1);
    }

    /**
     * Blank lines before the header (a shipper that writes a line end first, logs joined after an empty file) are
     * passed over, as NDJSON's are: the format was decided on the first byte, so such a log was read as a CSV whose
     * header was {@code #separator \x09} — its records indexed as one unknown column each (found by
     * {@code LoadGroundTruthIT}'s author reading the detection).
     */
    @Test
    void blankLinesBeforeTheHeaderAreZeekStill() throws IOException {
        List<SourceRecord> records = readAll(utf8("\r\n\n" + HEADER
                + "1525876221.1\tCx1\t10.0.0.1\t51000\t8.8.8.8\t53\tudp\tgoogle.com\t-\n"));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.DOCUMENT);
            assertThat(r.document()).containsEntry("srcIp", "10.0.0.1").containsEntry("host", "google.com");
        });
    }

    /**
     * A line of spaces or tabs before the header is a blank line too: the detection passed over line ends only, so
     * such a log was a CSV whose header was that line — one blank column, every Zeek line (header lines included)
     * indexed as a document of {@code column_1}.
     */
    @ParameterizedTest
    @ValueSource(strings = {"   \n", "\t\r\n", " \t\n\n  \n"})
    void linesOfSpacesAndTabsBeforeTheHeaderAreZeekStill(String blank) throws IOException {
        byte[] log = utf8(blank + HEADER + "1525876221.1\tCx1\t10.0.0.1\t51000\t8.8.8.8\t53\tudp\tgoogle.com\t-\n");

        try (RecordReader reader = Inputs.open(log)) {
            assertThat(reader.format()).isEqualTo("zeek-tsv");
        }
        assertThat(readAll(log)).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.DOCUMENT);
            assertThat(r.position()).as("the blank lines are no records").isZero();
            assertThat(r.document()).containsEntry("srcIp", "10.0.0.1").containsEntry("host", "google.com");
        });
    }

    /**
     * The format is told from the first 8 KiB: a Zeek log after blank lines that fill them is read as a CSV, whose
     * reader passes the blank lines over and met {@code #separator \x09} as its header row — every Zeek line a row of
     * one unknown column, indexed as junk or rejected. It fails instead, saying why and what to do.
     */
    @ParameterizedTest
    @ValueSource(ints = {8 * 1024 - 2, 8 * 1024, 20_000})
    void aZeekLogAfterBlankLinesThatFillTheFirst8KiBFailsSayingWhy(int length) {
        String blanks = " \t\r\n".repeat(length / 4) + "\n".repeat(length % 4); // the header starts at byte length
        long headerLine = blanks.chars().filter(c -> c == '\n').count() + 1;
        byte[] log = utf8(blanks + HEADER + "1525876221.1\tCx1\t10.0.0.1\t51000\t8.8.8.8\t53\tudp\tgoogle.com\t-\n");

        assertThatThrownBy(() -> readAll(log)).isInstanceOf(MalformedFileException.class)
                .hasMessage("line " + headerLine + ": the header row is a Zeek header line (#separator \\x09) after"
                        + " blank lines that fill the first 8 KiB, which the format is told from: a Zeek log read as a"
                        + " CSV — remove the blank lines at the start of the file");
    }

    /**
     * A Zeek log written with a ',' separator, after such blank lines, is a CSV header of two fields to the CSV reader
     * ({@code #separator }, empty): it fails the same way; on line 1 a quoted {@code "#fields"} is a CSV's title and
     * loads as one.
     */
    @Test
    void aCommaSeparatedZeekLogAfterThoseBlankLinesFailsTooAndAQuotedTitleOnLineOneLoads() throws IOException {
        String blanks = "\n".repeat(20_000);
        byte[] log = utf8(blanks + "#separator ,\n#fields,ts,id.orig_h\n#types,time,addr\n1525876221.1,10.0.0.1\n");
        assertThatThrownBy(() -> readAll(log)).isInstanceOf(MalformedFileException.class)
                .hasMessageStartingWith("line 20001: the header row is a Zeek header line (#separator ) after blank lines");

        assertThat(readAll(utf8("\"#fields\"\nvalue\n"))).singleElement()
                .satisfies(r -> assertThat(r.kind()).as(r.reason()).isEqualTo(Kind.DOCUMENT));
    }

    /**
     * A bare CR ends a line of blanks before the header as the detection reads it, which makes such a file a Zeek log,
     * though Zeek's lines end at LF: the reader took {@code \r#separator \x7c} for a data line before the
     * {@code #fields} header (a reject), so the separator stayed a tab, {@code #fields|ts|…} was no {@code #fields}
     * line, and every line of the log was rejected (found by {@code LoadGroundTruthIT}'s author after 6ec8ac9).
     */
    @ParameterizedTest
    @ValueSource(strings = {"\r", " \t\r", "\n\r", "\r \r"})
    void aBareCrBeforeTheHeaderEndsABlankLineAsInTheDetection(String blank) throws IOException {
        byte[] log = utf8(blank + "#separator \\x7c\n#set_separator|,\n#empty_field|(empty)\n#unset_field|-\n"
                + "#fields|ts|id.orig_h|query\n#types|time|addr|string\n1525876221.1|10.0.0.1|google.com\n");

        try (RecordReader reader = Inputs.open(log)) {
            assertThat(reader.format()).isEqualTo("zeek-tsv");
        }
        assertThat(readAll(log)).singleElement().satisfies(r -> {
            assertThat(r.kind()).as(r.reason()).isEqualTo(Kind.DOCUMENT);
            assertThat(r.position()).isZero();
            assertThat(r.document()).containsEntry("srcIp", "10.0.0.1").containsEntry("host", "google.com");
        });
    }

    /** Only a whole line of blanks is passed over: indented, the header is no header (Zeek never indents it). */
    @Test
    void anIndentedHeaderIsNoZeekHeader() throws IOException {
        try (RecordReader reader = Inputs.open(utf8("  " + HEADER))) {
            assertThat(reader.format()).isEqualTo("csv");
        }
    }

    @Test
    void readsZeekFieldsIntoCanonicalNames() throws IOException {
        List<SourceRecord> records = readAll(utf8(HEADER
                + "1525876221.123456\tCx1\t10.0.0.1\t51000\t8.8.8.8\t53\tudp\tgoogle.com\t142.250.1.1,142.250.1.2\n"
                + "#close\t2018-05-09-15-00-00\n"));

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.kind()).isEqualTo(Kind.DOCUMENT);
            assertThat(r.line()).isEqualTo(9);
            assertThat(r.document()).containsEntry("srcIp", "10.0.0.1").containsEntry("dstIp", "8.8.8.8")
                    .containsEntry("srcPort", 51000).containsEntry("dstPort", 53).containsEntry("proto", "udp")
                    .containsEntry("host", "google.com").containsEntry("uid", "Cx1").containsKey("timestamp")
                    .containsEntry("answers", "142.250.1.1,142.250.1.2");
        });
    }

    /**
     * {@code LogAscii::separator} is a string: a deployment may pick {@code ||}, which Zeek names in the header as
     * {@code \x7c\x7c} (or {@code ||}) and escapes inside a value. Splitting on its first character alone made
     * every line one field too many for its {@code #fields} — all rejected, the file FAILED "no row indexed" (found by
     * {@code ReadingPathRoundTripTest}, seed 20261132).
     */
    @Test
    void readsASeparatorOfTwoCharacters() throws IOException {
        List<SourceRecord> records = readAll(utf8("""
                #separator \\x7c\\x7c
                #set_separator||;
                #empty_field||EMPTY
                #unset_field||NULL
                #fields||ts||id.orig_h||query||note||tags
                #types||time||addr||string||string||set[string]
                1525876221.1||10.0.0.1||Google.com||a|b \\x7c\\x7c c||x;y\\x3bz
                1525876222.2||NULL||example.org||EMPTY||EMPTY
                """));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.DOCUMENT);
        assertThat(records.get(0).document()).containsEntry("srcIp", "10.0.0.1").containsEntry("host", "google.com")
                .containsEntry("note", "a|b || c").containsEntry("tags", "x;y;z");
        assertThat(records.get(1).document()).doesNotContainKeys("srcIp", "note", "tags")
                .containsEntry("host", "example.org");
    }

    @Test
    void leavesUnsetAndEmptyValuesOut() throws IOException {
        List<SourceRecord> records = readAll(utf8(HEADER
                + "1525876221.1\tCx2\t10.0.0.1\t-\t2001:db8::53\t53\tudp\t-\t(empty)\n"));

        assertThat(records.get(0).document()).doesNotContainKeys("srcPort", "host", "answers")
                .containsKey("dstIp");
    }

    @Test
    void decodesZeeksHexEscapesInValues() throws IOException {
        List<SourceRecord> records = readAll(utf8("""
                #separator \\x09
                #unset_field\t-
                #empty_field\t(empty)
                #fields\tts\tid.orig_h\thost\tnote\tuser_agent\tpath\tbin
                1525876221.1\t10.0.0.1\tExample\\x2eORG\twith\\x09tab\tcaf\\xc3\\xa9 \\x22x\\x22\tC:\\x5cdir\t\\xff\\x00z
                1525876221.2\t10.0.0.2\t-\t\\x2d\t(empty)\t\\x28empty)\tno\\escape \\x4
                """));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.DOCUMENT);
        assertThat(records.get(0).document()).containsEntry("host", "example.org")
                .containsEntry("note", "with\ttab").containsEntry("user_agent", "caf\u00e9 \"x\"")
                .containsEntry("path", "C:\\dir").containsEntry("bin", "\\xff\u0000z");
        // the markers still mean "no value"; Zeek's escaped "-" and "(empty)" decode to those strings, which the
        // data contract treats as "no value" too, so they are left out as well
        assertThat(records.get(1).document()).doesNotContainKeys("host", "user_agent", "note", "path")
                .containsEntry("bin", "no\\escape \\x4");
    }

    @Test
    void setAndVectorValuesStayZeeksTextAlsoWithOneNumericElement() throws IOException {
        // dns.log: a one-answer TTLs vector looks like a number; as a double it would map the column as double
        // in the day's index, and every later multi-answer value ("60.000000,60.000000") would be refused
        List<SourceRecord> records = readAll(utf8("""
                #separator \\x09
                #set_separator\t,
                #fields\tts\tquery\tTTLs\tanswers\trtt\ttags
                #types\ttime\tstring\tvector[interval]\tvector[string]\tinterval\tset[count]
                1525876221.5\ta.com\t300.000000\t1.2.3.4\t0.025\t7
                1525876221.6\tb.com\t60.000000,60.000000\t1.2.3.4,5.6.7.8\t0.030\t7,8
                #close\t2018-05-09-15-00-00
                #separator \\x09
                #fields\tts\tTTLs
                1525876222.1\t300
                """));

        assertThat(records).extracting(SourceRecord::kind)
                .containsExactly(Kind.DOCUMENT, Kind.DOCUMENT, Kind.DOCUMENT);
        assertThat(records.get(0).document()).containsEntry("TTLs", "300.000000").containsEntry("tags", "7")
                .containsEntry("rtt", 0.025).containsEntry("answers", "1.2.3.4");
        assertThat(records.get(1).document()).containsEntry("TTLs", "60.000000,60.000000")
                .containsEntry("tags", "7,8");
        // a block without #types knows no container columns: the values are inferred as before
        assertThat(records.get(2).document()).containsEntry("TTLs", 300L);
    }

    @Test
    void stringAndEnumColumnsStayTextAlsoWhenAValueLooksLikeANumber() throws IOException {
        // x509.log: an all-digit serial would have been a long, mapping the column as long for the day, and every
        // later hex serial would have been refused; count/int/double columns stay numbers
        List<SourceRecord> records = readAll(utf8("""
                #separator \\x09
                #fields\tts\tcertificate.serial\tcertificate.version\tstatus\tmsg_len
                #types\ttime\tstring\tcount\tenum\tcount
                1525876221.5\t1234567890\t3\t200\t42
                1525876221.6\t0A1B2C\t3\tOK\t7
                """));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.DOCUMENT);
        assertThat(records.get(0).document()).containsEntry("certificate_serial", "1234567890")
                .containsEntry("certificate_version", 3L).containsEntry("status", "200")
                .containsEntry("msg_len", 42L);
        assertThat(records.get(1).document()).containsEntry("certificate_serial", "0A1B2C");
    }

    @Test
    void rejectsRowsWithTheWrongFieldCountAndReadsOnAfterClose() throws IOException {
        List<SourceRecord> records = readAll(utf8(HEADER
                + "1525876221.1\tCx3\t10.0.0.1\n"
                + "#close\t2018-05-09-15-00-00\n"
                + "#separator \\x09\n"
                + "#fields\tts\tid.orig_h\thost\n"
                + "1525876222.1\t10.0.0.9\texample.org\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.REJECT, Kind.DOCUMENT);
        assertThat(records.get(0).reason()).contains("expected 9 fields");
        assertThat(records.get(0).raw()).isEqualTo("1525876221.1\tCx3\t10.0.0.1");
        assertThat(records.get(1).position()).isEqualTo(1);
        assertThat(records.get(1).document()).containsEntry("host", "example.org");
    }

    @Test
    void aConcatenatedLogWithAByteOrderMarkStillStartsANewBlock() throws IOException {
        List<SourceRecord> records = readAll(utf8("#separator \\x09\n#fields\tts\tid.orig_h\n1525876221.1\t10.0.0.1\n"
                + "\uFEFF#separator \\x09\n#fields\tts\tquery\n1525876222.1\texample.org\n"));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.DOCUMENT, Kind.DOCUMENT);
        assertThat(records.get(1).position()).isEqualTo(1);
        assertThat(records.get(1).document()).containsEntry("host", "example.org");
    }

    @Test
    void aBadEscapeInTheHeaderIsAMalformedFileWithItsLineNumber() {
        assertThatThrownBy(() -> readAll(utf8("#separator \\x09\n#unset_field\t\\xZZ\n#fields\tts\n1\n")))
                .isInstanceOf(MalformedFileException.class)
                .hasMessage("line 2: invalid escape \\xZZ in the Zeek #unset_field header (expected two hex digits, e.g. \\x09)")
                .satisfies(e -> assertThat(((MalformedFileException) e).line()).isEqualTo(2));
        assertThatThrownBy(() -> readAll(utf8("#separator \\x0\n#fields\tts\n1\n")))
                .isInstanceOf(MalformedFileException.class).hasMessageContaining("line 1: invalid escape \\x0 ");
    }

    @Test
    void headerOnlyLogHasNoRecords() throws IOException {
        assertThat(readAll(utf8(HEADER + "#close\t2018-05-09-15-00-00\n"))).isEmpty();
    }
}
