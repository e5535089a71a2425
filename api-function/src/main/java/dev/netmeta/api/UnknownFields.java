package dev.netmeta.api;

import dev.netmeta.model.Fields;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * A field name in {@code q} that no daily index has is a 400 {@code unknown_field}, not a search that silently finds
 * nothing ({@code srcip:10.0.0.1}) or drops a clause ({@code srcIp:"10.0.0.0/8"&&dstPort:53}: Lucene's lexer reads
 * {@code &&dstPort} as one term, so the field is {@code &&dstPort} and the AND is gone).
 *
 * <p>The names come from {@link QueryGuard}'s reading of the query ({@link QueryGuard#fieldsToCheck}: contract
 * fields, metadata fields and patterns are never looked up). The indices decide, not a fixed list: loaded files may
 * carry extra columns (docs/DATA-CONTRACT.md). One lookup per query ({@link SearchBackend#existingFields}, the
 * {@code _field_caps} request and cache of the sort check) answers for its names and, to suggest a spelling, for
 * their variants: without a leading operator ({@code &&}, {@code ||}, {@code !}, {@code +}, {@code -}), the safe name
 * the loader would write ({@code alert.signature} → {@code alert_signature}), and lower-cased. A source's own column
 * name that the loader maps to a contract field ({@code query} → {@code host}, {@code id.orig_h} → {@code srcIp}:
 * {@link Fields#canonicalNameUncached}, as for sort keys) is suggested with no lookup, its safe name when an index has
 * it, each saying so.
 * When the lookup cannot answer, the search runs unchecked. The same lookup answers for the request's sort keys
 * outside the contract: one that no index has is a 400 too.
 *
 * <p>When that answer suggests nothing for an unknown name, the error path — and only it — asks for every field name
 * of the indices ({@link SearchBackend#fieldNames}, within the request's time left; without an answer the 400 goes out
 * without a suggestion) and suggests, in this order ({@link #suggestion}), the column the words before the name make
 * with it ({@code Flow Duration:5} reads the field {@code Duration}), a name equal ignoring case
 * ({@code flow_duration} → {@code Flow_Duration}), or the nearest name by edit distance ({@link #nearest}). A sort
 * key that is no field name ({@code sort=Flow Duration}) gets the loader's name for such a column
 * ({@link #sortKeySuggestion}).
 */
final class UnknownFields {

    /** Operators that, glued to a field name, the lexer reads as part of it (longest first). */
    private static final List<String> OPERATORS = List.of("&&", "||", "!", "+", "-");

    private UnknownFields() {
    }

    /** Throws a 400 {@code unknown_field} if some index-less name is among {@code names}; otherwise returns. */
    static void check(SearchBackend backend, List<String> names) {
        check(backend, names, List.of(), "", () -> Long.MAX_VALUE);
    }

    /**
     * As {@link #check(SearchBackend, List)}; {@code alsoAsk} (the request's sort keys outside the contract) go into
     * the same lookup, so that the sort check finds their answer cached and a request sends one {@code _field_caps}
     * at most (or several at once, for names too many for one request line: {@code OpenSearchSearchBackend}) — each
     * engine request may wait the whole search timeout, and three in a row would outlast the function.
     * A sort key that no index has is a 400 {@code unknown_field}, as a name of q or fields is ({@link #sortRefusal},
     * the one place of that message).
     * A name or key that the list of every name, fetched for a suggestion, has is asked again
     * ({@link SearchBackend#existingFields(List, long)}, within the time left): the backend asks once more for those
     * whose cached "no index has it" is older than the list and keeps the newer answers, so a list older than the
     * answer (the field's last index deleted) lets nothing through; without an answer in time, the list counts only
     * over answers older than it.
     * {@code query}: the query as sent, where a name's words before it are found ({@code Flow Duration:5});
     * {@code timeLeft}: the request's time left, in ms, when a suggestion needs every field name
     * ({@link SearchBackend#fieldNames}, on this error path only: never for a request that passes).
     */
    static void check(SearchBackend backend, List<String> names, List<String> alsoAsk, String query,
                      LongSupplier timeLeft) {
        check(backend, names, alsoAsk, List.of(), query, timeLeft);
    }

    /**
     * As {@link #check(SearchBackend, List, List, String, LongSupplier)}; {@code returned}: the exact names of the
     * request's {@code fields} outside the contract (no pattern), asked in the same lookup with their variants; one that
     * no index has is a 400 {@code unknown_field} too ({@link #returnedRefusal}), after q's names and the sort keys.
     */
    static void check(SearchBackend backend, List<String> names, List<String> alsoAsk, List<String> returned,
                      String query, LongSupplier timeLeft) {
        if (names.isEmpty() && alsoAsk.isEmpty() && returned.isEmpty()) {
            return;
        }
        Set<String> asked = new LinkedHashSet<>(names);
        for (String name : names) {
            asked.addAll(variants(name));
        }
        asked.addAll(alsoAsk);
        for (String name : returned) {
            asked.add(name);
            asked.addAll(variants(name));
        }
        Set<String> existing = backend.existingFields(List.copyOf(asked));
        if (existing == null) {
            return; // no index at all, or the lookup failed: nothing to tell a typo by
        }
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if (!existing.contains(name)) {
                unknown.add(name);
            }
        }
        List<String> unknownKeys = new ArrayList<>();
        for (String key : alsoAsk) {
            if (!existing.contains(key)) {
                unknownKeys.add(key);
            }
        }
        List<String> unknownReturned = new ArrayList<>();
        for (String name : returned) {
            if (!existing.contains(name)) {
                unknownReturned.add(name);
            }
        }
        if (unknown.isEmpty() && unknownKeys.isEmpty() && unknownReturned.isEmpty()) {
            return;
        }
        AllNames all = new AllNames(backend, timeLeft);
        String message = unknown.isEmpty() ? null : message(unknown, existing, all, query);
        java.util.Map<String, Suggestion> meant = new java.util.HashMap<>();
        for (String key : unknownKeys) {
            meant.put(key, suggestion(key, List.of(), existing, all));
        }
        for (String name : unknownReturned) {
            meant.putIfAbsent(name, suggestion(name, List.of(), existing, all));
        }
        if (all.fetched()) {
            // the suggestion asked for every name, and the list has some of the unknown ones: it does not decide
            // (it may be older than "no index has it": a field whose last index went away, a 200 that finds nothing);
            // the backend asks again for those whose answer is older than the list (the field's first index came in
            // between) and keeps the newer answers — one request at most, within the time left, none if no answer
            // is older than the list
            Set<String> listed = new LinkedHashSet<>();
            for (String name : unknown) {
                if (all.get().contains(name)) {
                    listed.add(name);
                }
            }
            for (String key : unknownKeys) {
                if (all.get().contains(key)) {
                    listed.add(key);
                }
            }
            for (String name : unknownReturned) {
                if (all.get().contains(name)) {
                    listed.add(name);
                }
            }
            if (!listed.isEmpty()) {
                Set<String> confirmed = backend.existingFields(List.copyOf(listed), Math.max(0, timeLeft.getAsLong()));
                // null: a backend that cannot tell at all; the list decides, as before it was asked again
                Set<String> found = confirmed == null ? listed : confirmed;
                unknownKeys.removeIf(found::contains);
                unknownReturned.removeIf(found::contains);
                if (unknown.removeIf(found::contains) && !unknown.isEmpty()) {
                    message = message(unknown, existing, all, query); // the same list: no second request for it
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown_field", message);
        }
        if (!unknownKeys.isEmpty()) {
            // unknown_field as in q and fields: the same mistake in any parameter has one code (the message says
            // where); invalid_sort stays for what the sort parameter's own syntax gets wrong
            String key = unknownKeys.get(0);
            Suggestion m = meant.get(key);
            throw ApiException.badRequest("unknown_field", sortRefusal(key, m == null ? null : m.name(),
                    m == null ? null : m.reason()));
        }
        if (!unknownReturned.isEmpty()) {
            throw ApiException.badRequest("unknown_field", returnedRefusal(unknownReturned, meant));
        }
    }

    /**
     * The one message of a sort key that no daily index has ({@code meant}: the field suggested, or null; never the key
     * itself, which would tell the user to write what they wrote). Without a suggestion it names the fields every index
     * has ({@link #noSuggestionNote}), as an unknown name of q or fields does.
     */
    static String sortRefusal(String key, String meant) {
        return sortRefusal(key, meant, null);
    }

    /**
     * As {@link #sortRefusal(String, String)}; {@code reason}: why {@code meant} is suggested when it is the field the
     * loader maps or writes the key's column as ({@link Suggestion#reason}), else null (the case).
     */
    static String sortRefusal(String key, String meant, String reason) {
        boolean suggested = meant != null && !meant.equals(key);
        String why = !suggested ? noSuggestionNote() : reason != null ? reason : spellingNote(key, meant);
        return "cannot sort by '" + key + "': no daily index has this field"
                + (suggested ? "; did you mean '" + meant + "'?" : "") + (why != null ? " (" + why + ")" : "");
    }

    /**
     * Why {@code meant} is suggested for {@code typed} when nothing else explains it: "field names are case-sensitive"
     * when the two differ only in case ({@code srcip} → {@code srcIp}), else null — for a near spelling
     * ({@code scrIp} → {@code srcIp}, {@code timestmap} → {@code timestamp}) the case is not the mistake, and the
     * suggestion says enough.
     */
    static String spellingNote(String typed, String meant) {
        return meant.equalsIgnoreCase(typed) ? "field names are case-sensitive" : null;
    }

    /**
     * The note of an unknown name for which nothing is suggested, alike in q, fields and sort: "field names are
     * case-sensitive; every index has timestamp, srcIp, …" — the contract's and the provenance fields, the names a
     * user can count on whatever files were loaded.
     */
    static String noSuggestionNote() {
        return "field names are case-sensitive; every index has " + String.join(", ", Fields.canonicalFields()) + ", "
                + String.join(", ", Fields.provenanceFields());
    }

    /**
     * The message for names of {@code fields} that no daily index has (at least one), with the field meant for the
     * first when one was found ({@code meant}: by name).
     */
    static String returnedRefusal(List<String> unknown, java.util.Map<String, Suggestion> meant) {
        String name = unknown.get(0);
        Suggestion m = meant.get(name);
        StringBuilder b = new StringBuilder("fields names '").append(name).append("', which no daily index has");
        if (m != null && !m.name().equals(name)) {
            String why = m.reason() != null ? m.reason() : spellingNote(name, m.name());
            b.append("; did you mean '").append(m.name()).append("'?").append(why != null ? " (" + why + ")" : "");
        } else {
            b.append(" (").append(noSuggestionNote()).append(')');
        }
        return withTheOthers(b, unknown);
    }

    /**
     * The field a sort key that is no field name ({@code Flow Duration}, {@code src ip}) probably means, or null: the
     * name the loader gives such a column ({@link Fields#canonicalNameUncached}: a contract field for an alias such as
     * {@code Src IP}, else the safe name, {@code Flow_Duration}), if it is a contract field or some index has it
     * (also in another case), looked up within {@code budgetMs}.
     */
    static String sortKeySuggestion(SearchBackend backend, String key, long budgetMs) {
        if (key.isBlank() || key.strip().startsWith("_")) {
            return null; // a metadata field (_id) is no column the loader wrote
        }
        String name = Fields.canonicalNameUncached(key); // user input: not into the loader's cache
        if (Fields.isCanonical(name) || Fields.isProvenance(name)) {
            return name;
        }
        return ignoringCase(name, new AllNames(backend, () -> budgetMs).get());
    }

    /** Every field name of the indices, asked for once and only when a suggestion needs it; empty if unknown. */
    static final class AllNames {
        private final SearchBackend backend;
        private final LongSupplier timeLeft;
        private Set<String> names;

        AllNames(SearchBackend backend, LongSupplier timeLeft) {
            this.backend = backend;
            this.timeLeft = timeLeft;
        }

        /** Whether {@link #get} has been called (the names asked for, or found cached, in this request). */
        boolean fetched() {
            return names != null;
        }

        Set<String> get() {
            if (names == null) {
                Set<String> found = backend.fieldNames(Math.max(0, timeLeft.getAsLong()));
                names = found == null ? Set.of() : found;
            }
            return names;
        }
    }

    /**
     * The names besides {@code name} that one lookup asks for, to suggest a spelling among the extra columns: the name
     * without a leading operator, the name the loader would write for such a column ({@code alert.signature} →
     * {@code alert_signature}), and each lower-cased (the contract's fields need no lookup).
     */
    static List<String> variants(String name) {
        List<String> out = new ArrayList<>(4);
        String bare = name.substring(operator(name).length());
        String safe = bare.isEmpty() ? bare : Fields.canonicalNameUncached(bare); // user input: not into the cache
        for (String v : new String[]{bare, bare.toLowerCase(Locale.ROOT), safe, safe.toLowerCase(Locale.ROOT)}) {
            if (!v.isEmpty() && !v.equals(name) && !out.contains(v) && !Fields.isCanonical(v) && !Fields.isProvenance(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** The message for {@code unknown} (at least one name), with {@code existing} the names the indices have. */
    static String message(List<String> unknown, Set<String> existing) {
        return message(unknown, existing, null, "");
    }

    /** As {@link #message(List, Set)}; {@code all}: every name of the indices, when a suggestion needs it (or null). */
    static String message(List<String> unknown, Set<String> existing, AllNames all, String query) {
        StringBuilder b = new StringBuilder(describe(unknown.get(0), existing, all, query));
        return withTheOthers(b, unknown);
    }

    /** {@code b} (about the first of {@code unknown}), then the other names no index has, if any. */
    private static String withTheOthers(StringBuilder b, List<String> unknown) {
        if (unknown.size() > 1) {
            b.append(" (no index has ");
            for (int k = 1; k < unknown.size(); k++) {
                b.append(k > 1 ? ", " : "").append('\'').append(unknown.get(k)).append('\'');
            }
            b.append(" either)");
        }
        return b.toString();
    }

    /** What is wrong with one unknown name, and what to write instead when that can be told. */
    static String describe(String name, Set<String> existing) {
        return describe(name, existing, null, "");
    }

    /**
     * As {@link #describe(String, Set)}; {@code all} (may be null: no lookup) and {@code query} (the words before the
     * name: {@code Flow Duration:5} reads the field {@code Duration}) for a suggestion the first lookup cannot give.
     */
    static String describe(String name, Set<String> existing, AllNames all, String query) {
        String op = operator(name);
        String bare = name.substring(op.length());
        Suggestion spelled = bare.isEmpty() ? null
                : suggestion(bare, op.isEmpty() ? wordsBefore(query, name) : List.of(), existing,
                        looksLikeIpv6Group(name) ? null : all);
        String start = "field '" + name + "' does not exist in any index";
        if (!op.isEmpty() && !bare.isEmpty()) {
            return start + ": '" + op + "' glued to a field name is read as part of the name; write `" + op + " "
                    + (spelled != null ? spelled.name() : bare) + "` with spaces around the operator";
        }
        if (spelled != null && spelled.column() != null) {
            return start + "; did you mean '" + spelled.name() + "'? (" + spelled.reason() + ")";
        }
        if (spelled != null && spelled.spaced() != null) {
            boolean alias = Fields.isCanonical(spelled.name()) || Fields.isProvenance(spelled.name());
            return start + "; did you mean '" + spelled.name() + "'? (a space ends a field name in q: the loader "
                    + (alias ? "maps the column '" + spelled.spaced() + "' to the field " + spelled.name()
                            : "writes the column '" + spelled.spaced() + "' as " + spelled.name()) + ")";
        }
        if (spelled != null && !spelled.name().equals(name)) {
            String why = spellingNote(bare, spelled.name());
            return start + "; did you mean '" + spelled.name() + "'?" + (why != null ? " (" + why + ")" : "");
        }
        if (looksLikeIpv6Group(name)) {
            String text = addressOrTextAt(query, name);
            if (text == null) { // 2001:db8::1~, fe80::1%eth0: the text where the name is read is an IPv6 address
                return start + "; an IPv6 address must be quoted, e.g. srcIp:\"2001:db8::1\" (unquoted, the parser"
                        + " reads its first group as a field name)";
            }
            if (!text.isEmpty()) { // 12:30: a time, no address; the name is no field either
                return start + " (" + noSuggestionNote() + "); a colon after a word makes it a field"
                        + " name: to search the text " + text + ", quote it (\"" + text + "\") or escape the colon ("
                        + escapeColons(text) + ")";
            }
        }
        return start + " (" + noSuggestionNote() + ")";
    }

    /**
     * A field name meant; {@code spaced}: the words and name as written with spaces, if the suggestion joins them;
     * {@code column}: the name as written, if the suggestion is the field the loader maps that column to (an alias:
     * {@code id.orig_h} → {@code srcIp}) or the safe name it writes it as ({@code alert.signature} →
     * {@code alert_signature}).
     */
    record Suggestion(String name, String spaced, String column) {

        Suggestion(String name, String spaced) {
            this(name, spaced, null);
        }

        /** Why {@link #column} suggests {@link #name}, or null when it does not. */
        String reason() {
            if (column == null) {
                return null;
            }
            return Fields.isCanonical(name) || Fields.isProvenance(name)
                    ? "the loader maps the column '" + column + "' to the field " + name
                    : "the loader writes the column '" + column + "' as " + name + ": a character other than a letter,"
                            + " a digit, _ or - becomes _";
        }
    }

    /**
     * The field {@code bare} probably means, or null: first what the names asked already tell
     * ({@link #spelling}: itself, a contract field in another case, its lower-cased form); then, from every name of the
     * indices ({@code all}, asked for only now; null: none), the name {@code words} and {@code bare} make when a space
     * separates them ({@code Flow Duration} → {@code Flow_Duration}, {@code Src IP} → {@code srcIp}: the name the
     * loader gives such a column,
     * {@link Fields#canonicalNameUncached}, in any case), a name equal to it ignoring case, and
     * else the nearest name by edit distance ({@link #nearest}; the contract's fields are candidates without a lookup).
     */
    static Suggestion suggestion(String bare, List<String> words, Set<String> existing, AllNames all) {
        String known = spelling(bare, existing);
        if (known != null) {
            return new Suggestion(known, null);
        }
        // the source's own column name: an alias the loader maps to a contract field (query → host, id.orig_h →
        // srcIp, dst_port → dstPort), or a name it writes with _ (alert.signature → alert_signature) that the first
        // lookup found (variants asks for it)
        String column = Fields.canonicalNameUncached(bare); // user input: not into the loader's cache
        if (!column.equals(bare)) {
            if (Fields.isCanonical(column) || Fields.isProvenance(column)) {
                return new Suggestion(column, null, bare);
            }
            String found = existing.contains(column) ? column
                    : existing.contains(column.toLowerCase(Locale.ROOT)) ? column.toLowerCase(Locale.ROOT) : null;
            if (found != null) {
                return new Suggestion(found, null, bare);
            }
        }
        Set<String> names = all == null ? Set.of() : null;
        for (int k = words.size(); k >= 1; k--) {
            String written = String.join(" ", words.subList(words.size() - k, words.size())) + " " + bare;
            String joined = Fields.canonicalNameUncached(written);
            if (Fields.isCanonical(joined) || Fields.isProvenance(joined)) {
                return new Suggestion(joined, written);
            }
            names = names != null ? names : all.get();
            String found = ignoringCase(joined, names);
            if (found != null) {
                return new Suggestion(found, written);
            }
        }
        names = names != null ? names : all.get();
        if (!column.equals(bare) && !Fields.isCanonical(column) && !Fields.isProvenance(column)) {
            String found = ignoringCase(column, names); // the safe name in another case (DNS.RRTYPE → dns_rrtype)
            if (found != null) {
                return new Suggestion(found, null, bare);
            }
        }
        String found = ignoringCase(bare, names);
        if (found != null) {
            return new Suggestion(found, null);
        }
        String near = nearest(bare, names);
        return near == null ? null : new Suggestion(near, null);
    }

    /** The first of {@code names} (in its order) equal to {@code name} ignoring case, or null. */
    static String ignoringCase(String name, Set<String> names) {
        for (String n : names) {
            if (n.equalsIgnoreCase(name)) {
                return n;
            }
        }
        return null;
    }

    /**
     * The name of {@code names} or of the contract nearest to {@code name} by edit distance (insertions, deletions,
     * substitutions and swaps of two neighbours, ignoring case), if it is near enough to be a typo: no more than one
     * edit per four characters, at most three, none for names of three characters or fewer. Ties go to the name
     * first in name order. Null if none is near enough.
     */
    static String nearest(String name, Set<String> names) {
        int max = name.length() <= 3 ? 0 : Math.min(3, Math.max(1, name.length() / 4));
        if (max == 0) {
            return null;
        }
        Set<String> candidates = new java.util.TreeSet<>(names);
        candidates.addAll(Fields.canonicalFields());
        candidates.addAll(Fields.provenanceFields());
        String lower = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = max + 1;
        for (String candidate : candidates) {
            if (Math.abs(candidate.length() - name.length()) >= bestDistance) {
                continue;
            }
            int d = distance(lower, candidate.toLowerCase(Locale.ROOT), bestDistance);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        return best;
    }

    /**
     * The optimal string alignment distance of {@code a} and {@code b} (Levenshtein plus swaps of neighbours), or
     * {@code limit} or more when it is at least {@code limit}.
     */
    static int distance(String a, String b, int limit) {
        int[] before = new int[b.length() + 1];
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int rowMin = current[0];
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, before[j - 2] + 1);
                }
                current[j] = d;
                rowMin = Math.min(rowMin, d);
            }
            if (rowMin >= limit) {
                return limit;
            }
            int[] t = before;
            before = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /**
     * Up to three words right before {@code name} where it is a field in {@code query} (the name, maybe whitespace,
     * a colon, with whitespace before it), in order: the words a user wrote with spaces in a column's name
     * ({@code Flow Duration:>5}, {@code Tot Fwd Pkts:1}). A word is letters, digits, {@code _}, {@code -} and
     * {@code .}, not an operator ({@code AND}, {@code OR}, {@code NOT}), after whitespace, {@code (} or the start; the
     * words stop at anything else. Empty if none.
     */
    static List<String> wordsBefore(String query, String name) {
        if (query == null || name.isEmpty()) {
            return List.of();
        }
        for (int at = query.indexOf(name); at >= 0; at = query.indexOf(name, at + 1)) {
            int after = at + name.length();
            while (after < query.length() && Character.isWhitespace(query.charAt(after))) {
                after++;
            }
            if (after >= query.length() || query.charAt(after) != ':' || at == 0
                    || !Character.isWhitespace(query.charAt(at - 1))) {
                continue;
            }
            List<String> words = new ArrayList<>();
            int end = at;
            while (words.size() < 3 && end > 0 && Character.isWhitespace(query.charAt(end - 1))) {
                int wordEnd = end;
                while (wordEnd > 0 && Character.isWhitespace(query.charAt(wordEnd - 1))) {
                    wordEnd--;
                }
                int wordStart = wordEnd;
                while (wordStart > 0 && isWordChar(query.charAt(wordStart - 1))) {
                    wordStart--;
                }
                char before = wordStart == 0 ? ' ' : query.charAt(wordStart - 1);
                String word = query.substring(wordStart, wordEnd);
                if (word.isEmpty() || !Character.isWhitespace(before) && before != '(' || word.equals("AND")
                        || word.equals("OR") || word.equals("NOT")) {
                    break;
                }
                words.add(0, word);
                if (before == '(') {
                    break;
                }
                end = wordStart;
            }
            if (!words.isEmpty()) {
                return words;
            }
        }
        return List.of();
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }

    /**
     * The field {@code bare} probably means from what the first lookup tells: itself if it exists, the contract field
     * it matches ignoring case, or its lower-cased form if an index has that; else null.
     */
    private static String spelling(String bare, Set<String> existing) {
        if (Fields.isCanonical(bare) || Fields.isProvenance(bare) || existing.contains(bare)) {
            return bare;
        }
        for (Set<String> known : List.of(Fields.canonicalFields(), Fields.provenanceFields())) {
            for (String f : known) {
                if (f.equalsIgnoreCase(bare)) {
                    return f;
                }
            }
        }
        String lower = bare.toLowerCase(Locale.ROOT);
        return existing.contains(lower) ? lower : null;
    }

    /**
     * Where {@code name} is read as a field in {@code query} (the name right before a colon, at the start or after a
     * character no term goes on through): null if the unquoted run of hex digits, colons, dots and slashes starting
     * there is an IPv6 address or a CIDR block ({@code 2001:db8::1~}, {@code fe80::1%eth0}: the advice to quote an
     * address fits); else the term as typed there ({@code 12:30}), or "" when the name is not found so (a name of
     * {@code fields}). Asked only on the unknown-field error path.
     */
    static String addressOrTextAt(String query, String name) {
        if (query == null || name.isEmpty()) {
            return "";
        }
        String text = "";
        int n = query.length();
        for (int at = query.indexOf(name + ":"); at >= 0; at = query.indexOf(name + ":", at + 1)) {
            if (at > 0 && (isWordChar(query.charAt(at - 1)) || query.charAt(at - 1) == ':'
                    || query.charAt(at - 1) == '\\')) {
                continue; // inside a longer term
            }
            StringBuilder address = new StringBuilder(); // 2001:db8\:\:1: the parser reads the escaped colons
            for (int end = at; end < n; end++) {
                char c = query.charAt(end);
                if (c == '\\' && end + 1 < n && query.charAt(end + 1) == ':') {
                    c = ':';
                    end++;
                } else if (!(QueryGuard.isHexDigit(c) || ":./".indexOf(c) >= 0)) {
                    break;
                }
                address.append(c);
            }
            String run = address.toString();
            if (QueryGuard.isIpv6(run) || QueryGuard.isCidrBlock(run)) {
                return null;
            }
            if (text.isEmpty()) {
                int termEnd = at;
                while (termEnd < n && !Character.isWhitespace(query.charAt(termEnd))
                        && "()[]{}\"^~".indexOf(query.charAt(termEnd)) < 0) {
                    termEnd++;
                }
                text = query.substring(at, termEnd);
            }
        }
        return text;
    }

    /** {@code text} with every colon not escaped yet escaped ({@code 12:30\:45} → {@code 12\:30\:45}). */
    private static String escapeColons(String text) {
        StringBuilder b = new StringBuilder(text.length() + 4);
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c == '\\' && k + 1 < text.length()) {
                b.append(c).append(text.charAt(++k));
            } else {
                b.append(c == ':' ? "\\:" : String.valueOf(c));
            }
        }
        return b.toString();
    }

    /** The operator {@code name} starts with ({@code &&}, {@code ||}, {@code !}, {@code +}, {@code -}), or "". */
    static String operator(String name) {
        for (String op : OPERATORS) {
            if (name.startsWith(op)) {
                return op;
            }
        }
        return "";
    }

    /**
     * One to four hex digits, at least one of them a decimal digit ({@code 2001}, {@code db8}, {@code fe80}; not a word
     * such as {@code cafe}): the first group of an unquoted IPv6 address, read as a field name.
     */
    private static boolean looksLikeIpv6Group(String name) {
        if (name.isEmpty() || name.length() > 4) {
            return false;
        }
        boolean digit = false;
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (Character.digit(c, 16) < 0 || c > 'f') {
                return false;
            }
            digit |= c >= '0' && c <= '9';
        }
        return digit;
    }
}
