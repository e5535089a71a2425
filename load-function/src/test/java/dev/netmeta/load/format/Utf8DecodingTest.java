package dev.netmeta.load.format;

import static dev.netmeta.load.format.Inputs.readAll;
import static dev.netmeta.load.format.Inputs.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.load.format.SourceRecord.Kind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed UTF-8 is found at the decoder: legitimate U+FFFD (or any valid character) is data, not an error. */
class Utf8DecodingTest {

    /** U+103FF: its UTF-16 low surrogate is the char Utf8Reader uses as its mark. */
    private static final String SUPPLEMENTARY = new String(Character.toChars(0x103FF));

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(utf8(s));
            } else {
                out.write((Integer) p);
            }
        }
        return out.toByteArray();
    }

    @Test
    void aValidReplacementCharacterIsIndexedInEveryFormat() throws IOException {
        assertThat(readAll(utf8("Src IP,note\n10.0.0.1,caf\uFFFD " + SUPPLEMENTARY + "\n")))
                .singleElement().satisfies(r -> {
                    assertThat(r.kind()).isEqualTo(Kind.DOCUMENT);
                    assertThat(r.document()).containsEntry("note", "caf\uFFFD " + SUPPLEMENTARY);
                });
        assertThat(readAll(utf8("{\"src_ip\":\"10.0.0.1\",\"note\":\"\uFFFD" + SUPPLEMENTARY + "\"}\n")))
                .singleElement().satisfies(r -> assertThat(r.kind()).isEqualTo(Kind.DOCUMENT));
        assertThat(readAll(utf8("#separator \\x09\n#fields\tid.orig_h\tnote\n10.0.0.1\t\uFFFD\n")))
                .singleElement().satisfies(r -> assertThat(r.document()).containsEntry("note", "\uFFFD"));
    }

    @Test
    void malformedBytesAreRejectedEvenNextToValidSupplementaryCharacters() throws IOException {
        List<SourceRecord> records = readAll(bytes("Src IP,note\n10.0.0.1,a", 0xff, SUPPLEMENTARY + "\n",
                "10.0.0.2," + SUPPLEMENTARY + "\n10.0.0.3,cut ", 0xe2, 0x82));

        assertThat(records).extracting(SourceRecord::kind).containsExactly(Kind.REJECT, Kind.DOCUMENT, Kind.REJECT);
        assertThat(records.get(0).reason()).isEqualTo("invalid UTF-8 byte sequence");
        assertThat(records.get(0).raw()).isEqualTo("10.0.0.1,a\uFFFD" + SUPPLEMENTARY);
        assertThat(records.get(1).document()).containsEntry("note", SUPPLEMENTARY);
        assertThat(records.get(2).reason()).isEqualTo("invalid UTF-8 byte sequence");
    }

    @Test
    void recordsSkippedByAContinuationKeepTheCountInStep() throws IOException {
        byte[] input = bytes("{\"a\":\"", 0xc3, "\"}\n{\"a\":\"\uFFFD\"}\n{\"a\":\"", 0x80, "\"}\n");
        try (RecordReader reader = Inputs.open(input)) {
            assertThat(reader.skip(1)).isEqualTo(1);
            assertThat(reader.next().kind()).isEqualTo(Kind.DOCUMENT);
            assertThat(reader.next().kind()).isEqualTo(Kind.REJECT);
        }
    }
}
