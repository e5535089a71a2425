package dev.netmeta.local.runner.manifest;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An {@code http} event (API Gateway REST API, Lambda proxy integration): method and resource path, which may hold
 * path parameters ({@code {id}}) and a greedy one ({@code {proxy+}}). {@code cors} is {@code null} when the event
 * has no CORS preflight. {@code timeoutMillis}: the integration timeout the event sets ({@code timeoutInMillis}, else
 * {@code provider.apiGateway.timeoutInMillis}), {@code null} for API Gateway's default (29 s).
 */
public record HttpRoute(String method, String resource, boolean privateApi, HttpCors cors, Integer timeoutMillis) {

    public HttpRoute {
        method = method.toUpperCase(Locale.ROOT);
        resource = "/" + resource.replaceAll("^/+", "").replaceAll("/+$", "");
    }

    /** With API Gateway's default integration timeout. */
    public HttpRoute(String method, String resource, boolean privateApi, HttpCors cors) {
        this(method, resource, privateApi, cors, null);
    }

    /** With {@code cors: true} or without CORS. */
    public HttpRoute(String method, String resource, boolean privateApi, boolean cors) {
        this(method, resource, privateApi, cors ? HttpCors.enabled(method) : null);
    }

    public boolean methodMatches(String requestMethod) {
        return "ANY".equals(method) || method.equalsIgnoreCase(requestMethod);
    }

    /** The path parameters when {@code path} matches this resource, else {@code null}. */
    public Map<String, String> match(String path) {
        StringBuilder regex = new StringBuilder();
        Matcher m = Pattern.compile("\\{([A-Za-z0-9_]+)(\\+?)}").matcher(resource);
        int last = 0;
        java.util.List<String> names = new java.util.ArrayList<>();
        while (m.find()) {
            regex.append(Pattern.quote(resource.substring(last, m.start())));
            regex.append(m.group(2).isEmpty() ? "([^/]+)" : "(.+)");
            names.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(resource.substring(last)));
        String normalized = path.length() > 1 ? path.replaceAll("/+$", "") : path;
        Matcher pm = Pattern.compile(regex.toString()).matcher(normalized);
        if (!pm.matches()) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            params.put(names.get(i), pm.group(i + 1));
        }
        return params;
    }
}
