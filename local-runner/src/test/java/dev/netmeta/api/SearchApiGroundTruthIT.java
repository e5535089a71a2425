package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.api.truth.TruthDocs;
import dev.netmeta.api.truth.TruthOrder;
import dev.netmeta.api.truth.TruthQuery;
import dev.netmeta.api.truth.TruthQueryGenerator;
import dev.netmeta.api.truth.TruthTime;
import dev.netmeta.api.truth.TruthValues;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;

/**
 * The api's answers against a ground truth: seeded documents over five daily indices ({@link TruthDocs}) and random
 * queries from the grammar docs/API.md promises ({@link TruthQueryGenerator}), each with the documents it must find
 * decided by a model written from the docs ({@code dev.netmeta.api.truth}; it calls none of the api's classes), sent
 * through the real api with random {@code from}/{@code to}, {@code sort}, {@code fields} and {@code size}, paging
 * through every page with the cursor. Compared: the total, the exact ids across all pages (none missing, none twice),
 * their order, the returned fields, that every page but the last is full and only the last has no cursor — and that no
 * valid query is refused, while a query with a clause the docs say is refused (a reversed range, an unknown field, a
 * lower-case operator, a fraction on a whole-number field, …) or {@code from} not before {@code to} is refused with
 * the documented code. {@code SearchApiFuzzIT} checks the shape of errors; this checks what the answers say.
 *
 * <p>Seeded: a fixed seed by default, so CI sends the same requests every time; {@code -Dtruth.seed=…} runs another,
 * {@code -Dtruth.seed=random} a new one (printed, and named in a failure). {@code -Dtruth.cases} (default 300),
 * {@code -Dtruth.docs} (600) and {@code -Dtruth.budgetSeconds} (40: ends the run early, a bound, not an assertion).
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiGroundTruthIT {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
    private static final String[] SORT_FIELDS = {"timestamp", "srcIp", "dstIp", "srcPort", "dstPort", "proto", "host",
        "bytesOut", "bytesIn", "app", "status", "rtt", "sourceFile", "sourceRecord"};
    private static final String[] FIELD_PATTERNS = {"srcIp", "dstIp", "host", "dstPort", "timestamp", "rtt", "app",
        "src*", "*Port", "bytes*", "status", "sourceFile", "proto"};
    private static final int[] SIZES = {1, 2, 3, 5, 7, 10, 25, 50, 100, 1000};
    private static final int MAX_PAGES = 25;

    private final ObjectMapper json = new ObjectMapper();
    private final long seed = seed();
    private final int cases = Integer.getInteger("truth.cases", 300);
    private final long budgetNanos = Long.getLong("truth.budgetSeconds", 40L) * 1_000_000_000L;
    private List<Map<String, Object>> docs;
    private Map<String, Map<String, Object>> docsById;
    private String prefix;
    private SearchApi api;
    private int requests;

    private static long seed() {
        String property = System.getProperty("truth.seed", "20261128");
        return property.equals("random") ? System.nanoTime() : Long.parseLong(property);
    }

    @BeforeAll
    void indexDocuments(OpenSearchEndpoint openSearch) throws Exception {
        SearchIndexFixture fixture = new SearchIndexFixture(openSearch.uri(), "truth-"
                + UUID.randomUUID().toString().substring(0, 8));
        prefix = fixture.prefix;
        docsById = TruthDocs.generate(new Random(seed), Integer.getInteger("truth.docs", 600));
        docs = new ArrayList<>();
        docsById.forEach((id, d) -> {
            Map<String, Object> withId = new LinkedHashMap<>(d);
            withId.put("_id", id);
            docs.add(withId);
        });
        fixture.index(docsById);
        ApiSettings settings = ApiSettings.from(Map.of("OPENSEARCH_URL", openSearch.uri().toString(),
                "INDEX_PREFIX", prefix));
        OpenSearchClients.Built client = OpenSearchClients.create(settings, new JacksonJsonpMapper(json));
        api = ApiFactory.create(new OpenSearchSearchBackend(client.client(), settings.indexAlias(), json), json,
                settings, new PrintStream(OutputStream.nullOutputStream(), true));
    }

    @Test
    void everyAnswerIsTheOneTheDocsPromise() throws Exception {
        System.out.println("SearchApiGroundTruthIT seed " + seed + " (repeat with -Dtruth.seed=" + seed + "), "
                + docs.size() + " documents");
        Random random = new Random(seed + 1);
        TruthQueryGenerator queries = new TruthQueryGenerator(random, docs);
        List<String> mismatches = new ArrayList<>();
        Map<String, Integer> outcomes = new TreeMap<>();
        long started = System.nanoTime();
        int run = 0;
        for (; run < cases && System.nanoTime() - started < budgetNanos && mismatches.size() < 20; run++) {
            Case c = nextCase(random, queries);
            String problem;
            if (c.refusal() != null) {
                problem = refused(c.parameters(), c.refusal());
                outcomes.merge("refused " + c.refusal(), 1, Integer::sum);
            } else {
                AtomicReference<String> outcome = new AtomicReference<>();
                problem = answered(c, outcome);
                outcomes.merge(outcome.get(), 1, Integer::sum);
            }
            if (problem != null) {
                mismatches.add("case " + run + " " + c.parameters() + ": " + problem);
            }
        }
        System.out.println("SearchApiGroundTruthIT: " + run + " cases, " + requests + " requests in "
                + (System.nanoTime() - started) / 1_000_000 + " ms: " + outcomes);
        assertThat(mismatches).as("answers that differ from the docs' (seed " + seed + ", -Dtruth.seed=" + seed + ")")
                .isEmpty();
    }

    /** A request, its query's model (null without q) and the error code the docs say it gets (null: an answer). */
    private record Case(Map<String, String> parameters, TruthQuery q, String refusal) {
    }

    private Case nextCase(Random random, TruthQueryGenerator queries) {
        Map<String, String> parameters = new LinkedHashMap<>();
        String refusal = null;
        int kind = random.nextInt(100);
        TruthQuery q = null;
        if (kind < 12) {
            q = queries.refusing();
            AtomicReference<String> code = new AtomicReference<>();
            q.visit(n -> {
                if (n.refusal() != null) {
                    code.set(n.refusal());
                }
            });
            refusal = code.get();
        } else if (kind < 92) {
            q = queries.query();
        }
        if (q != null) {
            parameters.put("q", q.text());
        }
        String from = random.nextInt(10) < 3 ? time(random) : null;
        String to = random.nextInt(10) < 3 ? time(random) : null;
        if (from != null && to != null) {
            long f = TruthTime.parameter(from);
            long t = TruthTime.parameter(to);
            boolean reversed = refusal == null && random.nextInt(10) == 0;
            if ((f >= t) != reversed) {
                String swap = from;
                from = to;
                to = swap;
            }
            if (TruthTime.parameter(from) >= TruthTime.parameter(to)) {
                if (refusal == null) {
                    refusal = "invalid_range";
                } else {
                    to = null;
                }
            }
        }
        if (from != null) {
            parameters.put("from", from);
        }
        if (to != null) {
            parameters.put("to", to);
        }
        if (random.nextInt(10) < 6) {
            List<String> keys = new ArrayList<>();
            Set<String> used = new HashSet<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                String field = SORT_FIELDS[random.nextInt(SORT_FIELDS.length)];
                if (used.add(field)) {
                    keys.add(field + new String[] {"", ":asc", ":desc", ": desc"}[random.nextInt(4)]);
                }
            }
            parameters.put("sort", String.join(",", keys));
        }
        if (random.nextInt(10) < 2) {
            Set<String> fields = new LinkedHashSet<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                fields.add(FIELD_PATTERNS[random.nextInt(FIELD_PATTERNS.length)]);
            }
            parameters.put("fields", String.join(",", fields));
        }
        TruthQuery query = q;
        long expected = docs.stream().filter(d -> query == null || query.matches(d)).filter(d -> inWindow(parameters, d))
                .count();
        int size = random.nextInt(12) == 0 ? 0 : SIZES[random.nextInt(SIZES.length)];
        if (size > 0 && expected / size >= MAX_PAGES) {
            size = (int) (expected / (MAX_PAGES - 1)) + 1;
        }
        parameters.put("size", String.valueOf(size));
        if (size > 0 && random.nextInt(8) == 0) {
            parameters.put("format", "ndjson"); // an export: the cursor in X-Next-Cursor, one hit a line
        }
        return new Case(parameters, q, refusal);
    }

    private static String time(Random random) {
        long ms = TruthDocs.FIRST_DAY + (long) (random.nextDouble() * TruthDocs.DAYS * 86_400_000L);
        String iso = Instant.ofEpochMilli(ms).toString();
        return switch (random.nextInt(7)) {
            case 0 -> iso.substring(0, 10);
            case 1 -> iso.substring(0, 10) + " " + iso.substring(11, 16);
            case 2 -> iso.substring(0, 19) + "Z";
            case 3 -> Instant.ofEpochMilli(ms).atOffset(ZoneOffset.ofHours(2)).toString();
            case 4 -> String.valueOf(ms / 1000);
            case 5 -> ms / 1000 + "." + (ms % 1000 / 100);
            default -> String.valueOf(ms);
        };
    }

    private static boolean inWindow(Map<String, String> parameters, Map<String, Object> d) {
        long t = (Long) d.get("timestamp");
        String from = parameters.get("from");
        String to = parameters.get("to");
        return (from == null || t >= TruthTime.parameter(from)) && (to == null || t < TruthTime.parameter(to));
    }

    private List<Map<String, Object>> expected(Case c) {
        Map<String, String> parameters = c.parameters();
        TruthQuery q = c.q();
        List<TruthOrder.Key> keys = new ArrayList<>();
        String sort = parameters.getOrDefault("sort", "timestamp:desc");
        for (String key : sort.split(",")) {
            String[] parts = key.split(":");
            keys.add(new TruthOrder.Key(parts[0].trim(), parts.length > 1 && parts[1].trim().equals("desc")));
        }
        return docs.stream().filter(d -> q == null || q.matches(d)).filter(d -> inWindow(parameters, d))
                .sorted(TruthOrder.of(keys)).toList();
    }

    /**
     * The refusal {@code code}, or — on a {@code from}/{@code to} window that holds no record at all — 200 with 0 hits:
     * API.md, *Errors*: the engine then rewrites the search to "match nothing" before it reads q's values, so its own
     * refusals (a wildcard or fuzzy term on a number or IP field, a value that does not fit the field) do not show
     * (found by this test, seed 34297491090650: {@code srcIp:10.0.0.*} with {@code to} before the first record).
     */
    private String refused(Map<String, String> parameters, String code) throws Exception {
        APIGatewayProxyResponseEvent r = call(parameters);
        if (r.getStatusCode() == 200 && docs.stream().noneMatch(d -> inWindow(parameters, d))
                && json.readTree(r.getBody()).path("total").path("value").asLong(-1) == 0) {
            return null;
        }
        if (r.getStatusCode() != 400) {
            return "expected a 400 " + code + ", got " + r.getStatusCode() + " " + cut(r.getBody());
        }
        String error = json.readTree(r.getBody()).path("error").asText();
        return error.equals(code) ? null : "expected a 400 " + code + ", got " + cut(r.getBody());
    }

    private String answered(Case c, AtomicReference<String> outcome) throws Exception {
        Map<String, String> parameters = c.parameters();
        List<Map<String, Object>> expected = expected(c);
        int size = Integer.parseInt(parameters.get("size"));
        outcome.set(expected.isEmpty() ? "0 hits" : size == 0 ? "count" : expected.size() <= size ? "1 page"
                : "pages");
        List<String> ids = new ArrayList<>();
        Map<String, String> page = new LinkedHashMap<>(parameters);
        for (int n = 0; n < MAX_PAGES + 1; n++) {
            APIGatewayProxyResponseEvent r = call(page);
            if (r.getStatusCode() != 200) {
                return "page " + (n + 1) + ": expected 200 with " + expected.size() + " hits, got " + r.getStatusCode()
                        + " " + cut(r.getBody());
            }
            boolean export = "ndjson".equals(page.get("format"));
            JsonNode body = export ? null : json.readTree(r.getBody());
            if (!export && (body.path("total").path("value").asLong() != expected.size()
                    || !body.path("total").path("relation").asText().equals("eq"))) {
                return "page " + (n + 1) + ": total " + body.path("total") + ", expected " + expected.size();
            }
            List<JsonNode> hits = new ArrayList<>();
            if (export) {
                for (String line : r.getBody().split("\n")) {
                    if (!line.isEmpty()) {
                        hits.add(json.readTree(line));
                    }
                }
            } else {
                body.path("hits").forEach(hits::add);
            }
            int before = ids.size();
            for (JsonNode hit : hits) {
                String id = hit.path("id").asText();
                ids.add(id);
                String fieldProblem = fields(parameters.get("fields"), hit, docsById.get(id));
                if (fieldProblem != null) {
                    return "hit " + id + ": " + fieldProblem;
                }
            }
            int got = ids.size() - before;
            String next = export ? r.getHeaders().get(SearchApi.NEXT_CURSOR_HEADER)
                    : body.path("next").isNull() ? null : body.path("next").asText();
            boolean last = next == null;
            if (!export && !java.util.Objects.equals(next, r.getHeaders().get(SearchApi.NEXT_CURSOR_HEADER))) {
                return "page " + (n + 1) + ": next " + next + " but X-Next-Cursor "
                        + r.getHeaders().get(SearchApi.NEXT_CURSOR_HEADER);
            }
            if (size == 0) {
                return got == 0 && last ? null : "a count (size=0) answered hits or a cursor: " + cut(r.getBody());
            }
            if (!last && got != size) {
                return "page " + (n + 1) + " has " + got + " hits and a cursor, size " + size;
            }
            if (last) {
                break;
            }
            page.put("cursor", next);
        }
        List<String> want = expected.stream().map(d -> d.get("_id").toString()).toList();
        if (!ids.equals(want)) {
            return describe(want, ids);
        }
        return null;
    }

    private String describe(List<String> want, List<String> got) {
        Set<String> gotSet = new LinkedHashSet<>(got);
        Set<String> wantSet = new LinkedHashSet<>(want);
        List<String> missing = want.stream().filter(id -> !gotSet.contains(id)).limit(5).toList();
        List<String> extra = got.stream().filter(id -> !wantSet.contains(id)).limit(5).toList();
        if (gotSet.size() != got.size()) {
            return "an id came twice (" + got.size() + " hits, " + gotSet.size() + " distinct)";
        }
        if (!missing.isEmpty() || !extra.isEmpty()) {
            return "missing " + missing.stream().map(id -> id + docsById.get(id)).toList() + ", not expected "
                    + extra.stream().map(id -> id + docsById.get(id)).toList();
        }
        for (int i = 0; i < want.size(); i++) {
            if (!want.get(i).equals(got.get(i))) {
                return "order differs at " + i + ": expected " + want.get(i) + docsById.get(want.get(i)) + ", got "
                        + got.get(i) + docsById.get(got.get(i));
            }
        }
        return "differs";
    }

    /** The hit's fields: the document's fields the request asked for (all without fields), with their values. */
    private String fields(String requested, JsonNode hit, Map<String, Object> doc) {
        if (doc == null) {
            return "no such document";
        }
        String index = prefix + "-" + DAY.format(Instant.ofEpochMilli((Long) doc.get("timestamp")));
        if (!hit.path("index").asText().equals(index)) {
            return "index " + hit.path("index") + ", expected " + index;
        }
        Set<String> want = new java.util.TreeSet<>();
        for (String field : doc.keySet()) {
            if (requested == null || List.of(requested.split(",")).stream().anyMatch(p -> TruthValues.wildcard("app",
                    field, p))) {
                want.add(field);
            }
        }
        Set<String> got = new java.util.TreeSet<>();
        hit.path("fields").fieldNames().forEachRemaining(got::add);
        if (!got.equals(want)) {
            return "fields " + got + ", expected " + want;
        }
        for (String field : want) {
            JsonNode value = hit.path("fields").path(field);
            Object stored = doc.get(field);
            boolean same = stored instanceof String s ? value.isTextual() && value.asText().equals(s)
                    : value.isNumber() && TruthValues.number(stored).compareTo(value.decimalValue()) == 0;
            if (!same) {
                return field + " is " + value + ", expected " + stored;
            }
        }
        return null;
    }

    private APIGatewayProxyResponseEvent call(Map<String, String> parameters) {
        requests++;
        APIGatewayProxyRequestEvent event = EventLoader.loadApiGatewayRestEvent("events/apigw_search.json");
        event.setQueryStringParameters(parameters);
        event.setMultiValueQueryStringParameters(null);
        return api.handle(event);
    }

    private static String cut(String body) {
        return body.length() > 600 ? body.substring(0, 600) + "…" : body;
    }
}
