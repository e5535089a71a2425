package dev.netmeta.local.runner.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code serverless.yml} for a local stage: resolves its variables, then takes from each function its handler
 * string, timeout, environment (provider-level merged with function-level), and events (schedule, s3, http).
 * Anything the runner cannot honour is reported with the function and the event it concerns.
 */
public final class ManifestReader {

    public static final String ACCOUNT_ID = "000000000000";
    private static final int DEFAULT_TIMEOUT_SECONDS = 6; // the framework's default
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String stage;
    private final String region;
    private final Map<String, String> env;

    public ManifestReader(String stage, String region, Map<String, String> env) {
        this.stage = stage;
        this.region = region;
        this.env = env;
    }

    /**
     * Why a manifest could not be read, in words: the JDK's file exceptions carry only the path as their message, so
     * {@code --manifest /no/such.yml} said "cannot read /no/such.yml: /no/such.yml".
     */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    public ServerlessManifest read(Path file) {
        JsonNode raw;
        try {
            raw = YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new ManifestException("cannot read " + file + ": " + reason(e), e);
        }
        if (raw == null || !raw.isObject()) {
            throw new ManifestException(file + " is empty or not a YAML mapping");
        }
        return read(file, raw);
    }

    ServerlessManifest read(Path file, JsonNode raw) {
        // resources: are CloudFormation, which the runner does not create; the rest is resolved as the framework does
        com.fasterxml.jackson.databind.node.ObjectNode withoutResources = ((com.fasterxml.jackson.databind.node.ObjectNode) raw).deepCopy();
        withoutResources.remove("resources");
        VariableResolver resolver = new VariableResolver(raw, stage, region, ACCOUNT_ID, env);
        JsonNode doc = resolver.resolveTree(withoutResources);
        String service = text(doc.path("service"), null);
        if (service == null && doc.path("service").isObject()) {
            service = text(doc.path("service").path("name"), null);
        }
        if (service == null) {
            throw new ManifestException(file + ": 'service' is missing");
        }
        JsonNode provider = doc.path("provider");
        int defaultTimeout = provider.path("timeout").asInt(DEFAULT_TIMEOUT_SECONDS);
        int defaultMemory = provider.path("memorySize").asInt(1024);
        JsonNode functions = doc.path("functions");
        if (!functions.isObject() || functions.isEmpty()) {
            throw new ManifestException(file + ": no functions");
        }
        Map<String, FunctionDefinition> result = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = functions.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode fn = e.getValue();
            String handler = text(fn.path("handler"), null);
            if (handler == null) {
                throw new ManifestException(file + ": function '" + key + "' has no handler");
            }
            Map<String, JsonNode> environment = new LinkedHashMap<>();
            provider.path("environment").fields().forEachRemaining(v -> environment.put(v.getKey(), v.getValue()));
            fn.path("environment").fields().forEachRemaining(v -> environment.put(v.getKey(), v.getValue()));
            List<ScheduleTrigger> schedules = new ArrayList<>();
            List<S3Trigger> s3 = new ArrayList<>();
            List<HttpRoute> http = new ArrayList<>();
            for (JsonNode event : fn.path("events")) {
                String where = file + ": function '" + key + "'";
                if (event.has("schedule")) {
                    schedules.addAll(schedule(event.get("schedule"), where));
                } else if (event.has("s3")) {
                    s3.add(s3(event.get("s3"), provider.path("s3"), where));
                } else if (event.has("http")) {
                    http.add(http(event.get("http"), integrationTimeout(provider.path("apiGateway"), file
                            + ": provider.apiGateway", null), where));
                }
            }
            Integer retries = fn.hasNonNull("maximumRetryAttempts") ? fn.get("maximumRetryAttempts").asInt() : null;
            Integer concurrency = fn.hasNonNull("reservedConcurrency") ? fn.get("reservedConcurrency").asInt() : null;
            result.put(key, new FunctionDefinition(key, handler, fn.path("timeout").asInt(defaultTimeout),
                    fn.path("memorySize").asInt(defaultMemory), environment, schedules, s3, http, retries, concurrency));
        }
        return new ServerlessManifest(file, service, stage, region, result,
                gatewayResponses(raw.path("resources"), resolver));
    }

    /**
     * The {@code AWS::ApiGateway::GatewayResponse} resources of the framework's REST API; only their properties are
     * resolved, as the rest of {@code resources:} is CloudFormation the runner does not evaluate.
     */
    private static List<GatewayResponse> gatewayResponses(JsonNode resources, VariableResolver resolver) {
        List<GatewayResponse> out = new ArrayList<>();
        List<JsonNode> blocks = new ArrayList<>();
        if (resources.isArray()) {
            resources.forEach(blocks::add);
        } else {
            blocks.add(resources);
        }
        for (JsonNode block : blocks) {
            for (JsonNode resource : block.path("Resources")) {
                if (!"AWS::ApiGateway::GatewayResponse".equals(resource.path("Type").asText())) {
                    continue;
                }
                JsonNode properties = resolver.resolveTree(resource.path("Properties"));
                JsonNode api = properties.path("RestApiId");
                String type = text(properties.path("ResponseType"), null);
                if (type == null || !api.isMissingNode() && !"ApiGatewayRestApi".equals(api.path("Ref").asText())) {
                    continue; // another API's, or a type only AWS can work out
                }
                Map<String, String> headers = new LinkedHashMap<>();
                properties.path("ResponseParameters").fields().forEachRemaining(p -> {
                    if (p.getKey().startsWith("gatewayresponse.header.") && p.getValue().isTextual()) {
                        headers.put(p.getKey().substring("gatewayresponse.header.".length()), p.getValue().textValue());
                    }
                });
                JsonNode status = properties.path("StatusCode");
                Integer statusCode = status.isValueNode() && status.asText().matches("[1-5][0-9][0-9]")
                        ? Integer.valueOf(status.asText()) : null;
                out.add(new GatewayResponse(type, statusCode, headers));
            }
        }
        return out;
    }

    private static List<ScheduleTrigger> schedule(JsonNode node, String where) {
        List<ScheduleTrigger> out = new ArrayList<>();
        if (node.isTextual()) {
            out.add(new ScheduleTrigger(rate(node.textValue(), where), true, null));
            return out;
        }
        if (!node.isObject()) {
            throw new ManifestException(where + ": schedule event must be a rate expression or a mapping");
        }
        boolean enabled = node.path("enabled").asBoolean(true);
        JsonNode input = node.get("input");
        String inputJson = input == null || input.isNull() ? null : (input.isTextual() ? input.textValue() : input.toString());
        JsonNode rates = node.path("rate");
        List<String> texts = new ArrayList<>();
        if (rates.isArray()) {
            rates.forEach(r -> texts.add(r.asText()));
        } else if (rates.isTextual()) {
            texts.add(rates.textValue());
        } else {
            throw new ManifestException(where + ": schedule event without a 'rate'");
        }
        for (String t : texts) {
            out.add(new ScheduleTrigger(rate(t, where), enabled, inputJson));
        }
        return out;
    }

    private static RateExpression rate(String text, String where) {
        if (text.trim().startsWith("cron(")) {
            return null; // honoured as "run at start"; the runner says so and --sync-rate can give a rate
        }
        try {
            return RateExpression.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ManifestException(where + ": " + e.getMessage());
        }
    }

    /**
     * The bucket of an s3 event is a bucket name, or the key of a {@code provider.s3.<key>} block whose {@code name}
     * is the real name (the framework's way to configure the bucket it creates).
     */
    private static String bucketName(String bucket, JsonNode providerS3) {
        if (bucket == null) {
            return null;
        }
        JsonNode configured = providerS3.path(bucket).path("name");
        return configured.isTextual() ? configured.textValue() : bucket;
    }

    private static S3Trigger s3(JsonNode node, JsonNode providerS3, String where) {
        if (node.isTextual()) {
            return new S3Trigger(bucketName(node.textValue(), providerS3), "s3:ObjectCreated:*", null, null);
        }
        String bucket = bucketName(node.path("bucket").isTextual() ? node.path("bucket").textValue() : null, providerS3);
        String event = text(node.path("event"), "s3:ObjectCreated:*");
        String prefix = null;
        String suffix = null;
        for (JsonNode rule : node.path("rules")) {
            if (rule.has("prefix")) {
                if (prefix != null) {
                    throw new ManifestException(where + ": S3 allows one prefix rule per notification");
                }
                prefix = rule.get("prefix").asText();
            }
            if (rule.has("suffix")) {
                if (suffix != null) {
                    throw new ManifestException(where + ": S3 allows one suffix rule per notification");
                }
                suffix = rule.get("suffix").asText();
            }
        }
        return new S3Trigger(bucket, event, prefix, suffix);
    }

    /** {@code providerTimeoutMillis}: {@code provider.apiGateway.timeoutInMillis}, null when not set. */
    private static HttpRoute http(JsonNode node, Integer providerTimeoutMillis, String where) {
        if (node.isTextual()) {
            String[] parts = node.textValue().trim().split("\\s+", 2);
            if (parts.length != 2) {
                throw new ManifestException(where + ": http event '" + node.textValue() + "' must be '<METHOD> <path>'");
            }
            return new HttpRoute(parts[0], parts[1], false, null, providerTimeoutMillis);
        }
        String path = text(node.path("path"), null);
        String method = text(node.path("method"), null);
        if (path == null || method == null) {
            throw new ManifestException(where + ": http event needs a path and a method");
        }
        return new HttpRoute(method, path, node.path("private").asBoolean(false), HttpCors.of(node.path("cors"), method),
                integrationTimeout(node, where + ": http event " + method + " " + path, providerTimeoutMillis));
    }

    /**
     * The integration timeout {@code node} sets ({@code timeoutInMillis}, as osls compiles it into the method's
     * {@code TimeoutInMillis}), else {@code fallback}. The framework reads no {@code timeout} on an http event: its
     * schema refuses one. osls validates the value with Ajv ({@code coerceTypes: 'array'}) against
     * {@code {type: integer, minimum: 50}}, so it takes what that coerces to a whole number of at least 50: a number
     * ({@code 29000.0} too), text JavaScript's {@code Number()} reads as one ({@code " 500"}, {@code "5e2"},
     * {@code "0x1F4"}), a one-element array of either; {@code null} and booleans become 0 or 1 and are refused. The
     * runner takes and refuses the same, and also refuses a value beyond an int (Ajv lets {@code "Infinity"} or
     * {@code 1e12} through, but no deployment can use them).
     */
    private static Integer integrationTimeout(JsonNode node, String where, Integer fallback) {
        JsonNode value = node.path("timeoutInMillis");
        if (value.isMissingNode()) {
            return fallback;
        }
        String shown = value.isValueNode() ? value.asText() : value.toString();
        double millis = ajvInteger(value.isArray() && value.size() == 1 ? value.get(0) : value);
        if (Double.isNaN(millis) || millis < 50) {
            throw new ManifestException(where + ": timeoutInMillis must be an integer of at least 50, not '" + shown
                    + "'");
        }
        if (millis > Integer.MAX_VALUE) {
            throw new ManifestException(where + ": timeoutInMillis is beyond what the local runner takes (at most "
                    + Integer.MAX_VALUE + "), not '" + shown + "'");
        }
        return (int) millis;
    }

    /**
     * What Ajv's {@code integer} type with type coercion makes of {@code value} (NaN: not an integer): a whole
     * number stays, text whose JavaScript number is whole becomes it, {@code null} and booleans become 0 or 1.
     */
    private static double ajvInteger(JsonNode value) {
        double number;
        if (value.isNumber()) {
            number = value.asDouble();
        } else if (value.isNull() || value.isBoolean()) {
            return value.asBoolean() ? 1 : 0;
        } else if (value.isTextual() && !value.textValue().isEmpty()) {
            number = javaScriptNumber(value.textValue());
        } else {
            return Double.NaN;
        }
        return Double.isInfinite(number) || number % 1 == 0 ? number : Double.NaN;
    }

    private static final Pattern JS_DECIMAL =
            Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
    private static final Pattern JS_RADIX = Pattern.compile("0([xXoObB])([0-9a-fA-F]+)");

    /**
     * JavaScript's {@code Number(text)}: blanks around are ignored, blank text is 0; a decimal with sign, fraction and
     * exponent, {@code Infinity}, or an unsigned {@code 0x}/{@code 0o}/{@code 0b} integer; anything else is NaN.
     */
    static double javaScriptNumber(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && javaScriptBlank(text.charAt(from))) {
            from++;
        }
        while (to > from && javaScriptBlank(text.charAt(to - 1))) {
            to--;
        }
        String s = text.substring(from, to);
        if (s.isEmpty()) {
            return 0;
        }
        if (s.matches("[+-]?Infinity")) {
            return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (JS_DECIMAL.matcher(s).matches()) {
            return Double.parseDouble(s);
        }
        Matcher radix = JS_RADIX.matcher(s);
        if (radix.matches()) {
            int base = switch (Character.toLowerCase(radix.group(1).charAt(0))) {
                case 'x' -> 16;
                case 'o' -> 8;
                default -> 2;
            };
            try {
                return new BigInteger(radix.group(2), base).doubleValue();
            } catch (NumberFormatException e) {
                return Double.NaN; // a digit beyond the base
            }
        }
        return Double.NaN;
    }

    /** JavaScript's white space and line terminators, which {@code Number()} ignores around the number. */
    private static boolean javaScriptBlank(char c) {
        return c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '\uFEFF' || c == '\u2028'
                || c == '\u2029' || Character.getType(c) == Character.SPACE_SEPARATOR;
    }

    private static String text(JsonNode node, String fallback) {
        return node.isValueNode() && !node.isNull() ? node.asText() : fallback;
    }
}
