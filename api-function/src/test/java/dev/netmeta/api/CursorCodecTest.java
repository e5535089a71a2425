package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorCodecTest {

    private final CursorCodec codec = new CursorCodec(new ObjectMapper());
    private final SearchParameters params = new SearchParameters("host:google.com", 1L, 2L, 50,
            List.of(new SortField("timestamp", true)), List.of(), null, OutputFormat.JSON);

    @Test
    void roundTripKeepsSortValuesAndTheirTypes() {
        String fp = CursorCodec.fingerprint(params);
        List<Object> values = Arrays.asList(1525860000000L, "10.0.0.1", 2.5, Long.MIN_VALUE, null, "doc-1");
        String cursor = codec.encode(fp, values);
        assertThat(cursor).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        assertThat(codec.decode(cursor, fp, values.size())).isEqualTo(values);
    }

    @Test
    void csvLayoutTravelsWithThePositionAndIsOptional() {
        String fp = CursorCodec.fingerprint(params);
        CsvLayout layout = new CsvLayout(CursorCodec.shortHash(""), List.of("timestamp", "srcIp", "dns_query"));
        CursorCodec.Position position = codec.read(codec.encode(fp, List.of(1L, "doc-1"), layout), fp, 2);
        assertThat(position.sortValues()).containsExactly(1L, "doc-1");
        assertThat(position.csvLayout()).isEqualTo(layout);
        assertThat(codec.read(codec.encode(fp, List.of(1L, "doc-1")), fp, 2).csvLayout()).isNull();
    }

    /**
     * A search whose from/to is date math carries the time it was resolved against; its fingerprint holds the date
     * math as written, and an absolute search's fingerprint is what it was (cursors issued before stay valid).
     */
    @Test
    void theTimeDateMathWasResolvedAgainstTravelsWithThePosition() {
        String fp = CursorCodec.fingerprint(params);
        assertThat(fp).isEqualTo(CursorCodec.shortHash("host:google.com\u00001\u00002\u0000" + params.sort()));
        assertThat(codec.read(codec.encode(fp, List.of(1L, "doc-1"), null, 1_700_000_000_000L), fp, 2).now())
                .isEqualTo(1_700_000_000_000L);
        assertThat(codec.read(codec.encode(fp, List.of(1L, "doc-1")), fp, 2).now()).isNull();
        SearchParameters relative = new SearchParameters("host:google.com", null, null, 50, params.sort(), List.of(),
                null, OutputFormat.JSON, List.of(), List.of(), DateMath.parse("from", "now-1d"), null);
        assertThat(CursorCodec.fingerprint(relative)).isEqualTo(CursorCodec.shortHash("host:google.com\u0000now-1d"
                + "\u0000null\u0000" + params.sort()));
    }

    @Test
    void aWideCsvLayoutAndLongSortValuesMakeACompressedCursorThatReadsBack() {
        String fp = CursorCodec.fingerprint(params);
        List<String> columns = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            columns.add("Total_Length_of_Fwd_Packets_" + i); // a CICFlowMeter-wide export
        }
        CsvLayout layout = new CsvLayout(CursorCodec.shortHash("x"), columns);
        String url = "http://example.com/" + "a/b/c?d=e&".repeat(100);
        List<Object> values = Arrays.asList(url, 1525860000000L, "raw/2018/05/09/flows.csv.gz", 41L);

        String cursor = codec.encode(fp, values, layout);

        assertThat(cursor).startsWith("~").matches("~[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+").hasSizeLessThan(1500);
        CursorCodec.Position position = codec.read(cursor, fp, values.size());
        assertThat(position.sortValues()).isEqualTo(values);
        assertThat(position.csvLayout()).isEqualTo(layout);
    }

    @Test
    void everyCursorItIssuesForKeywordLongSortValuesItAlsoReads() {
        // three sort keys of 1,024 characters (the longest indexed keyword) that do not compress: 3-byte UTF-8
        String fp = CursorCodec.fingerprint(params);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        List<Object> values = new java.util.ArrayList<>();
        for (int k = 0; k < 3; k++) {
            StringBuilder cjk = new StringBuilder();
            for (int i = 0; i < 1024; i++) {
                cjk.append((char) (0x4E00 + random.nextInt(20_000)));
            }
            values.add(cjk.toString());
        }
        values.add("raw/" + "k".repeat(1020));
        values.add(Long.MAX_VALUE);

        String cursor = codec.encode(fp, values);

        assertThat(cursor.length()).isLessThanOrEqualTo(CursorCodec.MAX_CURSOR_LENGTH);
        assertThat(codec.decode(cursor, fp, values.size())).isEqualTo(values);
    }

    @Test
    void aCompressedCursorThatIsDamagedOrInflatesTooFarIsRefused() {
        String fp = CursorCodec.fingerprint(params);
        String cursor = codec.encode(fp, List.of("x".repeat(2000), 1L));
        assertThat(cursor).startsWith("~");
        String truncated = cursor.substring(0, 20) + cursor.substring(cursor.indexOf('.'));
        assertThatThrownBy(() -> codec.decode(truncated, fp, 2)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).startsWith("cursor is damaged"));
        // a deflate stream of 1 MB of zeros: refused before it is inflated beyond the payload bound
        java.util.zip.Deflater d = new java.util.zip.Deflater(9, true);
        d.setInput(new byte[1 << 20]);
        d.finish();
        byte[] bomb = new byte[4096];
        int n = d.deflate(bomb);
        d.end();
        String crafted = "~" + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Arrays.copyOf(bomb, n)) + cursor.substring(cursor.indexOf('.'));
        assertThatThrownBy(() -> codec.decode(crafted, fp, 2)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).startsWith("cursor is damaged"));
    }

    @Test
    void damagedCursorIsRefused() {
        String fp = CursorCodec.fingerprint(params);
        String cursor = codec.encode(fp, List.of(1525860000000L, "doc-1"));
        char c = cursor.charAt(5);
        String tampered = cursor.substring(0, 5) + (c == 'A' ? 'B' : 'A') + cursor.substring(6);
        assertInvalid(tampered, fp, 2, "damaged");
        assertInvalid("nonsense", fp, 2, "not one this API issued");
        assertInvalid("a.b.c", fp, 2, "not one this API issued");
        assertInvalid("!!!.???", fp, 2, "base64url");
    }

    @Test
    void cursorOfAnotherSearchIsRefused() {
        String cursor = codec.encode(CursorCodec.fingerprint(params), List.of(1L, "doc-1"));
        SearchParameters other = new SearchParameters("host:example.com", 1L, 2L, 50, params.sort(), List.of(),
                null, OutputFormat.JSON);
        assertInvalid(cursor, CursorCodec.fingerprint(other), 2, "different search");
    }

    @Test
    void sizeFieldsAndFormatMayChangeWhilePaging() {
        SearchParameters export = new SearchParameters("host:google.com", 1L, 2L, 5000,
                List.of(new SortField("timestamp", true)), List.of("srcIp"), "x", OutputFormat.CSV);
        assertThat(CursorCodec.fingerprint(export)).isEqualTo(CursorCodec.fingerprint(params));
    }

    @Test
    void aCursorOfTheOlderVersionIsRefusedAsOld() {
        // issued by version 1 of the API (sort values: timestamp, _id), checksum intact
        String v1 = "eyJ2IjoxLCJmIjoiQUFBQUFBQUFBQUFBQUFBQSIsImEiOlsxNTI1ODYwMDAwMDAwLCJhVzVpYjNndk1qQXhPQzB3TlMweE1DNWpjM1l1WjNvLTE3Il19"
                + ".gfqjL_xkIvayJesA";
        assertInvalid(v1, CursorCodec.fingerprint(params), 3, "cursor from an older version");
    }

    @Test
    void wrongNumberOfValuesIsRefused() {
        String fp = CursorCodec.fingerprint(params);
        assertInvalid(codec.encode(fp, List.of(1L)), fp, 2, "wrong number");
    }

    private void assertInvalid(String cursor, String fp, int n, String messagePart) {
        assertThatThrownBy(() -> codec.decode(cursor, fp, n)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("invalid_cursor");
            assertThat(e.getMessage()).contains(messagePart);
        });
    }
}
