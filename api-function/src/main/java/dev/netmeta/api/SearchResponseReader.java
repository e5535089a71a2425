package dev.netmeta.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OpenSearch {@code _search} answer into a {@link SearchPage}, keeping each hit's {@code _source}, id, index
 * name and sort values as the raw JSON OpenSearch sent (slices of the input, decoded only when asked).
 *
 * <p>Why: the API passes documents through unchanged. Building a map per document and serialising it again was most
 * of the handler's own time; then tokenising each document with Jackson only to step over it still was the largest
 * part (a JFR profile of the api benchmark: a quarter of the handler's CPU). {@link JsonSlices} steps over a
 * document by its quotes and brackets; of a page only the totals are decoded here, and of its hits only what the
 * response needs later (the JSON bodies copy id and index tokens as they are; the cursor needs one hit's sort values).
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
    private static final RawJson NULL = RawJson.of("null");

    SearchPage read(byte[] answer) throws IOException {
        return read(answer, false);
    }

    /**
     * @param filtered whether the search named {@code _source} fields: OpenSearch wrote those documents again, and
     *                 their decimals are spelled as the loader spells them ({@link DecimalRespelling})
     */
    SearchPage read(byte[] answer, boolean filtered) throws IOException {
        Page page = new Page(new JsonSlices(answer), filtered);
        JsonSlices json = page.json;
        int end = json.members(json.skipWhitespace(0), page::topLevel);
        if (json.skipWhitespace(end) != answer.length) {
            throw new IOException("malformed JSON: content after the answer's object");
        }
        return new SearchPage(page.total < 0 ? page.hits.size() : page.total, page.exact, page.took, page.timedOut,
                page.hits);
    }

    /** One answer being read. */
    private static final class Page {
        final JsonSlices json;
        final byte[] b;
        final List<SearchHit> hits = new ArrayList<>();
        long took;
        boolean timedOut;
        long total = -1;
        boolean exact = true;
        // the hit being read
        RawJson id;
        RawJson index;
        RawJson source;
        RawJson sort;

        final boolean filtered;

        Page(JsonSlices json, boolean filtered) {
            this.json = json;
            this.filtered = filtered;
            this.b = json.bytes();
        }

        int topLevel(int ks, int ke, int vs) throws IOException {
            if (json.is(ks, ke, HITS) && json.startsWith(vs, '{')) {
                return json.members(vs, this::hitsMember);
            }
            int ve = json.valueEnd(vs);
            if (json.is(ks, ke, TOOK)) {
                took = JsonTokens.asLong(b, vs, ve);
            } else if (json.is(ks, ke, TIMED_OUT)) {
                timedOut = json.startsWith(vs, 't');
            }
            return ve;
        }

        int hitsMember(int ks, int ke, int vs) throws IOException {
            if (json.is(ks, ke, HITS) && json.startsWith(vs, '[')) {
                return json.elements(vs, this::hit);
            }
            if (json.is(ks, ke, TOTAL) && json.startsWith(vs, '{')) {
                return json.members(vs, this::totalMember);
            }
            int ve = json.valueEnd(vs);
            if (json.is(ks, ke, TOTAL) && !json.startsWith(vs, 'n')) {
                total = JsonTokens.asLong(b, vs, ve); // the pre-7.0 form: a bare number
            }
            return ve;
        }

        int totalMember(int ks, int ke, int vs) throws IOException {
            int ve = json.valueEnd(vs);
            if (json.is(ks, ke, VALUE)) {
                total = JsonTokens.asLong(b, vs, ve);
            } else if (json.is(ks, ke, RELATION)) {
                exact = !"gte".equals(JsonTokens.string(b, vs, ve));
            }
            return ve;
        }

        /** Reads the hit that starts at {@code start}; returns its end. */
        int hit(int start) throws IOException {
            id = NULL;
            index = NULL;
            source = EMPTY_OBJECT;
            sort = null;
            int end = json.members(start, this::hitMember);
            hits.add(new SearchHit(id, index, source, sort));
            return end;
        }

        int hitMember(int ks, int ke, int vs) throws IOException {
            json.resetNonAscii();
            int ve = json.valueEnd(vs);
            switch (ke - ks) { // the key's length first: one comparison for the members that are not needed
                case 3:
                    if (json.is(ks, ke, ID) && json.startsWith(vs, '"')) {
                        id = token(vs, ve);
                    }
                    break;
                case 4:
                    if (json.is(ks, ke, SORT) && json.startsWith(vs, '[')) {
                        sort = token(vs, ve);
                    }
                    break;
                case 6:
                    if (json.is(ks, ke, INDEX) && json.startsWith(vs, '"')) {
                        index = token(vs, ve);
                    }
                    break;
                case 7:
                    if (json.is(ks, ke, SOURCE) && json.startsWith(vs, '{')) {
                        source = filtered ? DecimalRespelling.of(token(vs, ve)) : token(vs, ve);
                    }
                    break;
                default:
                    break;
            }
            return ve;
        }

        private RawJson token(int vs, int ve) {
            return new RawJson(b, vs, ve - vs, !json.sawNonAscii());
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
