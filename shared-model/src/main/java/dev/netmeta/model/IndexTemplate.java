package dev.netmeta.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The composable index template ({@code PUT _index_template/<name>}) for a prefix: index patterns
 * {@code <prefix>-0*} … {@code <prefix>-9*}, alias {@code <prefix>}, mappings of the canonical fields, dynamic templates
 * for unknown columns. The body is the resource {@code index-template.json}, with {@value #PLACEHOLDER} replaced by
 * the prefix and the placeholders {@value #PATTERNS_PLACEHOLDER} and {@value #PRIORITY_PLACEHOLDER} (JSON strings in
 * the resource, quotes included) by the patterns and the priority.
 *
 * <p>Several deployments may share a cluster, and one prefix may start another ({@code metadata},
 * {@code metadata-staging}, {@code metadata-2}). The template of each must be the only one that applies to its daily
 * indices — OpenSearch refuses to install two templates with overlapping patterns and the same priority, and an
 * index gets the alias of the one template that applies. The patterns require a digit after {@code <prefix>-} (a
 * daily index name goes on with its 4-digit year), so the indices of {@code metadata-staging}
 * ({@code metadata-staging-2026.11.27}) are out of the reach of {@code metadata}'s template. Where another prefix is {@code <prefix>-<digit>…} the patterns still overlap, and
 * the {@link #priority}, higher for a longer prefix, decides: a template matching the daily index of another prefix
 * is always that of a shorter prefix (nothing after a prefix's dash in its index names has a {@code -}), so each
 * index gets its own prefix's template.
 */
public final class IndexTemplate {
    static final String RESOURCE = "index-template.json";
    static final String PLACEHOLDER = "{{prefix}}";
    static final String PATTERNS_PLACEHOLDER = "\"{{index_patterns}}\"";
    static final String PRIORITY_PLACEHOLDER = "\"{{priority}}\"";
    /** The priority of a one-character prefix is this plus 1. */
    static final int BASE_PRIORITY = 100;

    private static final String BODY = load();

    private IndexTemplate() {
    }

    /** {@code metadata-template}. */
    public static String name(String prefix) {
        return IndexNames.requireValidPrefix(prefix) + "-template";
    }

    /** The template body as JSON. The prefix is validated, so it cannot break the JSON. */
    public static String json(String prefix) {
        IndexNames.requireValidPrefix(prefix);
        StringBuilder patterns = new StringBuilder("[");
        for (String pattern : indexPatterns(prefix)) {
            patterns.append(patterns.length() > 1 ? ", " : "").append('"').append(pattern).append('"');
        }
        return BODY.replace(PATTERNS_PLACEHOLDER, patterns.append(']'))
                .replace(PRIORITY_PLACEHOLDER, Integer.toString(priority(prefix)))
                .replace(PLACEHOLDER, prefix);
    }

    /** {@code metadata-0*} … {@code metadata-9*}: every daily index of the prefix (its name has a digit after the dash). */
    public static List<String> indexPatterns(String prefix) {
        IndexNames.requireValidPrefix(prefix);
        List<String> patterns = new ArrayList<>(10);
        for (char digit = '0'; digit <= '9'; digit++) {
            patterns.add(prefix + "-" + digit + "*");
        }
        return patterns;
    }

    /** {@value #BASE_PRIORITY} + the prefix's length: of two templates matching an index, the longer prefix's wins. */
    public static int priority(String prefix) {
        return BASE_PRIORITY + IndexNames.requireValidPrefix(prefix).length();
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
