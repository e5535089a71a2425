package dev.netmeta.local.runner.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestReaderTest {

    private static final String MANIFEST = """
            service: netmeta
            frameworkVersion: '>=3'
            params:
              default:
                syncRate: rate(2 hours)
                ftpHost: ''
                ftpPasswordParam: /netmeta/ftp-password
                indexPrefix: metadata
                apiMemoryMb: 512
              local:
                indexPrefix: localdata
            provider:
              name: aws
              runtime: java21
              stage: ${opt:stage, 'dev'}
              region: us-east-1
              timeout: 20
              environment:
                COMMON: shared-${sls:stage}
              s3:
                data:
                  name: ${self:service}-${sls:stage}-${aws:accountId}-${aws:region}
            functions:
              sync:
                handler: dev.netmeta.sync.SyncHandler
                timeout: 900
                maximumRetryAttempts: 1
                environment:
                  BUCKET: ${self:provider.s3.data.name}
                  FTP_HOST: ${param:ftpHost}
                  FTP_PASSWORD_PARAM: ${param:ftpPasswordParam}
                  SECRET: ${ssm:/netmeta/secret}
                events:
                  - schedule:
                      rate: ${param:syncRate}
                      description: Scheduled sync
              load:
                handler: dev.netmeta.load.LoadHandler::handleRequest
                environment:
                  INDEX_PREFIX: ${param:indexPrefix}
                  CONTINUATION_FUNCTION_NAME: ${self:service}-${sls:stage}-loadContinue
                  OPENSEARCH_URL:
                    Fn::If:
                      - CreateOpenSearchDomain
                      - Fn::Sub: https://${OpenSearchDomain.DomainEndpoint}
                      - Ref: OpenSearchEndpoint
                events:
                  - s3:
                      bucket: data
                      event: s3:ObjectCreated:*
                      rules:
                        - prefix: raw/
                        - suffix: .csv.gz
              api:
                handler: dev.netmeta.api.ApiHandler
                memorySize: ${param:apiMemoryMb}
                events:
                  - http:
                      path: metadata/search
                      method: get
                      private: true
                      cors:
                        origin: '*'
            resources:
              Resources:
                Policy:
                  Properties:
                    Resource:
                      Fn::Sub: arn:${AWS::Partition}:s3:::${self:service}-${sls:stage}
            """;

    @TempDir
    Path dir;

    private ServerlessManifest read(String text) throws IOException {
        Path file = dir.resolve("serverless.yml");
        Files.writeString(file, text);
        return new ManifestReader("local", "us-east-1", Map.of()).read(file);
    }

    @Test
    void aManifestThatIsNotThereIsNamedWithTheReason() {
        Path missing = dir.resolve("no-such-serverless.yml");
        assertThatThrownBy(() -> new ManifestReader("local", "us-east-1", Map.of()).read(missing))
                .isInstanceOf(ManifestException.class)
                .hasMessage("cannot read " + missing + ": no such file");
        assertThatThrownBy(() -> new ManifestReader("local", "us-east-1", Map.of()).read(dir))
                .as("a directory").isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("cannot read " + dir + ": ").hasMessageNotContaining(": " + dir);
    }

    @Test
    void takesHandlersTimeoutsAndMemoryFromTheManifest() throws IOException {
        ServerlessManifest m = read(MANIFEST);
        assertThat(m.service()).isEqualTo("netmeta");
        assertThat(m.functions()).containsOnlyKeys("sync", "load", "api");
        assertThat(m.functions().get("sync").handlerClass()).isEqualTo("dev.netmeta.sync.SyncHandler");
        assertThat(m.functions().get("load").handlerClass()).isEqualTo("dev.netmeta.load.LoadHandler");
        assertThat(m.functions().get("load").handlerMethod()).isEqualTo("handleRequest");
        assertThat(m.functions().get("sync").timeoutSeconds()).isEqualTo(900);
        assertThat(m.functions().get("api").timeoutSeconds()).isEqualTo(20); // provider default
        assertThat(m.functions().get("api").memorySize()).isEqualTo(512);
        assertThat(m.functions().get("sync").maximumRetryAttempts()).isEqualTo(1);
        assertThat(m.functions().get("load").maximumRetryAttempts()).isNull();
        assertThat(m.functionName("loadContinue")).isEqualTo("netmeta-local-loadContinue");
    }

    @Test
    void resolvesVariablesForTheLocalStage() throws IOException {
        ServerlessManifest m = read(MANIFEST);
        Map<String, JsonNode> sync = m.functions().get("sync").environment();
        assertThat(sync.get("COMMON").asText()).isEqualTo("shared-local");
        assertThat(sync.get("BUCKET").asText()).isEqualTo("netmeta-local-000000000000-us-east-1");
        assertThat(sync.get("FTP_HOST").asText()).isEmpty();
        assertThat(sync.get("FTP_PASSWORD_PARAM").asText()).isEqualTo("/netmeta/ftp-password");
        Map<String, JsonNode> load = m.functions().get("load").environment();
        assertThat(load.get("INDEX_PREFIX").asText()).as("params.local wins over params.default").isEqualTo("localdata");
        assertThat(load.get("CONTINUATION_FUNCTION_NAME").asText()).isEqualTo("netmeta-local-loadContinue");
    }

    @Test
    void keepsIntrinsicsAndAwsOnlyVariablesAsNonScalars() throws IOException {
        ServerlessManifest m = read(MANIFEST);
        JsonNode url = m.functions().get("load").environment().get("OPENSEARCH_URL");
        assertThat(url.isObject()).isTrue();
        assertThat(url.has("Fn::If")).isTrue();
        assertThat(url.toString()).contains("https://${OpenSearchDomain.DomainEndpoint}");
        JsonNode secret = m.functions().get("sync").environment().get("SECRET");
        assertThat(VariableResolver.isUnresolved(secret)).isTrue();
        assertThat(secret.get(VariableResolver.UNRESOLVED).asText()).isEqualTo("${ssm:/netmeta/secret}");
    }

    @Test
    void readsTheEventsWithTheirRules() throws IOException {
        ServerlessManifest m = read(MANIFEST);
        ScheduleTrigger schedule = m.functions().get("sync").schedules().get(0);
        assertThat(schedule.rate().interval()).isEqualTo(Duration.ofHours(2));
        assertThat(schedule.enabled()).isTrue();
        S3Trigger s3 = m.functions().get("load").s3Triggers().get(0);
        assertThat(s3.bucket()).as("provider.s3.data.name").isEqualTo("netmeta-local-000000000000-us-east-1");
        assertThat(s3.prefix()).isEqualTo("raw/");
        assertThat(s3.suffix()).isEqualTo(".csv.gz");
        assertThat(s3.onObjectCreated()).isTrue();
        HttpRoute route = m.functions().get("api").httpRoutes().get(0);
        assertThat(route.method()).isEqualTo("GET");
        assertThat(route.resource()).isEqualTo("/metadata/search");
        assertThat(route.privateApi()).isTrue();
        assertThat(route.cors()).isNotNull();
        assertThat(route.cors().origin()).isEqualTo("*");
        assertThat(route.cors().methods()).containsExactly("OPTIONS", "GET");
        assertThat(m.scheduled().orElseThrow().key()).isEqualTo("sync");
        assertThat(m.s3Triggered().orElseThrow().key()).isEqualTo("load");
    }

    @Test
    void readsShortEventForms() throws IOException {
        ServerlessManifest m = read("""
                service: svc
                functions:
                  f:
                    handler: a.B
                    events:
                      - schedule: rate(5 minutes)
                      - s3: my-bucket
                      - http: POST items/{id}
                """);
        var f = m.functions().get("f");
        assertThat(f.timeoutSeconds()).as("the framework's default").isEqualTo(6);
        assertThat(f.schedules().get(0).rate().interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(f.s3Triggers().get(0).bucket()).isEqualTo("my-bucket");
        assertThat(f.s3Triggers().get(0).matches("anything")).isTrue();
        assertThat(f.httpRoutes().get(0).method()).isEqualTo("POST");
        assertThat(f.httpRoutes().get(0).match("/items/42")).containsEntry("id", "42");
    }

    @Test
    void scheduleInputIsDeliveredAsGiven() throws IOException {
        ServerlessManifest m = read("""
                service: svc
                functions:
                  f:
                    handler: a.B
                    events:
                      - schedule:
                          rate: [rate(1 hour)]
                          enabled: false
                          input:
                            detail-type: custom
                """);
        ScheduleTrigger s = m.functions().get("f").schedules().get(0);
        assertThat(s.enabled()).isFalse();
        assertThat(s.input()).isEqualTo("{\"detail-type\":\"custom\"}");
    }

    @Test
    void explainsWhatIsWrong() {
        assertThatThrownBy(() -> read("functions:\n  f:\n    handler: a.B\n"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("'service' is missing");
        assertThatThrownBy(() -> read("service: s\nfunctions:\n  f:\n    timeout: 3\n"))
                .hasMessageContaining("function 'f' has no handler");
        assertThatThrownBy(() -> read("service: s\nfunctions:\n  f:\n    handler: a.B\n    events:\n      - schedule: rate(1 minutes)\n"))
                .hasMessageContaining("function 'f'").hasMessageContaining("minute");
        assertThatThrownBy(() -> read("service: s\nfunctions:\n  f:\n    handler: a.B\n    events:\n      - s3:\n          bucket: b\n"
                + "          rules:\n            - prefix: a/\n            - prefix: b/\n"))
                .hasMessageContaining("one prefix rule");
    }

    @Test
    void anHttpEventsIntegrationTimeoutIsItsTimeoutInMillisElseTheProvidersElseApiGatewaysDefault() throws IOException {
        // osls 4 compiles http.timeoutInMillis (else provider.apiGateway.timeoutInMillis) into the method's
        // TimeoutInMillis; its schema has no 'timeout' on an http event
        ServerlessManifest m = read("""
                service: svc
                params:
                  default:
                    apiTimeout: '5000'
                provider:
                  name: aws
                  apiGateway:
                    timeoutInMillis: 10000
                functions:
                  f:
                    handler: a.B
                    events:
                      - http:
                          path: own
                          method: get
                          timeoutInMillis: 2500
                      - http:
                          path: param
                          method: get
                          timeoutInMillis: ${param:apiTimeout}
                      - http:
                          path: provider
                          method: get
                      - http: GET short
                """);
        assertThat(m.functions().get("f").httpRoutes()).extracting(HttpRoute::resource, HttpRoute::timeoutMillis)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/own", 2500),
                        org.assertj.core.groups.Tuple.tuple("/param", 5000),
                        org.assertj.core.groups.Tuple.tuple("/provider", 10000),
                        org.assertj.core.groups.Tuple.tuple("/short", 10000));
        assertThat(read("service: s\nfunctions:\n  f:\n    handler: a.B\n    events:\n      - http: GET x\n")
                .functions().get("f").httpRoutes().get(0).timeoutMillis()).as("API Gateway's default").isNull();
    }

    @Test
    void anIntegrationTimeoutOslsWouldRefuseIsRefused() {
        assertThatThrownBy(() -> read("service: s\nfunctions:\n  f:\n    handler: a.B\n    events:\n      - http:\n"
                + "          path: x\n          method: get\n          timeoutInMillis: 49\n"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("http event get x: timeoutInMillis must be an integer of at least 50, not '49'");
        assertThatThrownBy(() -> read("service: s\nprovider:\n  apiGateway:\n    timeoutInMillis: 2.5\nfunctions:\n"
                + "  f:\n    handler: a.B\n    events:\n      - http: GET x\n"))
                .hasMessageContaining("provider.apiGateway: timeoutInMillis must be an integer of at least 50, not '2.5'");
    }

    private Integer eventTimeout(String yamlValue) throws IOException {
        return read("service: s\nfunctions:\n  f:\n    handler: a.B\n    events:\n      - http:\n"
                + "          path: x\n          method: get\n          timeoutInMillis: " + yamlValue + "\n")
                .functions().get("f").httpRoutes().get(0).timeoutMillis();
    }

    @Test
    void anIntegrationTimeoutIsReadAsOslsCoercesIt() throws IOException {
        // osls validates with Ajv's coerceTypes 'array' against {type: integer, minimum: 50}: a whole number in any
        // notation, text JavaScript reads as one (blanks around, 0x/0o/0b, exponent), a one-element array of either.
        // Each pair below was checked against osls 4.3.1's validator (before: all refused but 500 and '500')
        Map<String, Integer> accepted = new java.util.LinkedHashMap<>();
        accepted.put("29000.0", 29000);
        accepted.put("\" 500\"", 500);
        accepted.put("\"500 \"", 500);
        accepted.put("\"\\t500\\n\"", 500);
        accepted.put("'500.0'", 500);
        accepted.put("'5e2'", 500);
        accepted.put("5e2", 500);
        accepted.put("'.5e3'", 500);
        accepted.put("'+500'", 500);
        accepted.put("'00500'", 500);
        accepted.put("'0x1F4'", 500);
        accepted.put("'0o764'", 500);
        accepted.put("'0b111110100'", 500);
        accepted.put("[500]", 500);
        accepted.put("['500']", 500);
        accepted.put("50", 50);
        for (Map.Entry<String, Integer> e : accepted.entrySet()) {
            assertThat(eventTimeout(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(read("service: s\nprovider:\n  apiGateway:\n    timeoutInMillis: 10000.0\nfunctions:\n"
                + "  f:\n    handler: a.B\n    events:\n      - http: GET x\n").functions().get("f").httpRoutes().get(0)
                .timeoutMillis()).as("the provider's too").isEqualTo(10000);
    }

    @Test
    void anIntegrationTimeoutOslsRefusesAfterCoercionIsRefused() {
        // each refused by osls 4.3.1 ("must be integer" or, coerced to 0 or 1 or negative, "must be >= 50")
        for (String refused : new String[] {"49", "49.0", "50.5", "'29000.5'", "'-500'", "'-0x1F4'", "'1_000'", "''",
                "' '", "abc", "'500n'", "true", "'null'", "~", "[500, 600]", "[[500]]", "[]", "{}", "{a: 1}"}) {
            assertThatThrownBy(() -> eventTimeout(refused)).as(refused).isInstanceOf(ManifestException.class)
                    .hasMessageContaining("http event get x: timeoutInMillis must be an integer of at least 50, not ");
        }
        // osls lets these through (Ajv skips the minimum of a number that is not finite), but no deployment can use
        // them: CloudFormation would get null or a number beyond any integration timeout
        for (String beyond : new String[] {"'Infinity'", "'1e400'", "99999999999", "'99999999999'"}) {
            assertThatThrownBy(() -> eventTimeout(beyond)).as(beyond).isInstanceOf(ManifestException.class)
                    .hasMessageContaining("timeoutInMillis is beyond what the local runner takes (at most "
                            + "2147483647), not ");
        }
    }
}
