package dev.netmeta.local.runner.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VariableResolverTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode resolve(String yaml, String path) throws Exception {
        JsonNode root = YAML.readTree(yaml);
        JsonNode resolved = new VariableResolver(root, "local", "eu-west-1", "000000000000", Map.of("HOME_DIR", "/home/me"))
                .resolveTree(root);
        return resolved.at(path);
    }

    @Test
    void resolvesEachSource() throws Exception {
        String yaml = """
                service: netmeta
                custom: {size: 42}
                params: {default: {p: from-param}}
                v:
                  param: ${param:p}
                  self: ${self:service}
                  stage: ${sls:stage}
                  opt: ${opt:stage}
                  region: ${aws:region}
                  account: ${aws:accountId}
                  env: ${env:HOME_DIR}
                  mixed: ${self:service}-${sls:stage}-${aws:region}
                  typed: ${self:custom.size}
                """;
        assertThat(resolve(yaml, "/v/param").asText()).isEqualTo("from-param");
        assertThat(resolve(yaml, "/v/self").asText()).isEqualTo("netmeta");
        assertThat(resolve(yaml, "/v/stage").asText()).isEqualTo("local");
        assertThat(resolve(yaml, "/v/opt").asText()).isEqualTo("local");
        assertThat(resolve(yaml, "/v/region").asText()).isEqualTo("eu-west-1");
        assertThat(resolve(yaml, "/v/account").asText()).isEqualTo("000000000000");
        assertThat(resolve(yaml, "/v/env").asText()).isEqualTo("/home/me");
        assertThat(resolve(yaml, "/v/mixed").asText()).isEqualTo("netmeta-local-eu-west-1");
        assertThat(resolve(yaml, "/v/typed").isNumber()).as("a whole-value variable keeps its type").isTrue();
    }

    @Test
    void usesFallbacksAndNesting() throws Exception {
        String yaml = """
                params: {default: {localRate: rate(1 minute), dev: x}}
                v:
                  fallback: ${opt:region, 'us-east-2'}
                  missingThenLiteral: ${param:nope, "dflt"}
                  missingThenOther: ${param:nope, self:params.default.dev}
                  number: ${param:nope, 5}
                  nested: ${param:${sls:stage}Rate}
                """;
        assertThat(resolve(yaml, "/v/fallback").asText()).as("opt:region is the runner's region").isEqualTo("eu-west-1");
        assertThat(resolve(yaml, "/v/missingThenLiteral").asText()).isEqualTo("dflt");
        assertThat(resolve(yaml, "/v/missingThenOther").asText()).isEqualTo("x");
        assertThat(resolve(yaml, "/v/number").asInt()).isEqualTo(5);
        assertThat(resolve(yaml, "/v/nested").asText()).isEqualTo("rate(1 minute)");
    }

    @Test
    void leavesCloudFormationReferencesAndMarksAwsOnlySources() throws Exception {
        String yaml = """
                v:
                  sub: arn:${AWS::Partition}:s3:::${sls:stage}-${Bucket.Arn}
                  ssm: ${ssm:/x/y}
                  cf: prefix-${cf:stack.output}
                """;
        assertThat(resolve(yaml, "/v/sub").asText()).isEqualTo("arn:${AWS::Partition}:s3:::local-${Bucket.Arn}");
        assertThat(VariableResolver.isUnresolved(resolve(yaml, "/v/ssm"))).isTrue();
        assertThat(VariableResolver.isUnresolved(resolve(yaml, "/v/cf"))).isTrue();
    }

    @Test
    void refusesSelfReferences() {
        assertThatThrownBy(() -> resolve("a: ${self:b}\nb: ${self:a}\n", "/a"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("refers to itself");
    }
}
