package dev.netmeta.local.runner.manifest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the local runner takes from {@code serverless.yml}: the service name, its functions and the gateway responses
 * of its REST API, variables resolved.
 */
public record ServerlessManifest(Path source, String service, String stage, String region,
                                 Map<String, FunctionDefinition> functions, List<GatewayResponse> gatewayResponses) {

    public ServerlessManifest {
        gatewayResponses = List.copyOf(gatewayResponses);
    }

    /** The deployed name of a function, {@code <service>-<stage>-<key>}, as the framework names it. */
    public String functionName(String key) {
        return service + "-" + stage + "-" + key;
    }

    /**
     * The first scheduled function of the manifest: the sync, whose schedule the runner can change
     * ({@code --sync-rate}) and run at once ({@code POST /_local/sync}).
     */
    public Optional<FunctionDefinition> scheduled() {
        return functions.values().stream().filter(f -> !f.schedules().isEmpty()).findFirst();
    }

    /** Every scheduled function, in the manifest's order (the sync first, then e.g. the index retention). */
    public List<FunctionDefinition> scheduledFunctions() {
        return functions.values().stream().filter(f -> !f.schedules().isEmpty()).toList();
    }

    public Optional<FunctionDefinition> s3Triggered() {
        return functions.values().stream().filter(f -> !f.s3Triggers().isEmpty()).findFirst();
    }
}
