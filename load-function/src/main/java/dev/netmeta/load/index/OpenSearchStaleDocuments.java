package dev.netmeta.load.index;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.netmeta.load.Deadline;
import dev.netmeta.load.StaleDocuments;
import dev.netmeta.model.DocumentIds;
import dev.netmeta.model.Fields;
import dev.netmeta.model.IndexNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.opensearch.client.opensearch.generic.OpenSearchGenericClient;

/**
 * Removes a key's documents of other versions with search + {@code _bulk} delete (OpenSearch Serverless has no
 * {@code _delete_by_query}): {@code POST <prefix>/_search} (the prefix's alias, which reaches its daily indices and no
 * other prefix's, see {@link IndexNames#alias}) for {@code sourceFile == key} and not
 * {@code sourceVersion == keep} (nor, for the version's records without a timestamp, outside the daily index they
 * belong into: see {@link #searchBody}), {@code _source: false}, up to {@value #PAGE} hits a page, sorted by
 * ({@code sourceRecord}, {@code _index}) — unique for one key, because a daily index holds one id per record —
 * and paged with {@code search_after}, so no refresh is needed between rounds and every round moves forward:
 * the cleanup ends after at most (stale documents / page + 1) searches. Each page is deleted with one
 * {@code _bulk} whose deletes carry the hit's {@code if_seq_no}/{@code if_primary_term}: a document that changed
 * since the search view was refreshed (e.g. overwritten by the current version) answers 409 and stays. 404
 * (already gone) is fine too. Before the first search the alias's indices are refreshed (best effort), so documents
 * of a version loaded moments before are found too.
 * <p>Whole requests answered 429/502/503/504 or failing with a connection error are retried with the bulk backoff;
 * no request starts when less than half the time margin is left. Anything else fails the cleanup, which fails the
 * invocation retryably.
 */
public final class OpenSearchStaleDocuments implements StaleDocuments {

    /** Hits per search page, documents per {@code _bulk} delete. */
    public static final int PAGE = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenSearchHttp http;
    private final String prefix;
    private final int pageSize;
    private final Backoff backoff;

    public OpenSearchStaleDocuments(OpenSearchGenericClient client, String prefix, Backoff backoff) {
        this(OpenSearchHttp.of(client), prefix, PAGE, backoff);
    }

    public OpenSearchStaleDocuments(OpenSearchHttp http, String prefix, int pageSize, Backoff backoff) {
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be positive");
        }
        this.http = http;
        this.prefix = IndexNames.requireValidPrefix(prefix);
        this.pageSize = pageSize;
        this.backoff = backoff;
    }

    @Override
    public long removeOtherVersions(String bucket, String sourceFile, String keepVersion,
                                    String keepIndexWithoutTimestamp, Deadline deadline, long marginMillis) {
        if (bucket == null || sourceFile == null || keepVersion == null) {
            throw new IllegalArgumentException("a cleanup needs the bucket, the key and the version to keep");
        }
        // the same key in another bucket is another file: its document ids start with another object prefix
        String idPrefix = DocumentIds.objectPrefix(bucket, sourceFile) + "-";
        String searchPath = "/" + IndexNames.alias(prefix) + "/_search";
        Map<String, String> searchParameters = Map.of("ignore_unavailable", "true", "allow_no_indices", "true");
        refresh(deadline, marginMillis);
        long removed = 0;
        JsonNode after = null;
        while (true) {
            byte[] search = searchBody(sourceFile, keepVersion, keepIndexWithoutTimestamp, after, pageSize);
            JsonNode reply = call("POST", searchPath, searchParameters, search, "application/json", deadline,
                    marginMillis, removed, "search");
            int failedShards = reply.path("_shards").path("failed").asInt(0);
            if (failedShards > 0) {
                throw new CleanupFailedException("searching the documents of other versions of " + sourceFile
                        + " failed on " + failedShards + " shards: " + snippet(reply.path("_shards").toString()),
                        removed, null);
            }
            JsonNode hits = reply.path("hits").path("hits");
            if (hits.isEmpty()) {
                return removed;
            }
            ArrayNode ours = JSON.createArrayNode();
            hits.forEach(h -> {
                if (!ofAnotherObject(h.path("_id").asText(), idPrefix)) {
                    ours.add(h);
                }
            });
            if (!ours.isEmpty()) {
                JsonNode bulk = call("POST", "/_bulk", Map.of(), deleteBody(ours), "application/x-ndjson", deadline,
                        marginMillis, removed, "_bulk delete");
                removed += settle(bulk, sourceFile, removed);
            }
            if (hits.size() < pageSize) {
                return removed;
            }
            after = hits.get(hits.size() - 1).path("sort");
            if (!after.isArray() || after.isEmpty()) {
                throw new CleanupFailedException("the search for documents of other versions of " + sourceFile
                        + " returned hits without sort values", removed, null);
            }
        }
    }

    /**
     * Whether {@code id} is a loader id ({@code <22 base64url chars>-<position>}) of another object — the same key in
     * another bucket. Ids of another form (documents indexed some other way with this {@code sourceFile}) are not.
     */
    static boolean ofAnotherObject(String id, String idPrefix) {
        if (id.startsWith(idPrefix)) {
            return false;
        }
        int dash = idPrefix.length() - 1;
        if (id.length() <= dash + 1 || id.charAt(dash) != '-') {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = i < dash ? Character.isLetterOrDigit(c) && c < 128 || c == '_' || c == '-'
                    : i == dash || c >= '0' && c <= '9';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes recent writes searchable first (best effort, one attempt): documents of another version indexed less than
     * a refresh interval ago (a replacement loaded right after the first load) would otherwise be missed by the
     * search. Where {@code _refresh} is not available (OpenSearch Serverless refreshes by itself) or fails, the
     * cleanup goes on without it; the search's own errors are what fails a cleanup. It also makes the file just
     * loaded searchable by the time its report says SUCCEEDED: sent earlier, overlapped with the indexing, it lost
     * that (docs/BENCHMARKS.md, "Small files").
     */
    private void refresh(Deadline deadline, long marginMillis) {
        if (deadline.remainingMillis() < marginMillis / 2) {
            return; // the search will say that the time ran out
        }
        try {
            http.execute("POST", "/" + IndexNames.alias(prefix) + "/_refresh",
                    Map.of("ignore_unavailable", "true", "allow_no_indices", "true"), new byte[0], "application/json");
        } catch (IOException | RuntimeException e) {
            // best effort, see above
        }
    }

    /** Counts the deletes; throws when an item failed for another reason than "gone" or "changed meanwhile". */
    private static long settle(JsonNode bulk, String sourceFile, long removedBefore) {
        long deleted = 0;
        int failed = 0;
        String firstFailure = null;
        for (JsonNode item : bulk.path("items")) {
            JsonNode d = item.path("delete");
            int status = d.path("status").asInt();
            if (status / 100 == 2) {
                deleted++;
            } else if (status != 404 && status != 409) {
                failed++;
                if (firstFailure == null) {
                    firstFailure = status + " " + d.path("error").path("type").asText() + ": "
                            + d.path("error").path("reason").asText();
                }
            }
        }
        if (failed > 0) {
            throw new CleanupFailedException(failed + " documents of other versions of " + sourceFile
                    + " could not be deleted (first: " + snippet(firstFailure) + ")", removedBefore + deleted, null);
        }
        return deleted;
    }

    private JsonNode call(String method, String path, Map<String, String> parameters, byte[] body,
                          String contentType, Deadline deadline, long marginMillis, long removed, String what) {
        long delay = 0;
        for (int attempt = 1; ; attempt++) {
            if (deadline.remainingMillis() - delay < marginMillis / 2) {
                throw new CleanupFailedException("the time ran out while removing the documents of other versions",
                        removed, null);
            }
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CleanupFailedException("interrupted while removing the documents of other versions",
                            removed, e);
                }
            }
            String problem;
            OpenSearchHttp.Reply reply = null;
            try {
                reply = http.execute(method, path, parameters, body, contentType);
                if (reply.status() / 100 == 2) {
                    return JSON.readTree(reply.body());
                }
                problem = "OpenSearch answered HTTP " + reply.status() + " to " + what + ": "
                        + snippet(new String(reply.body(), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                // connection errors (the transport may throw them unchecked), an unreadable reply
                problem = what + " failed: " + e;
            }
            if (reply != null && reply.status() / 100 != 2 && !Backoff.retryable(reply.status())) {
                throw new CleanupFailedException(problem, removed, null);
            }
            if (!backoff.canRetry(attempt)) {
                throw new CleanupFailedException(problem + " (after " + attempt + " attempts)", removed, null);
            }
            delay = backoff.delayMillis(attempt);
        }
    }

    /**
     * The search for one page of documents of {@code sourceFile} whose {@code sourceVersion} is not {@code keep} —
     * or is, but that have no {@code timestamp} and are not in {@code keepIndexWithoutTimestamp} (when given): a
     * copy of the same content last modified on another day put its records without a timestamp into that day's
     * index, with the same ids and the same {@code sourceVersion}.
     */
    static byte[] searchBody(String sourceFile, String keep, String keepIndexWithoutTimestamp, JsonNode searchAfter,
                             int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("size", size);
            g.writeBooleanField("_source", false);
            g.writeBooleanField("seq_no_primary_term", true);
            g.writeBooleanField("track_total_hits", false);
            g.writeObjectFieldStart("query");
            g.writeObjectFieldStart("bool");
            g.writeArrayFieldStart("filter");
            term(g, Fields.SOURCE_FILE, sourceFile);
            g.writeEndArray();
            g.writeArrayFieldStart("must_not");
            if (keepIndexWithoutTimestamp == null) {
                term(g, Fields.SOURCE_VERSION, keep);
            } else {
                // keep: this version's documents with a timestamp anywhere, without one only in their index
                g.writeStartObject();
                g.writeObjectFieldStart("bool");
                g.writeArrayFieldStart("filter");
                term(g, Fields.SOURCE_VERSION, keep);
                g.writeEndArray();
                g.writeArrayFieldStart("should");
                g.writeStartObject();
                g.writeObjectFieldStart("exists");
                g.writeStringField("field", Fields.TIMESTAMP);
                g.writeEndObject();
                g.writeEndObject();
                term(g, "_index", keepIndexWithoutTimestamp);
                g.writeEndArray();
                g.writeNumberField("minimum_should_match", 1);
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeArrayFieldStart("sort");
            g.writeStartObject();
            g.writeObjectFieldStart(Fields.SOURCE_RECORD);
            g.writeStringField("order", "asc");
            g.writeStringField("unmapped_type", "long");
            g.writeEndObject();
            g.writeEndObject();
            g.writeStartObject();
            g.writeObjectFieldStart("_index");
            g.writeStringField("order", "asc");
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            if (searchAfter != null) {
                g.writeFieldName("search_after");
                g.writeTree(searchAfter);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void term(JsonGenerator g, String field, String value) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("term");
        g.writeStringField(field, value);
        g.writeEndObject();
        g.writeEndObject();
    }

    /** One {@code delete} action per hit, conditional on the hit's sequence number and primary term. */
    static byte[] deleteBody(JsonNode hits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(hits.size() * 120);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (JsonNode hit : hits) {
                g.writeStartObject();
                g.writeObjectFieldStart("delete");
                g.writeStringField("_index", hit.path("_index").asText());
                g.writeStringField("_id", hit.path("_id").asText());
                if (hit.has("_seq_no") && hit.has("_primary_term")) {
                    g.writeNumberField("if_seq_no", hit.path("_seq_no").asLong());
                    g.writeNumberField("if_primary_term", hit.path("_primary_term").asLong());
                }
                g.writeEndObject();
                g.writeEndObject();
                g.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String snippet(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 500 ? text : text.substring(0, 500) + "…";
    }
}
