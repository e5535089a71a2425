package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalRespellingTest {

    @Test
    void decimalsInENotationAreSpelledAsTheLoaderSpellsThem() throws Exception {
        RawJson source = RawJson.of("{\"rtt\":5.86E-4,\"rate\":1.23456789E7,\"whole\":1.0E7,\"tiny\":1.0E-8,"
                + "\"kept\":0.5,\"n\":10000000,\"note\":\"1.0E7 \\\"E\\\"\",\"ok\":true,\"no\":false,"
                + "\"list\":[-2.5E-5,{\"v\":1.0E21}],\"none\":null}");

        assertThat(DecimalRespelling.of(source).getValue()).isEqualTo("{\"rtt\":0.000586,\"rate\":12345678.9,"
                + "\"whole\":10000000.0,\"tiny\":1e-8,\"kept\":0.5,\"n\":10000000,\"note\":\"1.0E7 \\\"E\\\"\","
                + "\"ok\":true,\"no\":false,\"list\":[-0.000025,{\"v\":1e+21}],\"none\":null}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":0.000586,\"b\":true,\"c\":false,\"d\":null}", "{\"E\":\"x E e \\\\\"}",
            "{\"s\":\"\\\"E\"}", "{}"})
    void aDocumentWithoutAnExponentIsTheSameObject(String json) throws Exception {
        RawJson source = RawJson.of(json);
        assertThat(DecimalRespelling.hasExponent(source.array(), 0, source.utf8Length())).isFalse();
        assertThat(DecimalRespelling.of(source)).isSameAs(source);
    }

    @Test
    void anExponentOutsideAStringIsFound() {
        RawJson source = RawJson.of("{\"s\":\"\\\\\",\"n\":1e5}");
        assertThat(DecimalRespelling.hasExponent(source.array(), 0, source.utf8Length())).isTrue();
    }
}
