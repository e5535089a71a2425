package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Something other than a number on one of the data contract's number fields: OpenSearch answered {@code dstPort:abc}
 * with "'abc' is not a number", without saying on which field or what it takes. The guard names the field and its
 * type and shows a number and a range; it refuses only what OpenSearch cannot read as a number either way it reads
 * one (a double for an integer field, a decimal for a long field), so 1.5, 1e3 or NaN are still OpenSearch's to
 * answer (SearchApiQueryMistakesIT checks the values both ways on the embedded OpenSearch).
 */
class NumberFieldValueTest {

    private final QueryGuard guard = new QueryGuard(4096);

    @Test
    void aValueThatIsNoNumberOnANumberFieldIsA400NamingTheFieldAndItsType() {
        assertThatThrownBy(() -> guard.check("dstPort:abc")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("bad_query");
            assertThat(e.getMessage()).isEqualTo("dstPort is an integer field: 'abc' is not a number. Search a number"
                    + " (dstPort:53) or a range (dstPort:[1 TO 1023])");
        });
        assertThatThrownBy(() -> guard.check("bytesIn:>lots")).hasMessageStartingWith("bytesIn is a long field: 'lots'");
        assertThatThrownBy(() -> guard.check("host:x AND srcPort:(80 OR http)")).hasMessageStartingWith("srcPort is an"
                + " integer field: 'http'");
        assertThatThrownBy(() -> guard.check("dstPort:[a TO 1023]")).hasMessageStartingWith("dstPort is an integer"
                + " field: 'a'");
        assertThatThrownBy(() -> guard.check("sourceRecord:{0 TO \"x\"]")).hasMessageStartingWith("sourceRecord is a"
                + " long field: 'x'");
        assertThatThrownBy(() -> guard.check("dstPort:\"https\"")).hasMessageStartingWith("dstPort is an integer"
                + " field: 'https'");
        assertThatThrownBy(() -> guard.check("dstPort:0x50")).hasMessageContaining("'0x50' is not a number");
    }

    /** {@code [1 to 1023]}: the keyword in lower case, which the parser refuses — not a bound that is no number. */
    @Test
    void aRangeKeywordInLowerCaseIsNamedAsSuchOnEveryField() {
        assertThatThrownBy(() -> guard.check("dstPort:[1 to 1023]")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("bad_query");
            assertThat(e.getMessage()).isEqualTo("the range keyword TO must be upper case: dstPort:[1 to 1023] has"
                    + " 'to'. Write dstPort:[1 TO 1023]");
        });
        assertThatThrownBy(() -> guard.check("host:[a To m} AND dstPort:53")).hasMessage("the range keyword TO must be"
                + " upper case: host:[a To m} has 'To'. Write host:[a TO m}");
        assertThatThrownBy(() -> guard.check("[1 to 5]")).hasMessage("the range keyword TO must be upper case:"
                + " [1 to 5] has 'to'. Write [1 TO 5]");
        assertThat(guard.check("dstPort:[1 TO 1023]").query()).isEqualTo("dstPort:[1 TO 1023]");
    }

    @Test
    void numbersPatternsAndOtherFieldsAreLeftAlone() {
        for (String q : List.of("dstPort:53", "dstPort:>=1024", "dstPort:[1 TO *]", "dstPort:{* TO 1023}",
                "bytesIn:[1.5 TO 2]", "bytesOut:1e3", "bytesOut:>NaN", "dstPort:5*", "dstPort:*", "dstPort:5?", "dstPort:53~",
                "dstPort:\\53", "dstPort:\"53\"", "host:abc", "ttl:abc", "dstPort:(53 OR 80)", "abc", "host:/5.*/",
                "srcPort:[\"1\" TO \"2\"]")) {
            assertThat(guard.check(q).query()).as(q).isEqualTo(q);
        }
    }

    @Test
    void theShortcutReadsEveryValueOfANumberFieldThatIsNotDigits() {
        for (String q : List.of("dstPort:abc", "dstPort: abc", "dstPort:53abc", "dstPort:(53 OR x)", "bytesIn:1.5")) {
            assertThat(QueryGuard.needsNoReading(q)).as(q).isFalse();
        }
        for (String q : List.of("dstPort:53", "dstPort: 53 AND host:x", "(dstPort:53)")) {
            assertThat(QueryGuard.needsNoReading(q)).as(q).isTrue();
        }
    }
}
