package dev.netmeta.api;

import java.util.Set;
import java.util.TreeSet;

/**
 * How to sort by a field that is not in the data contract (an extra column: dynamically mapped, per daily index, as
 * {@code keyword}, {@code long} or {@code double} by the index template), given the types the daily indices have for
 * it ({@code _field_caps}). OpenSearch needs, for the indices that lack the field, an {@code unmapped_type} equal to
 * the type of the others: with another type, it merges the per-index results as if they were comparable (keyword
 * {@code null}s among numbers: a wrong order, and a page after a cursor can fail with HTTP 500). Numbers of several
 * types (a {@code long} day and a {@code double} day) are compared as one {@code numeric_type}; any other mix cannot be
 * sorted and is a clear 400.
 *
 * @param unmappedType the type for indices without the field
 * @param numericType  {@code long} or {@code double} to compare numbers of several types as one; null when one type
 */
record SortMapping(String unmappedType, String numericType) {

    private static final Set<String> INTEGRAL = Set.of("long", "integer", "short", "byte", "unsigned_long");
    private static final Set<String> FLOATING = Set.of("double", "float", "half_float", "scaled_float");

    /** For a field no daily index has: every document lacks it, any type sorts them all as missing. */
    static final SortMapping ABSENT = new SortMapping("keyword", null);

    /** @param types the field's mapping types across the daily indices that have it (empty when none has) */
    static SortMapping of(String field, Set<String> types) {
        if (types.isEmpty()) {
            return ABSENT;
        }
        if (types.size() == 1) {
            return new SortMapping(types.iterator().next(), null);
        }
        if (types.stream().allMatch(t -> INTEGRAL.contains(t) || FLOATING.contains(t))) {
            String common = types.stream().anyMatch(FLOATING::contains) ? "double" : "long";
            return new SortMapping(common, common);
        }
        throw new SearchBackendException(SearchBackendException.Kind.BAD_QUERY, "cannot sort by '" + field
                + "': its values have different types in different daily indices (" + String.join(", ", new TreeSet<>(types))
                + "), so they have no common order");
    }
}
