package dev.netmeta.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One document found: its id, the daily index it lives in, the document (or the requested fields) as the JSON
 * object the engine returned, and the values that place it in the result order (sort keys, then the tiebreaker).
 *
 * <p>A hit read from an engine answer keeps its id, index and sort values as the JSON tokens of that answer and
 * decodes them only when asked: the JSON bodies copy the tokens as they are, and only the last hit's sort values
 * are ever needed (for the cursor). On a 50-hit page that skips 100 string and 50 array decodes and, in the body,
 * the re-escaping of every id and index name (api benchmark, docs/BENCHMARKS.md).
 */
public final class SearchHit {

    private final RawJson source;
    private RawJson idJson;
    private RawJson indexJson;
    private final RawJson sortJson;
    private String id;
    private String index;
    private List<Object> sortValues;

    /** A hit from decoded values (other backends, tests). */
    public SearchHit(String id, String index, RawJson source, List<Object> sortValues) {
        this.id = id;
        this.index = index;
        this.source = Objects.requireNonNull(source, "source");
        this.sortValues = Collections.unmodifiableList(new ArrayList<>(sortValues)); // values may be null
        this.sortJson = null;
    }

    /**
     * A hit as the engine sent it: {@code idJson} and {@code indexJson} are JSON string tokens (quotes included) or
     * {@code null} tokens, {@code sortJson} a JSON array of scalars — all well-formed slices of the answer.
     */
    SearchHit(RawJson idJson, RawJson indexJson, RawJson source, RawJson sortJson) {
        this.idJson = idJson;
        this.indexJson = indexJson;
        this.source = source;
        this.sortJson = sortJson;
    }

    public String id() {
        if (id == null && idJson != null) {
            id = decodeString(idJson);
        }
        return id;
    }

    public String index() {
        if (index == null && indexJson != null) {
            index = decodeString(indexJson);
        }
        return index;
    }

    public RawJson source() {
        return source;
    }

    /** The document as JSON text. */
    public String sourceJson() {
        return source.getValue();
    }

    /** Sort keys, then the tiebreaker values; decoded on the first call. */
    public List<Object> sortValues() {
        if (sortValues == null) {
            if (sortJson == null) {
                sortValues = List.of();
            } else {
                try {
                    sortValues = Collections.unmodifiableList(
                            JsonTokens.scalars(sortJson.array(), sortJson.offset(), sortJson.offset() + sortJson.utf8Length()));
                } catch (IOException e) {
                    throw unreadable(e);
                }
            }
        }
        return sortValues;
    }

    /** The id as a JSON string token (UTF-8, quotes included). */
    RawJson idJson() {
        if (idJson == null) {
            idJson = RawJson.quoted(id);
        }
        return idJson;
    }

    /** The index name as a JSON string token (UTF-8, quotes included). */
    RawJson indexJson() {
        if (indexJson == null) {
            indexJson = RawJson.quoted(index);
        }
        return indexJson;
    }

    private static String decodeString(RawJson token) {
        try {
            return JsonTokens.string(token.array(), token.offset(), token.offset() + token.utf8Length());
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    private static SearchBackendException unreadable(IOException e) {
        return new SearchBackendException(SearchBackendException.Kind.FAILED,
                "the search engine returned an answer this API cannot read", e);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchHit && Objects.equals(id(), ((SearchHit) o).id())
                && Objects.equals(index(), ((SearchHit) o).index()) && source.equals(((SearchHit) o).source)
                && sortValues().equals(((SearchHit) o).sortValues());
    }

    @Override
    public int hashCode() {
        return Objects.hash(id(), index(), source, sortValues());
    }

    @Override
    public String toString() {
        return "SearchHit[id=" + id() + ", index=" + index() + ", source=" + source + ", sortValues=" + sortValues() + "]";
    }
}
