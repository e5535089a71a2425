package dev.netmeta.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The composable index template ({@code PUT _index_template/<name>}) for a prefix: index patterns
 * {@code <prefix>-*}, alias {@code <prefix>}, mappings of the canonical fields, dynamic templates for unknown
 * columns. The body is the resource {@code index-template.json}, with {@value #PLACEHOLDER} replaced by the prefix.
 */
public final class IndexTemplate {
    static final String RESOURCE = "index-template.json";
    static final String PLACEHOLDER = "{{prefix}}";

    private static final String BODY = load();

    private IndexTemplate() {
    }

    /** {@code metadata-template}. */
    public static String name(String prefix) {
        return IndexNames.requireValidPrefix(prefix) + "-template";
    }

    /** The template body as JSON. The prefix is validated, so it cannot break the JSON. */
    public static String json(String prefix) {
        return BODY.replace(PLACEHOLDER, IndexNames.requireValidPrefix(prefix));
    }

    private static String load() {
        try (InputStream in = IndexTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dev/netmeta/model/" + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
