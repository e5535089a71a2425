package dev.netmeta.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.netmeta.model.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The search logic: resumes from a cursor, fetches pages from the {@link SearchBackend} until the requested size
 * or the response byte budget (measured by the format's {@link ResultWriter} on what it writes) is reached, and
 * hands out the cursor of the next page.
 *
 * <p>Pages are fetched with one hit more than needed, so the last page carries no {@code next} and the caller
 * never has to fetch an empty page to learn that it is done.
 */
public final class SearchService {

    /** Lambda's response limit is 6 MB for the whole (JSON-escaped) proxy response; keep 1 MB of headroom. */
    static final long DEFAULT_BODY_BUDGET_BYTES = 5_000_000;
    /** Hits per request to the engine during an export. */
    static final int BACKEND_PAGE = 1000;

    private final SearchBackend backend;
    private final CursorCodec cursors;
    private final long timeoutMs;
    private final long bodyBudgetBytes;
    private final LongSupplier clock;

    public SearchService(SearchBackend backend, ObjectMapper json, long timeoutMs) {
        this(backend, json, timeoutMs, DEFAULT_BODY_BUDGET_BYTES, System::currentTimeMillis);
    }

    SearchService(SearchBackend backend, ObjectMapper json, long timeoutMs, long bodyBudgetBytes, LongSupplier clock) {
        this.backend = backend;
        this.cursors = new CursorCodec(json);
        this.timeoutMs = timeoutMs;
        this.bodyBudgetBytes = bodyBudgetBytes;
        this.clock = clock;
    }

    /**
     * {@code e} with the field its sort key or {@code fields} name probably means ({@code Flow Duration} → {@code Flow_Duration}), looked up
     * within the search timeout (the request has done nothing else yet); {@code e} itself when none is found in time.
     * The explanation says how the loader names such a column: an alias ({@code Src IP}) is mapped to its contract
     * field ({@code srcIp}), any other column written with {@code _} for what a field name cannot hold.
     */
    ApiException withSuggestion(SearchParametersParser.InvalidFieldName e) {
        String meant = UnknownFields.sortKeySuggestion(backend, e.key(), timeoutMs);
        if (meant == null || meant.equals(e.key())) {
            return e;
        }
        String why = Fields.isCanonical(meant) ? "the loader maps the column '" + e.key() + "' to the field " + meant
                : "the loader writes a space or any other character of a column name that is not a letter, a digit, _"
                        + " or - as _";
        return ApiException.badRequest(e.code(), e.getMessage() + "; did you mean '" + meant + "'? (" + why + ")");
    }

    /** OpenSearch's reason ({@link OpenSearchErrors}) for a term that is no number on a field mapped as one. */
    private static final Pattern NOT_A_NUMBER = Pattern.compile("'(.*)' is not a number");
    /** Mapping types of numbers. */
    private static final Set<String> NUMBER_TYPES = NonTextPatterns.NUMBER_TYPES;

    /**
     * {@code e}, or, when the engine refused a term that is no number ({@code k:k1}: "'k1' is not a number") or a
     * pattern ({@code k:k*}) on an extra column of {@code q} that is a number in some daily indices and text in others
     * (the index template maps such a column per day, from its first value), a 400 that says so: the engine refuses the
     * term on the number days, and without partial results ({@code allow_partial_search_results: false}) the whole
     * search fails, which its reason alone does not explain. Only on this error path: the types come from the
     * {@code _field_caps} answer the unknown-field check cached for the same names.
     *
     * <p>Decision: a 400 rather than {@code lenient: true} for such queries, which would let the text days match —
     * {@code query_string} has one lenient flag for every field of the query, so any other value mistake in it
     * ({@code srcIp:10.0.0.300}, a date) would silently match nothing instead of being named (docs/API.md, "Strict
     * values").
     */
    SearchBackendException withMixedTypes(SearchBackendException e, SearchParameters p) {
        if (e.kind() != SearchBackendException.Kind.BAD_QUERY || e.getMessage() == null || p.queryFields().isEmpty()) {
            return e;
        }
        Matcher value = NOT_A_NUMBER.matcher(e.getMessage());
        Matcher pattern = OpenSearchErrors.PATTERN_ON_NON_TEXT.matcher(e.getMessage()); // its reason for k:k*
        boolean term = value.matches();
        if (!term && !pattern.find()) {
            return e;
        }
        Map<String, Set<String>> types = backend.fieldTypes(p.queryFields());
        if (types == null) {
            return e;
        }
        for (String field : p.queryFields()) {
            Set<String> t = types.getOrDefault(field, Set.of());
            if (!term && !pattern.group(1).equals(field)
                    || t.stream().noneMatch(NUMBER_TYPES::contains) || t.stream().allMatch(NUMBER_TYPES::contains)) {
                continue;
            }
            // the engine's "'abc' is not a number" names no field: with another field of q that is a number in some
            // index (k:5 AND x:abc, x a number every day), blame this one only where q gives it that value
            if (term && !valueOf(p.query(), field, value.group(1)) && p.queryFields().stream().anyMatch(other ->
                    !other.equals(field) && types.getOrDefault(other, Set.of()).stream().anyMatch(NUMBER_TYPES::contains))) {
                continue;
            }
            String what = term ? "'" + value.group(1) + "', which is no number," : "a wildcard, regular-expression or"
                    + " fuzzy term";
            return new SearchBackendException(e.kind(), "q searches " + field + " for " + what + " and " + field
                    + " has different types in different daily indices (" + String.join(", ", new TreeSet<>(t))
                    + "): it is a number on some days and text on others, and the search engine refuses such a term on"
                    + " the number days, so the whole search fails (" + (term ? e.getMessage() : pattern.group())
                    + "). Narrow from/to to days"
                    + " where " + field + " is text" + textDays(field) + ", or search a number on it (" + field
                    + ":" + NonTextPatterns.NumberExamples.of(numberTypes(t)).value() + "), which the number days"
                    + " answer", e.detail(), e.getCause());
        }
        return e;
    }

    /** The number types among {@code types}. */
    private static Set<String> numberTypes(Set<String> types) {
        Set<String> numbers = new TreeSet<>(types);
        numbers.retainAll(NUMBER_TYPES);
        return numbers;
    }

    /**
     * {@code e}, or, when the engine refused a value that does not fit a field's type and named neither
     * ({@code status:"OK"}: "'OK' is not a number"; {@code srcIp:abc}, {@code timestamp:abc}), a 400 that names the
     * field q gives the value to, its type and values it takes ({@link ValueRefusals#onField}). Only on this error
     * path; an extra column's type comes from the {@code _field_caps} answer the unknown-field check cached for the
     * same names (no request of its own), a contract field's from the contract.
     */
    SearchBackendException withValueField(SearchBackendException e, SearchParameters p) {
        if (e.kind() != SearchBackendException.Kind.BAD_QUERY || e.getMessage() == null
                || ValueRefusals.of(e.getMessage()) == null) {
            return e;
        }
        Map<String, Set<String>> types = p.queryFields().isEmpty() ? Map.of() : backend.fieldTypes(p.queryFields());
        String message = ValueRefusals.onField(e.getMessage(), p.query(), p.queryFields(), types);
        return message == null ? e : new SearchBackendException(e.kind(), message, e.detail(), e.getCause());
    }

    /**
     * The days on which {@code field} has a type that is no number, with the from/to of the last run of them
     * ({@code " (2018-05-08: from=2018-05-08&to=2018-05-09)"}), from the days the backend's cached answer lists per type
     * ({@link SearchBackend#fieldDays}); "" when it lists none.
     */
    private String textDays(String field) {
        List<DaySpans> text = new ArrayList<>();
        backend.fieldDays(field).forEach((type, days) -> {
            if (!NUMBER_TYPES.contains(type)) {
                text.add(days);
            }
        });
        DaySpans days = DaySpans.union(text);
        return days.isEmpty() ? "" : " (" + days.describe() + ")";
    }

    /**
     * Whether {@code query} gives {@code field} the value {@code value} right after its colon: {@code k:k1},
     * {@code k:"k1"}, {@code k:(k1}, {@code k:>=k1} (a value further into a group is not seen: the caller then does
     * not guess).
     */
    static boolean valueOf(String query, String field, String value) {
        return Pattern.compile("(?<![\\w.])" + Pattern.quote(field) + ":\\s*[(\"]?\\s*(?:[<>]=?)?\\s*\"?"
                + Pattern.quote(value) + "(?![\\w.])").matcher(query).find();
    }

    /**
     * A count ({@code size=0}): the exact number of matching documents, no hit, no cursor — one request in which the
     * engine counts every match ({@link BackendQuery#countOnly}); one that runs out of time is a 504, never a partial
     * count taken for the total.
     */
    private SearchResult count(SearchParameters p, Long from, Long to, long timeLeft) {
        SearchPage page = backend.search(new BackendQuery(p.query(), from, to, p.sort(), List.of(), 0, List.of(),
                Math.max(1, timeLeft), true));
        if (page.timedOut()) {
            throw new SearchBackendException(SearchBackendException.Kind.TIMEOUT, "the count did not finish within "
                    + timeoutMs + " ms; narrow the query or the time range");
        }
        return new SearchResult(page.total(), page.totalExact(), page.tookMs(), List.of(), null);
    }

    /**
     * Runs one request: the hits go into {@code writer}, which measures the body; the returned result holds the
     * same hits, the totals and the cursor of the next response (carrying the writer's layout, if any).
     */
    public SearchResult search(SearchParameters p, ResultWriter writer) {
        long started = clock.getAsLong();
        String fingerprint = CursorCodec.fingerprint(p);
        List<Object> searchAfter = List.of();
        Long resumedNow = null;
        if (p.cursor() != null) {
            CursorCodec.Position position = cursors.read(p.cursor(), fingerprint, p.sort().size() + backend.tiebreakerValues());
            searchAfter = position.sortValues();
            if (position.csvLayout() != null) {
                writer.resume(position.csvLayout());
            }
            resumedNow = position.now();
        }
        // from/to written as date math: resolved against now, or, on a later page, the first page's now (the cursor
        // carries it), so that the pages of one search share one window
        boolean relative = p.fromMath() != null || p.toMath() != null;
        Long now = !relative ? null : resumedNow != null ? resumedNow : started;
        Long from = p.fromMath() != null ? Long.valueOf(p.fromMath().resolve("from", now)) : p.fromMillis();
        Long to = p.toMath() != null ? Long.valueOf(p.toMath().resolve("to", now)) : p.toMillis();
        if (relative) {
            SearchParametersParser.checkRange(from, to, " (date math taken at " + java.time.Instant.ofEpochMilli(now)
                    + ")");
        }
        // a field of q that no daily index has is a typo, not a clause that silently matches nothing (one cached
        // lookup, which also answers the sort check for extra sort keys; none when q uses only the contract's fields)
        List<String> extraSortKeys = new ArrayList<>();
        for (SortField s : p.sort()) {
            if (!Fields.isCanonical(s.field()) && !Fields.isProvenance(s.field())) {
                extraSortKeys.add(s.field());
            }
        }
        // so is an exact name of fields outside the contract (a typo returned records without it, an empty CSV
        // column); a pattern (src*) matching nothing is no error
        List<String> extraReturned = new ArrayList<>();
        for (String f : p.fields()) {
            if (f.indexOf('*') < 0 && !Fields.isCanonical(f) && !Fields.isProvenance(f)) {
                extraReturned.add(f);
            }
        }
        // a suggestion for an unknown name may need every field name: asked within the request's time left only
        UnknownFields.check(backend, p.queryFields(), extraSortKeys, extraReturned, p.query(),
                () -> timeoutMs - (clock.getAsLong() - started));
        // a regular expression on an extra column that is a number, date or IP every day matches nothing, silently:
        // refused with the types that check's _field_caps answer holds (cached: no request of its own)
        NonTextPatterns.refuseRegexpsOnExtraColumns(backend, p.query(), p.queryFields());
        // so does one on a field name pattern that matches only such fields (dst\*:/4.*/: dstIp, dstPort): decided by
        // the contract when the pattern matches one of its keyword fields, else by one cached _field_caps for the
        // pattern, waited for at most half the time left (the search keeps the rest)
        NonTextPatterns.refuseRegexpsOnFieldPatterns(backend, p.query(),
                () -> (timeoutMs - (clock.getAsLong() - started)) / 2);
        // so does a fraction on an extra column that is a whole number every day (Flow_Duration:1.5), or a reversed range
        // on one that is a number (Flow_Duration:[100 TO 5]): the values the guard's reading collected, same answer
        ExtraColumnValues.refuse(backend, p.extraValues());

        if (p.size() == 0) {
            return count(p, from, to, timeoutMs - (clock.getAsLong() - started));
        }
        List<SearchHit> hits = new ArrayList<>(Math.min(p.size(), BACKEND_PAGE));
        long took = 0;
        long total = 0;
        boolean exact = true;
        boolean more = false;
        boolean first = true;
        int remaining = p.size();
        while (true) {
            int batch = Math.min(remaining, BACKEND_PAGE);
            long timeLeft = timeoutMs - (clock.getAsLong() - started);
            SearchPage page;
            try {
                page = backend.search(new BackendQuery(p.query(), from, to, p.sort(),
                        searchAfter, batch + 1, p.fields(), Math.max(1, timeLeft)));
            } catch (SearchBackendException e) {
                if (e.kind() == SearchBackendException.Kind.TIMEOUT && !hits.isEmpty()) {
                    more = true; // a later batch of an export ran out of time: answer with what is written
                    break;
                }
                throw e;
            }
            if (page.timedOut()) {
                if (!hits.isEmpty()) {
                    more = true; // same: the hits so far are complete, the cursor continues after the last one
                    break;
                }
                throw new SearchBackendException(SearchBackendException.Kind.TIMEOUT,
                        "the search did not finish within " + timeoutMs + " ms; narrow the query or the time range");
            }
            took += page.tookMs();
            if (first) {
                total = page.total();
                exact = page.totalExact();
                first = false;
            }
            List<SearchHit> pageHits = page.hits();
            List<SearchHit> usable = pageHits.subList(0, Math.min(batch, pageHits.size()));
            writer.batch(usable);
            boolean budgetReached = false;
            for (SearchHit hit : usable) {
                if (!writer.add(hit, bodyBudgetBytes)) {
                    if (hits.isEmpty()) { // this hit alone is more than a response can carry
                        // the first response of a CSV export wrote no header (the 413 is JSON): its cursor carries
                        // no layout, so the next response decides the columns and writes the header
                        throw new HitTooLargeException(hit, writer.lastRefusedBytes(), bodyBudgetBytes,
                                cursors.encode(fingerprint, hit.sortValues(), p.cursor() == null ? null : writer.layout(),
                                        now));
                    }
                    budgetReached = true;
                    break;
                }
                hits.add(hit);
            }
            if (budgetReached) {
                more = true;
                break;
            }
            if (pageHits.size() <= batch) {
                more = false;
                break;
            }
            remaining -= batch;
            if (remaining == 0) {
                more = true;
                break;
            }
            // An export pages on; stop early when half the time is used so the answer still arrives in time.
            if (clock.getAsLong() - started > timeoutMs / 2) {
                more = true;
                break;
            }
            searchAfter = hits.get(hits.size() - 1).sortValues();
        }
        String next = more && !hits.isEmpty()
                ? cursors.encode(fingerprint, hits.get(hits.size() - 1).sortValues(), writer.layout(), now) : null;
        return new SearchResult(total, exact, took, hits, next);
    }
}
