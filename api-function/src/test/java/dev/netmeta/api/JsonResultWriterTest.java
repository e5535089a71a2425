package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonResultWriterTest {

    private final ObjectMapper json = new ObjectMapper();

    private String write(ResultWriter writer, SearchHit... hits) {
        for (SearchHit hit : hits) {
            assertThat(writer.add(hit, 6_000_000)).isTrue();
        }
        return writer.finish(new SearchResult(2, true, 4, List.of(hits), "next-cursor"));
    }

    @Test
    void documentsArePassedThroughByteForByteAsciiOrNot() throws Exception {
        byte[] answer = "xx{\"city\":\"Zürich\",\"q\":\"a \\\"b\\\"\"}{\"n\":1}".getBytes(StandardCharsets.UTF_8);
        int firstLength = answer.length - 2 - "{\"n\":1}".length();
        SearchHit withUmlaut = new SearchHit("id-ü", "metadata-2018.05.09", new RawJson(answer, 2, firstLength, false),
                List.of(1L));
        SearchHit plain = new SearchHit("id-2", "metadata-2018.05.09", new RawJson(answer, 2 + firstLength, 7, true),
                List.of(2L));

        JsonNode body = json.readTree(write(new JsonResultWriter(json), withUmlaut, plain));

        assertThat(body.path("hits").get(0).path("id").asText()).isEqualTo("id-ü");
        assertThat(body.path("hits").get(0).path("fields").path("city").asText()).isEqualTo("Zürich");
        assertThat(body.path("hits").get(0).path("fields").path("q").asText()).isEqualTo("a \"b\"");
        assertThat(body.path("hits").get(1).path("fields").path("n").asInt()).isEqualTo(1);
        assertThat(body.path("next").asText()).isEqualTo("next-cursor");
    }

    @Test
    void anAsciiPageIsTheSameTextAsAUtf8DecodedOne() {
        SearchHit a = new SearchHit("a", "metadata-2018.05.09", RawJson.of("{\"host\":\"google.com\"}"), List.of());
        String body = write(new JsonResultWriter(json), a);
        assertThat(body).isEqualTo("{\"total\":{\"value\":2,\"relation\":\"eq\"},\"took\":4,\"hits\":[{\"id\":\"a\","
                + "\"index\":\"metadata-2018.05.09\",\"fields\":{\"host\":\"google.com\"}}],\"next\":\"next-cursor\"}");
        String ndjson = write(new NdjsonResultWriter(json), a, new SearchHit("ü", "i", RawJson.of("{\"x\":\"ü\"}"), List.of()));
        assertThat(ndjson).isEqualTo("{\"id\":\"a\",\"index\":\"metadata-2018.05.09\",\"fields\":{\"host\":\"google.com\"}}\n"
                + "{\"id\":\"ü\",\"index\":\"i\",\"fields\":{\"x\":\"ü\"}}\n");
    }

    @Test
    void rawJsonKnowsItsEscapedSize() {
        RawJson raw = RawJson.of("{\"q\":\"a\\\\b ü\"}");
        // 15 UTF-8 bytes (ü is two), plus one byte for each of the 4 quotes and 2 backslashes once escaped
        assertThat(raw.utf8Length()).isEqualTo(15);
        assertThat(raw.escapedLength()).isEqualTo(21);
        assertThat(raw.isAscii()).isFalse();
        assertThat(RawJson.of("{}").isAscii()).isTrue();
        assertThat(raw.getValue()).isEqualTo("{\"q\":\"a\\\\b ü\"}");
    }
}
