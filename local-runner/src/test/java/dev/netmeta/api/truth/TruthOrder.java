package dev.netmeta.api.truth;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The order docs/API.md promises: the requested keys (default {@code timestamp:desc}; a key without a direction
 * ascending), a document without the key after those with it in either direction ({@code missing: _last}), then the
 * tiebreaker {@code sourceFile} ascending, {@code sourceRecord} ascending. Keywords by their (stored, lower-cased for
 * host and proto) text, numbers as numbers, IP addresses as 16 bytes.
 */
public final class TruthOrder {

    public record Key(String field, boolean descending) {
    }

    private TruthOrder() {
    }

    public static Comparator<Map<String, Object>> of(List<Key> keys) {
        Comparator<Map<String, Object>> order = (a, b) -> 0;
        for (Key key : keys) {
            order = order.thenComparing((a, b) -> compare(key, a.get(key.field()), b.get(key.field())));
        }
        return order.thenComparing((a, b) -> a.get("sourceFile").toString().compareTo(b.get("sourceFile").toString()))
                .thenComparing((a, b) -> Long.compare((Long) a.get("sourceRecord"), (Long) b.get("sourceRecord")));
    }

    private static int compare(Key key, Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        int c = switch (TruthValues.typeOf(key.field())) {
            case IP -> TruthIp.compare(a.toString(), b.toString());
            case NUMBER, DATE -> TruthValues.number(a).compareTo(TruthValues.number(b));
            default -> a.toString().compareTo(b.toString());
        };
        return key.descending() ? -c : c;
    }
}
