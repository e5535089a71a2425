package dev.netmeta.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The fan-out payload: a ScheduledEvent-shaped JSON ({@code source: netmeta.sync}, {@code detail-type:
 * netmeta.sync.copy-file}) whose detail names one file by its path relative to the remote directory, with the size
 * and modification time the scheduled run listed.
 */
public record CopyFileRequest(String path, long size, Instant modified) {

    public static final String SOURCE = "netmeta.sync";
    public static final String DETAIL_TYPE = "netmeta.sync.copy-file";

    private static final JsonFactory JSON = new JsonFactory();

    public static CopyFileRequest of(RemoteFile f) {
        return new CopyFileRequest(f.path(), f.size(), f.modified());
    }

    public RemoteFile toRemoteFile() {
        return new RemoteFile(path, size, modified);
    }

    /** The request carried by an event, or empty when the event is an ordinary schedule tick. */
    public static Optional<CopyFileRequest> from(String detailType, Map<String, Object> detail) {
        if (!DETAIL_TYPE.equals(detailType)) {
            return Optional.empty();
        }
        if (detail == null) {
            throw new InvalidCopyFileRequestException("copy-file event without a detail object");
        }
        String path = detail.get("path") instanceof String s ? s : null;
        validatePath(path);
        if (!(detail.get("size") instanceof Number n) || n.longValue() < 0) {
            throw new InvalidCopyFileRequestException("copy-file event for '" + path + "' needs a non-negative numeric 'size'");
        }
        Instant modified;
        try {
            modified = Instant.parse(String.valueOf(detail.get("modified")));
        } catch (DateTimeParseException e) {
            throw new InvalidCopyFileRequestException("copy-file event for '" + path + "' needs 'modified' as ISO-8601 instant, got '"
                    + detail.get("modified") + "'");
        }
        return Optional.of(new CopyFileRequest(path, n.longValue(), modified));
    }

    /** Relative, '/'-separated, no '..' segments: a copy-file event can never reach outside the remote directory. */
    static void validatePath(String path) {
        if (path == null || path.isBlank()) {
            throw new InvalidCopyFileRequestException("copy-file event needs a 'path'");
        }
        if (path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
            throw new InvalidCopyFileRequestException("copy-file path must be relative to the remote directory: '" + path + "'");
        }
        if (path.chars().anyMatch(Character::isISOControl)) {
            // the path goes verbatim into FTP commands: CR/LF would end the command and start another one
            throw new InvalidCopyFileRequestException("copy-file path must not contain control characters: '"
                    + path.replaceAll("\\p{Cntrl}", "?") + "'");
        }
        for (String seg : path.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                throw new InvalidCopyFileRequestException("copy-file path has an empty, '.' or '..' segment: '" + path + "'");
            }
        }
    }

    public String toPayloadJson() {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("version", "0");
            g.writeStringField("id", UUID.randomUUID().toString());
            g.writeStringField("source", SOURCE);
            g.writeStringField("detail-type", DETAIL_TYPE);
            g.writeObjectFieldStart("detail");
            g.writeStringField("path", path);
            g.writeNumberField("size", size);
            g.writeStringField("modified", modified.toString());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
