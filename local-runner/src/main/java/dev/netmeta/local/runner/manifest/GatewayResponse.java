package dev.netmeta.local.runner.manifest;

import java.util.Map;

/**
 * An {@code AWS::ApiGateway::GatewayResponse} of the manifest's {@code resources} for the framework's REST API
 * ({@code RestApiId: {Ref: ApiGatewayRestApi}}): how API Gateway customises one type of its own answers
 * ({@code DEFAULT_4XX}, {@code DEFAULT_5XX}, {@code MISSING_AUTHENTICATION_TOKEN}…), variables resolved.
 *
 * @param statusCode the {@code StatusCode} that replaces the answer's own, or {@code null}
 * @param headers    per response header its mapping expression as the {@code ResponseParameters} give it (without
 *                   {@code gatewayresponse.header.}): a quoted literal ({@code "'*'"}) or {@code method.request.header.X}
 */
public record GatewayResponse(String type, Integer statusCode, Map<String, String> headers) {

    public GatewayResponse {
        headers = Map.copyOf(headers);
    }
}
