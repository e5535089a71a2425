package dev.netmeta.local.runner.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.netmeta.local.runner.events.Json;
import dev.netmeta.local.runner.invoke.AsyncCallbacks;
import dev.netmeta.local.runner.invoke.AsyncInvoker;
import dev.netmeta.local.runner.manifest.ManifestReader;
import dev.netmeta.local.runner.invoke.FunctionRegistry;
import dev.netmeta.local.runner.invoke.InvocationResult;
import dev.netmeta.local.runner.invoke.LocalFunction;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of the Lambda API the functions use to invoke each other or themselves:
 * {@code POST /2015-03-31/functions/{name}/invocations}. {@code X-Amz-Invocation-Type: Event} queues the event and
 * answers 202; {@code RequestResponse} (the default) runs it and returns its response, with
 * {@code X-Amz-Function-Error: Unhandled} and the error document when the function fails; {@code DryRun} answers 204.
 * Unknown functions get Lambda's 404 {@code ResourceNotFoundException}, whatever the payload. A payload for a known
 * function is refused as Lambda refuses it: 413 {@code RequestEntityTooLargeException} above 6 MB (1 MB for
 * {@code Event}), 400 {@code InvalidRequestContentException} when it is not JSON. The AWS SDK's
 * {@code AWS_ENDPOINT_URL_LAMBDA} points here.
 */
public final class LambdaInvokeApi {

    static final String PREFIX = "/2015-03-31/functions/";
    /** Lambda's quota for the request of a synchronous invocation: 6 MB. */
    static final int REQUEST_RESPONSE_LIMIT = 6 * 1024 * 1024;
    /** Lambda's quota for the payload of an asynchronous invocation: 1 MB (256 KB until October 2025). */
    static final int EVENT_LIMIT = 1024 * 1024;
    private static final Pattern PATH = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
    /** Parses payloads as Lambda does, whose error messages quote the start of the payload. */
    private static final ObjectMapper PAYLOAD = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION).build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS); // "{} x" is no JSON document either

    private final FunctionRegistry functions;
    private final AsyncInvoker async;
    private final String region;
    private final BiFunction<LocalFunction, byte[], AsyncCallbacks> follower;

    /** {@code region}: the functions' {@code AWS_REGION}, used in the ARNs of error messages. */
    public LambdaInvokeApi(FunctionRegistry functions, AsyncInvoker async, String region) {
        this(functions, async, region, (function, payload) -> AsyncCallbacks.NONE);
    }

    /**
     * As above; {@code follower} is asked for the callbacks of each {@code Event} invocation it queues (the bucket
     * watcher follows the load's continuations: they are part of the load of a delivered object).
     */
    public LambdaInvokeApi(FunctionRegistry functions, AsyncInvoker async, String region,
                           BiFunction<LocalFunction, byte[], AsyncCallbacks> follower) {
        this.functions = functions;
        this.async = async;
        this.region = region;
        this.follower = follower;
    }

    void handle(HttpExchange exchange) throws IOException {
        Matcher m = PATH.matcher(exchange.getRequestURI().getRawPath());
        if (!m.matches() || !"POST".equals(exchange.getRequestMethod())) {
            error(exchange, 404, "UnknownOperationException", "Unknown operation " + exchange.getRequestMethod() + " "
                    + exchange.getRequestURI().getRawPath());
            return;
        }
        String name = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
        String qualifier = exchange.getRequestURI().getQuery();
        Optional<LocalFunction> function = functions.find(name);
        if (function.isEmpty()) {
            error(exchange, 404, "ResourceNotFoundException", "Function not found: arn:aws:lambda:" + region + ":"
                    + ManifestReader.ACCOUNT_ID + ":function:"
                    + name + (qualifier == null ? "" : " (" + qualifier + ")"));
            return;
        }
        byte[] payload = Exchanges.body(exchange, REQUEST_RESPONSE_LIMIT);
        if (payload == null) {
            error(exchange, 413, "RequestEntityTooLargeException", "Request must be smaller than "
                    + REQUEST_RESPONSE_LIMIT + " bytes for the InvokeFunction operation");
            return;
        }
        String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
        if (type != null && !"Event".equals(type) && !"DryRun".equals(type) && !"RequestResponse".equals(type)) {
            error(exchange, 400, "InvalidParameterValueException", "Unsupported invocation type " + type);
            return;
        }
        if ("Event".equals(type) && payload.length > EVENT_LIMIT) {
            error(exchange, 413, "RequestEntityTooLargeException", payload.length
                    + " byte payload is too large for the Event invocation type (limit " + EVENT_LIMIT + " bytes)");
            return;
        }
        if (payload.length == 0) {
            payload = "{}".getBytes(StandardCharsets.UTF_8);
        }
        String notJson = jsonProblem(payload);
        if (notJson != null) {
            error(exchange, 400, "InvalidRequestContentException",
                    "Could not parse request body into json: Could not parse payload into json: " + notJson);
            return;
        }
        exchange.getResponseHeaders().set("X-Amz-Executed-Version", "$LATEST");
        if ("Event".equals(type)) {
            async.submit(function.get(), payload, follower.apply(function.get(), payload));
            exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
            Exchanges.send(exchange, 202, null, null);
        } else if ("DryRun".equals(type)) {
            Exchanges.send(exchange, 204, null, null);
        } else {
            InvocationResult result = function.get().invoke(payload);
            exchange.getResponseHeaders().set("x-amzn-RequestId", result.requestId());
            if (result.failed()) {
                exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
                ObjectNode doc = Json.MAPPER.createObjectNode();
                doc.put("errorMessage", result.errorMessage());
                doc.put("errorType", result.errorType());
                Exchanges.json(exchange, 200, doc.toString());
            } else {
                Exchanges.json(exchange, 200, result.payloadText());
            }
        }
    }

    /** Why Lambda would not take {@code payload} as JSON (Jackson's message, as Lambda quotes it), or null. */
    private static String jsonProblem(byte[] payload) {
        try {
            PAYLOAD.readTree(payload);
            return null;
        } catch (IOException e) {
            return String.valueOf(e.getMessage());
        }
    }

    private static void error(HttpExchange exchange, int status, String type, String message) throws IOException {
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("Type", "User");
        doc.put("message", message);
        Exchanges.json(exchange, status, doc.toString());
    }
}
