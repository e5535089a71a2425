package dev.netmeta.api;

import static dev.netmeta.api.SearchIndexFixture.doc;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;

/**
 * Differential fuzzing of user input against the embedded OpenSearch: generated and mutated {@code q} (the docs'
 * examples — contract fields, IPv4/IPv6, CIDR blocks, ranges, wildcards, regular expressions, fuzzy terms, boosts,
 * phrases, operators in both cases, unbalanced groups/quotes/brackets, escapes, unicode, very long terms and lists)
 * and {@code from}/{@code to}, {@code sort}, {@code fields}, {@code format}, {@code size} and {@code cursor} (real
 * ones, damaged ones, ones of another query), each sent through the real api over documents loaded for the test.
 *
 * <p>The invariant: user input never gets a 5xx — with the engine up, a 5xx means the API let something through
 * that the engine refused in a way the API could only answer as its own failure. Every 4xx has the API's error shape
 * ({@code error}, {@code message}, {@code requestId}), a message that names the problem (the parameter, for a
 * parameter's code) and no Java class, stack or engine address; every request's log line has its status and, for a
 * refused request with a {@code q}, the {@code q} (an operator sees what users get wrong).
 *
 * <p>Seeded: a fixed seed by default, so that CI runs the same requests every time (a build's result must not depend
 * on the draw); {@code -Dfuzz.seed=…} runs another, {@code -Dfuzz.seed=random} a new one each time (the seed is printed,
 * and named in the failure). Bounded by a number of requests and a time budget that ends the run early (a bound, not
 * an assertion).
 */
@ExtendWith(TestServers.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchApiFuzzIT {

    private static final int REQUESTS = 1500;
    private static final long BUDGET_NANOS = 30_000_000_000L;
    private static final int MAX_QUERY_LENGTH = 4096;
    private static final Pattern ERROR_CODE = Pattern.compile("[a-z_]+");
    /** What no message may show: Java classes, stacks, the parser's grammar dump. */
    private static final Pattern LEAK = Pattern.compile("Exception|java\\.|org\\.(apache|opensearch)|\\n\\s*at |Was"
            + " expecting");

    private static final String[] FIELDS = {"timestamp", "srcIp", "dstIp", "srcPort", "dstPort", "proto", "host",
        "bytesOut", "bytesIn", "sourceFile", "sourceRecord", "sourceVersion", "uri", "k", "n", "user_agent",
        "orig_l2_addr", "Flow_Duration", "名前", "srcip", "Host", "hostt", "id.orig_h", "src_ip", "_id", "_index",
        "src*", "*", "&&dstPort", "2001", "12", "00", "mac", "\\_id", "src\\Ip"};
    private static final String[] VALUES = {"10.0.0.1", "127.0.0.1", "192.168.0.1", "10.0.0.0/8", "10.0.0.0/33",
        "\"10.0.0.0/8\"", "2001:db8::1", "\"2001:db8::1\"", "::1", "fe80::1%eth0", "::ffff:10.0.0.0/104",
        "2001:db8::/32", "dead:beef::1", "00:1a:2b:3c:4d:5e", "00:1A:2B:3C:4D:5E", "12:30", "google.com",
        "goo*", "*oogle.com", "g?ogle.com", "goo?le.*", "/goo.*/", "/.*oogle/", "/[a-z/", "/g{0,2}x/", "google~",
        "google~2", "oogle~1", "\"google com\"~3", "\"a b\"", "\"unclosed", "53", "-1", "1.5", "1e3", "abc",
        "99999999999999999999", "tcp", "udp", "17", "icmp", "*", "\\*", "a\\:b", "\\", "a\\", "\\u0041",
        "名前", "Größe", "😀", "e\u0301", "\u200b", "now-1d", "2018-05-09", "2018-05-09T10:00:00Z", ">5", ">=now-1d/d",
        "<2018-05-10", "/index.html", "a:b:c", ":b", "%2B", "null", "true", "-*", "(a", "a)", "[1", "b]", "{x}",
        "x^", "x^2", "x^abc", "x~0.5", "&&", "||", "!", "\"\"", "''", "`x`", "\t", "a b", "AND", "OR", "NOT", "TO"};
    /** Fields and values that parse: they reach the engine, where a refusal of a value's type could be a 5xx. */
    private static final String[] CLEAN_FIELDS = {"timestamp", "srcIp", "dstIp", "srcPort", "dstPort", "proto", "host",
        "bytesOut", "bytesIn", "sourceFile", "sourceRecord", "sourceVersion", "uri", "k", "n", "user_agent",
        "orig_l2_addr", "Flow_Duration", "名前", "_id", "_index"};
    private static final String[] CLEAN_VALUES = {"10.0.0.1", "127.0.0.1", "10.0.0.0/8", "\"10.0.0.0/8\"",
        "2001:db8::1", "\"2001:db8::1\"", "::1", "2001:db8::/32", "google.com", "goo*", "g?ogle.com", "/goo.*/",
        "google~", "google~2", "\"google com\"~3", "\"a b\"", "53", "0", "-1", "1.5", "2147483648",
        "9223372036854775808", "tcp", "udp", "17", "*", "\\*", "a\\:b", "名前", "Größe", "😀", "now-1d", "now",
        "2018-05-09", "2018-05-09T10:00:00Z", "1525860000000", ">5", ">=now-1d/d", "<2018-05-10", "\"/index.html\"",
        "\"00:1a:2b:3c:4d:5e\"", "k1", "5*", "/5.*/", "53~", "2018*", "\"53\"", "\"10.0.0.1\"~2", "true", "NaN",
        "\"\"", "\" \"", "\"*\"", "\"10.0.0.0/33\"", "\"::ffff:10.0.0.1\"", "\"1e400\"", "\"2018-05-09||-1d\"",
        "\"now-1d/d\""};
    private static final String[] ENGINE_CLAUSES = {"*:*", "*:google.com", "*:10.0.0.1", "*:53", "src\\*:10.0.0.1",
        "_exists_:k", "k:*", "timestamp:*", "sourceRecord:[0 TO 3]", "proto:6", "proto:999", "timestamp:now",
        "timestamp:\"2018-05-09\"", "timestamp:[2018 TO now]", "srcIp:[10.0.0.0 TO 10.0.0.255]", "host:[a TO m]",
        "k:[1 TO 5]", "uri:>a", "timestamp:/2018.*/", "srcIp:10.0.0.1~", "dstPort:{* TO 100]", "n:[a TO b]",
        "Flow_Duration:>1.5", "timestamp:>=2018-05-09T10:00:00+02:00", "timestamp:[now-1d/d TO now/d}",
        "srcIp:[::1 TO 10.0.0.1]", "dstIp:\"2001:db8::/129\"", "bytesIn:>9223372036854775807", "_id:dns", "_index:x*",
        "_id:[a TO z]", "_id:d*", "sourceVersion:x~", "k:k1~", "k:5~", "n:/7/", "timestamp:[* TO *]", "名前:値",
        "user_agent:curl*", "uri:\\/index.html", "host:\"google.com\"^0", "host:google.com^0.0001", "(*)",
        "NOT *", "-host:*", "srcIp:\"::/0\"", "timestamp:2018-05-09T10:00:00", "timestamp:1525860000",
        "dstPort:[53 TO 53]", "dstPort:[54 TO 53]", "timestamp:[2018-05-10 TO 2018-05-09]", "srcPort:>=-1",
        "proto:\"udp\"~1", "srcIp:\"10.0.0.1 10.0.0.2\"", "host:(google.com OR *)", "dstPort:(53 OR 443)^2"};
    private static final String[] RANGES = {"[1 TO 1023]", "{* TO 100]", "[* TO *]", "[1 to 5]", "[a TO b}",
        "[2018-05-09 TO now]", "[now-1d TO now]", "[10.0.0.0 TO 10.0.0.255]", "[1 TO", "[ TO ]", "[5 TO 1]",
        "[\"a TO b]", ">=53", "<=1024", ">now-1y", "<1e400", "[-1 TO 99999999999999999999]", "[::1 TO ::ffff]"};
    private static final String[] JOINS = {" AND ", " OR ", " ", " && ", " || ", " and ", " or ", " not ",
        " AND NOT ", "&&", " ||", " NOT ", " +", " -", " !"};
    private static final String[] PREFIXES = {"", "", "", "+", "-", "!", "NOT ", "-NOT ", "+-"};
    private static final String[] BOOSTS = {"", "", "", "", "^2", "^0.5", "^", "^x", "~", "~2"};
    private static final String SPECIALS = "()[]{}\"':\\/*?~^!+-&|<>= .,;@#%\t\n\u0000\u00e9\u4e2d\ud83d\ude00\ud800";
    private static final String[] TIMES = {"2018-05-09", "2018-05-09T10:00:00Z", "2018-05-09T12:00:00+02:00",
        "2018-05-09T12:00:00 02:00", "2018-05-09 10:00", "1525876221", "1525876221.5", "1525876221500", "-86400",
        "now", "now-1d", "now-1d/d", "now/w", "now-1M/M+8h", "now-d", "now 1h", "now - 1d", "NOW", "2018-05-09||-1d",
        "10000-01-01", "0000-01-01", "99999999999999999999", "abc", "", " ", "2018-13-45", "1e10", "now+1000000000y",
        "now-999999999y", "now-1d/d/d/d/d/d/d/d/d", "2018-05-09T25:00:00Z", "+2018-05-09", "now-1x", "now/"};
    private static final String[] SORTS = {"timestamp", "timestamp:desc", "timestamp:asc", "srcIp", "dstPort:desc",
        "host:asc", "k", "n:desc", "uri", "user_agent", "bytesin", "Flow Duration", "timestamp: desc",
        "timestamp:down", "a,b,c,d", "timestamp,timestamp", "_id", "-x", "名前", "srcIp,dstIp,host", ":desc", ",",
        "timestamp:", "x".repeat(300), "sourceFile", "sourceRecord:desc", "orig_l2_addr"};
    private static final String[] FIELD_LISTS = {"srcIp", "src*", "*", "srcip", "srcIp,dstIp,host", "Flow Duration",
        "a,,b", "*x*", "名前", "_id", "uri,k,n", "nothing*", "", ",", "x".repeat(300), "@timestamp"};
    private static final String[] FORMATS = {"json", "ndjson", "csv", "JSON", "xml", "", "csv ", "ndjson,csv"};
    private static final String[] SIZES = {"0", "1", "2", "50", "1000", "1001", "100000", "100001", "-1", "abc",
        "1.5", "99999999999999999999", "", " 5 ", "+3", "0x10", "１２"};

    private final ObjectMapper json = new ObjectMapper();
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private SearchApi api;
    private String engineAddress;

    @BeforeAll
    void indexDocuments(OpenSearchEndpoint openSearch) throws Exception {
        SearchIndexFixture fixture = new SearchIndexFixture(openSearch.uri(), "fuzz-"
                + UUID.randomUUID().toString().substring(0, 8));
        Map<String, Map<String, Object>> docs = new LinkedHashMap<>();
        docs.put("dns", doc("2018-05-09T10:00:00Z", "10.0.0.1", "10.0.0.53", 53, "google.com"));
        docs.put("web", doc("2018-05-09T10:01:00Z", "10.0.0.1", "142.250.1.2", 443, "google.com"));
        docs.put("v6", doc("2018-05-10T09:30:00Z", "2001:db8::1", "2001:db8::2", 53, "dns.example"));
        Map<String, Object> numberDay = new LinkedHashMap<>(doc("2018-05-07T10:00:00Z", "172.16.0.2", "172.16.0.53",
                8080, "number.example"));
        numberDay.put("k", 5);
        numberDay.put("n", 7);
        numberDay.put("uri", "/index.html");
        numberDay.put("orig_l2_addr", "00:1a:2b:3c:4d:5e");
        Map<String, Object> textDay = new LinkedHashMap<>(doc("2018-05-08T10:00:00Z", "172.16.0.3", "172.16.0.53",
                8080, "text.example"));
        textDay.put("k", "k1");
        textDay.put("n", 8);
        textDay.put("user_agent", "curl/8.0");
        textDay.put("Flow_Duration", 12.5);
        textDay.put("名前", "値");
        docs.put("k-number", numberDay);
        docs.put("k-text", textDay);
        for (int i = 0; i < 20; i++) { // enough hits for paging with small sizes
            docs.put("bulk-" + i, doc("2018-05-1" + (i % 3) + "T0" + (i % 10) + ":00:00Z", "192.168.0." + i,
                    "10.0.0." + i, 1000 + i, "h" + i + ".example"));
        }
        fixture.index(docs);
        ApiSettings settings = ApiSettings.from(Map.of("OPENSEARCH_URL", openSearch.uri().toString(),
                "INDEX_PREFIX", fixture.prefix, "MAX_QUERY_LENGTH", String.valueOf(MAX_QUERY_LENGTH)));
        OpenSearchClients.Built client = OpenSearchClients.create(settings, new JacksonJsonpMapper(json));
        api = ApiFactory.create(new OpenSearchSearchBackend(client.client(), settings.indexAlias(), json), json,
                settings, new PrintStream(logged, true, StandardCharsets.UTF_8));
        engineAddress = openSearch.uri().getHost() + ":" + openSearch.uri().getPort();
    }

    @Test
    void userInputNeverGetsA5xxAndEveryRefusalSaysWhatIsWrong() throws Exception {
        String seedProperty = System.getProperty("fuzz.seed", "20261127");
        long seed = seedProperty.equals("random") ? System.nanoTime() : Long.parseLong(seedProperty);
        System.out.println("SearchApiFuzzIT seed " + seed + " (repeat with -Dfuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        List<String> failures = new ArrayList<>();
        List<Map<String, String>> cursors = new ArrayList<>(); // requests whose answer carried a cursor, with it
        Map<String, Integer> statuses = new java.util.TreeMap<>();
        Map<String, Integer> badQueries = new java.util.HashMap<>(); // the start of each bad_query message: which refusals ran
        long started = System.nanoTime();
        int sent = 0;
        for (; sent < REQUESTS && System.nanoTime() - started < BUDGET_NANOS && failures.size() < 30; sent++) {
            Map<String, List<String>> request = request(random, cursors);
            logged.reset();
            APIGatewayProxyResponseEvent r;
            try {
                r = api.handle(event(request, sent));
            } catch (RuntimeException thrown) { // out of the handler: Lambda's error, API Gateway's 502
                failures.add("#" + sent + " " + request + " -> the handler threw " + thrown);
                continue;
            }
            String problem = problem(request, r, sent);
            statuses.merge(r.getStatusCode() + (r.getStatusCode() >= 400 ? " " + code(r) : ""), 1, Integer::sum);
            if (r.getStatusCode() == 400 && r.getBody().contains("\"bad_query\"")) {
                String m = json.readTree(r.getBody()).path("message").asText().replaceAll("[0-9]+", "N");
                badQueries.merge(m.substring(0, Math.min(40, m.length())), 1, Integer::sum);
            }
            if (problem != null) {
                failures.add("#" + sent + " " + request + " -> " + r.getStatusCode() + " " + r.getBody() + ": "
                        + problem);
            } else if (r.getStatusCode() == 200 && r.getHeaders().get(SearchApi.NEXT_CURSOR_HEADER) != null) {
                Map<String, String> page = new LinkedHashMap<>();
                request.forEach((k, v) -> page.put(k, v.get(0)));
                page.put("cursor", r.getHeaders().get(SearchApi.NEXT_CURSOR_HEADER));
                cursors.add(page);
            }
        }
        System.out.println("SearchApiFuzzIT: " + sent + " requests in " + (System.nanoTime() - started) / 1_000_000
                + " ms: " + statuses + "; bad_query, most frequent: " + badQueries.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(12)
                .map(e -> e.getValue() + " '" + e.getKey() + "'").toList());
        assertThat(failures).as("seed " + seed + " (repeat with -Dfuzz.seed=" + seed + ")").isEmpty();
        assertThat(statuses.keySet()).as("the run reached both answers").anyMatch(s -> s.startsWith("200"))
                .anyMatch(s -> s.startsWith("400"));
    }

    /** What is wrong with the answer {@code r} to {@code request}, or null. */
    private String problem(Map<String, List<String>> request, APIGatewayProxyResponseEvent r, int n) throws Exception {
        int status = r.getStatusCode();
        if (status >= 500) {
            return "a 5xx for user input";
        }
        JsonNode line = json.readTree(logged.toString(StandardCharsets.UTF_8));
        if (line == null || line.path("status").asInt() != status) {
            return "no log line with the status: " + logged;
        }
        if (status == 200) {
            List<String> format = request.get("format");
            if (format == null || format.get(0).strip().equalsIgnoreCase("json") || format.get(0).isBlank()) {
                try {
                    return json.readTree(r.getBody()).has("total") ? null : "a JSON page without total";
                } catch (java.io.IOException notJson) {
                    return "a 200 whose JSON page does not parse";
                }
            }
            return null;
        }
        JsonNode body;
        try {
            body = json.readTree(r.getBody());
        } catch (java.io.IOException notJson) {
            return "a 4xx whose body is no JSON";
        }
        String code = body.path("error").asText("");
        String message = body.path("message").asText("");
        if (!ERROR_CODE.matcher(code).matches() || message.isBlank() || body.size() != 3
                || !body.path("requestId").asText().equals("fuzz-" + n)) {
            return "not the API's error shape";
        }
        if (LEAK.matcher(message).find() || message.contains(engineAddress)) {
            return "the message shows internals";
        }
        String named = named(code);
        if (named != null && !message.contains(named) && !(code.equals("invalid_time") && message.startsWith("to "))) {
            return "a " + code + " whose message does not name " + named;
        }
        if (message.length() >= OpenSearchErrors.MAX_MESSAGE && message.endsWith("...")) {
            return "a message cut at " + OpenSearchErrors.MAX_MESSAGE + " characters, maybe before its cause";
        }
        if (message.startsWith("the search engine rejected the query")) { // OpenSearchErrors found no reason
            return "a refusal whose message names no reason";
        }
        List<String> q = request.get("q");
        if (q != null && q.size() == 1 && !q.get(0).isBlank() && !line.has("q")) {
            return "a refused request with a q whose log line has no q: " + line;
        }
        return null;
    }

    /** The word a message of {@code code} must contain: the parameter it is about (null: no one word). */
    private static String named(String code) {
        return switch (code) {
            case "invalid_time", "invalid_range" -> "from"; // or, for invalid_time, one starting "to "
            case "invalid_sort" -> "sort";
            case "invalid_fields" -> "fields";
            case "invalid_cursor" -> "cursor";
            case "size_out_of_range" -> "size";
            case "unknown_parameter", "duplicate_parameter" -> "parameter";
            case "unknown_field" -> "field";
            case "query_too_long", "invalid_query" -> "q";
            default -> null;
        };
    }

    private String code(APIGatewayProxyResponseEvent r) {
        try {
            return json.readTree(r.getBody()).path("error").asText();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static APIGatewayProxyRequestEvent event(Map<String, List<String>> request, int n) {
        Map<String, String> single = new LinkedHashMap<>();
        request.forEach((k, v) -> single.put(k, v.get(v.size() - 1)));
        return new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath(SearchApi.PATH)
                .withQueryStringParameters(single).withMultiValueQueryStringParameters(request)
                .withRequestContext(new APIGatewayProxyRequestEvent.ProxyRequestContext().withRequestId("fuzz-" + n));
    }

    private Map<String, List<String>> request(Random random, List<Map<String, String>> cursors) {
        Map<String, List<String>> request = new LinkedHashMap<>();
        if (!cursors.isEmpty() && random.nextInt(6) == 0) { // a real cursor: as issued, damaged, or of another query
            Map<String, String> page = cursors.get(random.nextInt(cursors.size()));
            page.forEach((k, v) -> request.put(k, List.of(v)));
            switch (random.nextInt(4)) {
                case 0 -> request.put("cursor", List.of(damaged(random, page.get("cursor"))));
                case 1 -> request.put("q", List.of(query(random)));
                case 2 -> request.put("sort", List.of(pick(random, SORTS)));
                default -> { } // as issued: the next page
            }
            return request;
        }
        int kind = random.nextInt(10);
        if (kind < 4) { // a q alone, as generated: most of these reach the engine
            request.put("q", List.of(query(random)));
            return request;
        }
        if (kind < 6) { // a q alone, mistyped
            request.put("q", List.of(mutated(random, query(random))));
            return request;
        }
        if (kind < 9) {
            String q = query(random);
            request.put("q", List.of(random.nextBoolean() ? mutated(random, q) : q));
        }
        if (random.nextInt(4) == 0) {
            request.put("from", List.of(pick(random, TIMES)));
        }
        if (random.nextInt(4) == 0) {
            request.put("to", List.of(pick(random, TIMES)));
        }
        if (random.nextInt(5) == 0) {
            request.put("sort", List.of(pick(random, SORTS)));
        }
        if (random.nextInt(5) == 0) {
            request.put("fields", List.of(pick(random, FIELD_LISTS)));
        }
        if (random.nextInt(5) == 0) {
            request.put("format", List.of(pick(random, FORMATS)));
        }
        if (random.nextInt(3) == 0) {
            request.put("size", List.of(pick(random, SIZES)));
        }
        if (random.nextInt(12) == 0) {
            request.put("cursor", List.of(damaged(random, random.nextBoolean() ? "eyJ2IjoyfQ.AAAA"
                    : Base64.getUrlEncoder().encodeToString(bytes(random)))));
        }
        if (random.nextInt(30) == 0) {
            request.put(random.nextBoolean() ? "query" : "Q", List.of("x"));
        }
        if (random.nextInt(30) == 0 && request.containsKey("q")) {
            request.put("q", List.of(request.get("q").get(0), query(random)));
        }
        return request;
    }

    private static byte[] bytes(Random random) {
        byte[] b = new byte[random.nextInt(200)];
        random.nextBytes(b);
        return b;
    }

    private static String damaged(Random random, String cursor) {
        return switch (random.nextInt(7)) {
            case 0 -> cursor.substring(0, random.nextInt(cursor.length() + 1));
            case 1 -> flip(random, cursor);
            case 2 -> cursor + pick(random, new String[] {"x", "=", ".", "~", "%", " "});
            case 3 -> "~" + cursor;
            case 4 -> new String(bytes(random), StandardCharsets.ISO_8859_1);
            case 5 -> cursor.replace('.', random.nextBoolean() ? '~' : '-');
            default -> "x".repeat(random.nextInt(20_000));
        };
    }

    private static String flip(Random random, String s) {
        if (s.isEmpty()) {
            return "a";
        }
        int at = random.nextInt(s.length());
        return s.substring(0, at) + (char) ('A' + random.nextInt(58)) + s.substring(at + 1);
    }

    private String query(Random random) {
        switch (random.nextInt(10)) {
            case 0: // a long list of terms: the engine's clause limit
                String term = pick(random, new String[] {"a", "host:x", "srcIp:10.0.0.1", "dstPort:53", "10.0.0.1",
                    "10.0.0.0/8", "goo*", "\"a b\"", "srcIp:(10.0.0.1 10.0.0.2)", "x~", "/ab.*/", "*", "(a)", "\"a\"", "n:1", "*:a"});
                String join = pick(random, new String[] {" ", " OR ", " AND ", " || ", ""});
                int count = 1 + random.nextInt(1600);
                StringBuilder list = new StringBuilder();
                for (int i = 0; i < count && list.length() < MAX_QUERY_LENGTH - 20; i++) {
                    list.append(i == 0 ? "" : join).append(term);
                }
                return list.toString();
            case 1: // a very long term
                return pick(random, FIELDS) + ":" + pick(random, new String[] {"a", "1", "a*", "/a", "\"a"})
                        .repeat(1 + random.nextInt(MAX_QUERY_LENGTH));
            case 2: // deep groups
                int depth = 1 + random.nextInt(40);
                return "(".repeat(depth) + clause(random, 0) + ")".repeat(random.nextInt(depth + 2));
            default:
                return query(random, 0);
        }
    }

    private String query(Random random, int depth) {
        StringBuilder q = new StringBuilder(clause(random, depth));
        int more = random.nextInt(depth == 0 ? 4 : 2);
        for (int i = 0; i < more; i++) {
            q.append(random.nextInt(6) == 0 ? pick(random, JOINS) : pick(random, new String[] {" AND ", " OR ",
                " ", " AND NOT "})).append(clause(random, depth));
        }
        return q.toString();
    }

    private String clause(Random random, int depth) {
        boolean wild = random.nextInt(6) == 0; // the error-heavy pieces: operators, marks and values that misparse
        String prefix = wild ? pick(random, PREFIXES) : random.nextInt(6) == 0 ? "NOT " : "";
        String boost = wild || random.nextInt(8) == 0 ? pick(random, BOOSTS) : "";
        String body = switch (random.nextInt(depth < 3 ? 10 : 8)) {
            case 0, 1, 2 -> pick(random, CLEAN_FIELDS) + ":" + pick(random, CLEAN_VALUES);
            case 3, 4 -> pick(random, ENGINE_CLAUSES);
            case 5 -> pick(random, CLEAN_FIELDS) + ":" + pick(random, RANGES);
            case 6 -> pick(random, CLEAN_VALUES);
            case 7 -> wild ? pick(random, FIELDS) + pick(random, new String[] {": ", " :", ":", "::"})
                    + pick(random, VALUES) : pick(random, FIELDS) + ":" + pick(random, VALUES);
            case 8 -> "(" + query(random, depth + 1) + ")";
            default -> pick(random, CLEAN_FIELDS) + ":(" + query(random, depth + 1) + ")";
        };
        return prefix + body + boost;
    }

    /** {@code q} with one to three random edits: a character inserted, removed or replaced, cut, doubled. */
    private static String mutated(Random random, String q) {
        String s = q;
        for (int i = 1 + random.nextInt(3); i > 0; i--) {
            int at = random.nextInt(s.length() + 1);
            String c = String.valueOf(SPECIALS.charAt(random.nextInt(SPECIALS.length())));
            s = switch (random.nextInt(5)) {
                case 0 -> s.substring(0, at) + c + s.substring(at);
                case 1 -> at < s.length() ? s.substring(0, at) + s.substring(at + 1) : s;
                case 2 -> at < s.length() ? s.substring(0, at) + c + s.substring(at + 1) : s + c;
                case 3 -> s.substring(0, at);
                default -> s.substring(0, at) + s.substring(at / 2, at) + s.substring(at);
            };
        }
        return s;
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
