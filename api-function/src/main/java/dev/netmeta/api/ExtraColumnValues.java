package dev.netmeta.api;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Values on extra columns (fields outside the data contract) that match nothing, silently, when the column is a whole
 * number in every daily index: a term with a fraction ({@code Flow_Duration:1.5}; OpenSearch's term query on a long
 * field answers a value with a decimal part with no document and no error) and a range whose lower bound is above its
 * upper one ({@code Flow_Duration:[100 TO 5]}, {@link ReversedRanges}; on a number field of any type). The contract's
 * number fields get the same 400s from the guard ({@link QueryGuard#notANumber}, {@link ReversedRanges}); an extra
 * column's type is known only from the daily indices, so the guard's reading collects such values
 * ({@link QueryGuard.Guarded#extraValues}) and the search refuses them with the types of the {@code _field_caps}
 * answer the unknown-field check has just fetched or found cached for q's names (no request of its own; nothing at all
 * for a query without such a value). A column that is text or a decimal number on some day keeps its query: those
 * days answer it.
 */
final class ExtraColumnValues {

    /** Mapping types of whole numbers: a term with a fraction matches none of their values. */
    static final Set<String> WHOLE_NUMBER_TYPES = Set.of("long", "integer", "short", "byte", "unsigned_long");

    /**
     * A value of q on the extra column {@code field}: a term with a fraction ({@code fraction}, as typed), or a range
     * whose bounds are reversed if the column is a number ({@code reversedRange}: the 400's message).
     */
    record Value(String field, String fraction, String reversedRange) {
    }

    private ExtraColumnValues() {
    }

    /**
     * A 400 {@code bad_query} for the first of {@code values} that matches nothing on its column as the daily indices
     * map it ({@link SearchBackend#fieldTypes}, cached); nothing when the backend cannot tell the types.
     */
    static void refuse(SearchBackend backend, List<Value> values) {
        if (values.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        for (Value v : values) {
            if (!names.contains(v.field())) {
                names.add(v.field());
            }
        }
        Map<String, Set<String>> types = backend.fieldTypes(names);
        if (types == null) {
            return;
        }
        for (Value v : values) {
            Set<String> t = types.getOrDefault(v.field(), Set.of());
            if (t.isEmpty()) {
                continue;
            }
            if (v.fraction() != null && WHOLE_NUMBER_TYPES.containsAll(t)) {
                String type = t.size() == 1 ? t.iterator().next() : "whole-number";
                throw ApiException.badRequest("bad_query", v.field() + " is " + (type.startsWith("i") || type.startsWith(
                        "u") ? "an " : "a ") + type + " field in every daily index: '" + v.fraction() + "' is not a whole"
                        + " number, so it would match nothing (every " + v.field() + " is one). Search a whole number ("
                        + v.field() + ":" + around(v.fraction(), RoundingMode.FLOOR) + ") or a range (" + v.field()
                        + ":[" + around(v.fraction(), RoundingMode.FLOOR) + " TO " + around(v.fraction(),
                        RoundingMode.CEILING) + "])");
            }
            if (v.reversedRange() != null && NonTextPatterns.NUMBER_TYPES.containsAll(t)) {
                throw ApiException.badRequest("bad_query", v.reversedRange());
            }
        }
    }

    private static String around(String value, RoundingMode mode) {
        return new BigDecimal(value).setScale(0, mode).toPlainString();
    }
}
