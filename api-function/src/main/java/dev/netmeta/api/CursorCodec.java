package dev.netmeta.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Encodes the position after the last hit of a page as an opaque, URL-safe cursor, and decodes it again.
 *
 * <p>A cursor is {@code base64url(payload) "." base64url(checksum)}; the payload holds the query's fingerprint
 * (q, from, to and sort) and the hit's sort values (the user's sort keys plus the unique tiebreaker), and for a
 * CSV export its {@link CsvLayout} (the columns every response of the export writes), and for a search whose from/to
 * is date math the time it was resolved against ({@code n}, optional: a cursor without it reads as before, so the
 * version stays). The payload's version
 * changes whenever the meaning of the sort values does (version 2: the tiebreaker is {@code sourceFile} +
 * {@code sourceRecord}; version 1 held {@code _id}), so a cursor of an older deployment is a clear 400 instead of
 * a wrong page. The
 * checksum makes a damaged or hand-edited cursor a clear 400 instead of a silently different page; the
 * fingerprint makes a cursor used with a different query a 400 too. A cursor is not a secret and not a
 * capability: it only holds sort values and column names of the caller's own results.
 *
 * <p>A payload of more than {@value #COMPRESS_ABOVE} bytes (a CSV export's column list, long sort values such as
 * URLs) is deflated when that makes it shorter, and the cursor then starts with {@code ~} (unreserved in URLs, never
 * in base64url): a cursor travels in the query string, and API Gateway limits a request's URL to about 8 KB. The
 * checksum is over the uncompressed payload. The reader accepts up to {@value #MAX_CURSOR_LENGTH} characters — more
 * than any cursor this API issues for sort values of up to 1,024 characters (the longest a keyword is indexed).
 */
final class CursorCodec {

    private static final int VERSION = 2;
    static final int MAX_CURSOR_LENGTH = 16_384;
    static final int COMPRESS_ABOVE = 256;
    private static final char DEFLATED = '~';
    /** Bound on an inflated payload: a crafted cursor must not inflate into megabytes. */
    private static final int MAX_PAYLOAD = 64 * 1024;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Checksum domain. Unchanged across versions, so an old cursor is recognised as old rather than as damaged. */
    private static final byte[] DOMAIN = "netmeta-cursor-v1".getBytes(StandardCharsets.UTF_8);
    /** One digest per thread: the provider lookup of {@code MessageDigest.getInstance} costs more than the hash. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    });

    private final ObjectMapper json;

    CursorCodec(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The fingerprint of everything that must stay the same while paging: a bound written as date math counts as its
     * text ({@code now-1d}), not the time it stood for, which the cursor carries ({@link Position#now}).
     */
    static String fingerprint(SearchParameters p) {
        return shortHash(p.query() + '\u0000' + (p.fromMath() != null ? p.fromMath().text() : p.fromMillis()) + '\u0000'
                + (p.toMath() != null ? p.toMath().text() : p.toMillis()) + '\u0000' + p.sort());
    }

    /**
     * Where a cursor resumes: the sort values of the last hit seen, for a CSV export its layout (or null), and the time
     * (epoch ms) the first page resolved {@code from}/{@code to} written as date math against (or null), so that every
     * page of one search has the same window.
     */
    record Position(List<Object> sortValues, CsvLayout csvLayout, Long now) {
    }

    String encode(String fingerprint, List<Object> sortValues) {
        return encode(fingerprint, sortValues, null);
    }

    String encode(String fingerprint, List<Object> sortValues, CsvLayout csvLayout) {
        return encode(fingerprint, sortValues, csvLayout, null);
    }

    /** As {@link #encode(String, List, CsvLayout)}; {@code now}: the time date math was resolved against, or null. */
    String encode(String fingerprint, List<Object> sortValues, CsvLayout csvLayout, Long now) {
        // written with the streaming generator: a tree and data binding for a few values cost more than the rest
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("f", fingerprint);
            g.writeArrayFieldStart("a");
            for (Object v : sortValues) {
                writeSortValue(g, v);
            }
            g.writeEndArray();
            if (csvLayout != null) {
                g.writeObjectFieldStart("csv");
                g.writeStringField("k", csvLayout.fieldsKey());
                g.writeArrayFieldStart("c");
                for (String column : csvLayout.columns()) {
                    g.writeString(column);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            if (now != null) {
                g.writeNumberField("n", now);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode cursor", e);
        }
        byte[] payload = out.toByteArray();
        String sum = "." + ENCODER.encodeToString(checksum(payload));
        if (payload.length > COMPRESS_ABOVE) {
            byte[] deflated = deflate(payload);
            if (deflated.length < payload.length) {
                return DEFLATED + ENCODER.encodeToString(deflated) + sum;
            }
        }
        return ENCODER.encodeToString(payload) + sum;
    }

    private static byte[] deflate(byte[] payload) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setInput(payload);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length);
            byte[] buf = new byte[1024];
            while (!deflater.finished()) {
                out.write(buf, 0, deflater.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** The inflated payload, or null when it is not valid deflate data or inflates beyond {@link #MAX_PAYLOAD}. */
    private static byte[] inflate(byte[] deflated) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream(deflated.length * 3);
            byte[] buf = new byte[1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null; // truncated
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_PAYLOAD) {
                    return null;
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }

    /**
     * A sort value as JSON: a number, string, boolean or null (as {@link SearchResponseReader} reads them); also the
     * {@code search_after} values of a request.
     */
    static void writeSortValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Long || v instanceof Integer) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Boolean) {
            g.writeBoolean((Boolean) v);
        } else {
            g.writeString(v.toString());
        }
    }

    /**
     * Returns the sort values stored in the cursor.
     *
     * @param expectedValues number of sort values a cursor of this query holds (sort keys + tiebreaker)
     */
    List<Object> decode(String cursor, String fingerprint, int expectedValues) {
        return read(cursor, fingerprint, expectedValues).sortValues();
    }

    /**
     * Returns the position stored in the cursor.
     *
     * @param expectedValues number of sort values a cursor of this query holds (sort keys + tiebreaker)
     */
    Position read(String cursor, String fingerprint, int expectedValues) {
        if (cursor.length() > MAX_CURSOR_LENGTH) {
            throw invalid("cursor is too long to be one this API issued");
        }
        boolean deflated = !cursor.isEmpty() && cursor.charAt(0) == DEFLATED;
        int dot = cursor.indexOf('.');
        if (dot <= (deflated ? 1 : 0) || dot != cursor.lastIndexOf('.')) {
            throw invalid("cursor is not one this API issued: pass the 'next' value of the previous page unchanged");
        }
        byte[] payload;
        byte[] checksum;
        try {
            payload = DECODER.decode(cursor.substring(deflated ? 1 : 0, dot));
            checksum = DECODER.decode(cursor.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw invalid("cursor is not valid base64url: pass the 'next' value of the previous page unchanged");
        }
        if (deflated) {
            payload = inflate(payload);
            if (payload == null) {
                throw invalid("cursor is damaged: pass the 'next' value of the previous page unchanged");
            }
        }
        if (!MessageDigest.isEqual(checksum, checksum(payload))) {
            throw invalid("cursor is damaged (checksum mismatch): pass the 'next' value of the previous page unchanged");
        }
        JsonNode node;
        try {
            node = json.readTree(payload);
        } catch (IOException e) {
            throw invalid("cursor is damaged");
        }
        int version = node == null ? 0 : node.path("v").asInt();
        if (version < VERSION) {
            throw invalid("cursor from an older version of this API (its sort order changed): start again without"
                    + " a cursor");
        }
        if (version != VERSION) {
            throw invalid("cursor from another version of this API: start again without a cursor");
        }
        if (!fingerprint.equals(node.path("f").asText())) {
            throw invalid("cursor belongs to a different search: keep q, from, to and sort unchanged while paging");
        }
        JsonNode values = node.path("a");
        if (!values.isArray() || values.size() != expectedValues) {
            throw invalid("cursor is damaged (wrong number of sort values)");
        }
        List<Object> out = new ArrayList<>(values.size());
        for (JsonNode v : values) {
            if (v.isIntegralNumber() && v.canConvertToLong()) {
                out.add(v.longValue());
            } else if (v.isFloatingPointNumber()) {
                out.add(v.doubleValue());
            } else if (v.isTextual()) {
                out.add(v.textValue());
            } else if (v.isBoolean()) {
                out.add(v.booleanValue());
            } else if (v.isNull()) {
                out.add(null);
            } else {
                throw invalid("cursor is damaged (unexpected sort value)");
            }
        }
        JsonNode now = node.get("n");
        if (now != null && !(now.isIntegralNumber() && now.canConvertToLong())) {
            throw invalid("cursor is damaged (time of date math)");
        }
        return new Position(out, csvLayout(node.get("csv")), now == null ? null : now.longValue());
    }

    private static CsvLayout csvLayout(JsonNode csv) {
        if (csv == null) {
            return null;
        }
        JsonNode columns = csv.path("c");
        if (!csv.path("k").isTextual() || !columns.isArray()) {
            throw invalid("cursor is damaged (CSV layout)");
        }
        List<String> names = new ArrayList<>(columns.size());
        for (JsonNode c : columns) {
            if (!c.isTextual()) {
                throw invalid("cursor is damaged (CSV layout)");
            }
            names.add(c.textValue());
        }
        return new CsvLayout(csv.path("k").textValue(), names);
    }

    /** A short, URL-safe digest of {@code text} (96 bits of SHA-256). */
    static String shortHash(String text) {
        return ENCODER.encodeToString(Arrays.copyOf(sha256(text.getBytes(StandardCharsets.UTF_8)), 12));
    }

    private static ApiException invalid(String message) {
        return ApiException.badRequest("invalid_cursor", message);
    }

    private static byte[] checksum(byte[] payload) {
        byte[] input = new byte[DOMAIN.length + payload.length];
        System.arraycopy(DOMAIN, 0, input, 0, DOMAIN.length);
        System.arraycopy(payload, 0, input, DOMAIN.length, payload.length);
        return Arrays.copyOf(sha256(input), 12);
    }

    /** SHA-256 with this thread's digest (also for {@link ApiKeys}). */
    static byte[] sha256(byte[] input) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        return digest.digest(input);
    }
}
