package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class IndexTemplateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode template(String prefix) throws Exception {
        return JSON.readTree(IndexTemplate.json(prefix));
    }

    @Test
    void isAComposableTemplateForThePrefix() throws Exception {
        JsonNode t = template("metadata");
        assertThat(IndexTemplate.name("metadata")).isEqualTo("metadata-template");
        assertThat(t.get("index_patterns")).hasSize(10);
        assertThat(t.get("index_patterns").get(0).asText()).isEqualTo("metadata-0*");
        assertThat(t.get("index_patterns").get(9).asText()).isEqualTo("metadata-9*");
        assertThat(t.path("template").path("aliases").has("metadata")).isTrue();
        assertThat(t.path("template").path("settings").path("index").path("number_of_shards").asInt()).isEqualTo(1);
        assertThat(t.path("priority").isInt()).isTrue();
        assertThat(t.path("priority").asInt()).isEqualTo(108);
        assertThat(IndexTemplate.json("metadata")).doesNotContain(IndexTemplate.PLACEHOLDER).doesNotContain("{{");
    }

    @Test
    void mapsTheCanonicalFields() throws Exception {
        JsonNode p = template("metadata").path("template").path("mappings").path("properties");
        assertThat(p.path("timestamp").path("type").asText()).isEqualTo("date");
        assertThat(p.path("timestamp").path("format").asText()).isEqualTo("strict_date_optional_time||epoch_millis");
        assertThat(p.path("srcIp").path("type").asText()).isEqualTo("ip");
        assertThat(p.path("dstIp").path("type").asText()).isEqualTo("ip");
        assertThat(p.path("srcPort").path("type").asText()).isEqualTo("integer");
        assertThat(p.path("dstPort").path("type").asText()).isEqualTo("integer");
        assertThat(p.path("proto").path("type").asText()).isEqualTo("keyword");
        assertThat(p.path("host").path("type").asText()).isEqualTo("keyword");
        assertThat(p.path("bytesOut").path("type").asText()).isEqualTo("long");
        assertThat(p.path("bytesIn").path("type").asText()).isEqualTo("long");
    }

    @Test
    void hostAndProtoAreSearchedIgnoringCaseAsTheyAreStoredLowerCased() throws Exception {
        JsonNode t = template("metadata").path("template");
        JsonNode normalizer = t.at("/settings/analysis/normalizer/netmeta_lowercase");
        assertThat(normalizer.path("type").asText()).isEqualTo("custom");
        assertThat(normalizer.path("filter").toString()).isEqualTo("[\"lowercase\"]");
        JsonNode p = t.path("mappings").path("properties");
        assertThat(p.path("host").path("normalizer").asText()).isEqualTo("netmeta_lowercase");
        assertThat(p.path("proto").path("normalizer").asText()).isEqualTo("netmeta_lowercase");
    }

    @Test
    void contractVersionCountsTheTemplateChanges() throws Exception {
        // 2: provenance sourceFile/sourceRecord, 3: lower-casing normalizer, 4: provenance sourceVersion,
        // 5: index patterns <prefix>-<digit>* and a priority by prefix length (prefixes that start one another)
        assertThat(template("metadata").at("/_meta/contract_version").asInt()).isEqualTo(5);
    }

    @Test
    void everyCanonicalFieldIsMappedWithItsFieldType() throws Exception {
        JsonNode p = template("metadata").path("template").path("mappings").path("properties");
        List<String> mapped = new ArrayList<>();
        p.fieldNames().forEachRemaining(mapped::add);
        List<String> expected = new ArrayList<>(Fields.canonicalFields());
        expected.addAll(Fields.provenanceFields());
        assertThat(mapped).containsExactlyInAnyOrderElementsOf(expected);
        for (String field : expected) {
            assertThat(p.path(field).path("type").asText()).as(field)
                    .isEqualTo(Fields.typeOf(field).name().toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void provenanceFieldsAreSortableWithDocValuesAndNeverIgnored() throws Exception {
        JsonNode p = template("metadata").path("template").path("mappings").path("properties");
        for (String field : Fields.provenanceFields()) {
            assertThat(p.path(field).path("doc_values").asBoolean(false)).as(field).isTrue();
            // an ignored (too long) value would have no doc value and break the api's unique tiebreaker
            assertThat(p.path(field).has("ignore_above")).as(field).isFalse();
        }
    }

    @Test
    void sourceVersionIsAnExactKeywordForTheLoadersCleanup() throws Exception {
        JsonNode v = template("metadata").at("/template/mappings/properties/" + Fields.SOURCE_VERSION);
        assertThat(v.path("type").asText()).isEqualTo("keyword");
        assertThat(v.has("normalizer")).as("an ETag is matched exactly").isFalse();
        assertThat(v.has("ignore_above")).isFalse();
        assertThat(v.path("doc_values").asBoolean(false)).isTrue();
    }

    @Test
    void unknownColumnsGetKeywordLongOrDoubleAndNothingIsGuessed() throws Exception {
        JsonNode m = template("metadata").path("template").path("mappings");
        assertThat(m.path("date_detection").asBoolean(true)).isFalse();
        assertThat(m.path("numeric_detection").asBoolean(true)).isFalse();
        JsonNode dyn = m.path("dynamic_templates");
        assertThat(dyn).hasSize(3);
        assertThat(rule(dyn, "string").path("type").asText()).isEqualTo("keyword");
        assertThat(rule(dyn, "string").path("ignore_above").asInt()).isEqualTo(1024);
        assertThat(rule(dyn, "long").path("type").asText()).isEqualTo("long");
        assertThat(rule(dyn, "double").path("type").asText()).isEqualTo("double");
    }

    private static JsonNode rule(JsonNode dynamicTemplates, String matchMappingType) {
        for (JsonNode entry : dynamicTemplates) {
            JsonNode body = entry.elements().next();
            if (matchMappingType.equals(body.path("match_mapping_type").asText())) {
                return body.path("mapping");
            }
        }
        throw new AssertionError("no dynamic template for " + matchMappingType);
    }

    @Test
    void usesTheGivenPrefixEverywhere() throws Exception {
        JsonNode t = template("netmeta-it-7");
        assertThat(t.get("index_patterns").get(0).asText()).isEqualTo("netmeta-it-7-0*");
        assertThat(t.path("template").path("aliases").has("netmeta-it-7")).isTrue();
        assertThat(t.path("template").path("aliases").has("metadata")).isFalse();
        assertThat(IndexTemplate.name("netmeta-it-7")).isEqualTo("netmeta-it-7-template");
    }

    /**
     * Deployments sharing a cluster: {@code metadata-*} matched {@code metadata-staging-2026.11.27}, OpenSearch refused
     * the second of two overlapping templates of equal priority, and an index got the alias of whichever applied.
     * Each daily index must be matched by its own prefix's template, and by no other of the same or a higher priority.
     */
    @Test
    void everyDailyIndexGetsItsOwnPrefixsTemplateWhenPrefixesStartOneAnother() throws Exception {
        List<String> prefixes = List.of("metadata", "metadata-staging", "metadata-2", "metadata-2026", "metadata-2-b",
                "metadatb", "m", "m-1");
        for (String own : prefixes) {
            for (long day : new long[] {0L, 1_764_201_600_000L, 253_402_214_400_000L}) { // 1970, 2025-11-27, 9999-12-31
                String index = IndexNames.daily(own, day);
                List<String> matching = new ArrayList<>();
                for (String prefix : prefixes) {
                    for (JsonNode pattern : template(prefix).get("index_patterns")) {
                        String p = pattern.asText();
                        if (index.startsWith(p.substring(0, p.length() - 1))) {
                            matching.add(prefix);
                        }
                    }
                }
                assertThat(matching).as(index).contains(own);
                for (String other : matching) {
                    if (!other.equals(own)) {
                        assertThat(IndexTemplate.priority(other)).as(index + ": template of " + other)
                                .isLessThan(IndexTemplate.priority(own));
                    }
                }
            }
        }
        assertThat(template("metadata").get("index_patterns").toString()).as("metadata-staging's indices are not matched")
                .doesNotContain("metadata-s");
    }

    @Test
    void refusesAPrefixThatIsNoIndexName() {
        assertThatThrownBy(() -> IndexTemplate.json("bad\"prefix")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IndexTemplate.name("Upper")).isInstanceOf(IllegalArgumentException.class);
    }
}
