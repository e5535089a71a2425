package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * An unknown field name's error suggests the field of any index meant (docs/API.md, Guards, "Unknown fields"): in
 * another case ({@code flow_duration} → {@code Flow_Duration}), a few edits away, or written with a space
 * ({@code Flow Duration:5} reads the field {@code Duration}; {@code sort=Flow Duration}) — from every field name of the
 * indices, asked for on the error path only and only within the request's time left.
 */
class FieldSuggestionsTest {

    /** The extra columns of the local runner's samples that matter here, besides the contract's fields. */
    private static final Set<String> INDEXED = new TreeSet<>(List.of("Flow_Duration", "Tot_Fwd_Pkts", "Fwd_Pkts_s",
            "user_agent", "ttl", "Label", "Flow_Bytes_s"));

    /** A backend with some extra columns: counts its lookups and the budgets it was given. */
    private static class Indexed implements SearchBackend {
        final Set<String> fields;
        final List<List<String>> lookups = new ArrayList<>();
        final List<Long> budgets = new CopyOnWriteArrayList<>();
        final List<String> askedAgain = new CopyOnWriteArrayList<>();
        final List<BackendQuery> queries = new ArrayList<>();
        Runnable onLookup = () -> { };
        boolean answersFieldNames = true;

        Indexed(Set<String> fields) {
            this.fields = fields;
        }

        @Override
        public Set<String> existingFields(List<String> names) {
            lookups.add(names);
            onLookup.run();
            Set<String> out = new LinkedHashSet<>(names);
            out.retainAll(fields);
            return out;
        }

        /** The backend asked again for names the list has: what the engine says now (the list was newer). */
        @Override
        public Set<String> existingFields(List<String> names, long budgetMs) {
            askedAgain.add(names + " within " + budgetMs);
            Set<String> out = new LinkedHashSet<>(names);
            out.retainAll(fields);
            return out;
        }

        @Override
        public Set<String> fieldNames(long budgetMs) {
            budgets.add(budgetMs);
            return answersFieldNames ? fields : null;
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

    private static String refusal(SearchBackend backend, String query, String... names) {
        try {
            UnknownFields.check(backend, List.of(names), List.of(), query, () -> 5_000);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("unknown_field");
            return e.getMessage();
        }
        return null;
    }

    @Test
    void aNameInAnotherCaseSuggestsTheColumnOfAnyIndex() {
        Indexed backend = new Indexed(INDEXED);
        for (String name : List.of("flow_duration", "flow_Duration", "FLOW_DURATION")) {
            assertThat(refusal(backend, name + ":>5", name)).isEqualTo("field '" + name + "' does not exist in any"
                    + " index; did you mean 'Flow_Duration'? (field names are case-sensitive)");
        }
        assertThat(refusal(backend, "&&flow_duration:>5", "&&flow_duration")).contains("write `&& Flow_Duration`");
        // a few edits away: a typo, also of a contract field (two neighbours swapped)
        // "(field names are case-sensitive)" only where the case is the mistake: a near spelling needs no note
        assertThat(refusal(backend, "Flow_Duraton:1", "Flow_Duraton")).isEqualTo("field 'Flow_Duraton' does not exist"
                + " in any index; did you mean 'Flow_Duration'?");
        assertThat(refusal(backend, "scrIp:1", "scrIp")).isEqualTo("field 'scrIp' does not exist in any index; did"
                + " you mean 'srcIp'?");
        assertThat(UnknownFields.sortRefusal("timestmap", "timestamp")).isEqualTo("cannot sort by 'timestmap': no daily"
                + " index has this field; did you mean 'timestamp'?");
        assertThat(UnknownFields.sortRefusal("timeStamp", "timestamp")).endsWith("did you mean 'timestamp'? (field"
                + " names are case-sensitive)");
        assertThat(returnRefusal(backend, "Flow_Duraton")).isEqualTo("fields names 'Flow_Duraton', which no daily"
                + " index has; did you mean 'Flow_Duration'?");
        assertThat(refusal(backend, "tot_fwd_pkt:1", "tot_fwd_pkt")).contains("did you mean 'Tot_Fwd_Pkts'?");
        // nothing near: the list of the contract's fields, as before
        assertThat(refusal(backend, "colour:red", "colour")).startsWith("field 'colour' does not exist in any index"
                + " (field names are case-sensitive; every index has timestamp, srcIp");
        assertThat(refusal(backend, "abc:1", "abc")).as("too short to guess").doesNotContain("did you mean");
    }

    @Test
    void aColumnWrittenWithASpaceSuggestsItsUnderscoreSpelling() {
        Indexed backend = new Indexed(INDEXED);
        assertThat(refusal(backend, "Flow Duration:>5", "Duration")).isEqualTo("field 'Duration' does not exist in any"
                + " index; did you mean 'Flow_Duration'? (a space ends a field name in q: the loader writes the column"
                + " 'Flow Duration' as Flow_Duration)");
        assertThat(refusal(backend, "flow duration :>5", "duration")).contains("did you mean 'Flow_Duration'?")
                .contains("the column 'flow duration' as Flow_Duration");
        assertThat(refusal(backend, "proto:tcp AND (Tot Fwd Pkts:>1)", "Pkts")).contains("did you mean"
                + " 'Tot_Fwd_Pkts'?");
        // an alias of a contract field: no lookup needed
        Indexed quiet = new Indexed(INDEXED);
        assertThat(refusal(quiet, "Src IP:10.0.0.1", "IP")).contains("did you mean 'srcIp'? (a space ends a field"
                + " name in q: the loader maps the column 'Src IP' to the field srcIp)"); // an alias, as in sort
        assertThat(quiet.budgets).isEmpty();
        // an operator is no word of a column's name
        assertThat(UnknownFields.wordsBefore("a AND Duration:5", "Duration")).isEmpty();
        assertThat(UnknownFields.wordsBefore("host:a Flow Duration:5", "Duration")).containsExactly("Flow");
        assertThat(UnknownFields.wordsBefore("x Tot Fwd Pkts:5", "Pkts")).containsExactly("x", "Tot", "Fwd");
        assertThat(UnknownFields.wordsBefore("Duration:5", "Duration")).isEmpty();
    }

    /**
     * A source's own column name in q (newcomer9, 2): an alias the loader maps to a contract field suggests that field
     * with the alias as the reason, without a lookup of every name; a name with characters the loader writes as _
     * ({@code alert.signature}) suggests the safe name when some index has it, found by the first lookup.
     */
    @Test
    void aSourceColumnNameSuggestsTheFieldTheLoaderMapsOrWritesItAs() {
        Indexed backend = new Indexed(new TreeSet<>(List.of("alert_signature", "Flow_Duration", "dns_rrtype")));
        for (String[] c : new String[][]{{"query", "host"}, {"server_name", "host"}, {"sni", "host"},
                {"id.orig_h", "srcIp"}, {"id.resp_p", "dstPort"}, {"dest_ip", "dstIp"}, {"ts", "timestamp"},
                {"Protocol", "proto"}, {"dst_port", "dstPort"}, {"src_ip", "srcIp"}, {"dns.rrname", "host"}}) {
            assertThat(refusal(backend, c[0] + ":x", c[0])).as(c[0]).isEqualTo("field '" + c[0] + "' does not exist"
                    + " in any index; did you mean '" + c[1] + "'? (the loader maps the column '" + c[0]
                    + "' to the field " + c[1] + ")");
        }
        assertThat(backend.budgets).as("an alias needs no lookup of every name").isEmpty();
        assertThat(refusal(backend, "alert.signature:\"ET TEST\"", "alert.signature")).isEqualTo("field"
                + " 'alert.signature' does not exist in any index; did you mean 'alert_signature'? (the loader writes"
                + " the column 'alert.signature' as alert_signature: a character other than a letter, a digit, _ or -"
                + " becomes _)");
        assertThat(backend.lookups.get(backend.lookups.size() - 1)).as("asked in the same lookup")
                .contains("alert.signature", "alert_signature");
        assertThat(backend.budgets).as("found by the first lookup").isEmpty();
        assertThat(refusal(backend, "DNS.RRTYPE:A", "DNS.RRTYPE")).contains("did you mean 'dns_rrtype'? (the loader"
                + " writes the column 'DNS.RRTYPE' as dns_rrtype");
        // no index has the safe name: no suggestion of a field that does not exist
        assertThat(refusal(backend, "alert.category:x", "alert.category")).doesNotContain("did you mean");
        // glued to an operator, the alias too
        assertThat(refusal(backend, "&&query:x", "&&query")).contains("write `&& host`");
        // a sort key that is an alias: the reason is the alias, not the case
        assertThatThrownBy(() -> UnknownFields.check(backend, List.of(), List.of("dst_port"), "", () -> 5_000))
                .hasMessage("cannot sort by 'dst_port': no daily index has this field; did you mean 'dstPort'? (the"
                        + " loader maps the column 'dst_port' to the field dstPort)");
    }

    @Test
    void everyNameIsAskedForOnlyOnTheErrorPathOnceAndWithinTheTimeLeft() {
        Indexed backend = new Indexed(INDEXED);
        // names an index has, and an unknown one the first lookup already answers (contract case, lower case)
        assertThat(refusal(backend, "ttl:5 AND user_agent:x", "ttl", "user_agent")).isNull();
        assertThat(refusal(backend, "srcip:1", "srcip")).contains("did you mean 'srcIp'");
        assertThat(refusal(backend, "TTL:1", "TTL")).contains("did you mean 'ttl'");
        assertThat(backend.budgets).as("no lookup of every name").isEmpty();
        // needed: once per request, with the time the request has left
        AtomicLong now = new AtomicLong(1_000);
        backend.onLookup = () -> now.addAndGet(3_000); // the first lookup took 3 s
        assertThatThrownBy(() -> UnknownFields.check(backend, List.of("flow_duration", "flow_bytes"), List.of(),
                "flow_duration:1 flow_bytes:2", () -> 10_000 - (now.get() - 1_000)))
                .hasMessageContaining("did you mean 'Flow_Duration'");
        assertThat(backend.budgets).containsExactly(7_000L);
        // the lookup cannot answer (no time left, a slow or busy engine): the 400 without a suggestion
        backend.budgets.clear();
        backend.answersFieldNames = false;
        assertThat(refusal(backend, "flow_duration:1", "flow_duration")).startsWith("field 'flow_duration' does not"
                + " exist in any index (field names are case-sensitive; every index has");
        assertThat(refusal(backend, "scrIp:1", "scrIp")).as("the contract's fields need no lookup")
                .contains("did you mean 'srcIp'?");
    }

    @Test
    void aSortKeyNoIndexHasIsA400SuggestingTheColumn() {
        Indexed backend = new Indexed(INDEXED);
        assertThatThrownBy(() -> UnknownFields.check(backend, List.of(), List.of("flow_duration"), "", () -> 5_000))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("unknown_field"); // as a name of q or fields (was bad_query)
                    assertThat(e.getMessage()).isEqualTo("cannot sort by 'flow_duration': no daily index has this"
                            + " field; did you mean 'Flow_Duration'? (field names are case-sensitive)");
                });
        // nothing near: the fields every index has, as for an unknown name of q or fields
        assertThatThrownBy(() -> UnknownFields.check(backend, List.of(), List.of("nosuchfield"), "", () -> 5_000))
                .hasMessage("cannot sort by 'nosuchfield': no daily index has this field (field names are"
                        + " case-sensitive; every index has timestamp, srcIp, dstIp, srcPort, dstPort, proto, host,"
                        + " bytesOut, bytesIn, sourceFile, sourceRecord, sourceVersion)");
        UnknownFields.check(backend, List.of(), List.of("Flow_Duration"), "", () -> 5_000); // exists: no error
        assertThat(backend.lookups).hasSize(3);
        // a key that is no field name: the loader's name for such a column, if it is a contract field or an index has it
        assertThat(UnknownFields.sortKeySuggestion(backend, "Flow Duration", 5_000)).isEqualTo("Flow_Duration");
        assertThat(UnknownFields.sortKeySuggestion(backend, "flow duration", 5_000)).isEqualTo("Flow_Duration");
        assertThat(UnknownFields.sortKeySuggestion(backend, "Flow Bytes/s", 5_000)).isEqualTo("Flow_Bytes_s");
        assertThat(UnknownFields.sortKeySuggestion(backend, "Src IP", 5_000)).isEqualTo("srcIp");
        assertThat(UnknownFields.sortKeySuggestion(backend, "No Such Column", 5_000)).isNull();
        assertThat(UnknownFields.sortKeySuggestion(backend, "_id", 5_000)).isNull();
    }

    /**
     * A per-field answer cached before a column's first index ("no index has it", reused a minute) must not refuse the
     * field once the list of every name, newer, holds it: the name is asked again (the backend re-asks the answers
     * older than the list), once per request, within the time left. A list older than the answer does not overrule it
     * (review s9b, 2). A sort refusal never suggests the key itself (review s9, 1).
     */
    @Test
    void aStaleNoIndexHasItIsOverruledByTheListOfEveryNameAndNeverSuggestsTheKeyItself() {
        // the first lookup still says "no index has Flow_Duration"; the list of every name, fetched later, has it, and
        // asked again the backend sees the column
        Indexed stale = new Indexed(INDEXED) {
            @Override
            public Set<String> existingFields(List<String> names) {
                Set<String> out = new LinkedHashSet<>(super.existingFields(names));
                out.remove("Flow_Duration");
                return out;
            }
        };
        UnknownFields.check(stale, List.of(), List.of("Flow_Duration"), "", () -> 5_000); // no 400
        UnknownFields.check(stale, List.of("Flow_Duration"), List.of(), "Flow_Duration:>5", () -> 5_000);
        UnknownFields.check(stale, List.of("Flow_Duration"), List.of("Flow_Duration"), "Flow_Duration:>5",
                () -> 5_000);
        assertThat(stale.budgets).as("one list of every name per request").hasSize(3);
        assertThat(stale.askedAgain).as("asked again once per request, the q name and the sort key together")
                .containsExactly("[Flow_Duration] within 5000", "[Flow_Duration] within 5000",
                        "[Flow_Duration] within 5000");
        // another unknown name of the same request is still refused, and its message names only it
        assertThatThrownBy(() -> UnknownFields.check(stale, List.of("Flow_Duration", "colour"), List.of(),
                "Flow_Duration:>5 colour:red", () -> 5_000)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.getMessage()).startsWith("field 'colour' does not exist in any index")
                        .doesNotContain("Flow_Duration"));
        // the list is older than the answer (the column's last index deleted since): asked again, the backend keeps
        // its newer "no", and the name is refused in q and in sort alike
        Indexed gone = new Indexed(INDEXED) {
            @Override
            public Set<String> existingFields(List<String> names) {
                Set<String> out = new LinkedHashSet<>(super.existingFields(names));
                out.remove("Flow_Duration");
                return out;
            }

            @Override
            public Set<String> existingFields(List<String> names, long budgetMs) {
                askedAgain.add(names + " within " + budgetMs);
                return existingFields(names);
            }
        };
        assertThatThrownBy(() -> UnknownFields.check(gone, List.of("Flow_Duration"), List.of(), "Flow_Duration:>5",
                () -> 4_000)).isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("unknown_field");
                    assertThat(e.getMessage()).startsWith("field 'Flow_Duration' does not exist in any index")
                            .doesNotContain("did you mean");
                });
        assertThatThrownBy(() -> UnknownFields.check(gone, List.of(), List.of("Flow_Duration"), "", () -> 4_000))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).startsWith(
                        "cannot sort by 'Flow_Duration': no daily index has this field (field names are"
                                + " case-sensitive; every index has timestamp, srcIp").doesNotContain("did you mean"));
        assertThatThrownBy(() -> UnknownFields.check(gone, List.of("Flow_Duration"), List.of("Flow_Duration"),
                "Flow_Duration:>5", () -> 4_000)).hasMessageStartingWith("field 'Flow_Duration' does not exist");
        assertThat(gone.askedAgain).containsExactly("[Flow_Duration] within 4000", "[Flow_Duration] within 4000",
                "[Flow_Duration] within 4000");
        // no list (no time left): the refusal stands, but never suggests what was written
        stale.answersFieldNames = false;
        assertThatThrownBy(() -> UnknownFields.check(stale, List.of(), List.of("Flow_Duration"), "", () -> 5_000))
                .hasMessageStartingWith("cannot sort by 'Flow_Duration': no daily index has this field (field names"
                        + " are case-sensitive; every index has timestamp, srcIp");
        for (String key : List.of("Flow_Duration", "flow_duration")) {
            assertThat(UnknownFields.sortRefusal(key, key)).doesNotContain("did you mean").endsWith("every index has"
                    + " timestamp, srcIp, dstIp, srcPort, dstPort, proto, host, bytesOut, bytesIn, sourceFile,"
                    + " sourceRecord, sourceVersion)");
        }
        assertThat(UnknownFields.sortRefusal("colour", null)).as("no suggestion at all: as q's and fields' names")
                .isEqualTo("cannot sort by 'colour': no daily index has this field (field names are case-sensitive;"
                        + " every index has timestamp, srcIp, dstIp, srcPort, dstPort, proto, host, bytesOut, bytesIn,"
                        + " sourceFile, sourceRecord, sourceVersion)");
    }

    /**
     * The OpenSearch backend: a per-field "no index has it" cached before the list of every name that has it is asked
     * again (one request), so the check and the sort's mapping see the column (an older list does not overrule a newer
     * answer: {@link #aListOlderThanTheNoIndexHasItAnswerDoesNotLetTheNameThrough}).
     */
    @Test
    void theBackendAsksAgainForAFieldItsCachedAnswerMissedOnceTheListHasIt() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean appeared = new java.util.concurrent.atomic.AtomicBoolean();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String uri = exchange.getRequestURI().getRawQuery();
            requests.add(uri);
            answer(exchange, 200, ("{\"indices\":[\"m-2018.05.09\"],\"fields\":{\"srcIp\":{\"ip\":{}}"
                    + (appeared.get() ? ",\"Flow_Duration\":{\"long\":{}}" : "") + "}}"));
        });
        server.start();
        try {
            ObjectMapper json = new ObjectMapper();
            OpenSearchClients.Built client = clientOf(server, json);
            OpenSearchSearchBackend backend = new OpenSearchSearchBackend(client.client(), "m", json);
            assertThat(backend.existingFields(List.of("Flow_Duration"))).isEmpty(); // cached: no index has it
            appeared.set(true); // the column's first daily index
            assertThat(backend.existingFields(List.of("Flow_Duration"))).as("reused").isEmpty();
            assertThat(requests).hasSize(1);
            assertThat(backend.fieldNames(2_000)).contains("Flow_Duration");
            requests.clear();
            assertThat(backend.existingFields(List.of("Flow_Duration"))).containsExactly("Flow_Duration");
            assertThat(backend.existingFields(List.of("Flow_Duration"))).containsExactly("Flow_Duration");
            assertThat(requests).as("asked again once").hasSize(1);
            // the sort finds the column's type: a search is sent, not a "cannot sort by"
            requests.clear();
            try {
                backend.search(new BackendQuery("", null, null, List.of(new SortField("Flow_Duration", true)),
                        List.of(), 10, List.of(), 1_000));
            } catch (SearchBackendException e) {
                assertThat(e.getMessage()).doesNotContain("cannot sort by"); // the stub's answer is no search answer
            }
            assertThat(requests).as("no _field_caps before the search").hasSize(1);
        } finally {
            server.stop(0);
        }
    }

    /**
     * The OpenSearch backend and the check together: a list of every name fetched before the per-field "no index has
     * it" (the column's last daily index deleted in between) does not let the name through — a 400 in {@code q} and in
     * {@code sort} while the list is still cached, and asking again sends nothing, since no answer is older than the
     * list (review s9b, 2). A list fetched after the "no" (the column's first index) is: the name is asked again, one
     * request, and passes in both.
     */
    @Test
    void aListOlderThanTheNoIndexHasItAnswerDoesNotLetTheNameThrough() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean indexed = new java.util.concurrent.atomic.AtomicBoolean(true);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(java.net.URLDecoder.decode(exchange.getRequestURI().getRawQuery(), StandardCharsets.UTF_8));
            answer(exchange, 200, ("{\"indices\":[\"m-2018.05.09\"],\"fields\":{\"srcIp\":{\"ip\":{}}"
                    + (indexed.get() ? ",\"Flow_Duration\":{\"long\":{}}" : "") + "}}"));
        });
        server.start();
        try {
            ObjectMapper json = new ObjectMapper();
            OpenSearchClients.Built client = clientOf(server, json);
            AtomicLong now = new AtomicLong(1_000_000);
            OpenSearchSearchBackend backend = new OpenSearchSearchBackend(client.client(), "m", json, now::get);
            assertThat(backend.fieldNames(2_000)).contains("Flow_Duration"); // the list, at T
            indexed.set(false); // T+10 s: the only daily index with the column is deleted
            now.addAndGet(10_000);
            requests.clear();
            assertThatThrownBy(() -> UnknownFields.check(backend, List.of("Flow_Duration"), List.of(),
                    "Flow_Duration:>5", () -> 5_000)).isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo("unknown_field");
                        assertThat(e.getMessage()).startsWith("field 'Flow_Duration' does not exist in any index");
                    });
            assertThatThrownBy(() -> UnknownFields.check(backend, List.of(), List.of("Flow_Duration"), "",
                    () -> 5_000)).isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.code()).isEqualTo("unknown_field");
                        assertThat(e.getMessage()).startsWith("cannot sort by 'Flow_Duration': no daily index has");
                    });
            assertThatThrownBy(() -> UnknownFields.check(backend, List.of("Flow_Duration"), List.of("Flow_Duration"),
                    "Flow_Duration:>5", () -> 5_000)).isInstanceOf(ApiException.class);
            assertThat(backend.existingFields(List.of("Flow_Duration"), 0)).as("no time left: the answer kept")
                    .isEmpty();
            assertThat(requests).as("one per-field lookup, its answer kept; the list reused").hasSize(1);
            assertThat(requests.get(0)).contains("fields=Flow_Duration,flow_duration");

            // a minute later: the column is gone when it is asked for, then its first index comes back and the list,
            // fetched by the check after that "no", has it
            now.addAndGet(OpenSearchSearchBackend.FIELD_CAPS_REUSE_MILLIS);
            assertThat(backend.existingFields(List.of("Flow_Duration", "flow_duration"))).isEmpty();
            indexed.set(true);
            now.addAndGet(5_000);
            requests.clear();
            UnknownFields.check(backend, List.of("Flow_Duration"), List.of(), "Flow_Duration:>5", () -> 5_000);
            UnknownFields.check(backend, List.of(), List.of("Flow_Duration"), "", () -> 5_000);
            UnknownFields.check(backend, List.of("Flow_Duration"), List.of("Flow_Duration"), "Flow_Duration:>5",
                    () -> 5_000);
            assertThat(requests).as("the list, then the name asked again once").hasSize(2);
            assertThat(requests.get(0)).contains("fields=*");
            assertThat(requests.get(1)).contains("fields=Flow_Duration").doesNotContain("flow_duration");

            // no time left to ask again: the list counts over an answer older than it, never over a newer one
            now.addAndGet(OpenSearchSearchBackend.FIELD_CAPS_REUSE_MILLIS);
            indexed.set(false);
            assertThat(backend.existingFields(List.of("Flow_Duration"))).isEmpty();
            indexed.set(true);
            now.addAndGet(5_000);
            requests.clear();
            assertThat(backend.fieldNames(2_000)).contains("Flow_Duration");
            assertThat(backend.existingFields(List.of("Flow_Duration"), 0)).containsExactly("Flow_Duration");
            assertThat(requests).as("the list only").hasSize(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theApiAnswersWithTheSuggestionInQAndSortMessages() throws Exception {
        Indexed backend = new Indexed(INDEXED);
        ObjectMapper json = new ObjectMapper();
        SearchApi api = ApiFactory.create(backend, json, ApiSettings.from(Map.of("OPENSEARCH_URL", "http://127.0.0.1:9")),
                new PrintStream(new ByteArrayOutputStream()));
        JsonNode q = json.readTree(api.handle(get(Map.of("q", "flow_duration:>5"))).getBody());
        assertThat(q.path("error").asText()).isEqualTo("unknown_field");
        assertThat(q.path("message").asText()).contains("did you mean 'Flow_Duration'?");
        APIGatewayProxyResponseEvent spaced = api.handle(get(Map.of("sort", "Flow Duration:desc")));
        assertThat(spaced.getStatusCode()).isEqualTo(400);
        JsonNode sort = json.readTree(spaced.getBody());
        assertThat(sort.path("error").asText()).isEqualTo("invalid_sort");
        assertThat(sort.path("message").asText()).isEqualTo("sort takes field[:asc|:desc] items separated by commas;"
                + " 'Flow Duration:desc' is not a valid field name; did you mean 'Flow_Duration'? (the loader writes a"
                + " space or any other character of a column name that is not a letter, a digit, _ or - as _)");
        assertThat(backend.budgets).as("the search timeout, all of it left").contains(10_000L);
        // an alias column is mapped to a contract field, not written with underscores (review s9, 6)
        for (String alias : List.of("Src IP", "dst port")) {
            JsonNode mapped = json.readTree(api.handle(get(Map.of("sort", alias))).getBody());
            String field = alias.equals("Src IP") ? "srcIp" : "dstPort";
            assertThat(mapped.path("message").asText()).as(alias).isEqualTo("sort takes field[:asc|:desc] items"
                    + " separated by commas; '" + alias + "' is not a valid field name; did you mean '" + field + "'?"
                    + " (the loader maps the column '" + alias + "' to the field " + field + ")");
        }
        JsonNode typo = json.readTree(api.handle(get(Map.of("sort", "flow_duration"))).getBody());
        assertThat(typo.path("error").asText()).isEqualTo("unknown_field");
        assertThat(typo.path("message").asText()).contains("did you mean 'Flow_Duration'?");
        assertThat(json.readTree(api.handle(get(Map.of("sort", "a.b"))).getBody()).path("message").asText())
                .endsWith("'a.b' is not a valid field name");
        assertThat(backend.queries).as("no search was sent").isEmpty();
    }

    /**
     * An exact name in {@code fields} that no index has and that is no contract field is a 400 {@code unknown_field}
     * with the spelling meant, asked in the same lookup as q's names and the sort keys (one {@code _field_caps} at
     * most); a pattern, a contract field and a name an index has pass (newcomer9, 4: fields=nonexistent gave records
     * with no fields, a CSV export an empty column).
     */
    @Test
    void anUnknownNameInFieldsIsA400WithTheSpellingMeantFromTheSameLookup() {
        Indexed backend = new Indexed(INDEXED);
        assertThat(returnRefusal(backend, "srcip")).isEqualTo("fields names 'srcip', which no daily index has; did you"
                + " mean 'srcIp'? (field names are case-sensitive)");
        assertThat(returnRefusal(backend, "flow_duration")).contains("did you mean 'Flow_Duration'?");
        assertThat(returnRefusal(backend, "dst_port")).isEqualTo("fields names 'dst_port', which no daily index has;"
                + " did you mean 'dstPort'? (the loader maps the column 'dst_port' to the field dstPort)");
        assertThat(returnRefusal(backend, "nonexistent", "colour")).isEqualTo("fields names 'nonexistent', which no"
                + " daily index has (field names are case-sensitive; every index has timestamp, srcIp, dstIp, srcPort,"
                + " dstPort, proto, host, bytesOut, bytesIn, sourceFile, sourceRecord, sourceVersion) (no index has"
                + " 'colour' either)");
        // names an index has, q's names and sort keys: one lookup for all of them
        backend.lookups.clear();
        UnknownFields.check(backend, List.of("ttl"), List.of("user_agent"), List.of("Flow_Duration", "Label"), "ttl:1",
                () -> 5_000);
        assertThat(backend.lookups).hasSize(1);
        assertThat(backend.lookups.get(0)).contains("ttl", "user_agent", "Flow_Duration", "Label");
        // q's unknown name is refused first, in q's words
        assertThatThrownBy(() -> UnknownFields.check(backend, List.of("colour"), List.of(), List.of("nonexistent"),
                "colour:red", () -> 5_000)).hasMessageStartingWith("field 'colour' does not exist in any index");
    }

    /** Through the API: which names of {@code fields} are looked up at all, and an invalid one's suggestion. */
    @Test
    void theApiChecksOnlyTheExactExtraNamesOfFieldsAndSuggestsForAnInvalidOne() throws Exception {
        Indexed backend = new Indexed(INDEXED);
        ObjectMapper json = new ObjectMapper();
        SearchApi api = ApiFactory.create(backend, json, ApiSettings.from(Map.of("OPENSEARCH_URL", "http://127.0.0.1:9")),
                new PrintStream(new ByteArrayOutputStream()));
        // contract fields and patterns (one matching nothing included): no lookup, the search runs
        APIGatewayProxyResponseEvent ok = api.handle(get(Map.of("fields", "srcIp,dstIp,sourceFile,src*,nothing*")));
        assertThat(ok.getStatusCode()).as(ok.getBody()).isEqualTo(200);
        assertThat(backend.lookups).isEmpty();
        APIGatewayProxyResponseEvent typo = api.handle(get(Map.of("fields", "srcIp,nonexistent", "format", "csv")));
        assertThat(typo.getStatusCode()).isEqualTo(400);
        JsonNode body = json.readTree(typo.getBody());
        assertThat(body.path("error").asText()).isEqualTo("unknown_field");
        assertThat(body.path("message").asText()).startsWith("fields names 'nonexistent', which no daily index has");
        assertThat(backend.lookups).containsExactly(List.of("nonexistent"));
        // a name that is no field name: the loader's name for such a column, as for a sort key
        JsonNode spaced = json.readTree(api.handle(get(Map.of("fields", "Src IP"))).getBody());
        assertThat(spaced.path("error").asText()).isEqualTo("invalid_fields");
        assertThat(spaced.path("message").asText()).isEqualTo("fields takes field names separated by commas;"
                + " 'Src IP' is not a valid field name; did you mean 'srcIp'? (the loader maps the column 'Src IP' to"
                + " the field srcIp)");
        JsonNode flow = json.readTree(api.handle(get(Map.of("fields", "srcIp,Flow Duration"))).getBody());
        assertThat(flow.path("message").asText()).endsWith("'Flow Duration' is not a valid field name; did you mean"
                + " 'Flow_Duration'? (the loader writes a space or any other character of a column name that is not a"
                + " letter, a digit, _ or - as _)");
        assertThat(json.readTree(api.handle(get(Map.of("fields", "Src IP*"))).getBody()).path("message").asText())
                .as("a pattern gets no suggestion").endsWith("'Src IP*' is not a valid field name");
        assertThat(backend.queries).as("only the first request searched").hasSize(1);
    }

    private static String returnRefusal(SearchBackend backend, String... fields) {
        try {
            UnknownFields.check(backend, List.of(), List.of(), List.of(fields), "", () -> 5_000);
        } catch (ApiException e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.code()).isEqualTo("unknown_field");
            return e.getMessage();
        }
        return null;
    }

    /**
     * The suggestions read user input (invalid sort keys of any length, words of q): they must not go into
     * {@code Fields}' cache of the loader's column names, which is never emptied (review s9, 2).
     */
    @Test
    void suggestionsLeaveTheLoadersCacheOfColumnNamesAlone() throws Exception {
        java.lang.reflect.Field resolved = dev.netmeta.model.Fields.class.getDeclaredField("RESOLVED");
        resolved.setAccessible(true);
        Map<?, ?> cache = (Map<?, ?>) resolved.get(null);
        int before = cache.size();
        Indexed backend = new Indexed(INDEXED);
        String unique = "Key " + System.nanoTime() + " x".repeat(2_000);
        assertThat(UnknownFields.sortKeySuggestion(backend, unique, 5_000)).isNull();
        assertThat(UnknownFields.sortKeySuggestion(backend, "Flow Duration " + System.nanoTime(), 5_000)).isNull();
        String name = "n" + System.nanoTime();
        assertThat(refusal(backend, "Some Words " + name + ":1", name)).isNotNull(); // "Some Words n…" looked up
        assertThat(cache.size()).isEqualTo(before);
        // the same names as the loader's
        for (String column : List.of("Src IP", "Flow Bytes/s", "sourceFile", " _x", "TotLen Fwd Pkts", "host.name")) {
            assertThat(dev.netmeta.model.Fields.canonicalNameUncached(column)).as(column)
                    .isEqualTo(dev.netmeta.model.Fields.canonicalName(column));
        }
    }

    @Test
    void editDistanceCountsASwapOfNeighboursAsOneEdit() {
        assertThat(UnknownFields.distance("srcip", "scrip", 10)).isEqualTo(1);
        assertThat(UnknownFields.distance("flow_duration", "flow_duraton", 10)).isEqualTo(1);
        assertThat(UnknownFields.distance("abc", "xyz", 10)).isEqualTo(3);
        assertThat(UnknownFields.distance("abcdefgh", "zzzzzzzz", 2)).isEqualTo(2); // stops at the limit
        assertThat(UnknownFields.nearest("Fwd_Pkts", Set.of("Fwd_Pkts_s", "Bwd_Pkts_s"))).isEqualTo("Fwd_Pkts_s");
        assertThat(UnknownFields.nearest("dstport", Set.of())).isEqualTo("dstPort");
    }

    /**
     * The OpenSearch backend's lookup of every name: one {@code GET <alias>/_field_caps?fields=*}, cached; waits no
     * longer than the budget for a slow engine, and a 429 or 503 is no suggestion, never an exception.
     */
    @Test
    void theOpenSearchLookupWaitsNoLongerThanTheBudgetAndNeverFails() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        AtomicLong delayMs = new AtomicLong();
        AtomicLong status = new AtomicLong(200);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            try {
                Thread.sleep(delayMs.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, (int) status.get(), (status.get() == 200 ? "{\"indices\":[\"m-2018.05.09\"],\"fields\":{"
                    + "\"Flow_Duration\":{\"long\":{}},\"srcIp\":{\"ip\":{}},\"_id\":{\"_id\":{}}}}"
                    : "{\"error\":{\"type\":\"x\"},\"status\":" + status.get() + "}"));
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try {
            ObjectMapper json = new ObjectMapper();
            // the client waits out the 4 s engine below (its socket timeout is the search timeout plus a margin)
            OpenSearchClients.Built client = clientOf(server, json, "SEARCH_TIMEOUT_MS", "10000");

            // a busy engine: no names, no exception, answered at once (not by waiting the 10 s budget out: the bound
            // is far from both), one request
            for (long refusal : new long[]{429, 503}) {
                status.set(refusal);
                requests.clear();
                OpenSearchSearchBackend busy = new OpenSearchSearchBackend(client.client(), "m", json);
                long asked = System.nanoTime();
                assertThat(busy.fieldNames(10_000)).as("HTTP " + refusal).isNull();
                assertThat((System.nanoTime() - asked) / 1_000_000).as("ms waited for HTTP " + refusal)
                        .isLessThan(5_000);
                assertThat(requests).as("HTTP " + refusal).hasSize(1);
            }
            status.set(200);
            // a slow engine: the request stops waiting at its 300 ms budget, not at the answer 4 s later
            delayMs.set(4_000);
            OpenSearchSearchBackend slow = new OpenSearchSearchBackend(client.client(), "m", json);
            long started = System.nanoTime();
            assertThat(slow.fieldNames(300)).isNull();
            assertThat((System.nanoTime() - started) / 1_000_000).as("ms waited").isLessThan(2_500);
            // too little time left: nothing is sent
            requests.clear();
            assertThat(slow.fieldNames(OpenSearchSearchBackend.MIN_FIELD_NAMES_BUDGET_MS - 1)).isNull();
            // the slow lookup still running is waited for, not sent again, and its answer is kept
            assertThat(slow.fieldNames(8_000)).containsExactlyInAnyOrder("Flow_Duration", "srcIp");
            assertThat(requests).as("no second request while the first runs").isEmpty();
            delayMs.set(0);
            OpenSearchSearchBackend fast = new OpenSearchSearchBackend(client.client(), "m", json);
            assertThat(fast.fieldNames(2_000)).containsExactlyInAnyOrder("Flow_Duration", "srcIp");
            assertThat(fast.fieldNames(2_000)).containsExactlyInAnyOrder("Flow_Duration", "srcIp");
            assertThat(requests).hasSize(1);
            assertThat(requests.get(0)).startsWith("GET /m/_field_caps?").contains("fields=%2A"); // *, encoded
        } finally {
            server.stop(0);
        }
    }

    /**
     * The list of every name is reused {@value OpenSearchSearchBackend#FIELD_CAPS_REUSE_MILLIS} ms and then asked for
     * again; at most {@value OpenSearchSearchBackend#MAX_FIELD_NAMES} names are kept, the first in name order.
     */
    @Test
    void theListOfEveryNameExpiresAfterAMinuteAndKeepsAtMostMaxFieldNames() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger(2);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestURI().getRawQuery());
            StringBuilder body = new StringBuilder("{\"indices\":[\"m-2018.05.09\"],\"fields\":{\"_id\":{\"_id\":{}}");
            for (int k = 0; k < count.get(); k++) {
                body.append(String.format(",\"f%05d\":{\"long\":{}}", k));
            }
            answer(exchange, 200, body.append("}}").toString());
        });
        server.start();
        try {
            ObjectMapper json = new ObjectMapper();
            OpenSearchClients.Built client = clientOf(server, json);
            AtomicLong now = new AtomicLong(1_000_000);
            OpenSearchSearchBackend backend = new OpenSearchSearchBackend(client.client(), "m", json, now::get);
            assertThat(backend.fieldNames(2_000)).containsExactly("f00000", "f00001");
            count.set(3); // a new column
            now.addAndGet(OpenSearchSearchBackend.FIELD_CAPS_REUSE_MILLIS - 1);
            assertThat(backend.fieldNames(2_000)).as("reused").containsExactly("f00000", "f00001");
            assertThat(requests).hasSize(1);
            now.addAndGet(1);
            assertThat(backend.fieldNames(2_000)).as("asked again").containsExactly("f00000", "f00001", "f00002");
            assertThat(requests).hasSize(2);
            // more names than kept: the first MAX_FIELD_NAMES in name order
            count.set(OpenSearchSearchBackend.MAX_FIELD_NAMES + 5);
            now.addAndGet(OpenSearchSearchBackend.FIELD_CAPS_REUSE_MILLIS);
            Set<String> names = backend.fieldNames(5_000);
            assertThat(names).hasSize(OpenSearchSearchBackend.MAX_FIELD_NAMES).contains("f00000")
                    .contains(String.format("f%05d", OpenSearchSearchBackend.MAX_FIELD_NAMES - 1))
                    .doesNotContain(String.format("f%05d", OpenSearchSearchBackend.MAX_FIELD_NAMES));
        } finally {
            server.stop(0);
        }
    }

    private static APIGatewayProxyRequestEvent get(Map<String, String> parameters) {
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/metadata/search")
                .withQueryStringParameters(parameters);
    }

    /** Answers a stub engine's request with {@code status} and the JSON {@code body}. */
    static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
            throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** The api's own OpenSearch client of the stub engine {@code server}, with more settings as name, value. */
    static OpenSearchClients.Built clientOf(HttpServer server, ObjectMapper json, String... more) {
        Map<String, String> env = new java.util.HashMap<>();
        env.put("OPENSEARCH_URL", "http://127.0.0.1:" + server.getAddress().getPort());
        for (int k = 0; k + 1 < more.length; k += 2) {
            env.put(more[k], more[k + 1]);
        }
        return OpenSearchClients.create(ApiSettings.from(env),
                new org.opensearch.client.json.jackson.JacksonJsonpMapper(json));
    }
}
