package dev.netmeta.load.format;

import static dev.netmeta.load.format.Inputs.gzip;
import static dev.netmeta.load.format.Inputs.readAll;
import static dev.netmeta.load.format.Inputs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The readers resume exactly where they stopped, and a wrapped header title is text, not binary data. */
class ResumePositionTest {

    /** A continuation resumes with skip(k) + next(): it must see exactly what a read in one go saw at k. */
    private static void assertResumeIsExact(byte[] file) throws IOException {
        List<SourceRecord> all = readAll(file);
        for (int k = 0; k <= all.size(); k++) {
            try (RecordReader reader = Inputs.open(file)) {
                assertThat(reader.skip(k)).isEqualTo(k);
                SourceRecord next = reader.next();
                if (k == all.size()) {
                    assertThat(next).isNull();
                } else {
                    SourceRecord expected = all.get(k);
                    assertThat(next).as("record %s after skip(%s)", k, k).isNotNull();
                    assertThat(List.of(next.kind(), next.position(), next.line()))
                            .as("record after skip(%s)", k)
                            .isEqualTo(List.of(expected.kind(), expected.position(), expected.line()));
                    assertThat(next.document()).isEqualTo(expected.document());
                    assertThat(next.reason()).isEqualTo(expected.reason());
                }
            }
        }
    }

    @Test
    void resumingACsvWithMultiLineQuotedRecordsRejectsAndOverlongRecordsIsExact() throws IOException {
        String big = "x".repeat(CsvRecordReader.MAX_RECORD_CHARS + 10);
        String csv = "ts,Src IP,note\n"
                + "1525876221,10.0.0.1,\"a\nb\nc\"\n"
                + "\n"
                + "1525876222,10.0.0.2,\"x\"y\n"          // text after the closing quote: rejected
                + "1525876223,10.0.0.3,\"a\nb\"," + big + "\n" // over-long record after a quoted line break: rejected
                + "1525876224,10.0.0.4,\"q\r\"\n"          // CR inside quotes before the line end
                + "1525876225,999.0.0.1,bad ip\n"
                + "1525876226,10.0.0.6,@@\n"                 // invalid UTF-8 (bytes ff fe, below)
                + "1525876227,10.0.0.7,last";
        byte[] bytes = utf8(csv);
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '@' && bytes[i + 1] == '@') {
                bytes[i] = (byte) 0xff;
                bytes[i + 1] = (byte) 0xfe;
            }
        }
        assertResumeIsExact(gzip(bytes));
    }

    @Test
    void resumingAZeekLogWhoseFieldsChangeMidFileIsExact() throws IOException {
        String zeek = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
                + "#fields\tts\tid.orig_h\tid.resp_h\n#types\ttime\taddr\taddr\n"
                + "1525876221.1\t10.0.0.1\t8.8.8.8\n"
                + "1525876221.2\t10.0.0.2\n"
                + "#close\t2018-05-09-14-30-21\n"
                + "#separator \\x09\n#unset_field\tNA\n#fields\tts\tquery\tid.orig_h\n"
                + "1525876221.3\tgoogle.com\tNA\n"
                + "\n"
                + "1525876221.4\t" + "y".repeat(LineReader.MAX_LINE_CHARS) + "\t10.0.0.4\n"
                + "1525876221.5\texample.org\t10.0.0.5\n";
        assertResumeIsExact(utf8(zeek));
    }

    @Test
    void resumingNdjsonWithLinesLongerThanTheBufferIsExact() throws IOException {
        String ndjson = "{\"ts\":1525876221,\"src_ip\":\"10.0.0.1\"}\n"
                + "{\"ts\":1525876222,\"note\":\"" + "z".repeat(200_000) + "\"}\n"
                + "   \n"
                + "{\"ts\":1525876223,\"note\":\"" + "z".repeat(LineReader.MAX_LINE_CHARS + 5) + "\"}\n"
                + "{\"event_type\":\"stats\",\"stats\":{\"uptime\":1}}\r\n"
                + "[1,2]\n"
                + "{\"ts\":1525876224,\"src_ip\":\"10.0.0.4\"}";
        assertResumeIsExact(utf8(ndjson));
    }

    /**
     * RFC 4180 allows a line break inside a quoted header cell (spreadsheet exports with wrapped column titles);
     * the header check calls every control character "binary" and fails the file with "the header row is not UTF-8
     * text (another encoding? binary data …)", which sends the user after the wrong problem.
     */
    @Test
    void aQuotedLineBreakInAHeaderCellIsNotCalledBinaryData() throws IOException {
        String csv = "ts,\"Src\nIP\",note\n1525876221,10.0.0.1,hello\n";
        List<SourceRecord> records;
        try {
            records = readAll(utf8(csv));
        } catch (MalformedFileException e) {
            assertThat(e.getMessage()).as("a wrapped header cell is UTF-8 text").doesNotContain("not UTF-8 text");
            return;
        }
        assertThat(records).hasSize(1);
        assertThat(records.get(0).document()).containsEntry("srcIp", "10.0.0.1"); // "Src IP": the canonical field
    }
}
