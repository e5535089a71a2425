package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hits read from an engine answer keep id, index and sort values as the answer's tokens until asked. */
class SearchHitTokensTest {

    private final ObjectMapper json = new ObjectMapper();

    private static SearchPage read(String answer) throws Exception {
        return new SearchResponseReader().read(answer.getBytes(StandardCharsets.UTF_8));
    }

    private static String hits(String... hits) {
        return "{\"took\":1,\"timed_out\":false,\"hits\":{\"total\":{\"value\":" + hits.length + ",\"relation\":\"eq\"},"
                + "\"hits\":[" + String.join(",", hits) + "]}}";
    }

    @Test
    void escapedIdsAndIndexNamesAreDecodedAndWrittenAsTheSameText() throws Exception {
        SearchPage page = read(hits("{\"_index\":\"m-\\u00fc\",\"_id\":\"a\\\"b\\\\c\",\"_score\":null,"
                + "\"_source\":{\"x\":1},\"sort\":[5,\"k\\u00e9y\"]}"));
        SearchHit hit = page.hits().get(0);
        assertThat(hit.id()).isEqualTo("a\"b\\c");
        assertThat(hit.index()).isEqualTo("m-ü");
        assertThat(hit.sortValues()).containsExactly(5L, "kéy");

        JsonResultWriter writer = new JsonResultWriter(json);
        writer.add(hit, 6_000_000);
        JsonNode body = json.readTree(writer.finish(new SearchResult(1, true, 1, List.of(hit), null)));
        assertThat(body.at("/hits/0/id").asText()).isEqualTo("a\"b\\c");
        assertThat(body.at("/hits/0/index").asText()).isEqualTo("m-ü");
        assertThat(body.at("/hits/0/fields/x").asInt()).isEqualTo(1);
    }

    @Test
    void aHitWithoutIdIndexOrSortReadsAsNullAndEmpty() throws Exception {
        SearchHit hit = read(hits("{\"_source\":{\"x\":1}}")).hits().get(0);
        assertThat(hit.id()).isNull();
        assertThat(hit.index()).isNull();
        assertThat(hit.sortValues()).isEmpty();
        assertThat(hit.idJson().getValue()).isEqualTo("null");
    }

    @Test
    void aHitFromTheAnswerEqualsTheSameHitBuiltFromValues() throws Exception {
        SearchHit read = read(hits("{\"_index\":\"i\",\"_id\":\"d\",\"_source\":{\"x\":1},\"sort\":[1,null,true]}"))
                .hits().get(0);
        SearchHit built = new SearchHit("d", "i", RawJson.of("{\"x\":1}"), Arrays.asList(1L, null, true));
        assertThat(read).isEqualTo(built).hasSameHashCodeAs(built);
        assertThat(built.idJson().getValue()).isEqualTo("\"d\"");
    }

    @Test
    void sortValuesTheApiCannotReadFailAsAnUnreadableAnswerWhenAskedFor() throws Exception {
        SearchHit hit = read(hits("{\"_id\":\"d\",\"_source\":{},\"sort\":[{\"nested\":1}]}")).hits().get(0);
        assertThat(hit.id()).isEqualTo("d");
        assertThatThrownBy(hit::sortValues).isInstanceOf(SearchBackendException.class)
                .hasMessageContaining("cannot read");
    }

    @Test
    void quotedTokensEscapeLikeJackson() {
        RawJson q = RawJson.quoted("a\"b\n ü");
        assertThat(q.getValue()).isEqualTo("\"a\\\"b\\n ü\"");
        assertThat(q.isAscii()).isFalse();
        assertThat(RawJson.quoted("plain").isAscii()).isTrue();
        assertThat(RawJson.quoted(null).getValue()).isEqualTo("null");
    }

    @Test
    void tokensDecodeStringsNumbersAndLiterals() throws Exception {
        byte[] b = "[\"x\",-3,2.5e1,18446744073709551615,false,null]".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonTokens.scalars(b, 0, b.length)).containsExactly("x", -3L, 25.0, Long.MAX_VALUE, false, null);
        byte[] s = "\"a\\u0041\"".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonTokens.string(s, 0, s.length)).isEqualTo("aA");
        byte[] n = "12".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> JsonTokens.string(n, 0, n.length)).hasMessageContaining("expected a string");
    }
}
