package dev.netmeta.load;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One line of a rejects object, as its bytes: {@code {"source":…,"line":…,"position":…,"reason":…,"raw":…}} and a
 * {@code \n}. The one encoding of a reject, so a writer can tell how many bytes a line adds before it adds it
 * ({@code LOAD_MAX_REJECTS_BYTES}).
 */
public final class RejectLine {

    private static final JsonFactory JSON = new JsonFactory();

    private RejectLine() {
    }

    public static byte[] encode(Reject reject) {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(line)) {
            g.writeStartObject();
            g.writeStringField("source", reject.source());
            g.writeNumberField("line", reject.line());
            g.writeNumberField("position", reject.position());
            g.writeStringField("reason", reject.reason());
            g.writeStringField("raw", reject.raw());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        line.write('\n');
        return line.toByteArray();
    }
}
