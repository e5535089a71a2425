package dev.netmeta.api;

import dev.netmeta.model.FieldValues;
import dev.netmeta.model.Fields;
import dev.netmeta.model.InvalidValueException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns the query-string parameters of a request into validated {@link SearchParameters}, or a 400. */
final class SearchParametersParser {

    static final Set<String> KNOWN = Set.of("q", "from", "to", "size", "sort", "fields", "cursor", "format");
    static final int DEFAULT_SIZE = 50;
    static final int MAX_SIZE = 1000;
    static final int DEFAULT_EXPORT_SIZE = 10_000;
    static final int MAX_EXPORT_SIZE = 100_000;
    static final int MAX_SORT_FIELDS = 3;
    static final int MAX_FIELDS = 100;
    static final List<SortField> DEFAULT_SORT = List.of(new SortField(Fields.TIMESTAMP, true));

    /**
     * Field names as the load function writes them (letters and digits of any script, as {@code Größe} or {@code 名前},
     * {@code _} and {@code -}; no dots, no leading underscore), up to 256 characters; '*' allowed in `fields`.
     */
    private static final Pattern FIELD_NAME = Pattern.compile("[\\p{javaLetterOrDigit}@][\\p{javaLetterOrDigit}_@\\-]{0,255}");
    private static final Pattern FIELD_PATTERN = Pattern.compile("[\\p{javaLetterOrDigit}@*][\\p{javaLetterOrDigit}_@\\-*]{0,255}");
    private static final Pattern DIGITS = Pattern.compile("-?\\d{1,19}");
    /** Epoch numbers below this in magnitude (10^11, the year 5138 in seconds, 1973 in milliseconds) are seconds. */
    private static final long EPOCH_SECONDS_BELOW = 100_000_000_000L;
    /** Below 10^11 (at most 11 digits), with an optional fraction. */
    private static final Pattern EPOCH_SECONDS = Pattern.compile("\\d{1,11}(?:\\.\\d{1,9})?");

    private final QueryGuard queryGuard;

    SearchParametersParser(int maxQueryLength) {
        this.queryGuard = new QueryGuard(maxQueryLength);
    }

    SearchParameters parse(Map<String, List<String>> parameters) {
        Map<String, List<String>> params = parameters == null ? Map.of() : parameters;
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (!KNOWN.contains(e.getKey())) {
                throw ApiException.badRequest("unknown_parameter", "unknown parameter '" + e.getKey()
                        + "'; known parameters: q, from, to, size, sort, fields, cursor, format");
            }
            if (e.getValue() != null && e.getValue().size() > 1) {
                throw ApiException.badRequest("duplicate_parameter",
                        "parameter '" + e.getKey() + "' is given " + e.getValue().size() + " times; give it once");
            }
        }
        String formatValue = single(params, "format");
        OutputFormat format = formatValue == null || formatValue.isBlank() ? OutputFormat.JSON
                : OutputFormat.parse(formatValue);
        QueryGuard.Guarded query = queryGuard.check(single(params, "q"));
        // date math relative to now is resolved per search (SearchService: now, or the first page's now in a cursor)
        DateMath fromMath = dateMath(params, "from");
        DateMath toMath = dateMath(params, "to");
        Long from = fromMath == null ? time(params, "from") : null;
        Long to = toMath == null ? time(params, "to") : null;
        checkRange(from, to, "");
        int size = size(single(params, "size"), format);
        List<SortField> sort = sort(single(params, "sort"));
        List<String> fields = fields(single(params, "fields"));
        String cursor = single(params, "cursor");
        if (cursor != null && cursor.isBlank()) {
            cursor = null;
        }
        if (size == 0 && cursor != null) {
            throw ApiException.badRequest("invalid_parameter", "size=0 counts every document of the search and takes"
                    + " no cursor: leave out the cursor (or ask for hits with a size of 1 to " + MAX_SIZE + ")");
        }
        return new SearchParameters(query.query(), from, to, size, sort, fields, cursor, format, query.fieldsToCheck(),
                query.rewrites(), fromMath, toMath, query.extraValues());
    }

    /** A 400 {@code invalid_range} unless {@code from} (epoch ms, or null) is before {@code to}; {@code note} ends it. */
    static void checkRange(Long from, Long to, String note) {
        if (from != null && to != null && from >= to) {
            throw ApiException.badRequest("invalid_range", "from (" + Instant.ofEpochMilli(from)
                    + ") must be earlier than to (" + Instant.ofEpochMilli(to) + ")" + note);
        }
    }

    /** The parameter {@code name} as date math relative to now ({@link DateMath}), or null when it is none. */
    static DateMath dateMath(Map<String, List<String>> params, String name) {
        String value = single(params, name);
        String v = value == null ? "" : value.strip();
        return DateMath.isDateMath(v) ? DateMath.parse(name, v) : null;
    }

    private static String single(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static int size(String value, OutputFormat format) {
        int max = format.isExport() ? MAX_EXPORT_SIZE : MAX_SIZE;
        if (value == null || value.isBlank()) {
            return format.isExport() ? DEFAULT_EXPORT_SIZE : DEFAULT_SIZE;
        }
        long size;
        String v = value.trim();
        try {
            size = Long.parseLong(v);
        } catch (NumberFormatException e) {
            if (!v.matches("[+-]?\\d+")) {
                throw ApiException.badRequest("invalid_parameter", "size must be a whole number, not '" + value + "'");
            }
            size = v.startsWith("-") ? Long.MIN_VALUE : Long.MAX_VALUE; // a whole number, only a very large one
        }
        if (size == 0 && !format.isExport()) {
            return 0; // a count: the exact total, no hits (SearchService)
        }
        if (size < 1 || size > max) {
            throw ApiException.badRequest("size_out_of_range", "size must be between 1 and " + max
                    + (format.isExport() ? " for an export" + (size == 0 ? " (size=0, a count without hits, is"
                    + " answered in JSON: leave out format)" : "")
                    : ", or 0 for the count alone (use format=ndjson or csv to export more)") + ", not " + v);
        }
        return (int) size;
    }

    /**
     * ISO-8601 instant (zone optional, none = UTC), a date (midnight UTC), or an epoch number: below 10^11 epoch
     * seconds, optionally with a fraction (Zeek's {@code ts} as it is in the data, read as the loader reads it —
     * as milliseconds it would be a day in 1970-1973, which nobody means), otherwise epoch milliseconds.
     */
    static Long time(Map<String, List<String>> params, String name) {
        String value = single(params, name);
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            if (EPOCH_SECONDS.matcher(v).matches()) {
                return FieldValues.parseTimestamp(v); // the loader's reading of the same number
            }
            boolean negativeSeconds = v.length() > 1 && v.charAt(0) == '-' && v.indexOf('.') > 0
                    && EPOCH_SECONDS.matcher(v.substring(1)).matches();
            if (negativeSeconds || DIGITS.matcher(v).matches()) {
                long millis;
                if (negativeSeconds) {
                    // -86400.5 as 86400.5 is read, before 1970 (sub-millisecond digits dropped, as there)
                    millis = -FieldValues.parseTimestamp(v.substring(1));
                } else {
                    long number = Long.parseLong(v);
                    // below 10^11 in magnitude: seconds, before 1970 too (-86400 is a day before, as 86400 is a day
                    // after)
                    millis = number < 0 && number > -EPOCH_SECONDS_BELOW ? number * 1000 : number;
                }
                return inTimestampYears(millis, name, value);
            }
            // the data contract's own ISO-8601 reader, the one the loader indexes timestamps with (a date, 'T' or a
            // space, fractions, Z / offsets / no zone = UTC); its years are 0000-9999 before the offset, so the
            // instant is checked as a number is (9999-12-31T23:00:00-05:00 is in the year 10000 UTC)
            OptionalLong iso = FieldValues.parseIsoTimestamp(v);
            if (iso.isPresent()) {
                return inTimestampYears(iso.getAsLong(), name, value);
            }
            throw new NumberFormatException(v);
        } catch (NumberFormatException | InvalidValueException e) {
            String plus = offsetWithoutPlus(v);
            if (plus != null) {
                throw ApiException.badRequest("invalid_time", name + " '" + value + "' reads as an ISO-8601 time"
                        + " whose offset lost its '+': a '+' in a URL's query string arrives as a space: write it as"
                        + " %2B (" + name + "=" + plus.replace("+", "%2B") + "), or let curl encode it (curl -G"
                        + " --data-urlencode '" + name + "=" + plus + "')");
            }
            throw ApiException.badRequest("invalid_time", name + " must be an ISO-8601 time (e.g. "
                    + "2018-05-09T10:00:00Z), epoch seconds (below 10^11, e.g. 1525876221.5), epoch milliseconds or"
                    + " date math relative to now (e.g. now-1d, now-15m, now-1d/d), not '" + value + "'");
        }
    }

    /**
     * {@code v} with its last space as a '+', if that makes it an ISO-8601 time the data contract reads
     * ({@code 2026-01-01T00:00:00 02:00}: the offset {@code +02:00} sent unencoded), else null. Asked only when
     * {@code v} is no time already (the error path).
     */
    private static String offsetWithoutPlus(String v) {
        int space = v.lastIndexOf(' ');
        if (space < 1 || space + 1 >= v.length() || !Character.isDigit(v.charAt(space + 1))) {
            return null;
        }
        String plus = v.substring(0, space) + '+' + v.substring(space + 1);
        try {
            return FieldValues.parseIsoTimestamp(plus).isPresent() ? plus : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code millis}, or a 400 {@code invalid_time} when it is outside the years 0000-9999 UTC, as no indexed timestamp is. */
    private static long inTimestampYears(long millis, String name, String value) {
        if (millis < FieldValues.MIN_TIMESTAMP_MILLIS || millis > FieldValues.MAX_TIMESTAMP_MILLIS) {
            throw ApiException.badRequest("invalid_time", name + " must lie in the years 0000-9999 (UTC),"
                    + " as every indexed timestamp does; '" + value + "' does not");
        }
        return millis;
    }

    /**
     * A sort key or a name in {@code fields} that is no field name ({@code Flow Duration}): a 400 {@code invalid_sort}
     * or {@code invalid_fields}, whose message the API completes with the field meant when it finds one
     * ({@link SearchService#withSuggestion}).
     */
    static final class InvalidFieldName extends ApiException {
        private static final long serialVersionUID = 1L;
        private final String key;

        InvalidFieldName(String code, String key, String message) {
            super(400, code, message);
            this.key = key;
        }

        /** The name as written (a sort key without its direction). */
        String key() {
            return key;
        }
    }

    static List<SortField> sort(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_SORT;
        }
        List<SortField> sort = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String p = part.strip();
            String field = p;
            boolean descending = false;
            int colon = p.lastIndexOf(':');
            if (colon >= 0) {
                // blanks around the field and the direction are no part of either: "timestamp : desc"
                field = p.substring(0, colon).strip();
                String written = p.substring(colon + 1).strip();
                String order = written.toLowerCase(java.util.Locale.ROOT);
                if (!order.equals("asc") && !order.equals("desc")) {
                    throw ApiException.badRequest("invalid_sort",
                            "sort order must be asc or desc, not '" + written + "' in '" + p + "'");
                }
                descending = order.equals("desc");
            }
            if (colon < 0 && field.length() > 1 && (field.charAt(0) == '-' || field.charAt(0) == '+')
                    && FIELD_NAME.matcher(field.substring(1)).matches()) {
                // -timestamp: the descending sort of Elasticsearch clients and SQL tools; no field starts with - or +
                String f = field.substring(1);
                throw ApiException.badRequest("invalid_sort", "sort takes field[:asc|:desc] items separated by commas;"
                        + " '" + p + "' is not a valid field name: a sign does not give the direction here, write "
                        + f + (field.charAt(0) == '-' ? ":desc" : ":asc") + " to sort by " + f + (field.charAt(0) == '-'
                        ? " in descending order" : " in ascending order"));
            }
            if (!FIELD_NAME.matcher(field).matches()) {
                throw new InvalidFieldName("invalid_sort", field, "sort takes field[:asc|:desc] items separated by commas; '" + p
                        + "' is not a valid field name");
            }
            if (!seen.add(field)) {
                throw ApiException.badRequest("invalid_sort", "sort names field '" + field + "' twice");
            }
            sort.add(new SortField(field, descending));
        }
        if (sort.size() > MAX_SORT_FIELDS) {
            throw ApiException.badRequest("invalid_sort", "sort takes at most " + MAX_SORT_FIELDS + " fields");
        }
        return sort;
    }

    static List<String> fields(String value) {
        if (value == null || value.isBlank()) {
            return List.of();
        }
        Set<String> fields = new LinkedHashSet<>();
        for (String part : value.split(",", -1)) {
            String f = part.strip();
            if (!FIELD_PATTERN.matcher(f).matches()) {
                String message = "fields takes field names separated by commas; '" + f + "' is not a valid field name";
                if (f.indexOf('*') >= 0) {
                    throw ApiException.badRequest("invalid_fields", message); // a pattern: no one column to suggest
                }
                throw new InvalidFieldName("invalid_fields", f, message);
            }
            fields.add(f);
        }
        if (fields.size() > MAX_FIELDS) {
            throw ApiException.badRequest("invalid_fields", "fields takes at most " + MAX_FIELDS + " names");
        }
        return List.copyOf(fields);
    }
}
