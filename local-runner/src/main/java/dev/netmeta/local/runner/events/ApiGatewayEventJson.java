package dev.netmeta.local.runner.events;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The request event API Gateway's REST API sends through a Lambda proxy integration
 * ({@code APIGatewayProxyRequestEvent}): single- and multi-value headers and query parameters (the single-value
 * maps keep the last value, as API Gateway does; query values are URL-decoded, {@code +} becoming a space), path
 * parameters of the resource, and a request context with the stage, request id and caller identity.
 */
public final class ApiGatewayEventJson {

    private static final DateTimeFormatter REQUEST_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private ApiGatewayEventJson() {
    }

    public record Request(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body,
                          String sourceIp, String domainName) {
    }

    public static String proxyRequest(Request request, String resource, Map<String, String> pathParameters,
                                      String stage, String account, String requestId, Instant time) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("resource", resource);
        root.put("path", request.path());
        root.put("httpMethod", request.method());
        ObjectNode headers = root.putObject("headers");
        ObjectNode multiHeaders = root.putObject("multiValueHeaders");
        request.headers().forEach((name, values) -> {
            if (!values.isEmpty()) {
                headers.put(name, values.get(values.size() - 1));
                multiHeaders.putArray(name).addAll(values.stream().map(com.fasterxml.jackson.databind.node.TextNode::valueOf).toList());
            }
        });
        Map<String, List<String>> query = parseQuery(request.rawQuery());
        if (query.isEmpty()) {
            root.putNull("queryStringParameters");
            root.putNull("multiValueQueryStringParameters");
        } else {
            ObjectNode single = root.putObject("queryStringParameters");
            ObjectNode multi = root.putObject("multiValueQueryStringParameters");
            // putArray, not withArray: withArray reads a name starting with '/' as a JSON pointer (and refuses an
            // empty one); API Gateway passes every name through as it is, whatever it looks like
            query.forEach((name, values) -> {
                single.put(name, values.get(values.size() - 1));
                ArrayNode all = multi.putArray(name);
                values.forEach(all::add);
            });
        }
        if (pathParameters == null || pathParameters.isEmpty()) {
            root.putNull("pathParameters");
        } else {
            ObjectNode params = root.putObject("pathParameters");
            pathParameters.forEach(params::put);
        }
        root.putNull("stageVariables");
        ObjectNode ctx = root.putObject("requestContext");
        ctx.put("resourceId", Integer.toHexString(resource.hashCode()));
        ctx.put("resourcePath", resource);
        ctx.put("httpMethod", request.method());
        ctx.put("extendedRequestId", UUID.randomUUID().toString());
        ctx.put("requestTime", REQUEST_TIME.format(time));
        ctx.put("path", "/" + stage + request.path());
        ctx.put("accountId", account);
        ctx.put("protocol", "HTTP/1.1");
        ctx.put("stage", stage);
        ctx.put("domainPrefix", request.domainName().split("[.:]")[0]);
        ctx.put("requestTimeEpoch", time.toEpochMilli());
        ctx.put("requestId", requestId);
        ObjectNode identity = ctx.putObject("identity");
        identity.put("sourceIp", request.sourceIp());
        identity.put("userAgent", first(request.headers(), "User-Agent"));
        String apiKey = first(request.headers(), "x-api-key");
        identity.put("apiKey", apiKey);
        identity.put("apiKeyId", apiKey == null ? null : "local-" + Integer.toHexString(apiKey.hashCode()));
        ctx.put("domainName", request.domainName());
        ctx.put("apiId", "local");
        if (request.body() == null || request.body().length == 0) {
            root.putNull("body");
            root.put("isBase64Encoded", false);
        } else if (isText(request.headers())) {
            root.put("body", new String(request.body(), StandardCharsets.UTF_8));
            root.put("isBase64Encoded", false);
        } else {
            root.put("body", Base64.getEncoder().encodeToString(request.body()));
            root.put("isBase64Encoded", true);
        }
        return root.toString();
    }

    /** Query parameters in order, URL-decoded the way API Gateway decodes them. */
    public static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // unreachable over HTTP: the JDK server refuses a malformed escape with 400 before any handler runs
            return s;
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    private static boolean isText(Map<String, List<String>> headers) {
        String type = first(headers, "Content-Type");
        return type == null || type.startsWith("text/") || type.contains("json") || type.contains("xml")
                || type.contains("x-www-form-urlencoded");
    }
}
