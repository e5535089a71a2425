package dev.netmeta.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Turns the rows of one header-driven source (CSV, Zeek TSV) into documents. Built once per file with
 * {@link #forColumns(List)}: canonical names and the converter of every column are computed there, so
 * {@link #toDocument(String[])} is one pass over the values. Immutable, so it may be shared between threads.
 *
 * <p>Values: {@code timestamp} → {@link Long} UTC epoch millis; {@code srcIp}/{@code dstIp} → canonical
 * {@link String}; ports → {@link Integer}; {@code bytesOut}/{@code bytesIn} → {@link Long}; {@code proto} →
 * lower-case name; {@code host} → lower-case name; other columns → {@link FieldValues#inferScalar(String)}.
 * {@code null}, blank, {@code -} (Zeek unset) and {@code (empty)} (Zeek empty set) mean "no value" and are skipped.
 */
public final class RecordMapper {

    @FunctionalInterface
    private interface Converter {
        Object convert(String trimmed);
    }

    private static final Converter TIMESTAMP = FieldValues::parseTimestamp;
    private static final Converter IP = FieldValues::normalizeIp;
    private static final Converter PORT = FieldValues::parsePort;
    private static final Converter LONG = FieldValues::parseLong;
    private static final Converter PROTO = FieldValues::protocolName;
    private static final Converter HOST = FieldValues::normalizeHost;
    private static final Converter SCALAR = FieldValues::inferScalar;

    private final List<String> columns;
    private final String[] names;
    private final Converter[] converters;
    private final int mapCapacity;

    private RecordMapper(List<String> columns, String[] names, Converter[] converters) {
        this.columns = columns;
        this.names = names;
        this.converters = converters;
        this.mapCapacity = (int) (names.length / 0.75f) + 1;
    }

    /**
     * A mapper for a header. Columns mapping to the same field name (two aliases of one canonical field, or
     * two unknown columns with the same safe name) keep the first one's name; later ones get {@code _2},
     * {@code _3}, ... and are stored as unknown columns. A blank column name becomes {@code column_<n>} (1-based).
     */
    public static RecordMapper forColumns(List<String> header) {
        if (header == null || header.isEmpty()) {
            throw new IllegalArgumentException("a header with at least one column is required");
        }
        String[] names = new String[header.size()];
        Converter[] converters = new Converter[header.size()];
        Set<String> used = new HashSet<>();
        for (int i = 0; i < names.length; i++) {
            String column = header.get(i);
            String name = uniqueName(column == null || column.isBlank() ? "column_" + (i + 1) : Fields.canonicalName(column),
                    used::contains);
            used.add(name);
            names[i] = name;
            converters[i] = converterFor(name);
        }
        return new RecordMapper(Collections.unmodifiableList(new ArrayList<>(header)), names, converters);
    }

    /**
     * {@code name}, or when it is taken (a second alias of one field, two keys with one safe name) the first free of
     * {@code name_2}, {@code name_3}, ... — the rule of one header, and of one NDJSON event.
     */
    public static String uniqueName(String name, Predicate<String> taken) {
        if (!taken.test(name)) {
            return name;
        }
        int n = 2;
        while (taken.test(name + "_" + n)) {
            n++;
        }
        return name + "_" + n;
    }

    private static Converter converterFor(String field) {
        switch (field) {
            case Fields.TIMESTAMP:
                return TIMESTAMP;
            case Fields.SRC_IP:
            case Fields.DST_IP:
                return IP;
            case Fields.SRC_PORT:
            case Fields.DST_PORT:
                return PORT;
            case Fields.BYTES_OUT:
            case Fields.BYTES_IN:
                return LONG;
            case Fields.PROTO:
                return PROTO;
            case Fields.HOST:
                return HOST;
            default:
                return SCALAR;
        }
    }

    /** The header as given. */
    public List<String> columns() {
        return columns;
    }

    /** The field name of every column, in header order. */
    public List<String> fieldNames() {
        return List.of(names);
    }

    /**
     * The document of one row, fields in header order. A row with fewer values than columns lacks the missing
     * ones; a row with more values than columns is rejected (the extra values have no name and would be lost).
     *
     * @throws InvalidValueException naming the field when a canonical value cannot be normalised
     */
    public Map<String, Object> toDocument(String[] values) {
        if (values.length > names.length) {
            throw new InvalidValueException("record", null, "row has " + values.length
                    + " values but the header has " + names.length + " columns");
        }
        Map<String, Object> doc = new LinkedHashMap<>(mapCapacity);
        for (int i = 0; i < values.length; i++) {
            String raw = values[i];
            if (raw == null) {
                continue;
            }
            String v = trimmedOrNull(raw);
            if (v == null) {
                continue;
            }
            Object converted;
            try {
                converted = converters[i].convert(v);
            } catch (InvalidValueException e) {
                throw e.forField(names[i]);
            }
            doc.put(names[i], converted);
        }
        return doc;
    }

    /** The trimmed value, or null for blank, "-" and "(empty)". */
    private static String trimmedOrNull(String raw) {
        int len = raw.length();
        if (len == 0) {
            return null;
        }
        int start = 0;
        int end = len;
        if (raw.charAt(0) <= ' ' || raw.charAt(len - 1) <= ' ') {
            while (start < end && raw.charAt(start) <= ' ') {
                start++;
            }
            while (end > start && raw.charAt(end - 1) <= ' ') {
                end--;
            }
            if (start == end) {
                return null;
            }
        }
        int n = end - start;
        if (n == 1 && raw.charAt(start) == '-') {
            return null;
        }
        if (n == 7 && raw.startsWith("(empty)", start)) {
            return null;
        }
        return n == len ? raw : raw.substring(start, end);
    }

    /**
     * Normalises one value of a typed source (NDJSON: Zeek JSON, Suricata EVE) for a field name already passed
     * through {@link Fields#canonicalName(String)}. Returns {@code null} for "no value" (null, blank, {@code -},
     * {@code (empty)}), which the caller skips. Canonical fields accept strings and JSON numbers
     * (epoch numbers for {@code timestamp}, whole numbers for ports, counters and protocol numbers);
     * other fields keep their JSON value as it is (numbers stay numbers, strings stay strings).
     *
     * @throws InvalidValueException naming the field when a canonical value cannot be normalised
     */
    public static Object convert(String canonicalField, Object raw) {
        if (raw == null) {
            return null;
        }
        if (!Fields.isCanonical(canonicalField)) {
            return raw;
        }
        try {
            if (raw instanceof String) {
                String v = trimmedOrNull((String) raw);
                return v == null ? null : converterFor(canonicalField).convert(v);
            }
            if (raw instanceof Number) {
                return convertNumber(canonicalField, (Number) raw);
            }
        } catch (InvalidValueException e) {
            throw e.forField(canonicalField);
        }
        throw new InvalidValueException(canonicalField, String.valueOf(raw),
                "expected a text or number value, not " + jsonKind(raw));
    }

    /**
     * What a JSON value is, in the words of the person who wrote the file: the reason ends up in the rejects
     * object, where a Java class name ({@code ArrayList}, {@code LinkedHashMap}) would mean nothing to them.
     */
    private static String jsonKind(Object raw) {
        if (raw instanceof java.util.Collection || raw.getClass().isArray()) {
            return "an array";
        }
        if (raw instanceof java.util.Map) {
            return "an object";
        }
        if (raw instanceof Boolean) {
            return "a boolean";
        }
        return "a value of another kind";
    }

    private static Object convertNumber(String field, Number n) {
        switch (Fields.typeOf(field)) {
            case DATE:
                return FieldValues.parseTimestamp(plainText(n));
            case INTEGER:
                return FieldValues.parsePort(wholeText(field, n));
            case LONG:
                return FieldValues.parseLong(wholeText(field, n));
            case IP:
                throw new InvalidValueException(field, String.valueOf(n), "an IP address must be text");
            default:
                return Fields.PROTO.equals(field) ? FieldValues.protocolName(wholeText(field, n)) : n.toString();
        }
    }

    private static String plainText(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) {
                throw new InvalidValueException(Fields.TIMESTAMP, n.toString(), "not a finite number");
            }
            return new BigDecimal(n.toString()).toPlainString();
        }
        if (n instanceof BigDecimal) {
            return ((BigDecimal) n).toPlainString();
        }
        return n.toString();
    }

    private static String wholeText(String field, Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            return n.toString();
        }
        BigDecimal d;
        try {
            d = n instanceof BigDecimal ? (BigDecimal) n : new BigDecimal(n.toString());
        } catch (NumberFormatException e) {
            throw new InvalidValueException(field, n.toString(), "not a finite number");
        }
        try {
            return d.toBigIntegerExact().toString();
        } catch (ArithmeticException e) {
            throw new InvalidValueException(field, n.toString(), "not a whole number");
        }
    }
}
