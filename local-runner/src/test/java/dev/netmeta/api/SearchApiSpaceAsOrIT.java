package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.doc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * "A space means OR" (docs/API.md), against the embedded OpenSearch. OpenSearch's {@code query_string} does not split
 * on whitespace: a run of plain terms that starts a clause reaches the field as one text, which no field of the data
 * contract splits — {@code google.com example.com} and {@code host:(google.com example.com)} answered 200 with 0 hits,
 * {@code dstPort:(53 443)} "'53 443' is not a number", {@code srcIp:(10.0.0.1 10.0.0.2)} "not an IP string literal".
 * The first test pins which forms the engine merges, sending the query_string straight to it; the others, that through
 * the api each form finds what the same query with OR between its terms finds.
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiSpaceAsOrIT {

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private URI openSearch;
    private SearchIndexFixture fixture;
    private ApiCalls api;
    private ApiCalls longQueries;

    @BeforeAll
    void indexDocuments(OpenSearchEndpoint endpoint) throws Exception {
        openSearch = endpoint.uri();
        fixture = new SearchIndexFixture(openSearch, "space-" + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        docs.put("dns", extra(doc("2018-05-09T10:00:00Z", "10.0.0.1", "10.0.0.53", 53, "google.com"), "dns", 1));
        docs.put("web", extra(doc("2018-05-09T10:01:00Z", "10.0.0.2", "142.250.1.2", 443, "example.com"), "web", 2));
        docs.put("mail", extra(doc("2018-05-10T10:02:00Z", "192.168.0.1", "10.0.0.53", 25, "mail.google.com"), "smtp",
                3));
        docs.put("v6", extra(doc("2018-05-10T10:03:00Z", "2001:db8::1", "2001:db8::53", 80, "ipv6.example"), "web", 4));
        fixture.index(docs);
        Map<String, String> env = Map.of("OPENSEARCH_URL", openSearch.toString(), "INDEX_PREFIX", fixture.prefix);
        api = new ApiCalls(new ApiHandler(env));
        Map<String, String> longEnv = new LinkedHashMap<>(env);
        longEnv.put("MAX_QUERY_LENGTH", "100000");
        longQueries = new ApiCalls(new ApiHandler(longEnv));
    }

    /** Extra columns outside the contract, as the loader writes them: {@code app} a keyword, {@code n} a long. */
    private static Map<String, Object> extra(Map<String, Object> doc, String app, int n) {
        Map<String, Object> d = new LinkedHashMap<>(doc);
        d.put("app", app);
        d.put("n", n);
        return d;
    }

    /**
     * The engine alone (the api's query_string settings, q sent as typed): which forms it merges. A merged form finds
     * nothing or fails where the same query with OR finds documents; the others read as with OR already.
     */
    @Test
    void theEngineMergesARunOfPlainTermsThatStartsAClause() throws Exception {
        // merged: 0 hits where OR finds documents, or the field refuses the joined text
        assertThat(engine("google.com example.com")).isEqualTo("[]");
        assertThat(engine("google.com OR example.com")).isEqualTo("[dns, web]");
        assertThat(engine("host:(google.com example.com)")).isEqualTo("[]");
        assertThat(engine("host:google.com example.com mail.google.com")).isEqualTo("[dns]"); // the last two merged
        assertThat(engine("+dstPort:53 example.com mail.google.com")).isEqualTo("[dns]");
        assertThat(engine("dstPort:53 -dstPort:443 example.com mail.google.com")).isEqualTo("[dns]");
        assertThat(engine("google.com example.com NOT dstPort:53")).isEqualTo("[]");
        assertThat(engine("app:(web smtp)")).isEqualTo("[]");
        assertThat(engine("dstPort:(53 443)")).startsWith("400").contains("For input string: \\\"53 443\\\"");
        assertThat(engine("n:(1 2)")).startsWith("400").contains("1 2");
        assertThat(engine("srcIp:(10.0.0.1 10.0.0.2)")).startsWith("400").contains("not an IP string literal");
        assertThat(engine("timestamp:(1525860000000 1525946520000)")).startsWith("400")
                .contains("failed to parse date field [1525860000000 1525946520000]");
        // not merged: a single term after a fielded or modified one, a run whose second term is followed by OR, AND,
        // a boost or a fuzzy slop, a prefix term, a phrase, a group
        assertThat(engine("host:google.com example.com")).isEqualTo("[dns, web]");
        assertThat(engine("+host:google.com example.com")).isEqualTo("[dns]");
        assertThat(engine("example.com -dstPort:53")).isEqualTo(engine("example.com OR -dstPort:53")).isEqualTo("[web]");
        assertThat(engine("google.com example.com OR ipv6.example")).isEqualTo("[dns, v6, web]");
        assertThat(engine("google.com example.com^2")).isEqualTo("[dns, web]");
        assertThat(engine("google.com mail.goo*")).isEqualTo("[dns, mail]");
        assertThat(engine("google.com \"example.com\"")).isEqualTo("[dns, web]");
        assertThat(engine("(google.com) (example.com)")).isEqualTo("[dns, web]");
        // an OR after a required clause leaves it required with default_operator or (only the AND operator makes
        // the clause before an OR optional): what the rewrite relies on
        assertThat(engine("+dstPort:53 OR host:example.com")).isEqualTo(engine("+dstPort:53 host:example.com"))
                .isEqualTo("[dns]");
        assertThat(engine("-dstPort:53 OR host:example.com")).isEqualTo(engine("-dstPort:53 host:example.com"))
                .isEqualTo("[web]");
    }

    /**
     * Through the api: each form with a space finds what the same query with OR between the terms a space separates
     * finds (sent straight to the engine), and the forms that were merged now find documents.
     */
    @Test
    void everyFormWithASpaceFindsWhatItsOrFormFinds() throws Exception {
        String[][] forms = {
            {"google.com example.com", "google.com OR example.com"},
            {"google.com example.com mail.google.com", "google.com OR example.com OR mail.google.com"},
            {"host:(google.com example.com)", "host:(google.com OR example.com)"},
            {"host:google.com example.com mail.google.com", "host:google.com OR example.com OR mail.google.com"},
            {"host:google.com example.com", "host:google.com OR example.com"},
            {"+dstPort:53 example.com mail.google.com", "+dstPort:53 example.com OR mail.google.com"},
            {"+google.com example.com", "+google.com OR example.com"},
            {"google.com -dstPort:53 example.com mail.google.com", "google.com -dstPort:53 example.com OR mail.google.com"},
            {"NOT dstPort:53 google.com example.com", "NOT dstPort:53 google.com OR example.com"},
            {"google.com example.com AND dstPort:443", "google.com OR example.com AND dstPort:443"},
            {"google.com example.com OR ipv6.example", "google.com OR example.com OR ipv6.example"},
            {"google.com example.com NOT dstPort:53", "google.com OR example.com NOT dstPort:53"},
            {"google.com example.com^2 ipv6.example", "google.com OR example.com^2 OR ipv6.example"},
            {"google.com example.co~ ipv6.example", "google.com OR example.co~ OR ipv6.example"},
            {"google.com mail.goo* example.com", "google.com OR mail.goo* OR example.com"},
            {"google.com \"example.com\" ipv6.example", "google.com OR \"example.com\" OR ipv6.example"},
            {"(google.com example.com) AND dstPort:53", "(google.com OR example.com) AND dstPort:53"},
            {"proto:(tcp udp) AND host:(example.com ipv6.example)", "proto:(tcp OR udp) AND host:(example.com OR ipv6.example)"},
            {"app:(web smtp)", "app:(web OR smtp)"},
            {"dstPort:(53 443)", "dstPort:(53 OR 443)"},
            {"srcPort:(50000 1)", "srcPort:(50000 OR 1)"},
            {"n:(1 3)", "n:(1 OR 3)"},
            {"bytesOut:(100 7)", "bytesOut:(100 OR 7)"},
            {"srcIp:(10.0.0.1 10.0.0.2)", "srcIp:(10.0.0.1 OR 10.0.0.2)"},
            {"srcIp:(10.0.0.1 \"2001:db8::1\" 192.168.0.0/16)", "srcIp:(10.0.0.1 OR \"2001:db8::1\" OR \"192.168.0.0/16\")"},
            {"timestamp:(1525860000000 1525946520000)", "timestamp:(1525860000000 OR 1525946520000)"},
            {"10.0.0.1 google.com example.com",
                "(host:10.0.0.1 OR srcIp:10.0.0.1 OR dstIp:10.0.0.1) OR google.com OR example.com"},
            {"dstPort:(53 (443 25))", "dstPort:(53 OR (443 OR 25))"},
        };
        for (String[] form : forms) {
            String typed = form[0];
            List<String> found = new ArrayList<>(api.found(typed));
            found.sort(null);
            String withOr = engine(form[1]);
            assertThat(withOr).as(form[1]).startsWith("[").isNotEqualTo("[]");
            assertThat(found.toString()).as(typed).isEqualTo(withOr);
        }
    }

    /**
     * The cursor's fingerprint is of the query as sent, the same for every page of the same q: paging through a run
     * sent with OR finds each document once.
     */
    @Test
    void aRunSentWithOrPagesThroughEveryHit() {
        List<String> pages = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> params = new LinkedHashMap<>(Map.of("q",
                    "host:(google.com example.com mail.google.com ipv6.example)", "size", "1"));
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            JsonNode body = api.ok(params);
            pages.addAll(SearchIndexFixture.ids(body));
            cursor = body.path("next").isNull() || body.path("next").isMissingNode() ? null : body.path("next").asText();
        } while (cursor != null && pages.size() < 10);
        assertThat(pages).containsExactlyInAnyOrder("dns", "web", "mail", "v6");
    }

    /** Where the api had to refuse: an error still names what is wrong, and what was sent. */
    @Test
    void aRefusedQuerySaysTheSpacesWereSentAsOr() throws Exception {
        JsonNode body = api.refused("dstPort:(53 abc)");
        assertThat(body.path("message").asText()).contains("abc");
        String sentNote = api.refused("google.com example.com AND x^").path("message").asText();
        assertThat(sentNote).contains("(q was sent as google.com OR example.com AND x^")
                .contains(QueryGuard.SPACES_AS_OR);
    }

    /**
     * A flat list of more values than one boolean query takes: before, 1,030 words separated by spaces were one keyword
     * (200, 0 hits); now they are 1,030 clauses, which the engine refuses as it refuses them with OR, a 400 that says
     * so. A list within 1,024 clauses that the engine counts as more (a term on an IP field is two of its clauses) is
     * refused only when searched (the engine's HTTP 500 too_many_nested_clauses): a 400 too, with OR as with spaces.
     */
    @Test
    void aListOfMoreClausesThanTheEngineTakesIsRefusedAsItsOrForm() {
        StringBuilder words = new StringBuilder();
        StringBuilder addresses = new StringBuilder("srcIp:(");
        for (int i = 0; i < 1030; i++) {
            words.append(i == 0 ? "" : " ").append("w").append(i).append(".example");
            if (i < 513) {
                addresses.append(i == 0 ? "" : " ").append("10.1.").append(i / 256).append('.').append(i % 256);
            }
        }
        APIGatewayProxyResponseEvent list = longQueries.call(words.toString());
        assertThat(list.getStatusCode()).as(list.getBody()).isEqualTo(400);
        assertThat(list.getBody()).contains("q has more clauses than the search engine takes in one query (at most"
                + " 1024");
        // the engine's quote of the sent query is cut: the note says that OR and that length were the API's
        assertThat(list.getBody()).contains("(q was sent as w0.example OR w1.example OR").contains(" characters): the"
                + " API puts OR between terms a space separates (a b as a OR b)");
        APIGatewayProxyResponseEvent orList = longQueries.call(words.toString().replace(" ", " OR "));
        assertThat(orList.getStatusCode()).isEqualTo(400);
        APIGatewayProxyResponseEvent ips = longQueries.call(addresses.append(')').toString());
        // 513 addresses pass the parser (one clause each there) and fail the search (two each on an IP field): the
        // engine's HTTP 500 is the user's query, a 400 that says so — no longer a 502
        assertThat(ips.getStatusCode()).as(ips.getBody()).isEqualTo(400);
        assertThat(ips.getBody()).contains("q has more clauses than the search engine takes in one search (at most 1024,"
                + " counted over the whole query");
        assertThat(longQueries.call(addresses.toString().replace(" ", " OR ")).getStatusCode()).isEqualTo(400);
    }

    /**
     * The hits' ids (sorted, as a list's text) of q sent straight to the engine with the api's query_string settings,
     * or the status and body when the engine refuses it.
     */
    private String engine(String q) throws IOException, InterruptedException {
        Map<String, Object> queryString = new LinkedHashMap<>();
        queryString.put("query", q);
        queryString.put("default_field", OpenSearchSearchBackend.DEFAULT_FIELD);
        queryString.put("default_operator", "or");
        queryString.put("allow_leading_wildcard", false);
        queryString.put("lenient", false);
        queryString.put("analyze_wildcard", false);
        queryString.put("fuzzy_prefix_length", 1);
        String body = json.writeValueAsString(Map.of("size", 100, "query", Map.of("query_string", queryString)));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(openSearch.resolve("/" + fixture.prefix + "/_search"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return r.statusCode() + " " + r.body();
        }
        TreeSet<String> ids = new TreeSet<>();
        json.readTree(r.body()).path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
        return new ArrayList<>(ids).toString();
    }
}
