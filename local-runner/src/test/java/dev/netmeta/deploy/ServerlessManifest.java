package dev.netmeta.deploy;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The raw (unresolved) serverless.yml: what the tests take the handler strings and artifact paths from. */
public final class ServerlessManifest {

    private final JsonNode root;

    private ServerlessManifest(JsonNode root) {
        this.root = root;
    }

    public static ServerlessManifest read(Path projectRoot) throws IOException {
        return new ServerlessManifest(new ObjectMapper(new YAMLFactory())
                .readTree(projectRoot.resolve("serverless.yml").toFile()));
    }

    JsonNode function(String key) {
        JsonNode function = root.path("functions").get(key);
        if (function == null) {
            throw new AssertionError("serverless.yml has no function '" + key + "'");
        }
        return function;
    }

    String handler(String key) {
        return function(key).path("handler").asText();
    }

    String artifact(String key) {
        return function(key).path("package").path("artifact").asText();
    }

    /** A resource's {@code Properties} as written under {@code resources: Resources:} (variables not resolved). */
    public JsonNode resourceProperties(String logicalId) {
        JsonNode resource = root.path("resources").path("Resources").get(logicalId);
        if (resource == null) {
            throw new AssertionError("serverless.yml has no resource '" + logicalId + "'");
        }
        return resource.path("Properties");
    }

    JsonNode paramDefault(String name) {
        return root.path("params").path("default").path(name);
    }
}
