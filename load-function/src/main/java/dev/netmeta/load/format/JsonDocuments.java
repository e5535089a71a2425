package dev.netmeta.load.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.netmeta.model.Fields;
import dev.netmeta.model.InvalidValueException;
import dev.netmeta.model.RecordMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one JSON event into a document. Decision: nested objects are <b>flattened</b> into dotted paths
 * ({@code http.hostname}), which the shared contract turns into safe field names ({@code http_hostname}); arrays of
 * scalars stay arrays; arrays holding objects are kept as their JSON text (one keyword), so a chatty event cannot
 * explode the index mapping. Canonical fields come from the shared aliases, which know dotted paths such as
 * {@code id.orig_h}, {@code http.hostname}, {@code tls.sni}, {@code dns.rrname}, {@code flow.bytes_toserver} (a value
 * they cannot take rejects the event, as a plain key's does); when an event has no value for a canonical field, a
 * nested leaf whose own name is an alias fills it ({@code tls.client.server_name} → {@code host}), while the nested
 * field is kept under its own safe name too.
 */
final class JsonDocuments {

    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, String> names = new HashMap<>();

    /**
     * Reads the object the parser is positioned on (START_OBJECT) into dotted-path → scalar/list/JSON-text pairs, in
     * the event's order. A list, not a map: one path can occur twice ({@code {"a":{"b":1},"a.b":2}}, or a key
     * repeated), and {@link #toDocument} keeps both values.
     */
    List<Map.Entry<String, Object>> flatten(JsonParser parser) throws IOException {
        List<Map.Entry<String, Object>> flat = new ArrayList<>();
        object(parser, "", flat);
        return flat;
    }

    /** The first value of a top-level key, or null. */
    static Object first(List<Map.Entry<String, Object>> flat, String key) {
        for (Map.Entry<String, Object> e : flat) {
            if (e.getKey().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    private void object(JsonParser p, String prefix, List<Map.Entry<String, Object>> flat) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = prefix.isEmpty() ? p.currentName() : prefix + "." + p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.START_OBJECT) {
                object(p, name, flat);
            } else if (value == JsonToken.START_ARRAY) {
                flat.add(Map.entry(name, array(p)));
            } else {
                Object scalar = scalar(p, value);
                if (scalar != null) {
                    flat.add(Map.entry(name, scalar));
                }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t);
        }
    }

    private Object array(JsonParser p) throws IOException {
        StringWriter text = new StringWriter();
        List<Object> values = new ArrayList<>();
        boolean scalarsOnly = true;
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartArray();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new com.fasterxml.jackson.core.JsonParseException(p, "unterminated array");
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    scalarsOnly = false;
                    copyStructure(p, g);
                } else {
                    Object scalar = scalar(p, t);
                    if (scalar != null) {
                        values.add(scalar);
                    }
                    copyEvent(p, g, t);
                }
            }
            g.writeEndArray();
        }
        return scalarsOnly ? values : new JsonText(text.toString());
    }

    /**
     * Copies the object or array the parser is on with every number as the event wrote it: Jackson's
     * {@code copyCurrentStructure} reads a decimal into a double and writes {@code Double.toString}'s text
     * ({@code 0.000586} → {@code 5.86E-4}, {@code 0.10} → {@code 0.1}), and this text is searched as a keyword.
     */
    private static void copyStructure(JsonParser p, JsonGenerator g) throws IOException {
        JsonToken t = p.currentToken();
        int depth = 0;
        do {
            copyEvent(p, g, t);
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                depth++;
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            }
        } while (depth > 0 && (t = p.nextToken()) != null);
    }

    private static void copyEvent(JsonParser p, JsonGenerator g, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            g.writeNumber(p.getText());
        } else {
            g.copyCurrentEvent(p);
        }
    }

    /**
     * An array holding objects or arrays, kept as its JSON text: a keyword in an unknown field, but no value for a
     * canonical one (the contract rejects an array there, also one that is written out as text).
     */
    record JsonText(String json) {
    }

    /**
     * A scalar as Long, Double, Boolean or String. A whole number beyond {@code long} and a decimal beyond
     * {@code double} keep their JSON text (no silent precision loss, no "Infinity"). Whole numbers are not classified
     * with {@code getNumberType()}: after it has parsed a BigInteger, jackson-core 2.18's {@code getDoubleValue()}
     * returns that BigInteger for the next decimal of the event (a unit test pins this down).
     */
    private static Object scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getTextLength() <= 18 ? (Object) p.getLongValue() : longOrText(p.getText());
            case VALUE_NUMBER_FLOAT -> {
                double d = p.getDoubleValue();
                yield Double.isInfinite(d) ? p.getText() : d;
            }
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    private static Object longOrText(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException beyondLong) {
            return digits;
        }
    }

    /**
     * Canonical document from a flattened event; throws the contract's InvalidValueException on a bad canonical value.
     *
     * <p>Two keys of one event with one name (two aliases of one field, or {@code a.b} and {@code a_b}) keep both
     * values, as {@link RecordMapper#forColumns} does with a header: the later one gets {@code _2}, {@code _3}, ... and
     * is kept as an unknown field. For a canonical field a dotted alias goes first: the contract lists it for that
     * field ({@code http.hostname}, {@code tls.sni}), while a plain key of the same name can mean something else
     * (EVE's top-level {@code host} is the sensor's name) — that one is kept as {@code host_2}.
     */
    Map<String, Object> toDocument(List<Map.Entry<String, Object>> flat) {
        if (names.size() > 10_000) {
            names.clear(); // events with ever-new keys must not grow the cache without bound
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        List<Map.Entry<String, Object>> nestedAliases = new ArrayList<>();
        for (Map.Entry<String, Object> e : flat) {
            if (isDottedCanonical(e.getKey())) {
                add(doc, nestedAliases, e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Object> e : flat) {
            if (!isDottedCanonical(e.getKey())) {
                add(doc, nestedAliases, e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Object> e : nestedAliases) {
            if (!doc.containsKey(e.getKey())) {
                try {
                    put(doc, e.getKey(), e.getValue());
                } catch (InvalidValueException notForThisField) {
                    // only a fallback: the leaf is kept under its own name, and the next fallback may fill the field
                }
            }
        }
        return doc;
    }

    private boolean isDottedCanonical(String key) {
        return key.indexOf('.') > 0 && Fields.isCanonical(names.computeIfAbsent(key, Fields::canonicalName));
    }

    private void add(Map<String, Object> doc, List<Map.Entry<String, Object>> nestedAliases, String key, Object value) {
        String named = names.computeIfAbsent(key, Fields::canonicalName);
        String field = RecordMapper.uniqueName(named, doc::containsKey);
        if (field.equals(named) && Fields.isCanonical(field)) {
            put(doc, field, value);
            return;
        }
        doc.put(field, value instanceof JsonText t ? t.json() : value);
        int dot = key.lastIndexOf('.');
        if (dot > 0 && !Fields.isObserverField(key)) { // ECS host.hostname is the sensor's name, never the traffic's
            String alias = names.computeIfAbsent(key.substring(dot + 1), Fields::canonicalName);
            if (Fields.isCanonical(alias) && !(value instanceof JsonText)) { // a fallback, never a reject (toDocument)
                nestedAliases.add(Map.entry(alias, value));
            }
        }
    }

    /** A canonical field's value through the contract (which refuses booleans, arrays and objects there). */
    private static void put(Map<String, Object> doc, String field, Object value) {
        if (value instanceof JsonText t) {
            throw new InvalidValueException(field, t.json(), "expected a text or number value, not an array");
        }
        Object converted = RecordMapper.convert(field, value);
        if (converted != null) {
            doc.put(field, converted);
        }
    }
}
