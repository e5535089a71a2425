package dev.netmeta.api;

import dev.netmeta.model.Fields;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A field name in {@code q} that no daily index has is a 400 {@code unknown_field}, not a search that silently finds
 * nothing ({@code srcip:10.0.0.1}) or drops a clause ({@code srcIp:"10.0.0.0/8"&&dstPort:53}: Lucene's lexer reads
 * {@code &&dstPort} as one term, so the field is {@code &&dstPort} and the AND is gone).
 *
 * <p>The names come from {@link QueryGuard}'s reading of the query ({@link QueryGuard#fieldsToCheck}: contract
 * fields, metadata fields and patterns are never looked up). The indices decide, not a fixed list: loaded files may
 * carry extra columns (docs/DATA-CONTRACT.md). One lookup per query ({@link SearchBackend#existingFields}, the
 * {@code _field_caps} request and cache of the sort check) answers for its names and, to suggest a spelling, for
 * their variants: without a leading operator ({@code &&}, {@code ||}, {@code !}, {@code +}, {@code -}) and lower-cased.
 * When the lookup cannot answer, the search runs unchecked.
 */
final class UnknownFields {

    /** Operators that, glued to a field name, the lexer reads as part of it (longest first). */
    private static final List<String> OPERATORS = List.of("&&", "||", "!", "+", "-");

    private UnknownFields() {
    }

    /** Throws a 400 {@code unknown_field} if some index-less name is among {@code names}; otherwise returns. */
    static void check(SearchBackend backend, List<String> names) {
        check(backend, names, List.of());
    }

    /**
     * As {@link #check(SearchBackend, List)}; {@code alsoAsk} (the request's sort keys outside the contract) go into
     * the same lookup, so that the sort check finds their answer cached and a request sends one {@code _field_caps}
     * at most — each engine request may wait the whole search timeout, and three in a row would outlast the function.
     */
    static void check(SearchBackend backend, List<String> names, List<String> alsoAsk) {
        if (names.isEmpty()) {
            return;
        }
        Set<String> asked = new LinkedHashSet<>(names);
        for (String name : names) {
            asked.addAll(variants(name));
        }
        asked.addAll(alsoAsk);
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
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown_field", message(unknown, existing));
        }
    }

    /**
     * The names besides {@code name} that one lookup asks for, to suggest a spelling among the extra columns: the name
     * without a leading operator, and both lower-cased (the contract's fields need no lookup).
     */
    static List<String> variants(String name) {
        List<String> out = new ArrayList<>(2);
        String bare = name.substring(operator(name).length());
        for (String v : new String[]{bare, bare.toLowerCase(Locale.ROOT)}) {
            if (!v.isEmpty() && !v.equals(name) && !out.contains(v) && !Fields.isCanonical(v) && !Fields.isProvenance(v)) {
                out.add(v);
            }
        }
        return out;
    }

    /** The message for {@code unknown} (at least one name), with {@code existing} the names the indices have. */
    static String message(List<String> unknown, Set<String> existing) {
        StringBuilder b = new StringBuilder(describe(unknown.get(0), existing));
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
        String op = operator(name);
        String bare = name.substring(op.length());
        String spelled = bare.isEmpty() ? null : spelling(bare, existing);
        String start = "field '" + name + "' does not exist in any index";
        if (!op.isEmpty() && !bare.isEmpty()) {
            return start + ": '" + op + "' glued to a field name is read as part of the name; write `" + op + " "
                    + (spelled != null ? spelled : bare) + "` with spaces around the operator";
        }
        if (spelled != null && !spelled.equals(name)) {
            return start + "; did you mean '" + spelled + "'? (field names are case-sensitive)";
        }
        if (looksLikeIpv6Group(name)) {
            return start + "; an IPv6 address must be quoted, e.g. srcIp:\"2001:db8::1\" (unquoted, the parser reads"
                    + " its first group as a field name)";
        }
        return start + " (field names are case-sensitive; every index has " + String.join(", ", Fields.canonicalFields())
                + ", " + String.join(", ", Fields.provenanceFields()) + ")";
    }

    /**
     * The field {@code bare} probably means: itself if it exists, the contract field it matches ignoring case, or its
     * lower-cased form if an index has that; else null.
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
