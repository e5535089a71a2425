package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonSlicesTest {

    private static JsonSlices of(String json) {
        return new JsonSlices(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(JsonSlices j, int start, int end) {
        return new String(j.bytes(), start, end - start, StandardCharsets.UTF_8);
    }

    @Test
    void stepsOverValuesWhoseStringsHoldBracketsQuotesAndEscapes() throws IOException {
        String value = "{\"a\":\"}]\\\"{\",\"b\":[1,{\"c\":\"\\\\\"}],\"d\":\"ü\"}";
        JsonSlices j = of(value + " ,");
        assertThat(j.valueEnd(0)).isEqualTo(value.getBytes(StandardCharsets.UTF_8).length);
        assertThat(of("-12.5e3}").valueEnd(0)).isEqualTo(7);
        assertThat(of("true,").valueEnd(0)).isEqualTo(4);
        assertThat(of("\"x\\\\\"]").valueEnd(0)).isEqualTo(5);
    }

    @Test
    void visitsMembersAndElementsOnceEach() throws IOException {
        JsonSlices j = of(" { \"k\" : [ 1 , \"two\" , {\"x\":null} ] , \"e\":{} ,\"s\":\"v\" } ");
        List<String> seen = new ArrayList<>();
        int end = j.members(j.skipWhitespace(0), (ks, ke, vs) -> {
            String key = text(j, ks, ke);
            if (key.equals("k")) {
                return j.elements(vs, s -> {
                    int e = j.valueEnd(s);
                    seen.add("k[]=" + text(j, s, e));
                    return e;
                });
            }
            int ve = j.valueEnd(vs);
            seen.add(key + "=" + text(j, vs, ve));
            return ve;
        });
        assertThat(seen).containsExactly("k[]=1", "k[]=\"two\"", "k[]={\"x\":null}", "e={}", "s=\"v\"");
        assertThat(j.skipWhitespace(end)).isEqualTo(j.bytes().length);
    }

    @Test
    void knowsWhetherAStringItSteppedOverWasAscii() throws IOException {
        JsonSlices j = of("{\"a\":\"plain\"} {\"a\":\"Zürich\"}");
        j.resetNonAscii();
        int end = j.valueEnd(0);
        assertThat(j.sawNonAscii()).isFalse();
        j.resetNonAscii();
        j.valueEnd(j.skipWhitespace(end));
        assertThat(j.sawNonAscii()).isTrue();
    }

    @Test
    void brokenStructureIsAnIOException() {
        assertThatThrownBy(() -> of("{\"a\":1").members(0, (ks, ke, vs) -> of("{\"a\":1").valueEnd(vs)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> of("{\"a\" 1}").members(0, (ks, ke, vs) -> vs + 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("':'");
        assertThatThrownBy(() -> of("[1,2").valueEnd(0)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> of("\"open").valueEnd(0)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> of("").valueEnd(0)).isInstanceOf(IOException.class);
    }
}
