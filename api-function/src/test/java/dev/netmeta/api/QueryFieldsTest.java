package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.model.Fields;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;

/**
 * The field names of {@code q} (docs/API.md, "Unknown fields"): which ones the guard's reading collects, which of them
 * are looked up, and the 400 {@code unknown_field} with its suggestion.
 */
class QueryFieldsTest {

    private static final QueryGuard GUARD = new QueryGuard(4096);

    private static List<String> read(String q) {
        return QueryGuard.read(q).fields();
    }

    private static List<String> toCheck(String q) {
        return GUARD.check(q).fieldsToCheck();
    }

    @Test
    void theReadingCollectsTheNamesTheParserReadsAsFields() {
        assertThat(read("srcip:10.0.0.1")).containsExactly("srcip");
        // the newcomer's query: '&&dstPort' is one term, so the field is '&&dstPort' and the AND is gone
        assertThat(read("srcIp:\"10.0.0.0/8\"&&dstPort:53")).containsExactly("srcIp", "&&dstPort");
        assertThat(read("srcIp:\"10.0.0.0/8\" && dstPort:53")).containsExactly("srcIp", "dstPort");
        assertThat(read("(user_agent:curl OR +ttl:[1 TO 5]) AND NOT srcIp:(a b)")).containsExactly("user_agent", "ttl", "srcIp");
        assertThat(read("srcIp : 10.0.0.1")).containsExactly("srcIp"); // whitespace before and after the colon
        // escapes removed, as the parser removes them
        assertThat(read("src\\ip:1 \\u0073rcip:2 a\\ b:3")).containsExactly("srcip", "srcip", "a b");
        // nothing in a phrase, a range bound or a regular expression is a field
        assertThat(read("host:\"a:b\" uri:[a:b TO c:d] host:/x:y/")).containsExactly("host", "uri", "host");
        // a colon after a field's value names nothing (the parser cannot read it: OpenSearch says so)
        assertThat(read("host:2001:db8::1")).containsExactly("host");
        // in a group a term has no field of its own: an unquoted IPv6 address's first group is read as one (on srcIp
        // or dstIp, its own field or its group's, the address is sent quoted: FieldedIpv6AddressTest)
        assertThat(read("host:(2001:db8::1)")).containsExactly("host", "2001");
        assertThat(read("srcIp:(2001:db8::1)")).containsExactly("srcIp");
        assertThat(read("AND:x *:y _exists_:srcip")).containsExactly("*", "_exists_");
        // a group's field is collected even when every term inside has a field of its own (the parser then uses it
        // for nothing): checking it too is harmless
        assertThat(read("a:(b:c)")).containsExactly("a", "b");
    }

    @Test
    void onlyNamesOutsideTheContractThatAreNoPatternsOrMetadataAreLookedUp() {
        assertThat(toCheck("srcip:10.0.0.1")).containsExactly("srcip");
        assertThat(toCheck("srcIp:\"10.0.0.0/8\"&&dstPort:53")).containsExactly("&&dstPort");
        assertThat(toCheck("user_agent:curl OR ttl:5 OR user_agent:wget")).containsExactly("user_agent", "ttl");
        // OpenSearch expands * alone in a field name: a ? is part of the name, which no index has (0 hits, silently)
        assertThat(toCheck("dst\\?ort:5")).containsExactly("dst?ort");
        for (String q : List.of("srcIp:10.0.0.1 AND host:google.com", "sourceFile:\"raw/a.csv\" AND sourceRecord:[0 TO 9]",
                "sourceVersion:abc", "*:*", "_exists_:ttl", "_id:abc", "_index:metadata-2018.05.09", "src\\*:x",
                "google.com", "", "srcIp:10.0.0.0/8 AND dstPort:[0 TO 1023]", "host:mail.goo*")) {
            assertThat(toCheck(q)).as(q).isEmpty();
        }
    }

    @Test
    void theShortcutForContractOnlyQueriesAgreesWithTheReading() {
        // the api benchmark's queries are decided without reading q (but its CIDR one, read for its '/')
        for (String q : List.of("srcIp:127.0.0.1 AND host:google.com", "host:mail.goo*", "(host:a OR\tdstPort:1)",
                "google.com")) {
            assertThat(QueryGuard.onlyContractFields(q)).as(q).isTrue();
            assertThat(QueryGuard.needsNoReading(q)).as(q).isTrue();
        }
        assertThat(QueryGuard.needsNoReading("srcIp:10.0.0.0/8 AND dstPort:[0 TO 1023]")).isFalse();
        for (String q : List.of("srcip:1", "x-srcIp:1", "a\\ srcIp:1", "&&dstPort:1", "srcIp :1", "*:*",
                "host:\"a:b\"")) {
            assertThat(QueryGuard.onlyContractFields(q)).as(q).isFalse();
        }
        // generated queries: whenever the shortcut says "contract fields only", the reading finds no other field
        String[] pieces = {"srcIp", "host", "srcip", "a", ":", ":", " ", "(", ")", "\"", "[", "]", " TO ", "&&", "||",
                "\\", "\\ ", "-", "+", "!", "*", "/", "~", "^2", "\t", "x-", "_id"};
        int shortcut = 0;
        for (String q : LuceneOracle.randomQueries(11, pieces, 10, 100_000)) {
            if (QueryGuard.onlyContractFields(q)) {
                shortcut++;
                for (String f : read(q)) {
                    assertThat(Fields.isCanonical(f)).as(q + " reads field " + f).isTrue();
                }
            }
        }
        assertThat(shortcut).isGreaterThan(1_000);
    }

    @Test
    void theReadingFindsTheFieldsLucenesParserFinds() {
        String[] pieces = {"host", "srcip", "a", "_id", "\\_id", "&&x", "||y", "x", "1", ":", ":", " ", " ", "(", ")",
                "\"", "\"", "/", "\\", "\\:", "\\ ", "[", "]", "{", "}", " TO ", " OR ", " AND ", "+", "-", "!", "^2",
                "~", "*", "?", "\t", "&&", "2001:db8::1"};
        int compared = 0;
        int withFields = 0;
        for (String q : LuceneOracle.randomQueries(5, pieces, 12, 200_000)) {
            Set<String> expected = luceneFields(q);
            if (expected == null) {
                continue; // the parser refuses it: so does OpenSearch, whatever the guard read
            }
            compared++;
            withFields += expected.isEmpty() ? 0 : 1;
            assertThat(new LinkedHashSet<>(read(q))).as(q).isEqualTo(expected);
        }
        assertThat(compared).isGreaterThan(5_000);
        assertThat(withFields).isGreaterThan(1_000);
    }

    /** The fields of the queries Lucene's classic parser builds for q (not its default field), or null if it fails. */
    private static Set<String> luceneFields(String query) {
        Set<String> found = new LinkedHashSet<>();
        String defaultField = "\u0000default";
        QueryParser parser = new QueryParser(defaultField, new StandardAnalyzer()) {
            private Query record(String field) {
                if (!field.equals(defaultField)) {
                    found.add(field);
                }
                return new TermQuery(new Term(field, "x"));
            }

            @Override
            protected Query getFieldQuery(String field, String text, boolean quoted) {
                return record(field);
            }

            @Override
            protected Query getFieldQuery(String field, String text, int slop) {
                return record(field);
            }

            @Override
            protected Query getRangeQuery(String field, String a, String b, boolean i, boolean j) {
                return record(field);
            }

            @Override
            protected Query getWildcardQuery(String field, String text) {
                return record(field);
            }

            @Override
            protected Query getPrefixQuery(String field, String text) {
                return record(field);
            }

            @Override
            protected Query getFuzzyQuery(String field, String text, float similarity) {
                return record(field);
            }

            @Override
            protected Query getRegexpQuery(String field, String text) {
                return record(field);
            }
        };
        parser.setAllowLeadingWildcard(true);
        return LuceneOracle.parses(parser, query) ? found : null;
    }

    /** A backend that knows some extra fields, counts its lookups and finds nothing. */
    private static final class Known implements SearchBackend {
        final Set<String> fields;
        final List<List<String>> lookups = new ArrayList<>();
        final List<BackendQuery> queries = new ArrayList<>();

        Known(String... fields) {
            this.fields = fields == null ? null : Set.of(fields);
        }

        @Override
        public Set<String> existingFields(List<String> names) {
            lookups.add(names);
            if (fields == null) {
                return null;
            }
            Set<String> out = new LinkedHashSet<>(names);
            out.retainAll(fields);
            return out;
        }

        @Override
        public SearchPage search(BackendQuery query) {
            queries.add(query);
            return new SearchPage(0, true, 1, false, List.of());
        }

        @Override
        public int tiebreakerValues() {
            return 2;
        }
    }

    /**
     * q=12:30 got "an IPv6 address must be quoted, e.g. srcIp:\"2001:db8::1\"": 12 looks like an address's first group,
     * but 12:30 is no address (quoted on srcIp it fails as "not an IP string literal"). That advice now comes only
     * when the text where the name is read is an IPv6 address or block; else the generic text and how to search it.
     */
    @Test
    void theAdviceToQuoteAnIpv6AddressComesOnlyWhereTheTextIsOne() {
        Known backend = new Known("ttl");
        String generic = "field '12' does not exist in any index (field names are case-sensitive; every index has"
                + " timestamp, srcIp";
        assertThat(refusalIn(backend, "12:30", "12")).startsWith(generic).endsWith("); a colon after a word makes it"
                + " a field name: to search the text 12:30, quote it (\"12:30\") or escape the colon (12\\:30)")
                .doesNotContain("IPv6");
        assertThat(refusalIn(backend, "host:a AND (2001:zz OR b)", "2001")).doesNotContain("IPv6")
                .endsWith("to search the text 2001:zz, quote it (\"2001:zz\") or escape the colon (2001\\:zz)");
        assertThat(refusalIn(backend, "2001:db8:1", "2001")).doesNotContain("IPv6");
        // a name of fields, not in q: the generic text alone
        assertThat(refusalIn(backend, "", "2001")).startsWith("field '2001' does not exist in any index (field names")
                .doesNotContain("IPv6").doesNotContain("colon");
        // a colon already escaped is not escaped twice
        assertThat(refusalIn(backend, "12:30\\:45", "12")).endsWith("quote it (\"12:30\\:45\") or escape the colon"
                + " (12\\:30\\:45)");
        // an address (escaped after its first group — the one form q's other guards let reach this check —, fuzzy,
        // with a zone, a wildcard, a block with a slop): the advice as before
        for (String q : List.of("2001:db8\\:\\:1", "fe80:\\:1", "2001:db8::1~", "fe80::1%eth0", "host:a OR 2001:db8::*",
                "2001:db8::/32~1")) {
            String name = q.substring(q.startsWith("host") ? 10 : 0).split(":")[0];
            assertThat(refusalIn(backend, q, name)).as(q).contains("an IPv6 address must be quoted");
        }
    }

    private static String refusalIn(SearchBackend backend, String query, String... names) {
        try {
            UnknownFields.check(backend, List.of(names), List.of(), query, () -> Long.MAX_VALUE);
        } catch (ApiException e) {
            assertThat(e.code()).isEqualTo("unknown_field");
            return e.getMessage();
        }
        return null;
    }

    private static String refusal(SearchBackend backend, String... names) {
        try {
            UnknownFields.check(backend, List.of(names));
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("unknown_field");
            return e.getMessage();
        }
        return null;
    }

    @Test
    void aNameNoIndexHasIsA400WithTheSpellingMeant() {
        Known backend = new Known("user_agent", "ttl");
        assertThat(refusal(backend, "srcip")).isEqualTo("field 'srcip' does not exist in any index; did you mean"
                + " 'srcIp'? (field names are case-sensitive)");
        assertThat(refusal(backend, "&&dstPort")).isEqualTo("field '&&dstPort' does not exist in any index: '&&' glued"
                + " to a field name is read as part of the name; write `&& dstPort` with spaces around the operator");
        assertThat(refusal(backend, "||dstport")).contains("write `|| dstPort`");
        assertThat(refusal(backend, "!ttl")).contains("write `! ttl`");
        assertThat(refusal(backend, "-SourceFile")).contains("write `- sourceFile`");
        // an extra column: its lower-cased spelling is asked for in the same lookup
        assertThat(refusal(backend, "User_Agent")).isEqualTo("field 'User_Agent' does not exist in any index; did you"
                + " mean 'user_agent'? (field names are case-sensitive)");
        assertThat(refusalIn(backend, "2001:db8::1~", "2001")).contains("an IPv6 address must be quoted");
        assertThat(refusal(backend, "colour")).startsWith("field 'colour' does not exist in any index (field names are"
                + " case-sensitive; every index has timestamp, srcIp, dstIp");
        assertThat(refusal(backend, "srcip", "ttl", "colour", "Ttl")).endsWith("(no index has 'colour', 'Ttl' either)");
        // names some index has pass
        assertThat(refusal(backend, "user_agent", "ttl")).isNull();
    }

    @Test
    void oneLookupAnswersForTheNamesAndTheirVariants() {
        Known backend = new Known("ttl");
        refusal(backend, "ttl", "&&User_agent", "srcip");
        assertThat(backend.lookups).containsExactly(List.of("ttl", "&&User_agent", "srcip", "User_agent", "user_agent"));
    }

    @Test
    void whenTheLookupCannotAnswerTheSearchRunsUnchecked() {
        assertThat(refusal(new Known((String[]) null), "srcip")).isNull();
        // the OpenSearch backend answers null when its _field_caps request fails (here: no client at all)
        assertThat(new OpenSearchSearchBackend(null, "metadata", new ObjectMapper()).existingFields(List.of("srcip")))
                .isNull();
    }

    @Test
    void theApiAnswers400UnknownFieldAndLooksNothingUpForContractFields() throws Exception {
        Known backend = new Known("ttl");
        ObjectMapper json = new ObjectMapper();
        SearchApi api = ApiFactory.create(backend, json, ApiSettings.from(Map.of("OPENSEARCH_URL", "http://127.0.0.1:9")),
                new PrintStream(new ByteArrayOutputStream()));
        APIGatewayProxyResponseEvent r = api.handle(get("srcip:10.0.0.1"));
        assertThat(r.getStatusCode()).isEqualTo(400);
        JsonNode body = json.readTree(r.getBody());
        assertThat(body.path("error").asText()).isEqualTo("unknown_field");
        assertThat(body.path("message").asText()).contains("did you mean 'srcIp'");
        assertThat(backend.queries).isEmpty(); // no search was sent
        assertThat(api.handle(get("ttl:5 AND srcIp:10.0.0.1")).getStatusCode()).isEqualTo(200);
        backend.lookups.clear();
        for (String q : List.of("srcIp:127.0.0.1 AND host:google.com", "srcIp:10.0.0.0/8 AND dstPort:[0 TO 1023]",
                "host:mail.goo*", "*:*", "_exists_:ttl")) {
            assertThat(api.handle(get(q)).getStatusCode()).as(q).isEqualTo(200);
        }
        assertThat(backend.lookups).isEmpty();
    }

    private static APIGatewayProxyRequestEvent get(String q) {
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/metadata/search")
                .withQueryStringParameters(Map.of("q", q));
    }
}
