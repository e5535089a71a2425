package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SortMappingTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void oneTypeIsTheTypeForIndicesWithoutTheField() {
        assertThat(SortMapping.of("ttl", Set.of("long"))).isEqualTo(new SortMapping("long", null));
        assertThat(SortMapping.of("query", Set.of("keyword"))).isEqualTo(new SortMapping("keyword", null));
        assertThat(SortMapping.of("rtt", Set.of("double"))).isEqualTo(new SortMapping("double", null));
    }

    @Test
    void aFieldNoIndexHasSortsEverythingAsMissing() {
        assertThat(SortMapping.of("nothing", Set.of())).isEqualTo(SortMapping.ABSENT);
    }

    @Test
    void numbersOfSeveralTypesCompareAsOne() {
        assertThat(SortMapping.of("n", Set.of("long", "double"))).isEqualTo(new SortMapping("double", "double"));
        assertThat(SortMapping.of("n", Set.of("long", "integer"))).isEqualTo(new SortMapping("long", "long"));
    }

    @Test
    void otherMixesAreABadQueryNamingFieldAndTypes() {
        assertThatThrownBy(() -> SortMapping.of("ttl", Set.of("long", "keyword")))
                .isInstanceOfSatisfying(SearchBackendException.class,
                        e -> assertThat(e.kind()).isEqualTo(SearchBackendException.Kind.BAD_QUERY))
                .hasMessage("cannot sort by 'ttl': its values have different types in different daily indices "
                        + "(keyword, long), so they have no common order");
    }

    @Test
    void fieldCapsAnswerGivesEachFieldsTypes() throws Exception {
        JsonNode answer = json.readTree("{\"indices\":[\"m-2018.05.09\",\"m-2018.05.10\"],\"fields\":{"
                + "\"ttl\":{\"long\":{\"type\":\"long\",\"searchable\":true,\"aggregatable\":true,\"indices\":[\"m-2018.05.09\"]},"
                + "\"keyword\":{\"type\":\"keyword\",\"searchable\":true,\"aggregatable\":true,\"indices\":[\"m-2018.05.10\"]}},"
                + "\"rtt\":{\"double\":{\"type\":\"double\",\"searchable\":true,\"aggregatable\":true}}}}");
        assertThat(OpenSearchSearchBackend.fieldTypes(answer))
                .isEqualTo(Map.of("ttl", Set.of("keyword", "long"), "rtt", Set.of("double")));
        assertThat(OpenSearchSearchBackend.fieldTypes(json.readTree("{\"indices\":[],\"fields\":{}}"))).isEmpty();
    }

    /** Only a field whose types differ has its indices listed per type: their days, from the daily index names. */
    @Test
    void fieldCapsAnswerGivesTheDaysOfEachTypeWhenTheyDiffer() throws Exception {
        JsonNode answer = json.readTree("{\"indices\":[\"m-2018.05.09\",\"m-2018.05.10\",\"m-2018.05.11\"],"
                + "\"fields\":{\"ttl\":{\"long\":{\"type\":\"long\",\"indices\":[\"m-2018.05.09\"]},"
                + "\"keyword\":{\"type\":\"keyword\",\"indices\":[\"m-2018.05.11\",\"m-2018.05.10\",\"other\"]}},"
                + "\"rtt\":{\"double\":{\"type\":\"double\"}},"
                + "\"k\":{\"long\":{\"type\":\"long\"},\"keyword\":{\"type\":\"keyword\"}}}}");
        Map<String, Map<String, DaySpans>> days = OpenSearchSearchBackend.fieldDays(answer, "m");
        assertThat(days).containsOnlyKeys("ttl"); // rtt: one type; k: no indices listed
        assertThat(days.get("ttl").get("keyword").describe()).isEqualTo("2018-05-10 to 2018-05-11:"
                + " from=2018-05-10&to=2018-05-12");
        assertThat(days.get("ttl").get("long").describe()).startsWith("2018-05-09: ");
    }

    @Test
    void theSortOfAnExtraFieldCarriesItsMapping() throws Exception {
        OpenSearchSearchBackend backend = new OpenSearchSearchBackend(null, "metadata", json);
        BackendQuery q = new BackendQuery("", null, null, List.of(new SortField("ttl", true), new SortField("rtt", false)),
                List.of(), 10, List.of(), 1000);
        JsonNode body = json.readTree(backend.requestBody(q, Map.of("ttl", new SortMapping("long", null),
                "rtt", new SortMapping("double", "double"))));
        assertThat(body.at("/sort/0/ttl").toString()).isEqualTo("{\"order\":\"desc\",\"unmapped_type\":\"long\"}");
        assertThat(body.at("/sort/1/rtt").toString())
                .isEqualTo("{\"order\":\"asc\",\"unmapped_type\":\"double\",\"numeric_type\":\"double\"}");
        assertThat(body.at("/sort/2/sourceFile/unmapped_type").asText()).isEqualTo("keyword");
    }
}
