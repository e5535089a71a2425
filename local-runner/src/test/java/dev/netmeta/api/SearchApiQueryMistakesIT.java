package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.doc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Mistakes in q that came back as the parser's or the engine's raw words, against the embedded OpenSearch (before →
 * now): {@code srcIp:10.0.0.0/8&&dstPort:53} a lexical error → the unknown-field answer its quoted form got ("write
 * `&& dstPort`"); {@code srcIp:10.0.0.1&&dstPort:53} "'10.0.0.1&&dstPort' is not an IP string literal" → "'&&' glued to
 * a term … Put spaces around the operator"; {@code host:(google.com} "Encountered "<EOF>" at line 1, column 16" → the
 * '(' no ')' closes; {@code host:"google.com} "… (in lexical state 2)" → the quote no quote closes;
 * {@code dstPort:abc} "'abc' is not a number" → the field and its type; {@code "10.0.0.0/33"} a 200 with 0 hits (a
 * phrase on host) and {@code 10.0.0.0/33} a lexical error → no CIDR block. What each message says to type finds what
 * was meant.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiQueryMistakesIT {

    private final ObjectMapper json = new ObjectMapper();
    private SearchIndexFixture fixture;
    private ApiCalls api;

    @BeforeAll
    void indexDocuments(OpenSearchEndpoint openSearch) throws Exception {
        fixture = new SearchIndexFixture(openSearch.uri(), "mistakes-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        docs.put("dns", doc("2018-05-09T10:00:00Z", "10.0.0.1", "10.0.0.53", 53, "google.com"));
        docs.put("web", doc("2018-05-09T10:01:00Z", "10.0.0.1", "142.250.1.2", 443, "google.com"));
        docs.put("other", doc("2018-05-09T10:02:00Z", "192.168.0.1", "10.0.0.53", 53, "example.com"));
        // an extra column that is a number on one day and text on another (the template maps it per daily index)
        Map<String, Object> numberDay = new LinkedHashMap<>(doc("2018-05-07T10:00:00Z", "172.16.0.2", "172.16.0.53", 8080,
                "number.example"));
        numberDay.put("k", 5);
        numberDay.put("n", 7); // an extra column that is a number every day
        Map<String, Object> textDay = new LinkedHashMap<>(doc("2018-05-08T10:00:00Z", "172.16.0.3", "172.16.0.53", 8080,
                "text.example"));
        textDay.put("k", "k1");
        textDay.put("n", 8);
        docs.put("k-number", numberDay);
        docs.put("k-text", textDay);
        fixture.index(docs);
        api = new ApiCalls(new ApiHandler(Map.of("OPENSEARCH_URL", openSearch.uri().toString(), "INDEX_PREFIX",
                fixture.prefix)));
    }

    /** The message of the 400 bad_query q must answer (the unit tests pin the full texts; this, that they arrive). */
    private String message(String q) {
        JsonNode body = api.refused(q);
        assertThat(body.path("error").asText()).as(q).isEqualTo("bad_query");
        return body.path("message").asText();
    }

    private List<String> found(String q) {
        return api.found(q);
    }

    @Test
    void anOperatorGluedToATermSaysToPutSpacesAroundIt() throws Exception {
        JsonNode block = api.refused("srcIp:10.0.0.0/8&&dstPort:53");
        assertThat(block.path("error").asText()).isEqualTo("unknown_field"); // as srcIp:"10.0.0.0/8"&&dstPort:53
        assertThat(block.path("message").asText()).isEqualTo("field '&&dstPort' does not exist in any index: '&&' glued"
                + " to a field name is read as part of the name; write `&& dstPort` with spaces around the operator");
        assertThat(message("srcIp:10.0.0.1&&dstPort:53")).startsWith("q has '&&' glued to a term: Lucene reads"
                + " '10.0.0.1&&dstPort' as one term").contains("Put spaces around the operator: 10.0.0.1 && dstPort");
        // before: a 200 that searched the host "google.com&&" or any dstPort 53
        assertThat(message("host:google.com&& dstPort:53")).contains("'google.com&&' as one term");
        assertThat(found("srcIp:10.0.0.0/8 && dstPort:53")).containsExactly("dns");
        assertThat(found("srcIp:10.0.0.1 && dstPort:53")).containsExactly("dns");
    }

    @Test
    void anUnclosedGroupOrQuoteIsNamedWithWhereItIs() throws Exception {
        assertThat(message("host:(google.com")).startsWith("q has a '(' at position 6 that no ')' closes")
                .endsWith("e.g. host:(google.com)");
        assertThat(message("host:\"google.com")).startsWith("q has a quote (\") at position 6 that no quote closes")
                .contains("e.g. host:\"google.com\"");
        assertThat(message("dstPort:[1 TO 1023")).startsWith("q has a range '[' at position 9 that no ']' or '}'"
                + " closes");
        assertThat(message("uri:/index.html")).startsWith("q has a '/' at position 5 that starts a regular expression");
        assertThat(found("host:(google.com)")).containsExactlyInAnyOrder("dns", "web");
        assertThat(found("host:\"google.com\"")).containsExactlyInAnyOrder("dns", "web");
    }

    @Test
    void aValueThatIsNoNumberOnANumberFieldNamesTheField() throws Exception {
        assertThat(message("dstPort:abc")).startsWith("dstPort is an integer field: 'abc' is not a number");
        assertThat(message("bytesOut:[0 TO lots]")).startsWith("bytesOut is a long field: 'lots'");
        assertThat(found("dstPort:53")).containsExactlyInAnyOrder("dns", "other");
    }

    /**
     * The guard refuses a value on a number field only where OpenSearch refuses it too: each value, as a term and as a
     * phrase on an integer and a long field, sent to the engine directly (lenient: false, as the API sends it).
     */
    @Test
    void theGuardRefusesOnlyNumbersTheEngineRefusesToo() throws Exception {
        int refusedByBoth = 0;
        int leftToTheEngine = 0;
        int refusedAsNothing = 0;
        for (String value : List.of("abc", "0x50", "1.5", "1e3", "NaN", "Infinity", "1_000", "5d", "0b1", "1e400",
                "\u0661\u0662", "5.", ".5", "53", "-5", "+5", "", "5 ", "x5")) {
            for (String field : List.of("dstPort", "bytesIn")) {
                for (String q : List.of(field + ":\"" + value + "\"", field + ":" + value)) {
                    QueryGuard.Reading r;
                    try {
                        r = QueryGuard.read(q);
                    } catch (RuntimeException e) {
                        continue;
                    }
                    if (r.notANumber() == null) {
                        leftToTheEngine++;
                        continue;
                    }
                    if (r.notANumber().contains("is not a whole number")) { // the engine finds nothing: no error
                        refusedAsNothing++;
                        assertThat(engineStatus(q)).as(q).isEqualTo(200);
                        continue;
                    }
                    refusedByBoth++;
                    assertThat(engineStatus(q)).as(q).isEqualTo(400);
                }
            }
        }
        System.out.printf("number values: %d refused by the guard and the engine, %d by the guard as matching nothing"
                + " (a fraction: the engine's 200 with no hit), %d left to the engine%n", refusedByBoth,
                refusedAsNothing, leftToTheEngine);
        assertThat(refusedByBoth).isGreaterThan(10);
        assertThat(refusedAsNothing).isGreaterThan(3);
    }

    /** The status of {@code q} sent to the engine itself, with the settings the API sends. */
    private int engineStatus(String q) throws Exception {
        String body = json.writeValueAsString(Map.of("query", Map.of("query_string", Map.of("query", q,
                "default_field", "host", "lenient", false))));
        try {
            fixture.send("POST", "/" + fixture.prefix + "-*/_search", body, "application/json");
            return 200;
        } catch (IllegalStateException refused) {
            return refused.getMessage().contains("-> 400") ? 400 : 500;
        }
    }

    /**
     * An extra column that is a number on one day and text on another: before, {@code k:k1} was a 400 with only the
     * engine's "'k1' is not a number" (the text day's match lost with it: partial results are off) and {@code k:k*}
     * "Can only use prefix queries on keyword and text fields - not on [k] which is of type [long]"; now the 400 says
     * that k's type differs between daily indices, on which day k is text (from the daily index names the cached
     * {@code _field_caps} answer lists per type) and what to do, and what it says to do finds the text day's record.
     */
    @Test
    void aWordOnAColumnThatIsANumberOnSomeDaysSaysSo() throws Exception {
        String text = message("k:k1");
        assertThat(text).startsWith("q searches k for 'k1', which is no number, and k has different types in different"
                + " daily indices (keyword, long): it is a number on some days and text on others")
                .contains("Narrow from/to to days where k is text (2018-05-08: from=2018-05-08&to=2018-05-09), or"
                        + " search a number on it (k:5)");
        assertThat(message("k:k1 OR host:google.com")).startsWith("q searches k for 'k1'");
        assertThat(message("k:k*")).startsWith("q searches k for a wildcard, regular-expression or fuzzy term and k has"
                + " different types");
        assertThat(message("k:k*")).contains("where k is text (2018-05-08: from=2018-05-08&to=2018-05-09)");
        // what the message says to do: the day it names
        assertThat(SearchIndexFixture.ids(api.ok(Map.of("q", "k:k1", "from", "2018-05-08", "to", "2018-05-09"))))
                .containsExactly("k-text");
        assertThat(found("k:5")).containsExactly("k-number");
        // the engine's reason names no field: a word on n (a number every day) beside k is not blamed on k
        assertThat(message("k:k1 AND n:7")).startsWith("q searches k for 'k1'");
        assertThat(message("k:5 AND n:abc")).doesNotContain("q searches k").contains("'abc' is not a number");
        // a value mistake on a contract field in the same query is still named, not hidden by leniency
        assertThat(message("k:5 AND dstPort:1.5")).startsWith("dstPort is an integer field: '1.5' is not a whole"
                + " number");
    }

    /** {@code dstPort:1.5} was a 200 with nothing found; a range with decimal bounds means the whole numbers inside. */
    @Test
    void aDecimalOnAnIntegerFieldIsNamedAndARangeWithDecimalBoundsWorks() throws Exception {
        assertThat(message("dstPort:1.5")).isEqualTo("dstPort is an integer field: '1.5' is not a whole number, so it"
                + " would match nothing (every dstPort is one). Search a whole number (dstPort:53) or a range"
                + " (dstPort:[1 TO 1023])");
        assertThat(message("bytesIn:\"2000.5\"")).startsWith("bytesIn is a long field: '2000.5' is not a whole");
        assertThat(found("dstPort:[52.5 TO 53.5]")).containsExactlyInAnyOrder("dns", "other");
        assertThat(found("dstPort:53.0")).containsExactlyInAnyOrder("dns", "other");
        assertThat(found("dstPort:>442.5 AND dstPort:<8000")).containsExactly("web");
    }

    /** {@code a AND}, {@code a:b:c}, {@code proto:-1}: the parser's "Encountered …" before; now which and where. */
    @Test
    void anOperatorWithoutAClauseOrASecondColonIsNamed() throws Exception {
        assertThat(message("host:google.com AND")).startsWith("q ends with the operator AND (position 17), which has"
                + " nothing after it").endsWith("(host:google.com)");
        assertThat(message("host:google.com AND (dstPort:53 OR)")).startsWith("q has the operator OR at position 33");
        assertThat(message("host:google.com:443")).startsWith("q has a second colon at position 16")
                .contains("host:\"google.com:443\"");
        assertThat(message("proto:-1")).startsWith("q has '-' at position 7 right after proto");
        assertThat(message("proto:-1 AND x:y")).isEqualTo(message("proto:-1")); // the shortcut and the reading agree
        // before: the parser's "Encountered " "-" "- "" and "Encountered " ":" ": """
        assertThat(message("host:google.com AND NOT -dstPort:53")).startsWith("q has the operator NOT at position 21"
                + " right before the operator '-' at position 25").endsWith("(host:google.com AND NOT dstPort:53 or"
                + " host:google.com AND -dstPort:53)");
        assertThat(found("host:google.com AND NOT dstPort:53")).containsExactly("web"); // what it says to write
        assertThat(message("host:(google.com) :example.com")).startsWith("q has a colon at position 19 with no field"
                + " name before it");
        assertThat(found("-proto:6 AND host:google.com")).isEmpty(); // what it says to write: all are tcp
        assertThat(found("host:google.com")).containsExactlyInAnyOrder("dns", "web");
        // a comparison with a time: quotes after '>' do not work (the engine reads '>' alone as the date, "failed to
        // parse date field [>]"), so the message no longer advises timestamp:">…" but the escaped colons or a range
        assertThat(message("timestamp:>\"2018-05-09T10:00\"")).isEqualTo("q has timestamp:> before a quoted value:"
                + " Lucene takes no quotes after > and reads '>' alone as the value of timestamp, which is no date."
                + " Write the value without quotes, any colon in it escaped (timestamp:>2018-05-09T10\\:00), or a range,"
                + " whose bounds may have colons (timestamp:{2018-05-09T10:00 TO *])");
        assertThat(message("timestamp:>2018-05-09T10:00")).contains("escape the colons"
                + " (timestamp:>2018-05-09T10\\:00) or write a range, whose bounds may have colons"
                + " (timestamp:{2018-05-09T10:00 TO *]); quotes do not work after >");
        assertThat(found("timestamp:>2018-05-09T10\\:00")).containsExactlyInAnyOrder("web", "other");
        assertThat(found("timestamp:{2018-05-09T10:00 TO *]")).containsExactlyInAnyOrder("web", "other");
    }

    @Test
    void aPrefixLengthNoBlockHasIsNamed() throws Exception {
        String v4 = "q has 10.0.0.0/33, which is no CIDR block";
        assertThat(message("\"10.0.0.0/33\"")).startsWith(v4); // before: 200, 0 hits
        assertThat(message("10.0.0.0/33")).startsWith(v4); // before: a lexical error
        // on the field, the engine's own answer says it (left alone)
        assertThat(message("srcIp:\"10.0.0.0/33\"")).isEqualTo("Illegal prefix length [33] in [10.0.0.0/33]. Must be"
                + " 0-32 for IPv4 ranges, 0-128 for IPv6 ranges");
        assertThat(message("srcIp:10.0.0.0/33")).startsWith("Illegal prefix length [33] in [10.0.0.0/33]");
        assertThat(found("10.0.0.0/8")).containsExactlyInAnyOrder("dns", "web", "other");
    }
}
