package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.model.Fields;
import dev.netmeta.model.IndexNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.Optional;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.generic.Body;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;
import org.opensearch.client.opensearch.generic.Request;
import org.opensearch.client.opensearch.generic.Requests;
import org.opensearch.client.opensearch.generic.Response;
import org.opensearch.client.transport.httpclient5.ResponseException;

/**
 * {@link SearchBackend} on OpenSearch: one guarded {@code query_string} query plus a {@code timestamp} range filter
 * over all daily indices of the prefix (its alias: the pattern {@code <prefix>-*} would reach the indices of a
 * prefix that starts with this one too), sorted by the user's keys and then by the provenance fields
 * {@code sourceFile} + {@code sourceRecord} as unique tiebreaker, paged with {@code search_after}.
 *
 * <p>Why not {@code _id}: sorting on {@code _id} loads its field data onto the heap of every data node (deprecated in
 * OpenSearch, uncached heap per index), while the provenance fields are a {@code keyword} and a {@code long} with
 * doc values (on disk, paged in by the OS). They are unique per bucket: the loader writes the object's S3 key and
 * the record's position in it, the same pair the document id is derived from. Documents without them (loaded
 * before they existed) sort last among equal keys ({@code missing: _last}), and an index without their mapping
 * sorts as if every value were missing ({@code unmapped_type}) instead of failing the search. A sort key outside the
 * data contract (an extra column) is typed by a {@code _field_caps} request first: see {@link SortMapping}.
 *
 * <p>The request body is written with Jackson's streaming generator and sent through opensearch-java's generic API;
 * the answer is read by {@link SearchResponseReader}, which keeps each document as the raw bytes OpenSearch sent.
 * The typed response model (JSON-P, objects per hit, then maps, then JSON again) cost the handler about 0.5 ms per
 * 50-hit page in the benchmark, 10-20 % of a small query on the embedded node; the typed request model (builders,
 * then JSON-P) 24-29 µs of a request in the api benchmark's Lambda-like client JVM, this writer 11-13 µs.
 */
public final class OpenSearchSearchBackend implements SearchBackend {

    /** Field searched by terms without a field name ({@code q=google.com}). */
    static final String DEFAULT_FIELD = Fields.HOST;
    /** Upper bound on the automaton of a wildcard or regular expression term (OpenSearch's own default). */
    static final int MAX_DETERMINIZED_STATES = 10_000;
    /** Appended to every sort, in this order, ascending: unique per bucket (one deployment = one bucket). */
    static final List<String> TIEBREAKER = List.of(Fields.SOURCE_FILE, Fields.SOURCE_RECORD);

    static final Map<String, String> URL_PARAMETERS = Map.of("ignore_unavailable", "true",
            "allow_no_indices", "true", "allow_partial_search_results", "false");
    static final Map<String, String> FIELD_CAPS_PARAMETERS = Map.of("ignore_unavailable", "true", "allow_no_indices", "true");

    private final OpenSearchGenericClient client;
    private final String endpoint;
    private final String fieldCapsEndpoint;
    /** The prefix of the daily indices (the alias is the prefix): what the days of a field's types are read from. */
    private final String prefix;
    private final ObjectMapper json;
    private final SearchResponseReader responseReader;
    private final LongSupplier clock;
    /**
     * {@code _field_caps} answers, by field, for {@value #FIELD_CAPS_REUSE_MILLIS} ms: the types of extra sort fields
     * (an export asks for a batch per 1,000 hits and a user pages on with the same sort — one request serves them
     * all) and of the fields outside the contract a query uses ({@link #existingFields}, which asks for the query's
     * extra sort fields in the same request, so a request sends at most one {@code _field_caps}). A new daily index
     * with another type, or a field that appears, is seen at the latest a minute later.
     */
    private final Map<String, CachedField> fieldCapsCache = new java.util.concurrent.ConcurrentHashMap<>();
    static final long FIELD_CAPS_REUSE_MILLIS = 60_000;
    private static final int FIELD_CAPS_CACHE_ENTRIES = 4096;

    /**
     * Every field name of the daily indices ({@link #fieldNames}: one {@code _field_caps} request for {@code fields=*},
     * on the error path only), reused for {@value #FIELD_CAPS_REUSE_MILLIS} ms like the per-field answers; null until
     * fetched. At most {@value #MAX_FIELD_NAMES} names are kept (in name order): a suggestion may miss beyond that.
     */
    private volatile CachedNames fieldNamesCache;
    /** The {@code fields=*} lookup under way, if any: a request that finds one waits for it instead of sending another. */
    private CompletableFuture<Set<String>> fieldNamesLookup;
    static final int MAX_FIELD_NAMES = 20_000;
    /** Below this much time left, no lookup for a suggestion is started: the error is answered without one. */
    static final long MIN_FIELD_NAMES_BUDGET_MS = 200;
    /** Runs a lookup on a daemon thread of its own, so that the request can stop waiting for it. */
    private static final Executor LOOKUP_THREADS = task -> {
        Thread t = new Thread(task, "netmeta-field-names");
        t.setDaemon(true);
        t.start();
    };

    private record CachedNames(Set<String> names, long until) {
    }

    /**
     * The fields a field name pattern of q matches and their types ({@link #patternFieldTypes}), by pattern, for
     * {@value #FIELD_CAPS_REUSE_MILLIS} ms like the per-field answers.
     */
    private final Map<String, CachedPattern> patternCache = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int PATTERN_CACHE_ENTRIES = 1024;

    /** A {@code _field_caps} answer for a pattern: the fields it matches (name → types); whether there is any index. */
    private record CachedPattern(Map<String, Set<String>> types, boolean anyIndex, long until) {
    }

    /**
     * The {@code _field_caps} lookups of patterns under way, by pattern: a request that finds one waits for it instead
     * of sending another (as {@link #fieldNamesLookup}); removed when it ends, its answer cached.
     */
    private final Map<String, CompletableFuture<CachedPattern>> patternLookups =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A {@code _field_caps} answer: the types of each field some index has; whether there is any index at all; for a
     * field whose type differs between daily indices, the days of each type ({@link #fieldDays(JsonNode, String)}).
     */
    record FieldCaps(Map<String, Set<String>> types, boolean anyIndex, Map<String, Map<String, DaySpans>> days) {
    }

    /**
     * One field's types (empty: no index has it) from an answer that saw {@code anyIndex}, reused until {@code until};
     * {@code days}: the days of each type when they differ (bounded, {@link DaySpans}), else empty.
     */
    private record CachedField(Set<String> types, boolean anyIndex, long until, Map<String, DaySpans> days) {
    }

    /** {@code index}: what to search, the alias of the prefix's daily indices ({@code IndexNames.alias}). */
    public OpenSearchSearchBackend(OpenSearchClient client, String index, ObjectMapper json) {
        this(client, index, json, System::currentTimeMillis);
    }

    /** As the public constructor; {@code clock} (epoch ms) decides when a cached {@code _field_caps} answer expires. */
    OpenSearchSearchBackend(OpenSearchClient client, String index, ObjectMapper json, LongSupplier clock) {
        this.clock = clock;
        this.client = client == null ? null : client.generic();
        this.endpoint = "/" + index + "/_search";
        this.fieldCapsEndpoint = "/" + index + "/_field_caps";
        this.prefix = index;
        this.json = json;
        this.responseReader = new SearchResponseReader();
    }

    @Override
    public int tiebreakerValues() {
        return TIEBREAKER.size();
    }

    @Override
    public SearchPage search(BackendQuery q) {
        byte[] answer = send(Requests.builder().method("POST").endpoint(endpoint).query(URL_PARAMETERS)
                .body(Body.from(requestBody(q, q.countOnly() ? Map.of() : extraSortMappings(q)), "application/json"))
                .build());
        try {
            return responseReader.read(answer, !q.fields().isEmpty());
        } catch (IOException e) {
            throw new SearchBackendException(SearchBackendException.Kind.FAILED,
                    "the search engine returned an answer this API cannot read", e);
        }
    }

    /** Sends a request; returns the answer's body, or throws the {@link SearchBackendException} for its failure. */
    private byte[] send(Request request) {
        byte[] answer;
        int status;
        try (Response response = client.execute(request)) {
            status = response.getStatus();
            Optional<Body> content = response.getBody();
            answer = content.isPresent() ? content.get().bodyAsBytes() : new byte[0];
        } catch (IOException | RuntimeException e) {
            throw fromTransport(e);
        }
        if (status >= 300) {
            throw fromStatus(status, errorJson(answer));
        }
        return answer;
    }

    /**
     * For sort keys outside the data contract, their types in the daily indices: one {@code _field_caps} request
     * (none when every key is a contract field, the common case), its answer reused for
     * {@value #FIELD_CAPS_REUSE_MILLIS} ms: a new day's index with another type is seen at the latest that much later.
     */
    private Map<String, SortMapping> extraSortMappings(BackendQuery q) {
        List<String> extra = new ArrayList<>();
        for (SortField s : q.sort()) {
            if (!Fields.isCanonical(s.field()) && !Fields.isProvenance(s.field())) {
                extra.add(s.field());
            }
        }
        if (extra.isEmpty()) {
            return Map.of();
        }
        FieldCaps caps = fieldCaps(extra);
        Map<String, SortMapping> mappings = new HashMap<>();
        for (String field : extra) {
            // a key no index has was refused before the search by the same cached answer ("cannot sort by …",
            // UnknownFields.check, the one place of that message); one let through sorts as absent everywhere
            mappings.put(field, SortMapping.of(field, caps.types().getOrDefault(field, Set.of())));
        }
        return mappings;
    }

    /**
     * Of {@code names}, those some daily index has, from the same cached {@code _field_caps} answers as the sort
     * check ({@link #fieldCaps}: one request for the whole list — several at once for a list too long for one request
     * line, {@link #fetchFieldCaps} — none while its answer is cached); null when there is
     * no daily index at all (nothing to tell a typo by: the search finds nothing anyway) or the request failed.
     */
    @Override
    public Set<String> existingFields(List<String> names) {
        if (names.isEmpty()) {
            return Set.of();
        }
        FieldCaps caps;
        try {
            caps = fieldCaps(names);
        } catch (SearchBackendException e) {
            if (e.kind() == SearchBackendException.Kind.TIMEOUT || e.kind() == SearchBackendException.Kind.UNAVAILABLE) {
                // an engine too slow or too busy for this small request would make the search wait as long again:
                // answered now (504/503), within the function's time
                throw e;
            }
            return null; // the check could not run: the search itself says what is wrong, if anything
        }
        if (!caps.anyIndex()) {
            return null;
        }
        Set<String> existing = new java.util.HashSet<>();
        for (String name : names) {
            if (!caps.types().getOrDefault(name, Set.of()).isEmpty()) {
                existing.add(name);
            }
        }
        return existing;
    }

    /**
     * Of {@code names}, those some daily index has, asked again for the check of names the list of every name has
     * ({@link SearchBackend#existingFields(List, long)}): from the cached answers when none of them is older than that
     * list (nor expired), without a request; else one {@code _field_caps} request for those ({@link #fieldCaps}), run
     * on a thread of its own and waited for at most {@code budgetMs} (none with less than
     * {@value #MIN_FIELD_NAMES_BUDGET_MS} ms), its answer cached even when it comes too late. When that request
     * cannot answer in time or fails, a name counts as existing if the fresh list has it and no cached answer newer
     * than the list says otherwise ({@link #listedUnlessAnsweredLater}).
     */
    @Override
    public Set<String> existingFields(List<String> names, long budgetMs) {
        if (names.isEmpty()) {
            return Set.of();
        }
        long now = clock.getAsLong();
        Set<String> existing = new java.util.HashSet<>();
        boolean anyIndex = false;
        boolean ask = false;
        for (String name : names) {
            CachedField cached = fieldCapsCache.get(name);
            if (cached == null || now >= cached.until() || contradicted(name, cached)) {
                ask = true;
                break;
            }
            anyIndex |= cached.anyIndex();
            if (!cached.types().isEmpty()) {
                existing.add(name);
            }
        }
        if (!ask) {
            return anyIndex ? existing : null;
        }
        if (budgetMs < MIN_FIELD_NAMES_BUDGET_MS || client == null) {
            return listedUnlessAnsweredLater(names);
        }
        Set<String> answer = waitAtMost(CompletableFuture.supplyAsync(() -> existingFields(names), LOOKUP_THREADS),
                budgetMs);
        return answer != null ? answer : listedUnlessAnsweredLater(names);
    }

    /**
     * Without a new answer: of {@code names}, those a fresh cached answer says some index has, or that the fresh list
     * of every name has unless a cached answer newer than that list says no index has them.
     */
    private Set<String> listedUnlessAnsweredLater(List<String> names) {
        long now = clock.getAsLong();
        CachedNames all = fieldNamesCache;
        boolean listFresh = all != null && now < all.until();
        Set<String> out = new java.util.HashSet<>();
        for (String name : names) {
            CachedField cached = fieldCapsCache.get(name);
            boolean answered = cached != null && now < cached.until();
            if (answered && !cached.types().isEmpty()) {
                out.add(name);
            } else if (listFresh && all.names().contains(name) && (!answered || all.until() >= cached.until())) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * Every field name of the daily indices, for a suggestion ({@link SearchBackend#fieldNames}): cached for
     * {@value #FIELD_CAPS_REUSE_MILLIS} ms, else one {@code GET <alias>/_field_caps?fields=*} (the request shape the api
     * already sends, which its IAM policy allows). The request runs on a thread of its own and this waits at most
     * {@code budgetMs} for it (the transports' socket timeout is the search timeout plus a margin, longer than the time
     * a request has left once it is on its error path); a lookup still running after that is not sent again by the
     * next request but waited for, and fills the cache when it ends. Any failure — a timeout, 429, 503, no answer
     * in time — is a null: the caller answers its 400 without the suggestion, never a 5xx because of it.
     */
    @Override
    public Set<String> fieldNames(long budgetMs) {
        CachedNames cached = fieldNamesCache;
        if (cached != null && clock.getAsLong() < cached.until()) {
            return cached.names();
        }
        if (budgetMs < MIN_FIELD_NAMES_BUDGET_MS || client == null) {
            return null;
        }
        CompletableFuture<Set<String>> lookup;
        synchronized (this) {
            if (fieldNamesLookup == null || fieldNamesLookup.isDone()) {
                fieldNamesLookup = CompletableFuture.supplyAsync(this::fetchFieldNames, LOOKUP_THREADS);
            }
            lookup = fieldNamesLookup;
        }
        return waitAtMost(lookup, budgetMs); // null: no suggestion, the error goes out as it is
    }

    /**
     * The result of {@code lookup} (a lookup run on {@link #LOOKUP_THREADS}) if it ends within {@code budgetMs}, else
     * null — also when it failed (a timeout, 429 or 503): the caller decides without it. A lookup still running goes on
     * and fills its cache when it ends.
     */
    private static <T> T waitAtMost(CompletableFuture<T> lookup, long budgetMs) {
        try {
            return lookup.get(budgetMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return null;
        }
    }

    /**
     * For each of {@code patterns}, the fields some daily index has whose names match it
     * ({@link SearchBackend#patternFieldTypes}): cached per pattern for {@value #FIELD_CAPS_REUSE_MILLIS} ms; the
     * patterns not cached are asked together, in one {@code GET <alias>/_field_caps?fields=<p1>,<p2>,…} (the engine
     * expands a pattern as {@code query_string} does, {@code *} for any characters; metadata fields, which a pattern in
     * q does not search, left out; {@link #fetchFieldCaps} splits a request line too long), run on a thread of its own
     * and waited for at most {@code budgetMs} (none with less than {@value #MIN_FIELD_NAMES_BUDGET_MS} ms), its answers
     * cached even when they come too late. A pattern whose lookup is already under way (an earlier request stopped
     * waiting for it, or another runs at the same time) is not asked again: that lookup is waited for, within the same
     * budget. A pattern is left out when there is no index, or no answer in time, or the lookup failed.
     */
    @Override
    public Map<String, Map<String, Set<String>>> patternFieldTypes(List<String> patterns, long budgetMs) {
        Map<String, Map<String, Set<String>>> out = new HashMap<>();
        List<String> ask = new ArrayList<>();
        long now = clock.getAsLong();
        for (String pattern : patterns) {
            CachedPattern cached = patternCache.get(pattern);
            if (cached == null || now >= cached.until()) {
                ask.add(pattern);
            } else if (cached.anyIndex()) {
                out.put(pattern, cached.types());
            }
        }
        if (ask.isEmpty() || budgetMs < MIN_FIELD_NAMES_BUDGET_MS || client == null) {
            return out;
        }
        Map<String, CompletableFuture<CachedPattern>> lookups = new HashMap<>();
        Map<String, CompletableFuture<CachedPattern>> mine = new HashMap<>();
        for (String pattern : ask) {
            CompletableFuture<CachedPattern> fresh = new CompletableFuture<>();
            CompletableFuture<CachedPattern> lookup = patternLookups.computeIfAbsent(pattern, p -> fresh);
            if (lookup == fresh) {
                mine.put(pattern, fresh);
            }
            lookups.put(pattern, lookup);
        }
        if (!mine.isEmpty()) {
            LOOKUP_THREADS.execute(() -> lookUpPatterns(mine));
        }
        waitAtMost(CompletableFuture.allOf(lookups.values().toArray(CompletableFuture[]::new)), budgetMs);
        lookups.forEach((pattern, lookup) -> {
            CachedPattern answer = lookup.isDone() && !lookup.isCompletedExceptionally() ? lookup.join() : null;
            if (answer != null && answer.anyIndex()) {
                out.put(pattern, answer.types());
            }
        });
        return out; // without an answer for a pattern, the search runs as it would have
    }

    /** Ends the lookups of {@code mine} (pattern → lookup) with one {@code _field_caps} answer for all, or its failure. */
    private void lookUpPatterns(Map<String, CompletableFuture<CachedPattern>> mine) {
        try {
            Map<String, CachedPattern> answers = fetchPatterns(List.copyOf(mine.keySet()));
            mine.forEach((pattern, lookup) -> lookup.complete(answers.get(pattern)));
        } catch (Throwable e) {
            mine.values().forEach(lookup -> lookup.completeExceptionally(e));
        } finally {
            mine.forEach(patternLookups::remove);
        }
    }

    /** One {@code _field_caps} answer for {@code patterns}: the fields each matches, each pattern's answer cached. */
    private Map<String, CachedPattern> fetchPatterns(List<String> patterns) {
        FieldCaps caps = fetchFieldCaps(patterns);
        long until = clock.getAsLong() + FIELD_CAPS_REUSE_MILLIS;
        Map<String, CachedPattern> answers = new HashMap<>();
        for (String pattern : patterns) {
            Map<String, Set<String>> matched = new java.util.TreeMap<>();
            caps.types().forEach((name, types) -> {
                if (!name.startsWith("_") && !types.isEmpty() && FieldPatterns.matches(pattern, name)) {
                    matched.put(name, Set.copyOf(types));
                }
            });
            answers.put(pattern, new CachedPattern(java.util.Collections.unmodifiableMap(matched), caps.anyIndex(),
                    until));
        }
        if (patternCache.size() + answers.size() > PATTERN_CACHE_ENTRIES) {
            patternCache.clear();
        }
        patternCache.putAll(answers);
        return answers;
    }

    /** One {@code _field_caps} request for every field: the names (without {@code _} metadata fields), cached. */
    private Set<String> fetchFieldNames() {
        Map<String, String> parameters = new HashMap<>(FIELD_CAPS_PARAMETERS);
        parameters.put("fields", "*");
        byte[] answer = send(Requests.builder().method("GET").endpoint(fieldCapsEndpoint).query(parameters).build());
        Set<String> names = new TreeSet<>();
        try {
            json.readTree(answer).path("fields").fieldNames().forEachRemaining(name -> {
                if (!name.startsWith("_")) {
                    names.add(name);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> kept = names.size() <= MAX_FIELD_NAMES ? names
                : new TreeSet<>(List.copyOf(names).subList(0, MAX_FIELD_NAMES));
        Set<String> out = java.util.Collections.unmodifiableSet(kept);
        fieldNamesCache = new CachedNames(out, clock.getAsLong() + FIELD_CAPS_REUSE_MILLIS);
        return out;
    }

    /**
     * The days of each type of {@code field} when its type differs between daily indices, from the cached
     * {@code _field_caps} answer ({@link #fieldTypes(List)} has just read it: no request); empty when there is none or
     * it names no daily index.
     */
    @Override
    public Map<String, DaySpans> fieldDays(String field) {
        CachedField cached = fieldCapsCache.get(field);
        return cached == null ? Map.of() : cached.days();
    }

    /** The types of {@code names} from the cached {@code _field_caps} answers ({@link #fieldCaps}); null on failure. */
    @Override
    public Map<String, Set<String>> fieldTypes(List<String> names) {
        try {
            return names.isEmpty() ? Map.of() : fieldCaps(names).types();
        } catch (SearchBackendException e) {
            return null;
        }
    }

    /**
     * The daily indices' {@code _field_caps} for {@code fields} (names, no patterns): the fields without a fresh cached
     * answer in one request ({@link #fetchFieldCaps}: several at once when their names are too many for one request
     * line), each answer reused for {@value #FIELD_CAPS_REUSE_MILLIS} ms.
     */
    FieldCaps fieldCaps(List<String> fields) {
        long now = clock.getAsLong();
        Map<String, Set<String>> types = new HashMap<>();
        Map<String, Map<String, DaySpans>> days = new HashMap<>();
        boolean anyIndex = false;
        List<String> missing = new ArrayList<>();
        for (String field : fields) {
            CachedField cached = fieldCapsCache.get(field);
            if (cached == null || now >= cached.until() || contradicted(field, cached)) {
                missing.add(field);
            } else {
                anyIndex |= cached.anyIndex();
                if (!cached.types().isEmpty()) {
                    types.put(field, cached.types());
                }
                if (!cached.days().isEmpty()) {
                    days.put(field, cached.days());
                }
            }
        }
        if (!missing.isEmpty()) {
            FieldCaps fetched = fetchFieldCaps(List.copyOf(missing));
            if (fieldCapsCache.size() + missing.size() > FIELD_CAPS_CACHE_ENTRIES) {
                fieldCapsCache.clear();
            }
            long until = clock.getAsLong() + FIELD_CAPS_REUSE_MILLIS;
            anyIndex |= fetched.anyIndex();
            for (String field : missing) {
                Set<String> fieldTypes = fetched.types().getOrDefault(field, Set.of());
                Map<String, DaySpans> fieldDays = fetched.days().getOrDefault(field, Map.of());
                fieldCapsCache.put(field, new CachedField(fieldTypes, fetched.anyIndex(), until, fieldDays));
                if (!fieldTypes.isEmpty()) {
                    types.put(field, fieldTypes);
                }
                if (!fieldDays.isEmpty()) {
                    days.put(field, fieldDays);
                }
            }
        }
        return new FieldCaps(types, anyIndex, days);
    }

    /**
     * Whether {@code cached} says no index has {@code field} while the list of every name ({@link #fieldNames}), fetched
     * after that answer and still fresh, has it: the field's first index came in between, and a request must not be
     * refused for up to a minute for a field the API has just seen. Such a field is asked for again. A list older than
     * the answer does not overrule it (a field whose last index went away).
     */
    private boolean contradicted(String field, CachedField cached) {
        CachedNames all = fieldNamesCache;
        return cached.types().isEmpty() && all != null && all.until() >= cached.until()
                && clock.getAsLong() < all.until() && all.names().contains(field);
    }

    /**
     * The {@code _field_caps} answer for {@code fields}: one GET, or, when the names would make its request line
     * longer than {@value #MAX_FIELD_CAPS_LINE} bytes ({@link #fieldCapsBatches}), one GET per batch, sent at once on
     * threads of their own and their answers merged, so the lookup waits no longer than one request would. OpenSearch
     * refuses a request line over {@code http.max_initial_line_length} (4 KB by default) with a 400, and
     * {@code fields} alone may name 100 columns, each asked with its variants: one such GET failed, and with it the
     * whole check of q's names, the sort keys and {@code fields} (review s9c, 3). The api may only send
     * {@code GET <index>/_field_caps} and {@code POST <index>/_search} (its IAM policy), so no POST with the names in a
     * body. Any batch failing fails the lookup, as the one request did.
     */
    private FieldCaps fetchFieldCaps(List<String> fields) {
        List<List<String>> batches = fieldCapsBatches(fieldCapsEndpoint, fields);
        if (batches.size() == 1) {
            return fetchFieldCapsBatch(fields);
        }
        List<CompletableFuture<FieldCaps>> lookups = new ArrayList<>(batches.size());
        for (List<String> batch : batches) {
            lookups.add(CompletableFuture.supplyAsync(() -> fetchFieldCapsBatch(batch), LOOKUP_THREADS));
        }
        Map<String, Set<String>> types = new HashMap<>();
        Map<String, Map<String, DaySpans>> days = new HashMap<>();
        boolean anyIndex = false;
        for (CompletableFuture<FieldCaps> lookup : lookups) {
            FieldCaps caps;
            try {
                caps = lookup.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof RuntimeException cause) {
                    throw cause; // a SearchBackendException as the one request's, with its kind
                }
                throw e;
            }
            types.putAll(caps.types());
            days.putAll(caps.days());
            anyIndex |= caps.anyIndex();
        }
        return new FieldCaps(types, anyIndex, days);
    }

    /**
     * The longest request line, in bytes, of a {@code _field_caps} GET for names ({@code GET <path>?<query> HTTP/1.1},
     * the query URL-encoded): OpenSearch's {@code http.max_initial_line_length} is 4 KB by default; the rest is margin
     * for the encoding a client may choose and for a proxy's additions.
     */
    static final int MAX_FIELD_CAPS_LINE = 3_000;

    /**
     * {@code fields} in order, in batches whose {@code _field_caps} GET's request line stays within
     * {@link #MAX_FIELD_CAPS_LINE} bytes (a name longer than that alone has a batch of its own): one batch for any
     * ordinary request. Each byte counted as URL-encoded at its longest: 1 for an unreserved character, 3 for any
     * other byte of the name's UTF-8 form and for each comma.
     */
    static List<List<String>> fieldCapsBatches(String endpoint, List<String> fields) {
        int base = "GET ".length() + endpoint.length() + " HTTP/1.1".length() + 1 /* ? */ + "&fields=".length();
        for (Map.Entry<String, String> p : FIELD_CAPS_PARAMETERS.entrySet()) {
            base += encodedLength(p.getKey()) + 1 + encodedLength(p.getValue()) + 1;
        }
        List<List<String>> batches = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        int length = base;
        for (String field : fields) {
            int add = (batch.isEmpty() ? 0 : 3) + encodedLength(field);
            if (!batch.isEmpty() && length + add > MAX_FIELD_CAPS_LINE) {
                batches.add(batch);
                batch = new ArrayList<>();
                length = base;
                add = encodedLength(field);
            }
            batch.add(field);
            length += add;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    /** The length of {@code s} URL-encoded at its longest: 1 byte per unreserved ASCII character, 3 per other byte. */
    static int encodedLength(String s) {
        int n = 0;
        for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            boolean unreserved = b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-'
                    || b == '.' || b == '_' || b == '~';
            n += unreserved ? 1 : 3;
        }
        return n;
    }

    private FieldCaps fetchFieldCapsBatch(List<String> fields) {
        Map<String, String> parameters = new HashMap<>(FIELD_CAPS_PARAMETERS);
        parameters.put("fields", String.join(",", fields));
        byte[] answer = send(Requests.builder().method("GET").endpoint(fieldCapsEndpoint).query(parameters).build());
        try {
            JsonNode caps = json.readTree(answer);
            return new FieldCaps(fieldTypes(caps), !caps.path("indices").isEmpty(), fieldDays(caps, prefix));
        } catch (IOException | RuntimeException e) {
            throw new SearchBackendException(SearchBackendException.Kind.FAILED,
                    "the search engine returned an answer this API cannot read", e);
        }
    }

    /** Field name → its mapping types, from a {@code _field_caps} answer ({@code {"fields": {"f": {"long": …}}}}). */
    static Map<String, Set<String>> fieldTypes(JsonNode answer) {
        Map<String, Set<String>> types = new HashMap<>();
        answer.path("fields").fields().forEachRemaining(field -> {
            Set<String> set = new TreeSet<>();
            field.getValue().fieldNames().forEachRemaining(set::add);
            types.put(field.getKey(), set);
        });
        return types;
    }

    /**
     * For each field with more than one type in a {@code _field_caps} answer, the days of each type: OpenSearch lists a
     * type's {@code indices} only when the field's types differ; the dates come from the daily index names of
     * {@code prefix} ({@link IndexNames#dayOf}), other names are left out. A type without such a list, or without a
     * daily index in it, has no entry.
     */
    static Map<String, Map<String, DaySpans>> fieldDays(JsonNode answer, String prefix) {
        Map<String, Map<String, DaySpans>> days = new HashMap<>();
        answer.path("fields").fields().forEachRemaining(field -> {
            if (field.getValue().size() < 2) {
                return;
            }
            Map<String, DaySpans> byType = new HashMap<>();
            field.getValue().fields().forEachRemaining(type -> {
                List<java.time.LocalDate> dates = new ArrayList<>();
                type.getValue().path("indices").forEach(index -> {
                    java.time.LocalDate day = IndexNames.dayOf(prefix, index.asText());
                    if (day != null) {
                        dates.add(day);
                    }
                });
                if (!dates.isEmpty()) {
                    byType.put(type.getKey(), DaySpans.of(dates));
                }
            });
            if (!byType.isEmpty()) {
                days.put(field.getKey(), Map.copyOf(byType));
            }
        });
        return days;
    }

    /** The {@code _search} request body, UTF-8; {@code extraSorts} maps each sort key outside the contract. */
    byte[] requestBody(BackendQuery q, Map<String, SortMapping> extraSorts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (JsonGenerator g = json.getFactory().createGenerator(bytes)) {
            g.writeStartObject();
            g.writeStringField("timeout", q.timeoutMs() + "ms");
            g.writeNumberField("size", q.countOnly() ? 0 : q.size());
            g.writeFieldName("query");
            writeQuery(g, q);
            if (q.countOnly()) { // every match counted (not only up to 10,000), nothing sorted or fetched
                g.writeBooleanField("track_total_hits", true);
            } else {
                writePage(g, q, extraSorts);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The sort, resume values and returned fields of a page's request body. */
    private static void writePage(JsonGenerator g, BackendQuery q, Map<String, SortMapping> extraSorts) throws IOException {
        g.writeArrayFieldStart("sort");
        for (SortField s : q.sort()) {
            writeSort(g, s.field(), s.descending() ? "desc" : "asc", false, extraSorts.get(s.field()));
        }
        for (String field : TIEBREAKER) {
            writeSort(g, field, "asc", true, null);
        }
        g.writeEndArray();
        if (!q.searchAfter().isEmpty()) {
            refuseMissingNumbers(q, extraSorts);
            g.writeArrayFieldStart("search_after");
            for (Object v : q.searchAfter()) {
                CursorCodec.writeSortValue(g, v);
            }
            g.writeEndArray();
        }
        if (!q.fields().isEmpty()) {
            g.writeObjectFieldStart("_source");
            g.writeArrayFieldStart("includes");
            for (String field : q.fields()) {
                g.writeString(field);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    /** The guarded {@code query_string} (or {@code match_all}), with the time range as a filter. */
    private static void writeQuery(JsonGenerator g, BackendQuery q) throws IOException {
        boolean range = q.fromMillis() != null || q.toMillis() != null;
        if (range) {
            g.writeStartObject();
            g.writeObjectFieldStart("bool");
            g.writeArrayFieldStart("must");
        }
        g.writeStartObject();
        if (q.query().isEmpty()) {
            g.writeObjectFieldStart("match_all");
        } else {
            g.writeObjectFieldStart("query_string");
            g.writeStringField("query", q.query());
            g.writeStringField("default_field", DEFAULT_FIELD);
            g.writeStringField("default_operator", "or");
            g.writeBooleanField("allow_leading_wildcard", false);
            g.writeBooleanField("lenient", false);
            g.writeBooleanField("analyze_wildcard", false);
            g.writeNumberField("max_determinized_states", MAX_DETERMINIZED_STATES);
            // a fuzzy term (gogle.com~) keeps its first character, as a wildcard or a regular expression must: with
            // prefix 0 each one walks the whole term dictionary of the field with a two-edit automaton
            g.writeNumberField("fuzzy_prefix_length", 1);
        }
        g.writeEndObject();
        g.writeEndObject();
        if (range) {
            g.writeEndArray();
            g.writeArrayFieldStart("filter");
            g.writeStartObject();
            g.writeObjectFieldStart("range");
            g.writeObjectFieldStart(Fields.TIMESTAMP);
            g.writeStringField("format", "epoch_millis");
            if (q.fromMillis() != null) {
                g.writeNumberField("gte", q.fromMillis());
            }
            if (q.toMillis() != null) {
                g.writeNumberField("lt", q.toMillis());
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /** Mapping types whose sort values are numbers: a hit without a value sorts as Long.MIN_VALUE / MAX_VALUE. */
    private static final Set<String> NUMERIC_SORTS = Set.of("long", "integer", "short", "byte", "unsigned_long",
            "double", "float", "half_float", "scaled_float", "date", "date_nanos");

    /**
     * A {@code null} resume value for a number or date sort key: OpenSearch answers it with HTTP 500 (a
     * NullPointerException), and never returns one itself (only a keyword or an IP without a value sorts as null),
     * so the cursor was edited: a 400 like any other damaged cursor, not a 502.
     */
    private static void refuseMissingNumbers(BackendQuery q, Map<String, SortMapping> extraSorts) {
        List<String> keys = new ArrayList<>();
        q.sort().forEach(s -> keys.add(s.field()));
        keys.addAll(TIEBREAKER);
        for (int i = 0; i < keys.size() && i < q.searchAfter().size(); i++) {
            String field = keys.get(i);
            SortMapping extra = extraSorts.get(field);
            String type = extra == null ? contractType(field) : extra.unmappedType();
            if (q.searchAfter().get(i) == null && NUMERIC_SORTS.contains(type)) {
                throw ApiException.badRequest("invalid_cursor", "cursor is damaged (no sort value for " + field
                        + "): pass the 'next' value of the previous page unchanged");
            }
        }
    }

    /** @param extra how to sort a key outside the data contract; null for a contract field */
    private static void writeSort(JsonGenerator g, String field, String order, boolean missingLast, SortMapping extra)
            throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart(field);
        g.writeStringField("order", order);
        if (missingLast) {
            g.writeStringField("missing", "_last");
        }
        if (extra == null) {
            g.writeStringField("unmapped_type", contractType(field));
        } else {
            g.writeStringField("unmapped_type", extra.unmappedType());
            if (extra.numericType() != null) {
                g.writeStringField("numeric_type", extra.numericType());
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The mapping type of a data contract field, for indices that lack it ({@code unmapped_type}). */
    private static String contractType(String field) {
        switch (Fields.typeOf(field)) {
            case IP:
                return "ip";
            case DATE:
                return "date";
            case INTEGER:
                return "integer";
            case LONG:
                return "long";
            default:
                return "keyword";
        }
    }

    /** Maps an error status and the {@code error} object of OpenSearch's answer (may be null). */
    static SearchBackendException fromStatus(int status, JsonNode error) {
        return fromStatus(status, error, null);
    }

    /** As {@link #fromStatus(int, JsonNode)}, keeping {@code cause} (the transport's exception, may be null). */
    static SearchBackendException fromStatus(int status, JsonNode error, Throwable cause) {
        if (status == 429 || status == 502 || status == 503) {
            return new SearchBackendException(SearchBackendException.Kind.UNAVAILABLE,
                    "the search engine is overloaded or unavailable (HTTP " + status + "); try again shortly", cause);
        }
        if (status == 504) {
            return new SearchBackendException(SearchBackendException.Kind.TIMEOUT,
                    "the search engine did not answer in time", cause);
        }
        if (status == 400 || status == 500 && OpenSearchErrors.tooManyNestedClauses(error)) {
            // the query's clauses over the whole query (a list of 513 srcIp addresses, two clauses each) pass the
            // parser and fail the search with an HTTP 500: the user's query is at fault, not the engine
            return new SearchBackendException(SearchBackendException.Kind.BAD_QUERY, OpenSearchErrors.readable(error),
                    cause);
        }
        // the engine's reason only for the log: a 403 of fine-grained access control names the role ARN (account id)
        return new SearchBackendException(SearchBackendException.Kind.FAILED, "the search engine failed the search"
                + " (HTTP " + status + ")", error == null ? null : "HTTP " + status + ": " + OpenSearchErrors.readable(error),
                cause);
    }

    private JsonNode errorJson(byte[] answer) {
        try {
            JsonNode node = json.readTree(answer);
            return node == null || !node.path("error").isObject() ? null : node.path("error");
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    /**
     * The {@code error} object of the answer the Apache transport's {@code ResponseException} quotes in its message
     * (its status line, a line break, then the body as the engine sent it), or null: the exception's own response type
     * is not public, and its message is all of the body there is (read on this error path only).
     */
    static JsonNode errorOfMessage(String message) {
        int body = message == null ? -1 : message.indexOf("\n{");
        if (body < 0) {
            return null;
        }
        try {
            JsonNode error = ErrorJson.READER.readTree(message.substring(body + 1)).path("error");
            return error.isObject() ? error : null;
        } catch (IOException | RuntimeException notJson) {
            return null;
        }
    }

    /** Made on the first error that needs it, not at the function's cold start. */
    private static final class ErrorJson {
        static final ObjectMapper READER = new ObjectMapper();
    }

    /**
     * Maps a transport failure. A timeout's message names no number: the socket waits the configured search timeout
     * plus a margin ({@link OpenSearchClients}), not the budget left for this request.
     */
    static SearchBackendException fromTransport(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ResponseException) { // the Apache transport throws 429 and 5xx answers
                return fromStatus(((ResponseException) t).status(), errorOfMessage(t.getMessage()), e);
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return new SearchBackendException(SearchBackendException.Kind.TIMEOUT,
                        "the search engine did not answer in time; narrow the query or the time range", e);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException) {
                return new SearchBackendException(SearchBackendException.Kind.UNAVAILABLE,
                        "the search engine cannot be reached; try again shortly", e);
            }
        }
        if (e instanceof IOException) {
            return new SearchBackendException(SearchBackendException.Kind.UNAVAILABLE,
                    "the connection to the search engine failed; try again shortly", e);
        }
        return new SearchBackendException(SearchBackendException.Kind.FAILED,
                "the search engine returned an answer this API cannot read", e);
    }

}
