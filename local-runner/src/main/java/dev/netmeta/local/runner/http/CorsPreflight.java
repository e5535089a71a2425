package dev.netmeta.local.runner.http;

import dev.netmeta.local.runner.manifest.HttpCors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.PatternSyntaxException;

/**
 * The answer of the {@code OPTIONS} method the framework adds to a resource whose {@code http} events have
 * {@code cors} (osls, {@code compile/events/api-gateway/lib/cors.js}): a MOCK integration with fixed response headers.
 * The settings of all events on one path are merged as the framework merges them (headers, methods and origins
 * united in order, the last {@code origin}, {@code maxAge} and {@code cacheControl} win, credentials if any allows
 * them). {@code Access-Control-Allow-Origin} is the configured origin (the first one of a list); only with a list of
 * origins does a response template put the request's {@code Origin} there instead, when it matches one of them.
 */
final class CorsPreflight {

    private CorsPreflight() {
    }

    /** The preflight headers for the CORS settings of the events on one path, in manifest order. */
    static Map<String, String> headers(List<HttpCors> settings, String requestOrigin) {
        LinkedHashSet<String> headers = new LinkedHashSet<>();
        LinkedHashSet<String> methods = new LinkedHashSet<>();
        LinkedHashSet<String> originList = new LinkedHashSet<>();
        String origin = null;
        boolean credentials = false;
        String maxAge = null;
        String cacheControl = null;
        for (HttpCors c : settings) {
            headers = union(c.headers(), headers);
            methods = union(c.methods(), methods);
            originList = union(c.origins(), originList);
            origin = c.origin();
            credentials |= c.allowCredentials();
            maxAge = c.maxAge() != null ? c.maxAge() : maxAge;
            cacheControl = c.cacheControl() != null ? c.cacheControl() : cacheControl;
        }
        List<String> origins = new ArrayList<>(originList);
        if (origin != null && origin.contains(",")) {
            origins = new ArrayList<>();
            for (String o : origin.split(",")) {
                origins.add(o.trim());
            }
        }
        if (!origins.isEmpty()) {
            origin = origins.get(0);
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Access-Control-Allow-Origin", String.valueOf(origin));
        out.put("Access-Control-Allow-Headers", String.join(",", headers));
        String allowMethods = String.join(",", methods);
        if (methods.contains("ANY")) {
            allowMethods = allowMethods.replaceFirst("ANY", "DELETE,GET,HEAD,PATCH,POST,PUT");
        }
        out.put("Access-Control-Allow-Methods", allowMethods);
        if (credentials) {
            out.put("Access-Control-Allow-Credentials", "true");
        }
        if (maxAge != null) {
            out.put("Access-Control-Max-Age", maxAge);
        }
        if (cacheControl != null) {
            out.put("Cache-Control", cacheControl);
        }
        if (requestOrigin != null && !requestOrigin.isEmpty() && origins.stream().anyMatch(o -> matches(requestOrigin, o))) {
            out.put("Access-Control-Allow-Origin", requestOrigin);
        }
        return out;
    }

    private static boolean matches(String requestOrigin, String origin) {
        try {
            return requestOrigin.matches(regex(origin));
        } catch (PatternSyntaxException e) {
            return false; // the template's #if fails the same way: the configured origin stays
        }
    }

    /** The framework's glob: literal dots, the first {@code *} stands for one or more characters. */
    private static String regex(String origin) {
        return origin.replace(".", "[.]").replaceFirst("\\*", ".+");
    }

    /** lodash {@code union(first, second)}: the distinct values of both, in order of first appearance. */
    private static LinkedHashSet<String> union(List<String> first, LinkedHashSet<String> second) {
        LinkedHashSet<String> out = new LinkedHashSet<>(first);
        out.addAll(second);
        return out;
    }
}
