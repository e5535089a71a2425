package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link SearchService#withMixedTypes}: the engine's "'abc' is not a number" names no field, so the 400 that blames an
 * extra column with a number type on some days and a text type on others must blame the column q gave that value —
 * not the first mixed column of q when another field of q is a number too ({@code k:5 AND x:abc}).
 */
class MixedTypesTest {

    /** k: long on some days, keyword on others; x: long every day. */
    private final SearchBackend backend = new SearchBackend() {
        @Override
        public SearchPage search(BackendQuery query) {
            throw new AssertionError("not searched here");
        }

        @Override
        public Map<String, Set<String>> fieldTypes(List<String> names) {
            return Map.of("k", Set.of("long", "keyword"), "x", Set.of("long"), "t", Set.of("keyword"), "d",
                    Set.of("double", "keyword"));
        }

        @Override
        public Map<String, DaySpans> fieldDays(String field) {
            return !field.equals("k") ? Map.of() : Map.of("long", DaySpans.of(List.of(LocalDate.of(2018, 5, 7))),
                    "keyword", DaySpans.of(List.of(LocalDate.of(2018, 5, 8), LocalDate.of(2018, 5, 9),
                            LocalDate.of(2018, 5, 11))));
        }

        @Override
        public int tiebreakerValues() {
            return 1;
        }
    };
    private final SearchService service = new SearchService(backend, new ObjectMapper(), 10_000);

    private String message(String q, List<String> fields, String engineReason) {
        SearchParameters p = new SearchParameters(q, null, null, 50, SearchParametersParser.DEFAULT_SORT, List.of(),
                null, OutputFormat.JSON, fields, List.of());
        return service.withMixedTypes(new SearchBackendException(SearchBackendException.Kind.BAD_QUERY,
                engineReason), p).getMessage();
    }

    @Test
    void theMixedColumnIsBlamedWhereQGivesItTheValue() {
        assertThat(message("k:k1", List.of("k"), "'k1' is not a number")).startsWith("q searches k for 'k1'");
        assertThat(message("k:k1 AND x:7", List.of("k", "x"), "'k1' is not a number"))
                .startsWith("q searches k for 'k1'");
        assertThat(message("x:7 AND k:\"k1\"", List.of("x", "k"), "'k1' is not a number"))
                .startsWith("q searches k for 'k1'");
        assertThat(message("k:(k1 OR k2)", List.of("k"), "'k1' is not a number")).as("the only number field of q")
                .startsWith("q searches k for 'k1'");
        assertThat(message("k:5 AND t:abc", List.of("k", "t"), "'abc' is not a number"))
                .as("t is text everywhere: only k can have refused it").startsWith("q searches k for 'abc'");
    }

    /** Before, the message said to narrow from/to to the days where k is text, without saying which. */
    @Test
    void theMessageNamesTheDaysWhereTheColumnIsText() {
        assertThat(message("k:k1", List.of("k"), "'k1' is not a number")).contains("Narrow from/to to days where k is"
                + " text (2018-05-08 to 2018-05-09 and 2018-05-11; the last: from=2018-05-11&to=2018-05-12), or search"
                + " a number on it (k:5)");
        assertThat(message("d:abc", List.of("d"), "'abc' is not a number")).as("a decimal column: a decimal example")
                .endsWith("Narrow from/to to days where d is text, or search a number on it (d:0.5), which the number"
                        + " days answer");
        assertThat(message("k:k*", List.of("k"), "Can only use prefix queries on keyword and text fields - not on [k]"
                + " which is of type [long]")).contains("where k is text (2018-05-08 to 2018-05-09 and 2018-05-11;");
    }

    @Test
    void anotherNumberFieldsMistakeIsNotBlamedOnTheMixedColumn() {
        assertThat(message("k:5 AND x:abc", List.of("k", "x"), "'abc' is not a number"))
                .isEqualTo("'abc' is not a number");
        assertThat(message("x:abc AND k:5", List.of("x", "k"), "'abc' is not a number"))
                .isEqualTo("'abc' is not a number");
        assertThat(message("k:(5 OR abc) AND x:1", List.of("k", "x"), "'abc' is not a number"))
                .as("inside a group with another number field in q: not guessed").isEqualTo("'abc' is not a number");
    }

    @Test
    void valueOfSeesTheValueRightAfterTheFieldsColon() {
        assertThat(SearchService.valueOf("k:k1", "k", "k1")).isTrue();
        assertThat(SearchService.valueOf("a AND k: \"k1\"", "k", "k1")).isTrue();
        assertThat(SearchService.valueOf("k:(k1 OR k2)", "k", "k1")).isTrue();
        assertThat(SearchService.valueOf("k:>=k1", "k", "k1")).isTrue();
        assertThat(SearchService.valueOf("xk:k1", "k", "k1")).as("another field ending in k").isFalse();
        assertThat(SearchService.valueOf("k:k10", "k", "k1")).isFalse();
        assertThat(SearchService.valueOf("k:5 AND x:k1", "k", "k1")).isFalse();
    }
}
