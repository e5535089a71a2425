package dev.netmeta.local.runner.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code cors} setting of one {@code http} event, completed the way the framework completes it before it
 * compiles the preflight (osls, {@code compile/events/api-gateway/lib/validate.js}, {@code getCors}): {@code true}
 * means origin {@code *}; the default headers are API Gateway's usual list; the methods are the given ones (or none)
 * plus {@code OPTIONS} plus the event's own method.
 *
 * @param origin  the {@code origin} setting ({@code null} when only {@code origins} is given)
 * @param origins the {@code origins} setting (empty when not given)
 */
public record HttpCors(String origin, List<String> origins, List<String> headers, List<String> methods,
                       boolean allowCredentials, String maxAge, String cacheControl) {

    public static final List<String> DEFAULT_HEADERS = List.of("Content-Type", "X-Amz-Date", "Authorization",
            "X-Api-Key", "X-Amz-Security-Token", "X-Amz-User-Agent", "X-Amzn-Trace-Id");

    public HttpCors {
        origins = List.copyOf(origins);
        headers = List.copyOf(headers);
        methods = List.copyOf(methods);
    }

    /** {@code cors: true}. */
    public static HttpCors enabled(String method) {
        return new HttpCors("*", List.of(), DEFAULT_HEADERS, List.of("OPTIONS", method.toUpperCase(Locale.ROOT)),
                false, null, null);
    }

    /** The event's {@code cors} value, or {@code null} when it is missing or {@code false}. */
    public static HttpCors of(JsonNode cors, String method) {
        if (cors == null || cors.isMissingNode() || cors.isNull() || "false".equals(cors.asText(""))) {
            return null;
        }
        if (!cors.isObject()) {
            return enabled(method);
        }
        String origin = cors.has("origins") ? text(cors.get("origin")) : text(cors.path("origin"), "*");
        List<String> headers = cors.has("headers") ? list(cors.get("headers")) : DEFAULT_HEADERS;
        List<String> methods = new ArrayList<>(list(cors.path("methods")));
        if (!methods.contains("OPTIONS")) {
            methods.add("OPTIONS");
        }
        String own = method.toUpperCase(Locale.ROOT);
        if (!methods.contains(own)) {
            methods.add(own);
        }
        JsonNode credentials = cors.path("allowCredentials");
        boolean allowCredentials = credentials.isBoolean() ? credentials.booleanValue()
                : credentials.isValueNode() && !credentials.asText("").isEmpty() && !"false".equals(credentials.asText());
        JsonNode maxAge = cors.path("maxAge");
        return new HttpCors(origin, list(cors.path("origins")), headers, methods, allowCredentials,
                maxAge.isNumber() && maxAge.asDouble() == 0 ? null : text(maxAge), text(cors.path("cacheControl")));
    }

    private static List<String> list(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.asText()));
        } else if (node.isValueNode() && !node.isNull()) {
            out.add(node.asText());
        }
        return out;
    }

    private static String text(JsonNode node) {
        return text(node, null);
    }

    private static String text(JsonNode node, String fallback) {
        return node == null || !node.isValueNode() || node.isNull() ? fallback : node.asText();
    }
}
