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
