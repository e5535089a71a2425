package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OpenSearch {@code _search} answer into a {@link SearchPage}, keeping each hit's {@code _source} as the raw
 * JSON text OpenSearch sent (sliced from the input, never turned into maps or tokens).
 *
 * <p>Why: the API passes documents through unchanged. Building a map per document and serialising it again was most
 * of the handler's own time; then tokenising each document with Jackson only to step over it still was the largest
 * part (a JFR profile of the api benchmark: a quarter of the handler's CPU). {@link JsonSlices} steps over a
 * document by its quotes and brackets; the few values the API needs (ids, index names, sort values, totals) are
 * decoded one by one, strings with escape sequences by Jackson.
 */
final class SearchResponseReader {

    private static final byte[] TOOK = ascii("took");
    private static final byte[] TIMED_OUT = ascii("timed_out");
    private static final byte[] HITS = ascii("hits");
    private static final byte[] TOTAL = ascii("total");
    private static final byte[] VALUE = ascii("value");
    private static final byte[] RELATION = ascii("relation");
    private static final byte[] ID = ascii("_id");
    private static final byte[] INDEX = ascii("_index");
    private static final byte[] SOURCE = ascii("_source");
    private static final byte[] SORT = ascii("sort");
    private static final RawJson EMPTY_OBJECT = RawJson.of("{}");
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    private final JsonFactory factory;

    SearchResponseReader(JsonFactory factory) {
        this.factory = factory;
    }

    SearchPage read(byte[] answer) throws IOException {
        Page page = new Page(new JsonSlices(answer));
        JsonSlices json = page.json;
        int end = json.members(json.skipWhitespace(0), page::topLevel);
        if (json.skipWhitespace(end) != answer.length) {
            throw new IOException("malformed JSON: content after the answer's object");
        }
        return new SearchPage(page.total < 0 ? page.hits.size() : page.total, page.exact, page.took, page.timedOut,
                page.hits);
    }

    /** One answer being read. */
    private final class Page {
        final JsonSlices json;
        final List<SearchHit> hits = new ArrayList<>();
        long took;
        boolean timedOut;
        long total = -1;
        boolean exact = true;

        Page(JsonSlices json) {
            this.json = json;
        }

        int topLevel(int ks, int ke, int vs) throws IOException {
            if (json.is(ks, ke, HITS) && json.startsWith(vs, '{')) {
                return json.members(vs, this::hitsMember);
            }
            int ve = json.valueEnd(vs);
            if (json.is(ks, ke, TOOK)) {
                took = asLong(json, vs, ve);
            } else if (json.is(ks, ke, TIMED_OUT)) {
                timedOut = json.startsWith(vs, 't');
            }
            return ve;
        }

        int hitsMember(int ks, int ke, int vs) throws IOException {
            if (json.is(ks, ke, HITS) && json.startsWith(vs, '[')) {
                return json.elements(vs, start -> hit(json, start, hits));
            }
            if (json.is(ks, ke, TOTAL) && json.startsWith(vs, '{')) {
                return json.members(vs, this::totalMember);
            }
            int ve = json.valueEnd(vs);
            if (json.is(ks, ke, TOTAL) && !json.startsWith(vs, 'n')) {
                total = asLong(json, vs, ve); // the pre-7.0 form: a bare number
            }
            return ve;
        }

        int totalMember(int ks, int ke, int vs) throws IOException {
            int ve = json.valueEnd(vs);
            if (json.is(ks, ke, VALUE)) {
                total = asLong(json, vs, ve);
            } else if (json.is(ks, ke, RELATION)) {
                exact = !"gte".equals(asString(json, vs, ve));
            }
            return ve;
        }
    }

    /** Reads the hit that starts at {@code start} into {@code hits}; returns its end. */
    private int hit(JsonSlices json, int start, List<SearchHit> hits) throws IOException {
        HitFields h = new HitFields();
        int end = json.members(start, (ks, ke, vs) -> {
            if (json.is(ks, ke, SORT) && json.startsWith(vs, '[')) {
                List<Object> values = new ArrayList<>(3);
                h.sort = values;
                return json.elements(vs, s -> {
                    int e = json.valueEnd(s);
                    values.add(scalar(json, s, e));
                    return e;
                });
            }
            json.resetNonAscii();
            int ve = json.valueEnd(vs);
            if (json.is(ks, ke, ID)) {
                h.id = asString(json, vs, ve);
            } else if (json.is(ks, ke, INDEX)) {
                h.index = asString(json, vs, ve);
            } else if (json.is(ks, ke, SOURCE)) {
                if (json.startsWith(vs, '{')) {
                    h.source = new RawJson(json.bytes(), vs, ve - vs, !json.sawNonAscii());
                }
            }
            return ve;
        });
        hits.add(new SearchHit(h.id, h.index, h.source, h.sort));
        return end;
    }

    private static final class HitFields {
        String id;
        String index;
        RawJson source = EMPTY_OBJECT;
        List<Object> sort = List.of();
    }

    /** A string, number, boolean or null (sort values); objects and arrays are not expected there. */
    private Object scalar(JsonSlices json, int s, int e) throws IOException {
        byte[] b = json.bytes();
        switch (b[s]) {
            case '"':
                return asString(json, s, e);
            case 't':
                return Boolean.TRUE;
            case 'f':
                return Boolean.FALSE;
            case 'n':
                return null;
            case '{':
            case '[':
                throw new IOException("unexpected sort value " + new String(b, s, e - s, StandardCharsets.UTF_8));
            default:
                return number(b, s, e);
        }
    }

    private static Object number(byte[] b, int s, int e) throws IOException {
        String text = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        try {
            for (int i = s; i < e; i++) {
                if (b[i] == '.' || b[i] == 'e' || b[i] == 'E') {
                    return Double.parseDouble(text);
                }
            }
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLarge) { // e.g. an unsigned_long sort value
                return new BigInteger(text).max(LONG_MIN).min(LONG_MAX).longValue();
            }
        } catch (NumberFormatException e2) {
            throw new IOException("malformed number " + text, e2);
        }
    }

    private static long asLong(JsonSlices json, int s, int e) throws IOException {
        Object n = number(json.bytes(), s, e);
        return n instanceof Long ? (Long) n : (long) (double) (Double) n;
    }

    /** A JSON string's text; without escapes straight from the bytes, with escapes decoded by Jackson. */
    private String asString(JsonSlices json, int s, int e) throws IOException {
        if (json.isPlainString(s, e)) {
            return new String(json.bytes(), s + 1, e - s - 2, StandardCharsets.UTF_8);
        }
        if (json.startsWith(s, 'n')) {
            return null;
        }
        try (JsonParser p = factory.createParser(json.bytes(), s, e - s)) {
            p.nextToken();
            return p.getValueAsString();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
