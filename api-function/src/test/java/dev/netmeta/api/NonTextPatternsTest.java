package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A regular expression on an IP, number or date field matches nothing in OpenSearch, without an error
 * ({@link NonTextPatterns}): on a contract field the guard refuses it, on an extra column the search does, with the
 * types the unknown-field check's {@code _field_caps} answer holds; the message says what to search instead, as the
 * engine's refusal of a wildcard there does ({@link OpenSearchErrors}).
 */
class NonTextPatternsTest {

    private final QueryGuard guard = new QueryGuard(2000);

    @Test
    void aRegularExpressionOnAContractIpNumberOrDateFieldIsRefusedWithWhatToSearchInstead() {
        assertThatThrownBy(() -> guard.check("srcIp:/10\\..*/")).isInstanceOf(ApiException.class)
                .hasMessage("srcIp is an IP field: wildcard, regular-expression and fuzzy terms do not work on it (the"
                        + " regular expression /10\\..*/ would match nothing there, without an error); to match a range"
                        + " of addresses, search a CIDR block, e.g. srcIp:10.0.0.0/24 for srcIp:10.0.0.*")
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("bad_query"));
        assertThatThrownBy(() -> guard.check("dstPort:/44.*/")).hasMessage("dstPort is an integer field: wildcard,"
                + " regular-expression and fuzzy terms do not work on it (the regular expression /44.*/ would match"
                + " nothing there, without an error); to match several numbers, search a range, e.g. dstPort:[1 TO 1023]"
                + " or dstPort:>1023");
        assertThatThrownBy(() -> guard.check("timestamp:/2018.*/")).hasMessage("timestamp is a date field: wildcard,"
                + " regular-expression and fuzzy terms do not work on it (the regular expression /2018.*/ would match"
                + " nothing there, without an error); to match a time span, search a range, e.g."
                + " timestamp:[2018-05-09 TO 2018-05-10} (the whole UTC day) or timestamp:>=now-1h, or give the from"
                + " and to parameters");
        Map<String, String> said = new HashMap<>();
        said.put("dstPort:(/44.*/ OR 80)", "dstPort is an integer field");
        said.put("dstPort:(80 OR (443 OR /44.*/))", "dstPort is an integer field");
        said.put("srcIp:(/10\\..*/ OR 192.168.0.1)", "srcIp is an IP field");
        said.put("host:x AND NOT srcIp:/10\\..*/", "srcIp is an IP field");
        said.put("-dstIp: /10.*/", "dstIp is an IP field");
        said.put("srcPort:/5.*/^2", "srcPort is an integer field");
        said.put("bytesIn:/1.*/ OR bytesOut:/2.*/", "bytesIn is a long field");
        said.put("sourceRecord:/1.*/", "sourceRecord is a long field");
        said.put("dst\\Port:/44.*/", "dstPort is an integer field"); // the parser removes the escape from the name
        said.put("srcIp:/.*/", "srcIp is an IP field"); // not "must start with a literal": it would find nothing anyway
        for (Map.Entry<String, String> e : said.entrySet()) {
            assertThatThrownBy(() -> guard.check(e.getKey())).as(e.getKey())
                    .hasMessageStartingWith(e.getValue() + ": wildcard, regular-expression and fuzzy terms do not work"
                            + " on it (the regular expression /");
        }
    }

    /** What was valid stays valid: a regular expression on a keyword field, without a field (host), on a pattern. */
    @Test
    void aRegularExpressionOnAKeywordFieldOrWithoutAFieldIsLeftAlone() {
        for (String q : List.of("/10\\..*/", "host:/goo.*/", "proto:/t.*/", "sourceFile:/raw.*/",
                "sourceVersion:/a.*/", "user_agent:/curl.*/", "host:(/goo.*/ OR a)", "srcIp:\"10.0.0.0/8\"",
                "dstPort:53 AND host:/goo.*/", "src*:/10.*/", "host:\"/44.*/\"")) {
            assertThat(guard.check(q).query()).as(q).isNotNull();
        }
        assertThat(guard.check("srcIp:10.0.0.0/8").query()).isEqualTo("srcIp:\"10.0.0.0/8\""); // a block, no regexp
        assertThat(guard.check("srcIp:(10.0.0.0/8 OR 192.168.0.0/16)").query())
                .isEqualTo("srcIp:(\"10.0.0.0/8\" OR \"192.168.0.0/16\")");
    }

    /** The advice per mapping type, as OpenSearchErrors and the extra-column check give it. */
    @Test
    void theAdviceFollowsTheMappingTypes() {
        assertThat(NonTextPatterns.refusal("status", Set.of("long"), "why")).isEqualTo("status is a long field:"
                + " wildcard, regular-expression and fuzzy terms do not work on it (why); to match several numbers,"
                + " search a range, e.g. status:[1 TO 1023] or status:>1023");
        assertThat(NonTextPatterns.refusal("rtt", Set.of("double"), "why")).startsWith("rtt is a double field:")
                .endsWith("search a range, e.g. rtt:[0.1 TO 0.5] or rtt:>0.5"); // the examples fit the type
        assertThat(NonTextPatterns.refusal("ttl", Set.of("byte"), "why")).endsWith("ttl:[1 TO 100] or ttl:>100");
        assertThat(NonTextPatterns.refusal("f", Set.of("float", "half_float"), "why")).endsWith("f:[0.1 TO 0.5] or"
                + " f:>0.5");
        assertThat(NonTextPatterns.refusal("n", Set.of("unsigned_long"), "why")).startsWith("n is an unsigned_long"
                + " field:");
        assertThat(NonTextPatterns.refusal("n", Set.of("integer"), "why")).startsWith("n is an integer field:");
        assertThat(NonTextPatterns.refusal("n", Set.of("long", "double"), "why")).startsWith("n is a number field:")
                .endsWith("search a range, e.g. n:[1 TO 1023] or n:>1023");
        assertThat(NonTextPatterns.refusal("seen", Set.of("date_nanos"), "why")).isEqualTo("seen is a date field:"
                + " wildcard, regular-expression and fuzzy terms do not work on it (why); to match a time span, search"
                + " a range, e.g. seen:[2018-05-09 TO 2018-05-10} (the whole UTC day) or seen:>=now-1h"); // no from/to
        assertThat(NonTextPatterns.refusal("seen", Set.of("date", "date_nanos"), "why")).startsWith("seen is a date");
        assertThat(NonTextPatterns.refusal("peer", Set.of("ip"), "why")).endsWith("search a CIDR block, e.g."
                + " peer:10.0.0.0/24 for peer:10.0.0.*");
        for (Set<String> kept : List.of(Set.<String>of(), Set.of("keyword"), Set.of("long", "keyword"),
                Set.of("ip", "long"), Set.of("date", "long"), Set.of("boolean"), Set.of("text"))) {
            assertThat(NonTextPatterns.refusal("k", kept, "why")).as(kept.toString()).isNull();
        }
    }

    /**
     * A regular expression on an extra column that is a number (date, IP) in every daily index: a 400 with the types
     * of the cached {@code _field_caps} answer, asked once (no request of its own: the backend below counts); a
     * column that is a keyword on some day, a field the backend cannot tell, or no regular expression: searched.
     */
    @Test
    void aRegularExpressionOnAnExtraNumberColumnIsRefusedWithTheCheckedTypes() {
        Map<String, Set<String>> types = Map.of("status", Set.of("long"), "rtt", Set.of("double"), "k",
                Set.of("long", "keyword"), "uid", Set.of("keyword"), "seen", Set.of("date"));
        TypedBackend backend = new TypedBackend(types);
        SearchService service = new SearchService(backend, new ObjectMapper(), 10_000);
        Map<String, String> refused = Map.of("status:/4.*/", "status is a long field", "host:a OR rtt:/0\\.1.*/",
                "rtt is a double field", "uid:/C.*/ AND seen:/2018.*/", "seen is a date field",
                "status:(/4.*/ OR 200)", "status is a long field");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            Guarded g = guarded(e.getKey());
            assertThatThrownBy(() -> search(service, g)).as(e.getKey()).isInstanceOf(ApiException.class)
                    .hasMessageStartingWith(e.getValue() + ": wildcard, regular-expression and fuzzy terms do not work"
                            + " on it (the regular expression /");
        }
        for (String q : List.of("k:/4.*/", "uid:/C.*/", "status:4", "status:\"4/5\"", "status:[1 TO 5]")) {
            assertThat(search(service, guarded(q)).total()).as(q).isZero();
        }
        assertThat(backend.typeLookups).as("one types lookup per search with such a regexp, none for the others")
                .isEqualTo(refused.size() + 2);
        SearchService unknownTypes = new SearchService(new TypedBackend(null), new ObjectMapper(), 10_000);
        assertThat(search(unknownTypes, guarded("status:/4.*/")).total()).as("the backend cannot tell").isZero();
    }

    /**
     * A regular expression on a field name pattern that matches only IP, number and date fields: a 400 naming the
     * pattern, its fields with their types and what to search instead. A pattern that matches a keyword field of the
     * contract is decided without asking the backend; any other is asked once per search, and one that matches a text
     * column, no field, or fields the backend cannot tell, is searched.
     */
    @Test
    void aRegularExpressionOnAPatternOfOnlyNonTextFieldsIsRefusedNamingThem() {
        Map<String, Map<String, Set<String>>> patterns = new HashMap<>();
        patterns.put("dst*", Map.of("dstIp", Set.of("ip"), "dstPort", Set.of("integer")));
        patterns.put("*Port", Map.of("dstPort", Set.of("integer"), "srcPort", Set.of("integer")));
        patterns.put("rtt*", Map.of("rtt", Set.of("double"), "rtt_seen", Set.of("date")));
        patterns.put("k*", Map.of("k", Set.of("long", "keyword")));
        patterns.put("*_*", Map.of("user_agent", Set.of("keyword"), "Flow_Duration", Set.of("long")));
        patterns.put("zzz*", Map.of());
        TypedBackend backend = new TypedBackend(Map.of(), patterns);
        SearchService service = new SearchService(backend, new ObjectMapper(), 10_000);

        assertThatThrownBy(() -> search(service, guarded("dst\\*:/4.*/"))).isInstanceOf(ApiException.class)
                .hasMessage("q's field pattern dst* matches only fields that hold no text — dstIp (ip), dstPort"
                        + " (integer) — and a regular expression matches nothing on an IP, number or date field, without"
                        + " an error: /4.*/ would find nothing there. To match a range of addresses, search a CIDR block"
                        + " (dstIp:10.0.0.0/24); to match several numbers, a range (dstPort:[1 TO 1023]); for a regular"
                        + " expression, name a keyword field (host:/4.*/)")
                .satisfies(e -> assertThat(((ApiException) e).code()).isEqualTo("bad_query"));
        assertThatThrownBy(() -> search(service, guarded("host:a OR \\*Port:(/44.*/ OR 80)")))
                .hasMessageStartingWith("q's field pattern *Port matches only fields that hold no text — dstPort"
                        + " (integer), srcPort (integer) — ").hasMessageEndingWith("To match several numbers, search a"
                        + " range (dstPort:[1 TO 1023]); for a regular expression, name a keyword field (host:/44.*/)");
        assertThatThrownBy(() -> search(service, guarded("rtt\\*:/0\\..*/"))).hasMessageEndingWith("To match several"
                + " numbers, search a range (rtt:[0.1 TO 0.5]); to match a time span, a range (rtt_seen:[2018-05-09 TO"
                + " 2018-05-10}); for a regular expression, name a keyword field (host:/0\\..*/)");
        assertThat(backend.patternLookups).containsExactly("dst*", "*Port", "rtt*");

        backend.patternLookups.clear();
        // a keyword field of the contract answers it: no lookup
        for (String q : List.of("s\\*:/raw.*/", "ho\\*:/goo.*/", "*:/goo.*/", "\\*ource\\*:/a.*/", "pr\\*:/t.*/",
                "dst\\*:53", "dst\\*:4*", "host:/goo.*/", "dst\\*:\"/4.*/\"",
                "dst*:/4.*/" /* unescaped: the engine's parse error, named by FieldPatterns */)) {
            assertThat(search(service, guarded(q)).total()).as(q).isZero();
        }
        assertThat(backend.patternLookups).as("no lookup").isEmpty();
        // a text column on some day, a keyword column among others, no field at all: searched after one lookup each
        for (String q : List.of("k\\*:/4.*/", "\\*_\\*:/cu.*/", "zzz\\*:/4.*/", "nothing\\*:/4.*/")) {
            assertThat(search(service, guarded(q)).total()).as(q).isZero();
        }
        assertThat(backend.patternLookups).containsExactly("k*", "*_*", "zzz*", "nothing*");
        // the backend cannot tell (null): searched
        SearchService unknown = new SearchService(new TypedBackend(Map.of(), null), new ObjectMapper(), 10_000);
        assertThat(search(unknown, guarded("dst\\*:/4.*/")).total()).isZero();
    }

    /**
     * The pattern's name is read as Lucene's parser reads it, escapes removed ({@code discardEscapeChar}):
     * {@code d\st\*} and <code>dst&#92;u002a</code> are the pattern {@code dst*} as {@code dst\*} is, so the same
     * regular expression gets the same 400 — the guard looked for the text {@code dst\*:} in q and searched the others
     * (200, 0 hits). A name with an unescaped {@code *} or {@code ?} still does not parse: the engine's refusal.
     */
    @Test
    void aPatternWrittenWithOtherEscapesIsRefusedAsTheSamePattern() {
        TypedBackend backend = new TypedBackend(Map.of(),
                Map.of("dst*", Map.of("dstIp", Set.of("ip"), "dstPort", Set.of("integer"))));
        SearchService service = new SearchService(backend, new ObjectMapper(), 10_000);
        String refusal = "";
        try {
            search(service, guarded("dst\\*:/4.*/"));
        } catch (ApiException e) {
            refusal = e.getMessage();
        }
        assertThat(refusal).startsWith("q's field pattern dst* matches only fields that hold no text");

        for (String q : List.of("d\\st\\*:/4.*/", "\\d\\s\\t\\*:/4.*/", "dst\\u002a:/4.*/", "dst\\u002A:/4.*/",
                "host:a OR d\\st\\*:(/4.*/ OR 80)")) {
            assertThatThrownBy(() -> search(service, guarded(q))).as(q).isInstanceOf(ApiException.class)
                    .hasMessage(refusal);
        }
        // the pattern written \u002a and a regular expression without a *: no * anywhere in q's text
        for (String q : List.of("dst\\u002a:/4../", "dst\\u002A:/44[0-9]/")) {
            assertThatThrownBy(() -> search(service, guarded(q))).as(q).isInstanceOf(ApiException.class)
                    .hasMessageStartingWith("q's field pattern dst* matches only fields that hold no text");
        }
        backend.patternLookups.clear();
        for (String q : List.of("d\\st*:/4.*/", "d?t\\*:/4.*/")) { // a wildcard term before a colon: no pattern
            assertThat(search(service, guarded(q)).total()).as(q).isZero();
        }
        assertThat(backend.patternLookups).as("no lookup").isEmpty();
    }

    /**
     * Every pattern of a query that needs a lookup is asked in one call under one budget, half the time left: with five
     * such patterns on an engine that answers only at the end of each budget, the search keeps at least half its time
     * (asked one by one, each with half of what was left, they took 3,100 ms of 3,200 and left the search 100).
     */
    @Test
    void thePatternsOfAQueryAreAskedTogetherAndLeaveTheSearchHalfItsTime() {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(1_000_000L);
        List<List<String>> calls = new java.util.ArrayList<>();
        List<Long> searchTimeouts = new java.util.ArrayList<>();
        SearchBackend slow = new SearchBackend() {
            @Override
            public Map<String, Map<String, Set<String>>> patternFieldTypes(List<String> patterns, long budgetMs) {
                calls.add(patterns);
                clock.addAndGet(budgetMs); // answers too late: the whole budget spent, nothing told
                return Map.of();
            }

            @Override
            public SearchPage search(BackendQuery query) {
                searchTimeouts.add(query.timeoutMs());
                return new SearchPage(0, true, 1, false, List.of());
            }

            @Override
            public Set<String> existingFields(List<String> names) {
                return Set.copyOf(names);
            }

            @Override
            public int tiebreakerValues() {
                return 2;
            }
        };
        SearchService service = new SearchService(slow, new ObjectMapper(), 3_200,
                SearchService.DEFAULT_BODY_BUDGET_BYTES, clock::get);
        for (int n : List.of(1, 2, 5, 9)) { // the guard allows at most 10 regular expressions
            calls.clear();
            searchTimeouts.clear();
            List<String> terms = new java.util.ArrayList<>();
            List<String> patterns = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                terms.add("x" + i + "\\*:/1.*/");
                patterns.add("x" + i + "*");
            }
            terms.add("x0\\*:/2.*/"); // a pattern twice: asked once
            assertThat(search(service, guarded(String.join(" OR ", terms))).total()).isZero();
            assertThat(searchTimeouts).as(n + " patterns").singleElement()
                    .satisfies(t -> assertThat(t).isGreaterThanOrEqualTo(1_600L));
            assertThat(calls).as(n + " patterns").containsExactly(patterns);
        }
    }

    /**
     * The OpenSearch backend asks a pattern whose lookup is under way no second time: a request that stopped waiting
     * for a slow engine leaves its lookup running, and the next requests for that pattern wait for it (one asking
     * another pattern beside it sends a request for that one only); the answer, once come, serves them all.
     */
    @Test
    void theOpenSearchBackendJoinsAPatternLookupUnderWay() throws Exception {
        List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CountDownLatch engineAnswers = new java.util.concurrent.CountDownLatch(1);
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            java.util.regex.Matcher fields = java.util.regex.Pattern.compile("(?:^|&)fields=([^&]*)")
                    .matcher(exchange.getRequestURI().getRawQuery());
            requests.add(fields.find() ? java.net.URLDecoder.decode(fields.group(1),
                    java.nio.charset.StandardCharsets.UTF_8) : exchange.getRequestURI().getRawQuery());
            try {
                engineAnswers.await(); // a slow engine: answers once the test lets it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            FieldSuggestionsTest.answer(exchange, 200, "{\"indices\":[\"m-2018.05.09\"],\"fields\":{"
                    + "\"dstIp\":{\"ip\":{}},\"dstPort\":{\"integer\":{}},\"srcPort\":{\"integer\":{}}}}");
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try {
            ObjectMapper json = new ObjectMapper();
            OpenSearchSearchBackend backend = new OpenSearchSearchBackend(
                    FieldSuggestionsTest.clientOf(server, json, "SEARCH_TIMEOUT_MS", "5000").client(), "m", json);
            assertThat(backend.patternFieldTypes(List.of("dst*"), 500)).as("no answer in time").isEmpty();
            assertThat(backend.patternFieldTypes(List.of("dst*"), 500)).as("the same lookup, still running").isEmpty();
            assertThat(backend.patternFieldTypes(List.of("dst*", "src*"), 500)).isEmpty();
            engineAnswers.countDown();
            assertThat(backend.patternFieldTypes(List.of("dst*", "src*"), 5_000)).isEqualTo(Map.of(
                    "dst*", Map.of("dstIp", Set.of("ip"), "dstPort", Set.of("integer")),
                    "src*", Map.of("srcPort", Set.of("integer"))));
            assertThat(requests).as("the fields asked, one request per pattern, none while its lookup runs")
                    .containsExactly("dst*", "src*");
        } finally {
            server.stop(0);
        }
    }

    /** The refusal names at most eight fields and counts the others. */
    @Test
    void aPatternOfManyFieldsNamesEightAndCountsTheRest() {
        Map<String, Set<String>> many = new HashMap<>();
        for (int i = 0; i < 11; i++) {
            many.put("n" + i, Set.of("long"));
        }
        assertThat(NonTextPatterns.patternRefusal("n*", "1.*", many)).startsWith("q's field pattern n* matches only"
                + " fields that hold no text — n0 (long), n1 (long), n10 (long), n2 (long), n3 (long), n4 (long), n5"
                + " (long), n6 (long) and 3 more — ");
        assertThat(NonTextPatterns.patternRefusal("m*", "1.*", Map.of("m", Set.of("long", "double"))))
                .contains("m (double, long)");
    }

    /** Every name exists; the types are {@code types} (null: the backend cannot tell); no search finds anything. */
    private static final class TypedBackend implements SearchBackend {
        private final Map<String, Set<String>> types;
        private final Map<String, Map<String, Set<String>>> patterns;
        int typeLookups;
        final List<String> patternLookups = new java.util.ArrayList<>();

        TypedBackend(Map<String, Set<String>> types) {
            this(types, Map.of());
        }

        /** {@code patterns}: the fields each pattern matches, with their types (a pattern not in it matches none). */
        TypedBackend(Map<String, Set<String>> types, Map<String, Map<String, Set<String>>> patterns) {
            this.types = types;
            this.patterns = patterns;
        }

        @Override
        public Map<String, Map<String, Set<String>>> patternFieldTypes(List<String> asked, long budgetMs) {
            patternLookups.addAll(asked);
            Map<String, Map<String, Set<String>>> out = new HashMap<>();
            if (patterns != null) {
                asked.forEach(p -> out.put(p, patterns.getOrDefault(p, Map.of())));
            }
            return out;
        }

        @Override
        public SearchPage search(BackendQuery query) {
            return new SearchPage(0, true, 1, false, List.of());
        }

        @Override
        public Set<String> existingFields(List<String> names) {
            return Set.copyOf(names);
        }

        @Override
        public Map<String, Set<String>> fieldTypes(List<String> names) {
            typeLookups++;
            if (types == null) {
                return null;
            }
            Map<String, Set<String>> out = new HashMap<>();
            names.forEach(n -> out.put(n, types.getOrDefault(n, Set.of())));
            return out;
        }

        @Override
        public int tiebreakerValues() {
            return 2;
        }
    }

    private record Guarded(String query, List<String> fields) {
    }

    private Guarded guarded(String q) {
        QueryGuard.Guarded g = guard.check(q);
        return new Guarded(g.query(), g.fieldsToCheck());
    }

    private static SearchResult search(SearchService service, Guarded g) {
        SearchParameters p = new SearchParameters(g.query(), null, null, 10, SearchParametersParser.DEFAULT_SORT,
                List.of(), null, OutputFormat.JSON, g.fields(), List.of());
        return service.search(p, ResultWriter.of(p.format(), new ObjectMapper(), p.fields()));
    }
}
