package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an OpenSearch {@code _search} answer with Jackson's streaming parser into a {@link SearchPage}, keeping each
 * hit's {@code _source} as the raw JSON text OpenSearch sent (sliced from the input, never turned into maps).
 *
 * <p>Why: the API passes documents through unchanged, so building a map per document and serialising it again
 * was most of the handler's own time (about 0.25 ms of a 50-hit page in the micro-measurement, i.e. 5-10 % of a
 * small query on the embedded node). Skipping over {@code _source} only tokenises it.
 */
final class SearchResponseReader {

    private final JsonFactory factory;

    SearchResponseReader(JsonFactory factory) {
        this.factory = factory;
    }

    SearchPage read(byte[] answer) throws IOException {
        long took = 0;
        boolean timedOut = false;
        long total = -1;
        boolean exact = true;
        List<SearchHit> hits = new ArrayList<>();
        try (JsonParser p = factory.createParser(answer)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "took":
                        took = p.getValueAsLong();
                        break;
                    case "timed_out":
                        timedOut = value == JsonToken.VALUE_TRUE;
                        break;
                    case "hits":
                        expect(value, JsonToken.START_OBJECT);
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String hitsField = p.currentName();
                            JsonToken v = p.nextToken();
                            if (hitsField.equals("total") && v == JsonToken.START_OBJECT) {
                                while (p.nextToken() == JsonToken.FIELD_NAME) {
                                    String f = p.currentName();
                                    p.nextToken();
                                    if (f.equals("value")) {
                                        total = p.getValueAsLong();
                                    } else if (f.equals("relation")) {
                                        exact = !"gte".equals(p.getText());
                                    } else {
                                        p.skipChildren();
                                    }
                                }
                            } else if (hitsField.equals("hits") && v == JsonToken.START_ARRAY) {
                                while (p.nextToken() == JsonToken.START_OBJECT) {
                                    hits.add(hit(p, answer));
                                }
                            } else {
                                p.skipChildren();
                            }
                        }
                        break;
                    default:
                        p.skipChildren();
                }
            }
        }
        return new SearchPage(total < 0 ? hits.size() : total, exact, took, timedOut, hits);
    }

    private static SearchHit hit(JsonParser p, byte[] answer) throws IOException {
        String id = null;
        String index = null;
        String source = "{}";
        List<Object> sort = List.of();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "_id":
                    id = p.getText();
                    break;
                case "_index":
                    index = p.getText();
                    break;
                case "_source":
                    if (value == JsonToken.START_OBJECT) {
                        int start = (int) p.currentTokenLocation().getByteOffset();
                        p.skipChildren();
                        int end = (int) p.currentLocation().getByteOffset();
                        source = new String(answer, start, end - start, StandardCharsets.UTF_8);
                    }
                    break;
                case "sort":
                    sort = sortValues(p);
                    break;
                default:
                    p.skipChildren();
            }
        }
        return new SearchHit(id, index, source, sort);
    }

    private static List<Object> sortValues(JsonParser p) throws IOException {
        List<Object> values = new ArrayList<>(3);
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            switch (t) {
                case VALUE_NUMBER_INT:
                    values.add(p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? p.getBigIntegerValue().min(BigInteger.valueOf(Long.MAX_VALUE)).longValue()
                            : p.getLongValue());
                    break;
                case VALUE_NUMBER_FLOAT:
                    values.add(p.getDoubleValue());
                    break;
                case VALUE_STRING:
                    values.add(p.getText());
                    break;
                case VALUE_TRUE:
                case VALUE_FALSE:
                    values.add(t == JsonToken.VALUE_TRUE);
                    break;
                case VALUE_NULL:
                    values.add(null);
                    break;
                default:
                    throw new IOException("unexpected sort value " + t);
            }
        }
        return values;
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }
}
