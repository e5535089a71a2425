package dev.netmeta.local.runner.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Resolves the Serverless Framework variables of a manifest the way {@code sls} does for a local stage:
 * {@code ${param:x}} (from {@code params.<stage>} then {@code params.default}), {@code ${self:a.b}},
 * {@code ${sls:stage}}, {@code ${opt:stage}}, {@code ${opt:region}}, {@code ${aws:region}}, {@code ${aws:accountId}},
 * {@code ${env:X}}, with fallbacks ({@code ${opt:stage, 'dev'}}) and nesting. Sources that only exist in AWS
 * ({@code ssm:}, {@code cf:}, {@code s3:}, {@code file(...)}…) cannot be resolved here: such a value becomes an
 * object {@code {"$unresolved": "<text>"}} — a non-scalar like a CloudFormation intrinsic, which the runner replaces
 * with its own local value where it owns the key.
 */
public final class VariableResolver {

    public static final String UNRESOLVED = "$unresolved";
    private static final int MAX_DEPTH = 20;

    private final JsonNode root;
    private final String stage;
    private final String region;
    private final String accountId;
    private final Map<String, String> env;
    private final Deque<String> resolving = new ArrayDeque<>();

    public VariableResolver(JsonNode root, String stage, String region, String accountId, Map<String, String> env) {
        this.root = root;
        this.stage = stage;
        this.region = region;
        this.accountId = accountId;
        this.env = env;
    }

    /** A deep copy of {@code node} with every variable resolved. */
    public JsonNode resolveTree(JsonNode node) {
        return resolveTree(node, 0);
    }

    private JsonNode resolveTree(JsonNode node, int depth) {
        if (depth > MAX_DEPTH) {
            throw new ManifestException("serverless.yml: variables nest too deeply (a cycle?)");
        }
        if (node.isTextual()) {
            return resolveText(node.textValue(), depth);
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), resolveTree(e.getValue(), depth));
            }
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(child -> copy.add(resolveTree(child, depth)));
            return copy;
        }
        return node.deepCopy();
    }

    /** Resolves one string; the result is typed when the whole string is a single variable. */
    JsonNode resolveText(String text, int depth) {
        String current = text;
        for (int round = 0; round < MAX_DEPTH; round++) {
            int start = innermostStart(current);
            if (start < 0) {
                return TextNode.valueOf(current.replace(CFN_MARK, "${"));
            }
            int end = current.indexOf('}', start);
            if (end < 0) {
                throw new ManifestException("serverless.yml: unterminated variable in '" + text + "'");
            }
            String expression = current.substring(start + 2, end);
            if (isCloudFormationReference(expression)) {
                // ${AWS::Region}, ${Resource.Attr}: left for CloudFormation's Fn::Sub, as the framework leaves them
                current = current.substring(0, start) + CFN_MARK + current.substring(start + 2);
                continue;
            }
            JsonNode value = resolveExpression(expression, depth);
            boolean whole = start == 0 && end == current.length() - 1;
            if (value == null) {
                return unresolved(text);
            }
            if (whole) {
                return value.isTextual() ? resolveText(value.textValue(), depth + 1) : value;
            }
            if (!value.isValueNode()) {
                return unresolved(text);
            }
            current = current.substring(0, start) + value.asText() + current.substring(end + 1);
        }
        throw new ManifestException("serverless.yml: too many variables in '" + text + "'");
    }

    private static final String CFN_MARK = "\u0000{";

    private static boolean isCloudFormationReference(String expression) {
        String first = expression.split(",", 2)[0].trim();
        return first.contains("::") || (!first.contains(":") && !first.startsWith("file(") && !first.startsWith("'")
                && !first.startsWith("\""));
    }

    private static int innermostStart(String s) {
        int start = s.indexOf("${");
        if (start < 0) {
            return -1;
        }
        int close = s.indexOf('}', start);
        int next = s.indexOf("${", start + 2);
        while (next >= 0 && (close < 0 || next < close)) {
            start = next;
            close = s.indexOf('}', start);
            next = s.indexOf("${", start + 2);
        }
        return start;
    }

    private JsonNode resolveExpression(String expression, int depth) {
        for (String alternative : splitAlternatives(expression)) {
            JsonNode value = resolveAlternative(alternative.trim(), depth);
            if (value != null && !value.isNull() && !isUnresolved(value)) {
                return value;
            }
        }
        return null;
    }

    private JsonNode resolveAlternative(String alt, int depth) {
        if (alt.isEmpty()) {
            return null;
        }
        if ((alt.startsWith("'") && alt.endsWith("'") || alt.startsWith("\"") && alt.endsWith("\"")) && alt.length() >= 2) {
            return TextNode.valueOf(alt.substring(1, alt.length() - 1));
        }
        if (alt.matches("-?\\d+(\\.\\d+)?")) {
            return JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(alt));
        }
        int colon = alt.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String source = alt.substring(0, colon);
        String address = alt.substring(colon + 1).trim();
        return switch (source) {
            case "param" -> param(address, depth);
            case "self" -> self(address, depth);
            case "sls" -> "stage".equals(address) ? TextNode.valueOf(stage) : null;
            case "opt" -> switch (address) {
                case "stage" -> TextNode.valueOf(stage);
                case "region" -> TextNode.valueOf(region);
                default -> null;
            };
            case "aws" -> switch (address) {
                case "region" -> TextNode.valueOf(region);
                case "accountId" -> TextNode.valueOf(accountId);
                default -> null;
            };
            case "env" -> env.get(address) == null ? null : TextNode.valueOf(env.get(address));
            default -> null; // ssm:, cf:, s3:, file(...), … exist only in AWS or on the deployer's machine
        };
    }

    private JsonNode param(String name, int depth) {
        JsonNode params = root.path("params");
        JsonNode value = params.path(stage).get(name);
        if (value == null) {
            value = params.path("default").get(name);
        }
        return value == null ? null : resolveNested("param:" + name, value, depth);
    }

    private JsonNode self(String address, int depth) {
        JsonNode node = root;
        if (!address.isEmpty()) {
            for (String part : address.split("\\.")) {
                node = node.isArray() && part.matches("\\d+") ? node.get(Integer.parseInt(part)) : node.get(part);
                if (node == null) {
                    return null;
                }
            }
        }
        return resolveNested("self:" + address, node, depth);
    }

    private JsonNode resolveNested(String key, JsonNode value, int depth) {
        if (resolving.contains(key)) {
            throw new ManifestException("serverless.yml: variable ${" + key + "} refers to itself");
        }
        resolving.push(key);
        try {
            return resolveTree(value, depth + 1);
        } finally {
            resolving.pop();
        }
    }

    private static List<String> splitAlternatives(String expression) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (char c : expression.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                current.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                current.append(c);
            } else if (c == ',') {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static JsonNode unresolved(String text) {
        return JsonNodeFactory.instance.objectNode().put(UNRESOLVED, text);
    }

    public static boolean isUnresolved(JsonNode node) {
        return node != null && node.isObject() && node.has(UNRESOLVED);
    }
}
