package dev.netmeta.local.runner.manifest;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * One function of the manifest after variable resolution. {@code environment} keeps each value as the manifest has
 * it: a scalar, or a non-scalar (a CloudFormation intrinsic such as {@code Fn::GetAtt}, or an unresolvable variable)
 * that only AWS can turn into a value.
 */
public record FunctionDefinition(
        String key,
        String handler,
        int timeoutSeconds,
        int memorySize,
        Map<String, JsonNode> environment,
        List<ScheduleTrigger> schedules,
        List<S3Trigger> s3Triggers,
        List<HttpRoute> httpRoutes,
        Integer maximumRetryAttempts,
        Integer reservedConcurrency) {

    /** The handler class name: the handler string without {@code ::method}. */
    public String handlerClass() {
        int sep = handler.indexOf("::");
        return sep < 0 ? handler : handler.substring(0, sep);
    }

    /** The handler method name, {@code handleRequest} unless the handler string names another one. */
    public String handlerMethod() {
        int sep = handler.indexOf("::");
        return sep < 0 ? "handleRequest" : handler.substring(sep + 2);
    }
}
