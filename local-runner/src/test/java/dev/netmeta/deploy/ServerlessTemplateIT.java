package dev.netmeta.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.netmeta.load.LoadLog;
import dev.netmeta.load.LoadReport;
import dev.netmeta.load.LoadSettings;
import dev.netmeta.model.Env;
import dev.netmeta.sync.EnvSecretSource;
import dev.netmeta.sync.FileFailure;
import dev.netmeta.sync.JsonLog;
import dev.netmeta.sync.Redactor;
import dev.netmeta.sync.SyncSummary;

/**
 * Proves serverless.yml without AWS: {@code npx osls package --stage ci} must succeed offline, and the
 * CloudFormation it generates must wire what docs/CONTRACTS.md and the deploy issue promise.
 */
class ServerlessTemplateIT {

    private static final String STAGE = "ci";
    private static final String ACCOUNT = StsStandIn.ACCOUNT_ID;
    private static final String BUCKET = "netmeta-ci-" + ACCOUNT + "-us-east-1";
    private static final String QUEUE_ARN = "{FailedInvocationsQueue.Arn}";

    /** function key → logical id, handler, artifact (docs/CONTRACTS.md). */
    private static final List<List<String>> FUNCTIONS = List.of(
            List.of("sync", "SyncLambdaFunction", "dev.netmeta.sync.SyncHandler",
                    "sync-function/target/sync-function.jar"),
            List.of("load", "LoadLambdaFunction", "dev.netmeta.load.LoadHandler",
                    "load-function/target/load-function.jar"),
            List.of("loadContinue", "LoadContinueLambdaFunction", "dev.netmeta.load.LoadContinuationHandler",
                    "load-function/target/load-function.jar"),
            List.of("api", "ApiLambdaFunction", "dev.netmeta.api.ApiHandler",
                    "api-function/target/api-function.jar"),
            List.of("retention", "RetentionLambdaFunction", "dev.netmeta.load.RetentionHandler",
                    "load-function/target/load-function.jar"));

    private static final String EXISTING_ENDPOINT = "https://search-logs-abc123.us-east-1.es.amazonaws.com";
    private static final String ALARM_EMAIL = "ops@example.org";
    private static final String ALARM_TOPIC = "{AlarmTopic}";
    private static final String NAMESPACE = "netmeta/ci";
    private static final String FTP_CA_PARAM = "/netmeta/ftp-ca";
    private static final String EXISTING_DOMAIN_ARN = "arn:aws:es:us-east-1:" + ACCOUNT + ":domain/logs";
    /** A customer-managed key in another account (a central security account's), as ftpPasswordKmsKeyArn names it. */
    private static final String CENTRAL_KMS_KEY = "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static CloudFormationTemplate template;
    private static CloudFormationTemplate withExistingDomain;
    private static JsonNode state;
    private static String templateText;

    @BeforeAll
    static void packageTheService() throws Exception {
        Path root = ProjectRoot.get();
        for (List<String> function : FUNCTIONS) {
            assertThat(root.resolve(function.get(3)))
                    .as("shaded jar %s — build the jars first (./mvnw -B -DskipTests package)", function.get(3))
                    .isRegularFile();
        }
        Path scratch = ProjectRoot.scratch("serverless-template");
        try (StsStandIn sts = StsStandIn.start()) {
            OslsPackager osls = new OslsPackager(root, scratch);
            // A deploy command with parameters, packaged elsewhere (osls clears .serverless/ whenever it packages,
            // so this runs first and the plain `osls package` below leaves its output in .serverless/).
            Path existing = osls.packageStage(STAGE, sts.endpoint(), scratch.resolve("existing-domain"), params(
                    "ftpHost", "ftp.example.net", "ftpUser", "metadata",
                    "openSearchEndpoint", EXISTING_ENDPOINT, "openSearchDomainArn", EXISTING_DOMAIN_ARN,
                    "syncMaxConcurrency", "off", "apiMaxConcurrency", "off", "alarmEmail", ALARM_EMAIL,
                    "syncSilenceAlarmHours", "off", "loadMaxRejects", "off", "ftpTrustedCertParam", FTP_CA_PARAM,
                    "indexRetentionDays", "30", "ftpPasswordKmsKeyArn", CENTRAL_KMS_KEY,
                    "loadDownloadResumesAlarmThreshold", "off", "apiServerErrorAlarmThreshold", "5",
                    "loadChecksumMismatchesAlarmThreshold", "off"));
            withExistingDomain = CloudFormationTemplate.read(
                    existing.resolve("cloudformation-template-update-stack.json"), ACCOUNT);

            Path out = osls.packageStage(STAGE, sts.endpoint());
            Path templateFile = out.resolve("cloudformation-template-update-stack.json");
            template = CloudFormationTemplate.read(templateFile, ACCOUNT);
            templateText = Files.readString(templateFile, StandardCharsets.UTF_8);
            state = new ObjectMapper().readTree(out.resolve("serverless-state.json").toFile());
            assertThat(sts.callerIdentityCalls()).as("${aws:accountId} resolved through the STS stand-in")
                    .isPositive();
        }
    }

    @Test
    void fiveJavaFunctionsWithTheContractHandlersAndShadedJars() {
        assertThat(template.ofType("AWS::Lambda::Function")).hasSize(FUNCTIONS.size());
        for (List<String> function : FUNCTIONS) {
            JsonNode properties = template.properties(function.get(1));
            assertThat(properties.path("FunctionName").asText()).isEqualTo("netmeta-ci-" + function.get(0));
            assertThat(properties.path("Runtime").asText()).isEqualTo("java21");
            assertThat(properties.path("Handler").asText()).isEqualTo(function.get(2));
            String artifact = function.get(3);
            assertThat(properties.path("Code").path("S3Key").asText())
                    .endsWith("/" + Path.of(artifact).getFileName());
            assertThat(state.path("service").path("functions").path(function.get(0)).path("package")
                    .path("artifact").asText()).isEqualTo(artifact);
        }
    }

    @Test
    void timeoutsMemoryAndJsonLogsAreSetPerFunction() {
        assertThat(template.properties("SyncLambdaFunction").path("Timeout").asInt()).isEqualTo(900);
        assertThat(template.properties("LoadLambdaFunction").path("Timeout").asInt()).isEqualTo(900);
        assertThat(template.properties("LoadContinueLambdaFunction").path("Timeout").asInt()).isEqualTo(900);
        assertThat(template.properties("ApiLambdaFunction").path("Timeout").asInt())
                .as("below API Gateway's 29 s integration timeout").isLessThan(29);
        assertThat(template.properties("RetentionLambdaFunction").path("Timeout").asInt())
                .as("one list and a DELETE per expired index; no deletion starts in the last 30 s").isEqualTo(300);
        for (List<String> function : FUNCTIONS) {
            JsonNode properties = template.properties(function.get(1));
            assertThat(properties.path("MemorySize").asInt()).isBetween(512, 10240);
            assertThat(properties.path("LoggingConfig").path("LogFormat").asText()).isEqualTo("JSON");
        }
        Map<String, JsonNode> logGroups = template.ofType("AWS::Logs::LogGroup");
        assertThat(logGroups).hasSize(FUNCTIONS.size());
        logGroups.values().forEach(group ->
                assertThat(group.path("Properties").path("RetentionInDays").asInt()).isPositive());
    }

    @Test
    void aLogRetentionCloudWatchWouldRefuseIsRefusedWhenTheServiceIsPackaged() throws Exception {
        // CloudWatch Logs keeps a log group only for 1, 3, 5, 7, 14, 30, … 3653 days. osls checks
        // provider.logRetentionInDays against that list (configValidationMode: error), so a wrong
        // --param=logRetentionDays fails `package` (and `deploy`) before anything reaches AWS.
        Path scratch = ProjectRoot.scratch("serverless-template");
        try (StsStandIn sts = StsStandIn.start()) {
            OslsPackager osls = new OslsPackager(ProjectRoot.get(), scratch);
            assertThatThrownBy(() -> osls.packageStage(STAGE, sts.endpoint(), scratch.resolve("bad-log-retention"),
                    Map.of("ftpHost", "ftp.example.net", "logRetentionDays", "45")))
                    .hasMessageContaining("provider.logRetentionInDays")
                    .hasMessageContaining("must be equal to one of the allowed values");
        }
        assertThat(template.ofType("AWS::Logs::LogGroup").values()).allSatisfy(group ->
                assertThat(group.path("Properties").path("RetentionInDays").asInt()).isEqualTo(30));
    }

    @Test
    void environmentCarriesTheContractVariablesAndNoSecretValues() {
        JsonNode sync = env("SyncLambdaFunction");
        assertThat(fieldNames(sync)).contains("BUCKET", "RAW_PREFIX", "FTP_HOST", "FTP_PORT", "FTP_USER",
                "FTP_PASSWORD_PARAM", "FTP_REMOTE_DIR", "FTP_PATTERNS", "FTP_TLS", "FTP_TRUSTED_CERT_PARAM",
                "FTP_SERVER_TIMEZONE")
                .doesNotContain("FTP_PASSWORD", "FTP_TRUSTSTORE", "FTP_TRUSTSTORE_PASSWORD", "FTP_TRUSTED_CERT_FILE");
        assertThat(sync.path("FTP_TLS").asText()).isEqualTo("explicit");
        assertThat(sync.path("FTP_TRUSTED_CERT_PARAM").asText()).as("the public CAs unless a parameter is named").isEmpty();
        assertThat(sync.path("FTP_SERVER_TIMEZONE").asText()).as("LIST times; MLSD is UTC anyway").isEqualTo("UTC");
        assertThat(sync.path("FTP_PASSWORD_PARAM").asText()).startsWith("/");
        assertThat(sync.path("RAW_PREFIX").asText()).isEqualTo("raw/");
        assertThat(sync.path("BUCKET").asText()).isEqualTo(BUCKET);

        for (String load : List.of("LoadLambdaFunction", "LoadContinueLambdaFunction")) {
            JsonNode env = env(load);
            assertThat(env.has("BUCKET")).as("the load takes the bucket from its S3 event; BUCKET would be unread")
                    .isFalse();
            assertThat(env.path("REJECTS_PREFIX").asText()).isEqualTo("rejects/");
            assertThat(env.path("REPORTS_PREFIX").asText()).isEqualTo("reports/");
            assertThat(env.path("LOAD_MAX_REJECTS").asText()).as("param loadMaxRejects").isEqualTo("100000");
            assertThat(env.path("INDEX_RETENTION_DAYS").asText()).as("param indexRetentionDays: the load does not index"
                    + " records past it").isEqualTo("off");
            assertThat(env.path("OPENSEARCH_AUTH").asText()).isEqualTo("sigv4");
            assertThat(env.path("CONTINUATION_FUNCTION_NAME").asText())
                    .isEqualTo(template.properties("LoadContinueLambdaFunction").path("FunctionName").asText());
            assertThat(template.render(env.path("OPENSEARCH_URL")))
                    .containsExactly("https://{OpenSearchDomain.DomainEndpoint}", "{OpenSearchEndpoint}");
        }
        JsonNode retention = env("RetentionLambdaFunction");
        assertThat(fieldNames(retention)).containsExactlyInAnyOrder("INDEX_PREFIX", "INDEX_RETENTION_DAYS",
                "OPENSEARCH_URL", "OPENSEARCH_AUTH", "OPENSEARCH_SIGV4_SERVICE");
        assertThat(retention.path("INDEX_RETENTION_DAYS").asText()).as("off unless asked for").isEqualTo("off");
        assertThat(retention.path("INDEX_PREFIX").asText()).isEqualTo("metadata");
        assertThat(retention.path("OPENSEARCH_AUTH").asText()).isEqualTo("sigv4");
        assertThat(template.render(retention.path("OPENSEARCH_URL")))
                .containsExactly("https://{OpenSearchDomain.DomainEndpoint}", "{OpenSearchEndpoint}");
        JsonNode api = env("ApiLambdaFunction");
        assertThat(api.path("OPENSEARCH_AUTH").asText()).isEqualTo("sigv4");
        // two OpenSearch requests one after the other (a _field_caps lookup, then the search), each waiting up to
        // SEARCH_TIMEOUT_MS + the 2 s socket margin (OpenSearchClients.SOCKET_MARGIN_MS), and 2 s to answer
        assertThat(2 * (api.path("SEARCH_TIMEOUT_MS").asInt() + 2_000) + 2_000).as("the api's worst case")
                .isLessThanOrEqualTo(template.properties("ApiLambdaFunction").path("Timeout").asInt() * 1000);

        Pattern secretName = Pattern.compile(".*(PASSWORD|SECRET|TOKEN|CREDENTIAL|ACCESS_KEY).*");
        for (List<String> function : FUNCTIONS) {
            for (String name : fieldNames(env(function.get(1)))) {
                if (secretName.matcher(name).matches()) {
                    assertThat(name).as("only the NAME of a secret may be configured").endsWith("_PARAM");
                }
            }
        }
        assertThat(templateText).doesNotContain(OslsPackager.DUMMY_ACCESS_KEY, OslsPackager.DUMMY_SECRET_KEY)
                .doesNotContainPattern("AKIA[0-9A-Z]{16}").doesNotContainIgnoringCase("password\":\"");
    }

    @Test
    void syncRunsOnTheScheduleAndMayInvokeOnlyItself() {
        JsonNode rule = scheduleOf("SyncLambdaFunction");
        assertThat(rule.path("ScheduleExpression").asText()).isEqualTo("rate(2 hours)");
        assertThat(rule.path("State").asText()).isEqualTo("ENABLED");
        assertThat(template.render(rule.path("Targets").get(0).path("Arn"))).containsExactly("{SyncLambdaFunction.Arn}");
        assertThat(permissionsFor("SyncLambdaFunction")).extracting(p -> p.path("Principal").asText())
                .containsExactly("events.amazonaws.com");

        assertThat(resourcesOf("SyncRole", "lambda:InvokeFunction")).containsExactlyInAnyOrder(
                "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:netmeta-ci-sync",
                "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:netmeta-ci-sync:*");
    }

    /** A map of {@code key, value, key, value…} (Map.of takes at most ten pairs). */
    private static Map<String, String> params(String... keysAndValues) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            out.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return out;
    }

    /** The one schedule rule whose target is {@code functionId}. */
    private static JsonNode scheduleOf(String functionId) {
        List<JsonNode> rules = template.ofType("AWS::Events::Rule").values().stream()
                .map(r -> r.path("Properties"))
                .filter(r -> template.render(r.path("Targets").get(0).path("Arn")).contains("{" + functionId + ".Arn}"))
                .toList();
        assertThat(rules).as("schedule rules of %s", functionId).hasSize(1);
        return rules.get(0);
    }

    @Test
    void retentionRunsOnceADayWithItsOwnRoleOffByDefault() {
        assertThat(template.ofType("AWS::Events::Rule")).as("sync and retention").hasSize(2);
        JsonNode rule = scheduleOf("RetentionLambdaFunction");
        assertThat(rule.path("ScheduleExpression").asText()).isEqualTo("rate(1 day)");
        assertThat(rule.path("State").asText()).isEqualTo("ENABLED");
        assertThat(permissionsFor("RetentionLambdaFunction")).extracting(p -> p.path("Principal").asText())
                .containsExactly("events.amazonaws.com");
        assertThat(template.render(template.properties("RetentionLambdaFunction").path("Role")))
                .containsExactly("{RetentionRole.Arn}");
        assertThat(template.properties("RetentionLambdaFunction").has("ReservedConcurrentExecutions")).isFalse();
        assertThat(withExistingDomain.properties("RetentionLambdaFunction").path("Environment").path("Variables")
                .path("INDEX_RETENTION_DAYS").asText()).as("--param=indexRetentionDays=30 reaches the function")
                .isEqualTo("30");
        for (String load : List.of("LoadLambdaFunction", "LoadContinueLambdaFunction")) {
            assertThat(withExistingDomain.properties(load).path("Environment").path("Variables")
                    .path("INDEX_RETENTION_DAYS").asText()).as("and %s, which skips records past it", load)
                    .isEqualTo("30");
        }
    }

    /**
     * INDEX_RETENTION_DAYS is read by load, loadContinue and retention when they start (RetentionDays.parse): a value
     * they refuse would deploy and then fail every load and every retention run, so the deploy refuses it — and
     * accepts exactly what the functions accept.
     */
    @Test
    void anIndexRetentionTheFunctionsWouldRefuseIsRefusedBeforeAnythingIsCreated() {
        JsonNode guard = template.root().path("Parameters").path("IndexRetentionDaysValid");
        assertThat(guard.path("Default").asText()).isEqualTo("off");
        assertThat(withExistingDomain.root().path("Parameters").path("IndexRetentionDaysValid").path("Default")
                .asText()).isEqualTo("30");
        Pattern allowed = Pattern.compile(guard.path("AllowedPattern").asText());
        List<String> samples = new ArrayList<>(List.of("off", "OFF", "Off", "oFF", "1", "7", "30", "90", "365",
                "999", "1000", "9999", "10000", "29999", "30000", "35999", "36000", "36399", "36400", "36499", "36500",
                "36501", "36600", "37000", "40000", "99999", "100000", "0", "00", "01", "007", "-1", "+1", "1.5",
                "30d", "1e3", "", " ", " 30", "30 ", "on", "none", "offf", "of", "(?i)off"));
        for (int days = 36_480; days <= 36_520; days++) {
            samples.add(Integer.toString(days));
        }
        for (String sample : samples) {
            boolean functionAccepts;
            try {
                dev.netmeta.load.RetentionDays.parse(sample);
                functionAccepts = true;
            } catch (IllegalArgumentException e) {
                functionAccepts = false;
            }
            // the deploy passes the value verbatim; the function strips spaces, which the guard need not allow
            if (!sample.equals(sample.strip())) {
                assertThat(allowed.matcher(sample).matches()).as("guard on '%s'", sample).isFalse();
                continue;
            }
            assertThat(allowed.matcher(sample).matches()).as("guard vs the functions on '%s'", sample)
                    .isEqualTo(functionAccepts);
        }
        assertThat(guard.path("ConstraintDescription").asText()).contains("indexRetentionDays", "off", "1 to 36500");
    }

    @Test
    void syncFtpConnectionsAreCappedByReservedConcurrencyWhichCanBeTurnedOff() {
        JsonNode sync = template.properties("SyncLambdaFunction");
        JsonNode reserved = sync.path("ReservedConcurrentExecutions").path("Fn::If");
        assertThat(reserved.get(0).asText()).isEqualTo("ReserveSyncConcurrency");
        assertThat(reserved.get(1).path("Ref").asText()).isEqualTo("SyncMaxConcurrency");
        assertThat(reserved.get(2).path("Ref").asText()).isEqualTo("AWS::NoValue");
        JsonNode condition = template.root().path("Conditions").path("ReserveSyncConcurrency").path("Fn::Not").get(0)
                .path("Fn::Equals");
        assertThat(condition.get(0).path("Ref").asText()).isEqualTo("SyncMaxConcurrency");
        assertThat(condition.get(1).asText()).isEqualTo("off");

        JsonNode parameter = template.root().path("Parameters").path("SyncMaxConcurrency");
        assertThat(parameter.path("Type").asText()).as("takes 'off' too; a Number's Ref would be a string as well")
                .isEqualTo("String");
        Pattern allowed = Pattern.compile(parameter.path("AllowedPattern").asText());
        assertThat(List.of("1", "4", "250", "1000", "off")).allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("", "0", "-1", "1001", "4.5", "OFF", "none")).noneMatch(v -> allowed.matcher(v).matches());
        assertThat(parameter.path("ConstraintDescription").asText()).contains("syncMaxConcurrency", "off");
        assertThat(withExistingDomain.root().path("Parameters").path("SyncMaxConcurrency").path("Default").asText())
                .as("--param=syncMaxConcurrency=off reaches the template").isEqualTo("off");

        // The documented bound: the scheduled run's SYNC_CONCURRENCY connections plus one per other invocation.
        int maxInvocations = parameter.path("Default").asInt();
        JsonNode env = env("SyncLambdaFunction");
        int perRun = env.path("SYNC_CONCURRENCY").asInt();
        assertThat(maxInvocations).isEqualTo(4);
        assertThat(perRun).isEqualTo(4);
        assertThat(perRun + maxInvocations - 1).as("FTP connections at most, by default").isEqualTo(7);
        assertThat(env.path("SYNC_FANOUT_MAX_FILES").asInt()).isEqualTo(100);

        assertThat(sync.path("Description").asText()).doesNotContain("streaming multipart")
                .contains("streamed single PUT", "multipart");
    }

    @Test
    void rawObjectsAndOnlyRawObjectsStartTheLoad() {
        JsonNode bucket = template.properties("S3BucketData");
        assertThat(bucket.path("BucketName").asText()).isEqualTo(BUCKET);
        JsonNode notifications = bucket.path("NotificationConfiguration").path("LambdaConfigurations");
        assertThat(notifications).hasSize(1);
        JsonNode notification = notifications.get(0);
        assertThat(notification.path("Event").asText()).isEqualTo("s3:ObjectCreated:*");
        assertThat(template.render(notification.path("Function"))).containsExactly("{LoadLambdaFunction.Arn}");
        JsonNode rules = notification.path("Filter").path("S3Key").path("Rules");
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).path("Name").asText()).isEqualTo("prefix");
        assertThat(rules.get(0).path("Value").asText()).isEqualTo("raw/");

        List<JsonNode> permissions = permissionsFor("LoadLambdaFunction");
        assertThat(permissions).hasSize(1);
        assertThat(permissions.get(0).path("Principal").asText()).isEqualTo("s3.amazonaws.com");
        assertThat(template.render(permissions.get(0).path("SourceArn"))).containsExactly("arn:aws:s3:::" + BUCKET);
        assertThat(permissions.get(0).has("SourceAccount")).isTrue();
        assertThat(permissionsFor("LoadContinueLambdaFunction")).as("loadContinue has no event source").isEmpty();
    }

    @Test
    void bucketIsEncryptedPrivateTlsOnlyAndExpiresRejectsAndReports() {
        JsonNode bucket = template.properties("S3BucketData");
        assertThat(bucket.path("BucketEncryption").path("ServerSideEncryptionConfiguration").get(0)
                .path("ServerSideEncryptionByDefault").path("SSEAlgorithm").asText()).isNotEmpty();
        JsonNode block = bucket.path("PublicAccessBlockConfiguration");
        for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertThat(block.path(flag).asBoolean()).as(flag).isTrue();
        }
        List<String> expiring = new ArrayList<>();
        for (JsonNode rule : bucket.path("LifecycleConfiguration").path("Rules")) {
            if (rule.path("ExpirationInDays").asInt() > 0) {
                expiring.add(rule.path("Prefix").asText());
            }
        }
        assertThat(expiring).containsExactlyInAnyOrder("rejects/", "reports/");
        List<JsonNode> aborts = new ArrayList<>();
        bucket.path("LifecycleConfiguration").path("Rules").forEach(rule -> {
            if (rule.has("AbortIncompleteMultipartUpload")) {
                aborts.add(rule);
            }
        });
        assertThat(aborts).singleElement().satisfies(rule -> assertThat(rule.has("Prefix"))
                .as("whole bucket: sync's raw/ uploads and load's rejects/ uploads").isFalse());

        JsonNode policy = template.properties("DataBucketTlsOnlyPolicy");
        assertThat(template.render(policy.path("Bucket"))).containsExactly("{S3BucketData}");
        JsonNode statement = policy.path("PolicyDocument").path("Statement").get(0);
        assertThat(statement.path("Effect").asText()).isEqualTo("Deny");
        assertThat(statement.path("Condition").path("Bool").path("aws:SecureTransport").asText()).isEqualTo("false");
        assertThat(template.render(statement.path("Resource")))
                .containsExactlyInAnyOrder("arn:aws:s3:::" + BUCKET, "arn:aws:s3:::" + BUCKET + "/*");
    }

    @Test
    void searchIsAGetBehindAnApiKeyWithAUsagePlanAndCors() {
        JsonNode get = template.properties("ApiGatewayMethodMetadataSearchGet");
        assertThat(get.path("HttpMethod").asText()).isEqualTo("GET");
        assertThat(get.path("ApiKeyRequired").asBoolean()).isTrue();
        assertThat(get.path("Integration").path("Type").asText()).isEqualTo("AWS_PROXY");
        assertThat(template.properties("ApiGatewayResourceMetadataSearch").path("PathPart").asText())
                .isEqualTo("search");
        assertThat(template.properties("ApiGatewayResourceMetadata").path("PathPart").asText())
                .isEqualTo("metadata");
        assertThat(template.ofType("AWS::ApiGateway::Method")).as("GET plus the CORS preflight only")
                .containsOnlyKeys("ApiGatewayMethodMetadataSearchGet", "ApiGatewayMethodMetadataSearchOptions");
        JsonNode options = template.properties("ApiGatewayMethodMetadataSearchOptions");
        assertThat(options.path("ApiKeyRequired").asBoolean(false)).as("preflight needs no key").isFalse();
        assertThat(options.toString()).contains("Access-Control-Allow-Origin").contains("X-Api-Key");

        JsonNode plan = template.ofType("AWS::ApiGateway::UsagePlan").values().iterator().next().path("Properties");
        assertThat(plan.path("Throttle").path("RateLimit").asDouble()).isPositive();
        assertThat(plan.path("Throttle").path("BurstLimit").asInt()).isPositive();
        assertThat(plan.path("Quota").path("Limit").asInt()).isPositive();
        assertThat(plan.path("ApiStages").get(0).path("Stage").asText()).isEqualTo(STAGE);
        assertThat(template.ofType("AWS::ApiGateway::ApiKey")).hasSize(1);
        JsonNode planKey = template.ofType("AWS::ApiGateway::UsagePlanKey").values().iterator().next()
                .path("Properties");
        assertThat(planKey.path("KeyType").asText()).isEqualTo("API_KEY");
        assertThat(template.render(planKey.path("UsagePlanId"))).containsExactly("{ApiGatewayUsagePlan}");
    }

    @Test
    void apiUsesSnapStartAndApiGatewayInvokesThePublishedAlias() {
        assertThat(template.properties("ApiLambdaFunction").path("SnapStart").path("ApplyOn").asText())
                .isEqualTo("PublishedVersions");
        for (String other : List.of("SyncLambdaFunction", "LoadLambdaFunction", "LoadContinueLambdaFunction")) {
            assertThat(template.properties(other).has("SnapStart")).as(other).isFalse();
        }
        Map<String, JsonNode> aliases = template.ofType("AWS::Lambda::Alias");
        assertThat(aliases).hasSize(1);
        JsonNode alias = aliases.values().iterator().next().path("Properties");
        String aliasName = alias.path("Name").asText();
        assertThat(template.render(alias.path("FunctionName"))).containsExactly("{ApiLambdaFunction}");
        String version = alias.path("FunctionVersion").path("Fn::GetAtt").get(0).asText();
        assertThat(template.resource(version).path("Type").asText()).isEqualTo("AWS::Lambda::Version");

        String uri = template.render(template.properties("ApiGatewayMethodMetadataSearchGet")
                .path("Integration").path("Uri")).get(0);
        assertThat(uri).endsWith("functions/{ApiLambdaFunction.Arn}:" + aliasName + "/invocations")
                .doesNotContain("$LATEST");
        List<JsonNode> permissions = permissionsFor("ApiLambdaFunction");
        assertThat(permissions).hasSize(1);
        assertThat(permissions.get(0).path("Principal").asText()).isEqualTo("apigateway.amazonaws.com");
        assertThat(template.render(permissions.get(0).path("FunctionName")))
                .containsExactly("{ApiLambdaFunction.Arn}:" + aliasName);
    }

    @Test
    void asyncFailuresAreRetriedDeliberatelyThenParkedInTheDeadLetterQueue() {
        JsonNode queue = template.properties("FailedInvocationsQueue");
        assertThat(queue.path("SqsManagedSseEnabled").asBoolean()).isTrue();
        assertThat(queue.path("MessageRetentionPeriod").asInt()).isEqualTo(1_209_600);
        Map<String, JsonNode> configs = template.ofType("AWS::Lambda::EventInvokeConfig");
        List<String> configured = new ArrayList<>();
        for (JsonNode config : configs.values()) {
            JsonNode properties = config.path("Properties");
            configured.addAll(template.render(properties.path("FunctionName")));
            assertThat(properties.path("Qualifier").asText()).isEqualTo("$LATEST");
            assertThat(properties.path("MaximumRetryAttempts").asInt()).isEqualTo(2);
            assertThat(properties.path("MaximumEventAgeInSeconds").asInt()).isPositive();
            assertThat(template.render(properties.path("DestinationConfig").path("OnFailure").path("Destination")))
                    .containsExactly(QUEUE_ARN);
        }
        assertThat(configured).containsExactlyInAnyOrder("{SyncLambdaFunction}", "{LoadLambdaFunction}",
                "{LoadContinueLambdaFunction}");
        for (String role : List.of("SyncRole", "LoadRole")) {
            assertThat(resourcesOf(role, "sqs:SendMessage")).as(role).containsExactly(QUEUE_ARN);
        }
    }

    @Test
    void eachFunctionHasItsOwnLeastPrivilegeRole() {
        assertThat(template.logicalIds()).doesNotContain("IamRoleLambdaExecution");
        assertThat(template.render(template.properties("SyncLambdaFunction").path("Role"))).containsExactly("{SyncRole.Arn}");
        assertThat(template.render(template.properties("LoadLambdaFunction").path("Role"))).containsExactly("{LoadRole.Arn}");
        assertThat(template.render(template.properties("LoadContinueLambdaFunction").path("Role")))
                .containsExactly("{LoadRole.Arn}");
        assertThat(template.render(template.properties("ApiLambdaFunction").path("Role"))).containsExactly("{ApiRole.Arn}");
        assertThat(template.render(template.properties("RetentionLambdaFunction").path("Role")))
                .containsExactly("{RetentionRole.Arn}");

        String s3 = "arn:aws:s3:::" + BUCKET;
        String domain = "arn:aws:es:us-east-1:" + ACCOUNT + ":domain/netmeta-ci/";
        String existingDomain = "{OpenSearchDomainArn}/";
        String logs = "arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:/aws/lambda/netmeta-ci-";
        String ssmParameter = "arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter/netmeta/ftp-password";

        assertThat(actions("SyncRole")).containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents",
                "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload",
                "ssm:GetParameter", "kms:Decrypt", "lambda:InvokeFunction", "sqs:SendMessage");
        assertThat(resourcesOf("SyncRole", "logs:PutLogEvents")).containsExactly(logs + "sync:*");
        assertThat(resourcesOf("SyncRole", "s3:ListBucket")).containsExactly(s3);
        String throughputState = s3 + "/state/sync-throughput.json"; // outside raw/: never starts a load
        assertThat(resourcesOf("SyncRole", "s3:GetObject")).containsExactlyInAnyOrder(s3 + "/raw/*", throughputState);
        assertThat(resourcesOf("SyncRole", "s3:PutObject")).containsExactlyInAnyOrder(s3 + "/raw/*", throughputState);
        assertThat(resourcesOf("SyncRole", "ssm:GetParameter")).containsExactly(ssmParameter);

        assertThat(actions("LoadRole")).containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents",
                "s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject",
                "es:ESHttpPost", "es:ESHttpPut", "lambda:InvokeFunction", "sqs:SendMessage");
        assertThat(resourcesOf("LoadRole", "logs:PutLogEvents"))
                .containsExactlyInAnyOrder(logs + "load:*", logs + "loadContinue:*");
        assertThat(resourcesOf("LoadRole", "s3:ListBucket")).containsExactly(s3);
        assertThat(resourcesOf("LoadRole", "s3:GetObject")).containsExactlyInAnyOrder(s3 + "/raw/*", s3 + "/rejects/*");
        assertThat(resourcesOf("LoadRole", "s3:DeleteObject")).containsExactly(s3 + "/rejects/*");
        assertThat(resourcesOf("LoadRole", "s3:PutObject"))
                .containsExactlyInAnyOrder(s3 + "/rejects/*", s3 + "/reports/*");
        // the load: exactly its four requests (LoadOpenSearchRequestsIT records them), nothing else
        assertThat(resourcesOf("LoadRole", "es:ESHttpPost")).containsExactlyInAnyOrder(domain + "_bulk",
                domain + "metadata/_search", domain + "metadata/_refresh", existingDomain + "_bulk",
                existingDomain + "metadata/_search", existingDomain + "metadata/_refresh");
        assertThat(resourcesOf("LoadRole", "es:ESHttpPut")).containsExactly(
                domain + "_index_template/metadata-template", existingDomain + "_index_template/metadata-template");
        assertThat(resourcesOf("LoadRole", "lambda:InvokeFunction")).containsExactlyInAnyOrder(
                "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:netmeta-ci-loadContinue",
                "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:netmeta-ci-loadContinue:*");

        assertThat(actions("ApiRole")).containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents",
                "es:ESHttpGet", "es:ESHttpPost");
        assertThat(resourcesOf("ApiRole", "logs:PutLogEvents")).containsExactly(logs + "api:*");
        // the api: exactly its two requests on its alias (ApiOpenSearchRequestsIT records them), nothing else
        String alias = "arn:aws:es:us-east-1:" + ACCOUNT + ":domain/netmeta-ci/metadata/";
        assertThat(resourcesOf("ApiRole", "es:ESHttpPost"))
                .containsExactly(alias + "_search", "{OpenSearchDomainArn}/metadata/_search");
        assertThat(resourcesOf("ApiRole", "es:ESHttpGet"))
                .containsExactly(alias + "_field_caps", "{OpenSearchDomainArn}/metadata/_field_caps");
        // the retention: its log group and exactly its two requests (RetentionOpenSearchRequestsIT records them)
        assertThat(actions("RetentionRole")).containsExactlyInAnyOrder("logs:CreateLogStream", "logs:PutLogEvents",
                "es:ESHttpGet", "es:ESHttpDelete");
        assertThat(resourcesOf("RetentionRole", "logs:PutLogEvents")).containsExactly(logs + "retention:*");
        assertThat(resourcesOf("RetentionRole", "es:ESHttpGet")).containsExactlyInAnyOrder(
                domain + "_cat/indices/metadata-*", existingDomain + "_cat/indices/metadata-*",
                // denied (NoListRequests): a path with a ',' (_cat/indices/metadata-x,other* lists other indices)
                domain + "*,*", existingDomain + "*,*");
        assertThat(resourcesOf("RetentionRole", "es:ESHttpDelete")).containsExactlyInAnyOrder(
                domain + "metadata-????.??.??", existingDomain + "metadata-????.??.??",
                // denied (NoWildcardDeletes, NoListRequests): a path with a literal '*' or a ','
                domain + "*${*}*", domain + "*,*", existingDomain + "*${*}*", existingDomain + "*,*");
        for (String deny : List.of("NoWildcardDeletes", "NoListRequests")) {
            assertThat(template.roleStatements("RetentionRole").stream()
                    .filter(st -> st.path("Sid").asText().equals(deny)).findFirst().orElseThrow()
                    .path("Effect").asText()).as(deny).isEqualTo("Deny");
        }
        assertThat(withExistingDomain.render(withExistingDomain.roleStatements("ApiRole").stream()
                .filter(st -> st.path("Sid").asText().equals("SearchOpenSearch")).findFirst().orElseThrow()
                .path("Resource"))).as("an existing domain: the same paths under its ARN")
                .contains("{OpenSearchDomainArn}/metadata/_search");
    }

    /**
     * No wildcard action anywhere, no bare "*" resource in any role. The wildcards that remain are inside ARNs, each
     * listed here with its reason; the "*" principal appears only in Deny statements (the TLS-only bucket policies).
     */
    @Test
    void wildcardsAppearOnlyWhereTheyAreExplicitlyAllowed() {
        List<Pattern> allowedWildcardResources = List.of(
                // objects under one prefix of the service's bucket
                Pattern.compile("arn:aws:s3:::" + Pattern.quote(BUCKET) + "/(raw|rejects|reports)/\\*"),
                // a log group's streams: AWS names streams at run time
                Pattern.compile("arn:aws:logs:us-east-1:" + ACCOUNT + ":log-group:/aws/lambda/netmeta-ci-\\w+:\\*"),
                // any version/alias qualifier of the ONE function named before it
                Pattern.compile("arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:netmeta-ci-\\w+:\\*"),
                // HTTP paths (indices) of the one domain
                Pattern.compile("arn:aws:es:us-east-1:" + ACCOUNT + ":domain/netmeta-ci/\\*"),
                Pattern.compile(Pattern.quote("{OpenSearchDomainArn}/*")),
                // the retention's listing: the literal path GET _cat/indices/<prefix>-* (names only)
                Pattern.compile("arn:aws:es:us-east-1:" + ACCOUNT + ":domain/netmeta-ci/_cat/indices/metadata-\\*"),
                Pattern.compile(Pattern.quote("{OpenSearchDomainArn}/_cat/indices/metadata-*")),
                // the retention's Deny of a DELETE whose path has a literal '*' (IAM's ${*}) or a ','
                Pattern.compile("arn:aws:es:us-east-1:" + ACCOUNT + ":domain/netmeta-ci/\\*(\\$\\{\\*}|,)\\*"),
                Pattern.compile(Pattern.quote("{OpenSearchDomainArn}/") + "\\*(\\$\\{\\*}|,)\\*"),
                // the KMS key behind the SSM SecureString is not known in advance (aws/ssm or a customer key);
                // pinned by kms:ViaService=ssm and the parameter's encryption context (asserted below)
                Pattern.compile("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/\\*"));

        for (String role : template.ofType("AWS::IAM::Role").keySet()) {
            for (JsonNode statement : template.roleStatements(role)) {
                for (JsonNode action : template.asList(statement.path("Action"))) {
                    assertThat(action.asText()).as("action in %s", role).doesNotContain("*");
                }
                for (String resource : template.render(statement.path("Resource"))) {
                    assertThat(resource).as("resource in %s", role).isNotEqualTo("*");
                    if (resource.contains("*")) {
                        assertThat(allowedWildcardResources).as("wildcard resource %s in %s", resource, role)
                                .anyMatch(allowed -> allowed.matcher(resource).matches());
                    }
                }
                assertThat(statement.has("NotAction") || statement.has("NotResource")).isFalse();
            }
        }
        JsonNode kms = conditionOf("SyncRole", "kms:Decrypt").path("StringEquals");
        assertThat(template.render(kms.path("kms:ViaService"))).containsExactly("ssm.us-east-1.amazonaws.com");
        assertThat(template.render(kms.path("kms:EncryptionContext:PARAMETER_ARN")))
                .containsExactly("arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter/netmeta/ftp-password");

        List<JsonNode> starPrincipals = new ArrayList<>();
        collectStatementsWithStarPrincipal(template.root(), starPrincipals);
        assertThat(starPrincipals).isNotEmpty()
                .allSatisfy(statement -> assertThat(statement.path("Effect").asText()).isEqualTo("Deny"));
    }

    @Test
    void openSearchDomainIsOptionalEncryptedHttpsOnlyAndOpenOnlyToLoadAndApi() {
        assertThat(template.root().path("Conditions").path("CreateOpenSearchDomain").toString())
                .isEqualTo("{\"Fn::Equals\":[{\"Ref\":\"OpenSearchEndpoint\"},\"\"]}");
        assertThat(template.root().path("Parameters").path("OpenSearchEndpoint").path("Default").asText()).isEmpty();
        JsonNode domain = template.resource("OpenSearchDomain");
        assertThat(domain.path("Condition").asText()).isEqualTo("CreateOpenSearchDomain");
        assertThat(domain.path("DeletionPolicy").asText())
                .as("indexed data survives `remove` by default, but a first deploy's rollback leaves no orphan")
                .isEqualTo("RetainExceptOnCreate");
        assertThat(domain.path("UpdateReplacePolicy").asText()).isEqualTo("Retain");
        JsonNode properties = domain.path("Properties");
        assertThat(properties.path("DomainName").asText()).isEqualTo("netmeta-ci");
        assertThat(properties.path("EncryptionAtRestOptions").path("Enabled").asBoolean()).isTrue();
        assertThat(properties.path("NodeToNodeEncryptionOptions").path("Enabled").asBoolean()).isTrue();
        assertThat(properties.path("DomainEndpointOptions").path("EnforceHTTPS").asBoolean()).isTrue();
        JsonNode access = properties.path("AccessPolicies").path("Statement");
        assertThat(access).hasSize(8);
        Map<String, Set<String>> grantsByPrincipal = new java.util.HashMap<>();
        for (JsonNode statement : access) {
            Set<String> grants = grantsByPrincipal.computeIfAbsent(
                    template.render(statement.path("Principal").path("AWS")).get(0), p -> new TreeSet<>());
            String effect = statement.path("Effect").asText().equals("Deny") ? "Deny " : "";
            for (JsonNode action : template.asList(statement.path("Action"))) {
                template.render(statement.path("Resource")).forEach(r -> grants.add(effect + action.asText() + " " + r));
            }
        }
        assertThat(grantsByPrincipal.keySet()).containsExactlyInAnyOrder("{LoadRole.Arn}", "{ApiRole.Arn}",
                "{RetentionRole.Arn}");
        // within an account the domain's policy grants on its own: each role gets exactly its IAM policy's actions
        // on exactly its IAM policy's resources (the new domain's branch), no more
        Set<String> loadRoleGrants = new TreeSet<>(createdDomainGrants("LoadRole", "IndexIntoOpenSearch"));
        loadRoleGrants.addAll(createdDomainGrants("LoadRole", "InstallIndexTemplate"));
        String domainArn = "arn:aws:es:us-east-1:" + ACCOUNT + ":domain/netmeta-ci";
        assertThat(grantsByPrincipal.get("{LoadRole.Arn}")).containsExactlyInAnyOrderElementsOf(loadRoleGrants)
                .containsExactlyInAnyOrder("es:ESHttpPost " + domainArn + "/_bulk",
                        "es:ESHttpPost " + domainArn + "/metadata/_search",
                        "es:ESHttpPost " + domainArn + "/metadata/_refresh",
                        "es:ESHttpPut " + domainArn + "/_index_template/metadata-template");
        Set<String> apiRoleGrants = new TreeSet<>(createdDomainGrants("ApiRole", "SearchOpenSearch"));
        apiRoleGrants.addAll(createdDomainGrants("ApiRole", "ReadSortFieldTypes"));
        assertThat(grantsByPrincipal.get("{ApiRole.Arn}")).containsExactlyInAnyOrderElementsOf(apiRoleGrants)
                .containsExactlyInAnyOrder("es:ESHttpPost " + domainArn + "/metadata/_search",
                        "es:ESHttpGet " + domainArn + "/metadata/_field_caps");
        Set<String> retentionRoleGrants = new TreeSet<>(createdDomainGrants("RetentionRole", "ListDailyIndices"));
        retentionRoleGrants.addAll(createdDomainGrants("RetentionRole", "DeleteExpiredDailyIndices"));
        retentionRoleGrants.addAll(createdDomainGrants("RetentionRole", "NoWildcardDeletes"));
        retentionRoleGrants.addAll(createdDomainGrants("RetentionRole", "NoListRequests"));
        assertThat(grantsByPrincipal.get("{RetentionRole.Arn}")).containsExactlyInAnyOrderElementsOf(retentionRoleGrants)
                .containsExactlyInAnyOrder("es:ESHttpGet " + domainArn + "/_cat/indices/metadata-*",
                        "es:ESHttpDelete " + domainArn + "/metadata-????.??.??",
                        "Deny es:ESHttpDelete " + domainArn + "/*${*}*", "Deny es:ESHttpDelete " + domainArn + "/*,*",
                        "Deny es:ESHttpGet " + domainArn + "/*,*");
    }

    @Test
    void deployParametersReachTheTemplateAndAnExistingDomainReplacesTheNewOne() {
        JsonNode parameters = withExistingDomain.root().path("Parameters");
        assertThat(parameters.path("OpenSearchEndpoint").path("Default").asText()).isEqualTo(EXISTING_ENDPOINT);
        assertThat(parameters.path("OpenSearchDomainArn").path("Default").asText()).isEqualTo(EXISTING_DOMAIN_ARN);
        JsonNode sync = withExistingDomain.properties("SyncLambdaFunction").path("Environment").path("Variables");
        assertThat(sync.path("FTP_HOST").asText()).isEqualTo("ftp.example.net");
        assertThat(sync.path("FTP_USER").asText()).isEqualTo("metadata");
        // The same conditional resources; CloudFormation evaluates CreateOpenSearchDomain to false with this default.
        assertThat(withExistingDomain.resource("OpenSearchDomain").path("Condition").asText())
                .isEqualTo("CreateOpenSearchDomain");
        assertThat(withExistingDomain.render(withExistingDomain.properties("LoadLambdaFunction")
                .path("Environment").path("Variables").path("OPENSEARCH_URL"))).contains("{OpenSearchEndpoint}");
    }

    @Test
    void anExistingDomainEndpointWithoutItsArnIsRejectedBeforeAnythingIsDeployed() {
        JsonNode guard = template.root().path("Parameters").path("OpenSearchDomainChoice");
        assertThat(guard.path("Type").asText()).isEqualTo("String");
        Pattern allowed = Pattern.compile(guard.path("AllowedPattern").asText());
        assertThat(guard.path("Default").asText()).as("new domain: both empty").isEqualTo("|").matches(allowed);
        assertThat(withExistingDomain.root().path("Parameters").path("OpenSearchDomainChoice").path("Default").asText())
                .isEqualTo(EXISTING_ENDPOINT + "|" + EXISTING_DOMAIN_ARN).matches(allowed);
        assertThat(List.of(EXISTING_ENDPOINT + "|", "|" + EXISTING_DOMAIN_ARN, EXISTING_ENDPOINT + "|logs",
                EXISTING_ENDPOINT + "|arn:aws:es:us-east-1:" + ACCOUNT + ":domain/",
                EXISTING_ENDPOINT + "|arn:aws:s3:::bucket",
                "http://search-logs-abc123.us-east-1.es.amazonaws.com|" + EXISTING_DOMAIN_ARN,
                EXISTING_ENDPOINT + "/opensearch|" + EXISTING_DOMAIN_ARN,
                EXISTING_ENDPOINT + "|arn:aws:es:eu-west-1:" + ACCOUNT + ":domain/logs"))
                .as("an endpoint without a domain ARN (or the reverse), not https://host, or a domain in another region"
                        + " fails CloudFormation's parameter validation")
                .noneMatch(value -> allowed.matcher(value).matches());
        assertThat(guard.path("ConstraintDescription").asText()).contains("openSearchEndpoint", "openSearchDomainArn");
        // what the guard prevents: the existing-domain IAM resource is built from the ARN
        assertThat(withExistingDomain.render(withExistingDomain.roleStatements("ApiRole").stream()
                .filter(s -> s.path("Sid").asText().equals("SearchOpenSearch")).findFirst().orElseThrow()
                .path("Resource"))).contains("{OpenSearchDomainArn}/metadata/_search");
    }

    @Test
    void templateHasNoCircularDependency() {
        assertThat(template.dependencyCycles()).isEmpty();
    }

    private static JsonNode env(String functionId) {
        return template.properties(functionId).path("Environment").path("Variables");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> permissionsFor(String functionId) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode permission : template.ofType("AWS::Lambda::Permission").values()) {
            JsonNode properties = permission.path("Properties");
            if (template.render(properties.path("FunctionName")).stream()
                    .anyMatch(name -> name.startsWith("{" + functionId + "}") || name.startsWith("{" + functionId + "."))) {
                found.add(properties);
            }
        }
        return found;
    }

    /**
     * The actions the role's statements allow. Every statement is an Allow but the retention's two Denies (a DELETE
     * whose path holds a '*', which its '?' grant would match; a DELETE or GET whose path holds a ',', which its '?'
     * and its listing's '*' would match).
     */
    private static Set<String> actions(String role) {
        Set<String> actions = new TreeSet<>();
        for (JsonNode statement : template.roleStatements(role)) {
            if (statement.path("Effect").asText().equals("Deny")) {
                assertThat(role + " " + statement.path("Sid").asText())
                        .isIn("RetentionRole NoWildcardDeletes", "RetentionRole NoListRequests");
                continue;
            }
            assertThat(statement.path("Effect").asText()).isEqualTo("Allow");
            template.asList(statement.path("Action")).forEach(action -> actions.add(action.asText()));
        }
        return actions;
    }

    private static List<String> resourcesOf(String role, String action) {
        List<String> resources = new ArrayList<>();
        for (JsonNode statement : statementsWith(role, action)) {
            resources.addAll(template.render(statement.path("Resource")));
        }
        return resources;
    }

    private static JsonNode conditionOf(String role, String action) {
        List<JsonNode> statements = statementsWith(role, action);
        assertThat(statements).hasSize(1);
        return statements.get(0).path("Condition");
    }

    private static List<JsonNode> statementsWith(String role, String action) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode statement : template.roleStatements(role)) {
            for (JsonNode candidate : template.asList(statement.path("Action"))) {
                if (candidate.asText().equals(action)) {
                    found.add(statement);
                }
            }
        }
        return found;
    }

    private static void collectStatementsWithStarPrincipal(JsonNode node, List<JsonNode> into) {
        if (node.isObject()) {
            JsonNode principal = node.get("Principal");
            if (principal != null && (principal.asText().equals("*") || principal.path("AWS").asText().equals("*"))) {
                into.add(node);
            }
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                collectStatementsWithStarPrincipal(it.next(), into);
            }
        } else if (node.isArray()) {
            node.forEach(item -> collectStatementsWithStarPrincipal(item, into));
        }
    }

    /** The actions of one statement (by Sid) of a role's inline policy. */
    /** "action resource" of a role's statement, for the created-domain branch of its resources. */
    private static List<String> createdDomainGrants(String role, String sid) {
        JsonNode statement = template.roleStatements(role).stream().filter(st -> st.path("Sid").asText().equals(sid))
                .findFirst().orElseThrow();
        List<String> grants = new ArrayList<>();
        String effect = statement.path("Effect").asText().equals("Deny") ? "Deny " : "";
        for (JsonNode action : template.asList(statement.path("Action"))) {
            template.render(statement.path("Resource")).stream().filter(r -> !r.startsWith("{OpenSearchDomainArn}"))
                    .forEach(r -> grants.add(effect + action.asText() + " " + r));
        }
        return grants;
    }

    @Test
    void aNewOpenSearchEndpointPublishesANewApiVersionSoTheSnapStartAliasFollowsIt() {
        assertThat(template.render(env("ApiLambdaFunction").path("OPENSEARCH_URL")))
                .contains("https://{OpenSearchDomain.DomainEndpoint}");
        assertThat(withExistingDomain.render(withExistingDomain.properties("ApiLambdaFunction").path("Environment")
                .path("Variables").path("OPENSEARCH_URL"))).contains(EXISTING_ENDPOINT);
        assertThat(withExistingDomain.ofType("AWS::Lambda::Version").keySet())
                .as("the version's name hashes the function's settings as text: a Ref's value is not in it")
                .doesNotContainAnyElementsOf(template.ofType("AWS::Lambda::Version").keySet());
    }

    @Test
    void loadIsCappedByReservedConcurrencyWhichCanBeTurnedOff() {
        JsonNode reserved = template.properties("LoadLambdaFunction").path("ReservedConcurrentExecutions").path("Fn::If");
        assertThat(reserved.get(0).asText()).isEqualTo("ReserveLoadConcurrency");
        assertThat(reserved.get(1).path("Ref").asText()).isEqualTo("LoadMaxConcurrency");
        assertThat(template.properties("LoadContinueLambdaFunction").has("ReservedConcurrentExecutions")).isFalse();
        JsonNode parameter = template.root().path("Parameters").path("LoadMaxConcurrency");
        assertThat(parameter.path("Type").asText()).as("takes 'off' too").isEqualTo("String");
        assertThat(parameter.path("Default").asText()).isEqualTo("8");
        Pattern allowed = Pattern.compile(parameter.path("AllowedPattern").asText());
        assertThat(List.of("1", "8", "1000", "off")).allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("", "0", "1001", "OFF")).noneMatch(v -> allowed.matcher(v).matches());
    }

    /**
     * The rejects budget is a deploy parameter, so that an operator with a messy source raises it or turns it off
     * without editing the manifest; a value the load function would refuse at start (failing every load) is refused
     * by the deploy, before anything changes.
     */
    @Test
    void theRejectsBudgetIsAParameterCheckedAtDeploy() {
        for (String load : List.of("LoadLambdaFunction", "LoadContinueLambdaFunction")) {
            assertThat(env(load).path("LOAD_MAX_REJECTS").asText()).isEqualTo("100000");
            assertThat(withExistingDomain.properties(load).path("Environment").path("Variables")
                    .path("LOAD_MAX_REJECTS").asText()).as("--param=loadMaxRejects=off reaches %s", load)
                    .isEqualTo("off");
        }
        JsonNode guard = template.root().path("Parameters").path("LoadMaxRejectsGuard");
        assertThat(guard.path("Default").asText()).isEqualTo("100000");
        assertThat(withExistingDomain.root().path("Parameters").path("LoadMaxRejectsGuard").path("Default").asText())
                .isEqualTo("off");
        Pattern allowed = Pattern.compile(guard.path("AllowedPattern").asText());
        // off in any case, as LoadSettings reads it (equalsIgnoreCase): the deploy refused OFF, which the function takes
        assertThat(List.of("0", "1", "100000", "999999999999999999", "off", "OFF", "Off", "oFf"))
                .allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("", "-1", "01", "1e6", "100,000", "none", "9999999999999999999", "offf", "of", " off",
                "(?i)off")).noneMatch(v -> allowed.matcher(v).matches());
        for (String off : List.of("off", "OFF", "Off")) {
            assertThat(LoadSettings.from(new Env(Map.of("LOAD_MAX_REJECTS", off)))
                    .maxRejects()).as("the function takes %s as no limit", off).isZero();
        }
        assertThat(guard.path("ConstraintDescription").asText()).contains("loadMaxRejects");
    }

    /**
     * The api's executions are bounded too: unbounded, one API key at the usage plan's 20 rps with exports of up to
     * 28 s could hold ~560 of the account's shared executions while the single OpenSearch node queues or refuses the
     * searches anyway. The cap equals the usage plan's burst, so fast requests within the plan are not throttled.
     */
    @Test
    void apiIsCappedByReservedConcurrencyWhichCanBeTurnedOff() {
        JsonNode reserved = template.properties("ApiLambdaFunction").path("ReservedConcurrentExecutions").path("Fn::If");
        assertThat(reserved.get(0).asText()).isEqualTo("ReserveApiConcurrency");
        assertThat(reserved.get(1).path("Ref").asText()).isEqualTo("ApiMaxConcurrency");
        assertThat(reserved.get(2).path("Ref").asText()).isEqualTo("AWS::NoValue");
        JsonNode condition = template.root().path("Conditions").path("ReserveApiConcurrency").path("Fn::Not").get(0)
                .path("Fn::Equals");
        assertThat(condition.get(0).path("Ref").asText()).isEqualTo("ApiMaxConcurrency");
        assertThat(condition.get(1).asText()).isEqualTo("off");
        JsonNode parameter = template.root().path("Parameters").path("ApiMaxConcurrency");
        assertThat(parameter.path("Type").asText()).as("takes 'off' too").isEqualTo("String");
        assertThat(parameter.path("Default").asText()).isEqualTo("40");
        JsonNode usagePlan = template.ofType("AWS::ApiGateway::UsagePlan").values().iterator().next()
                .path("Properties").path("Throttle");
        assertThat(parameter.path("Default").asInt()).as("the usage plan's burst")
                .isEqualTo(usagePlan.path("BurstLimit").asInt());
        Pattern allowed = Pattern.compile(parameter.path("AllowedPattern").asText());
        assertThat(List.of("1", "40", "1000", "off")).allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("", "0", "1001", "OFF")).noneMatch(v -> allowed.matcher(v).matches());
        assertThat(parameter.path("ConstraintDescription").asText()).contains("apiMaxConcurrency", "off");
        assertThat(withExistingDomain.root().path("Parameters").path("ApiMaxConcurrency").path("Default").asText())
                .as("--param=apiMaxConcurrency=off reaches the template").isEqualTo("off");
        // A throttled invocation is answered by API Gateway itself (500): with the CORS header, like its other 5xx.
        assertThat(template.render(template.properties("GatewayResponseDefault5XX").path("ResponseParameters")
                .path("gatewayresponse.header.Access-Control-Allow-Origin"))).containsExactly("'*'");
    }

    @Test
    void aDeployWithoutAnFtpHostIsRefusedBeforeAnythingIsCreated() {
        JsonNode guard = template.root().path("Parameters").path("FtpHostRequired");
        Pattern allowed = Pattern.compile(guard.path("AllowedPattern").asText());
        assertThat(guard.path("Default").asText()).as("no --param=ftpHost").isEmpty();
        assertThat(allowed.matcher("").matches()).isFalse();
        assertThat(List.of("ftp.example.net", "10.0.0.5", "2001:db8::21")).allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("ftp://ftp.example.net", "ftp.example.net/dir", " ")).noneMatch(v -> allowed.matcher(v).matches());
        assertThat(withExistingDomain.root().path("Parameters").path("FtpHostRequired").path("Default").asText())
                .isEqualTo("ftp.example.net").matches(allowed);
        assertThat(guard.path("ConstraintDescription").asText()).contains("ftpHost is required");
    }

    @Test
    void aPasswordParameterNameTheIamArnCannotBeBuiltFromIsRefusedBeforeAnythingIsCreated() {
        // The role's ssm:GetParameter resource (and the KMS encryption context) is "parameter" + the name: right only
        // for a name starting with '/'. SSM also accepts plain names (ftp-password), whose ARN is parameter/ftp-password
        // — with them the sync would get AccessDenied on every run.
        JsonNode guard = template.root().path("Parameters").path("FtpPasswordParamName");
        assertThat(guard.path("Type").asText()).isEqualTo("String");
        Pattern allowed = Pattern.compile(guard.path("AllowedPattern").asText());
        assertThat(guard.path("Default").asText()).isEqualTo("/netmeta/ftp-password").matches(allowed);
        assertThat(List.of("/netmeta/prod/ftp-password", "/ftp_password.v2")).allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("", "/", "ftp-password", "netmeta/ftp-password", "/netmeta/ftp password",
                "arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter/netmeta/ftp-password"))
                .noneMatch(v -> allowed.matcher(v).matches());
        assertThat(guard.path("ConstraintDescription").asText()).contains("ftpPasswordParam", "/");
        assertThat(resourcesOf("SyncRole", "ssm:GetParameter"))
                .containsExactly("arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter/netmeta/ftp-password");
    }

    /**
     * The sync settings its function refuses when it starts (SyncConfig) are refused by the deploy instead: a bad
     * value deployed fine and then failed every scheduled run. Each guard must accept only what the function accepts
     * (stricter where the function reads a value it then refuses anyway: a leading zero, "0120"), and its manifest
     * default.
     */
    @Test
    void syncSettingsTheFunctionWouldRefuseAreRefusedBeforeAnythingIsCreated() {
        Map<String, String> base = Map.of("FTP_HOST", "ftp.example.net", "FTP_USER", "u", "BUCKET", "b");
        record Guard(String parameter, String variable, String param, List<String> accepted, List<String> refused) { }
        List<Guard> guards = List.of(
                new Guard("FtpPortValid", "FTP_PORT", "ftpPort", List.of("21", "990", "2121", "65535", "1"),
                        List.of("", "0", "021", "65536", "70000", "-21", "21 ", "ftp", "2.1")),
                new Guard("FtpTlsValid", "FTP_TLS", "ftpTls", List.of("explicit", "none", "EXPLICIT", "None"),
                        List.of("", "implicit", "tls", "true", "explicit ", "explicitly")),
                new Guard("FtpPatternsValid", "FTP_PATTERNS", "ftpPatterns",
                        List.of("*.csv.gz", "*.csv.gz,*.log.gz", " zeek/**/*.log.gz , ", ",*.json"),
                        List.of("", ",", " , ", ",,", "\t")),
                new Guard("FtpRecursiveValid", "FTP_RECURSIVE", "ftpRecursive",
                        List.of("true", "false", "TRUE", "False", "yes", "no", "on", "off", "1", "0"),
                        List.of("", "t", "f", "2", "truee", "yes please", " true")),
                new Guard("SyncMinAgeSecondsValid", "SYNC_MIN_AGE_SECONDS", "syncMinAgeSeconds",
                        List.of("0", "120", "3600", "9999999999"),
                        List.of("", "-1", "0120", "2m", "1.5", "99999999999999999999")),
                new Guard("SyncConcurrencyValid", "SYNC_CONCURRENCY", "syncConcurrency",
                        List.of("1", "4", "16", "64"), List.of("", "0", "65", "100", "-4", "04", "four")),
                new Guard("SyncFanOutMaxFilesValid", "SYNC_FANOUT_MAX_FILES", "syncFanOutMaxFiles",
                        List.of("0", "100", "999999999"), List.of("", "-1", "0100", "1e3", "9999999999", "off")));
        for (Guard g : guards) {
            JsonNode parameter = template.root().path("Parameters").path(g.parameter());
            assertThat(parameter.path("Type").asText()).as(g.parameter()).isEqualTo("String");
            Pattern allowed = Pattern.compile(parameter.path("AllowedPattern").asText());
            String manifestDefault = parameter.path("Default").asText();
            assertThat(env("SyncLambdaFunction").path(g.variable()).asText()).as("%s is the sync's %s",
                    g.parameter(), g.variable()).isEqualTo(manifestDefault);
            assertThat(manifestDefault).as("%s's default", g.parameter()).matches(allowed);
            assertThat(g.accepted()).as("%s accepts", g.parameter()).allMatch(v -> allowed.matcher(v).matches());
            assertThat(g.refused()).as("%s refuses", g.parameter()).noneMatch(v -> allowed.matcher(v).matches());
            for (String value : concat(g.accepted(), g.refused())) {
                Map<String, String> env = new HashMap<>(base);
                env.put(g.variable(), value);
                if (allowed.matcher(value).matches()) {
                    assertThat(syncAccepts(env)).as("%s accepts '%s': so must the function", g.parameter(), value)
                            .isTrue();
                }
            }
            assertThat(parameter.path("ConstraintDescription").asText()).contains(g.param());
        }
    }

    /**
     * The sync's schedule: osls checks a rate's shape when it packages, but passes a cron expression EventBridge
     * refuses in the middle of the deploy (not exactly one of day-of-month and day-of-week '?'), and says only "unsupported string
     * format" for a bad rate; the guard refuses both before anything changes and says what to write. Every value it
     * takes must pass the pinned osls's own schedule syntax (read from its source), and every rate the local runner.
     */
    @Test
    void aScheduleEventBridgeWouldRefuseIsRefusedBeforeAnythingIsCreated() throws Exception {
        JsonNode guard = template.root().path("Parameters").path("SyncRateValid");
        assertThat(guard.path("Type").asText()).isEqualTo("String");
        Pattern allowed = Pattern.compile(guard.path("AllowedPattern").asText());
        assertThat(guard.path("Default").asText()).as("the schedule's own expression")
                .isEqualTo(scheduleOf("SyncLambdaFunction").path("ScheduleExpression").asText()).matches(allowed);
        List<String> accepted = List.of("rate(2 hours)", "rate(1 hour)", "rate(1 minute)", "rate(5 minutes)",
                "rate(1 day)", "rate(30 days)", "rate(10 minutes)", "rate(120 minutes)", "cron(0 */2 * * ? *)",
                "cron(30 6 ? * MON-FRI *)", "cron(0 8 1 * ? *)", "cron(0/15 * ? * * *)", "cron(0 12 L * ? 2027)");
        List<String> refused = List.of("", "rate(1 hours)", "rate(2 hour)", "rate(0 minutes)", "rate(02 hours)",
                "rate(5 seconds)", "rate(2 weeks)", "rate(2  hours)", "rate(2 Hours)", "rate(-1 hours)", " rate(2 hours)",
                "rate(2 hours) ", "2 hours", "cron(0 12 * * * *)", "cron(0 12 1 * MON *)", "cron(0 12 * * ?)",
                "cron(0 12 * * ? * *)", "cron(0 12 * * ? *))", "cron(0  12 * * ? *)",
                "cron(0 12 ? * ? *)" /* both day fields '?': EventBridge refuses it too */);
        assertThat(accepted).allMatch(v -> allowed.matcher(v).matches());
        assertThat(refused).noneMatch(v -> allowed.matcher(v).matches());
        Pattern osls = oslsScheduleSyntax();
        assertThat(accepted).as("packaged by osls").allMatch(v -> osls.matcher(v).find());
        for (String rate : accepted.stream().filter(v -> v.startsWith("rate(")).toList()) {
            assertThat(dev.netmeta.local.runner.manifest.RateExpression.parse(rate).text()).isEqualTo(rate);
        }
        assertThat(guard.path("ConstraintDescription").asText()).contains("syncRate", "rate(2 hours)",
                "cron(0 */2 * * ? *)");
    }

    /** The schedule expressions the pinned osls packages (rateSyntax|cronSyntax of its schedule event's schema). */
    private static Pattern oslsScheduleSyntax() throws java.io.IOException {
        String source = Files.readString(ProjectRoot.get().resolve(
                "node_modules/osls/lib/plugins/aws/package/compile/events/schedule.js"), StandardCharsets.UTF_8);
        List<String> syntax = new ArrayList<>();
        for (String name : List.of("rateSyntax", "cronSyntax")) {
            java.util.regex.Matcher m = Pattern.compile("const " + name + " = '([^']+)';").matcher(source);
            assertThat(m.find()).as("%s in osls's schedule.js", name).isTrue();
            syntax.add(m.group(1).replace("\\\\", "\\"));
        }
        return Pattern.compile(String.join("|", syntax));
    }

    /**
     * FTP_REMOTE_DIR goes verbatim into FTP commands: the sync refuses a control character in it (a CR or LF would end
     * the command and start another one), and so does the deploy; any other path passes both.
     */
    @Test
    void aRemoteDirectoryTheSyncWouldRefuseIsRefusedBeforeAnythingIsCreated() {
        JsonNode guard = template.root().path("Parameters").path("FtpRemoteDirValid");
        assertThat(guard.path("Type").asText()).isEqualTo("String");
        Pattern allowed = Pattern.compile(guard.path("AllowedPattern").asText());
        assertThat(guard.path("Default").asText()).isEqualTo(env("SyncLambdaFunction").path("FTP_REMOTE_DIR").asText())
                .matches(allowed);
        List<String> accepted = List.of("/", "/export/metadata", "in/", "/in/br[1]", "/in/a*b?{c}\\d", "/Åland/a b",
                "/in/\u0085x", " /in ");
        List<String> refused = List.of("/in\r\nDELE /in/a.csv.gz", "/in\n", "/a\tb", "/a\u0000b", "/a\u007Fb",
                "/a\u001Bb");
        assertThat(accepted).allMatch(v -> allowed.matcher(v).matches());
        assertThat(refused).noneMatch(v -> allowed.matcher(v).matches());
        Map<String, String> base = Map.of("FTP_HOST", "ftp.example.net", "FTP_USER", "u", "BUCKET", "b");
        for (String value : concat(accepted, refused)) {
            Map<String, String> env = new HashMap<>(base);
            env.put("FTP_REMOTE_DIR", value);
            if (allowed.matcher(value).matches()) {
                assertThat(syncAccepts(env)).as("the guard accepts '%s': so must the function", value).isTrue();
            }
        }
        Map<String, String> lineBreak = new HashMap<>(base);
        lineBreak.put("FTP_REMOTE_DIR", "/in\r\nDELE /in/a.csv.gz");
        assertThat(syncAccepts(lineBreak)).isFalse();
        assertThat(guard.path("ConstraintDescription").asText()).contains("ftpRemoteDir", "control characters");
    }

    /** Whether the sync function starts with these settings (SyncConfig refuses what it cannot use). */
    private static boolean syncAccepts(Map<String, String> env) {
        try {
            dev.netmeta.sync.SyncConfig.fromEnv(env);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The password SecureString's KMS key: by default any key of this account (alias/aws/ssm, or the account's own
     * customer-managed keys through their key policy's delegation to IAM); --param=ftpPasswordKmsKeyArn names the one
     * key instead — the only way to a key in another account — and the role may then decrypt with that key alone.
     * Either way only through SSM and only for the password parameter. The key's own policy must let the role in too:
     * the stack names it (SyncRoleArn).
     */
    @Test
    void thePasswordsKmsKeyIsAnyKeyOfTheAccountOrTheOneKeyNamedAlsoInAnotherAccount() {
        String password = "arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter/netmeta/ftp-password";
        for (CloudFormationTemplate t : List.of(template, withExistingDomain)) {
            List<JsonNode> decrypts = t.roleStatements("SyncRole").stream()
                    .filter(st -> t.asList(st.path("Action")).stream().anyMatch(a -> a.asText().startsWith("kms:")))
                    .toList();
            assertThat(decrypts).hasSize(1);
            JsonNode decrypt = decrypts.get(0);
            assertThat(t.asList(decrypt.path("Action"))).extracting(JsonNode::asText).containsExactly("kms:Decrypt");
            JsonNode only = decrypt.path("Condition").path("StringEquals");
            assertThat(t.render(only.path("kms:ViaService"))).containsExactly("ssm.us-east-1.amazonaws.com");
            assertThat(t.render(only.path("kms:EncryptionContext:PARAMETER_ARN"))).containsExactly(password);
            // the resource is Fn::If [PinFtpPasswordKmsKey, the named key, this account's keys]
            JsonNode choice = decrypt.path("Resource").path("Fn::If");
            assertThat(choice.get(0).asText()).isEqualTo("PinFtpPasswordKmsKey");
            assertThat(choice.get(1).path("Ref").asText()).isEqualTo("FtpPasswordKmsKeyArn");
            assertThat(t.render(choice.get(2))).containsExactly("arn:aws:kms:us-east-1:" + ACCOUNT + ":key/*");
        }
        assertThat(template.condition("PinFtpPasswordKmsKey")).as("no --param=ftpPasswordKmsKeyArn: any key of the"
                + " account").isFalse();
        assertThat(template.root().at("/Parameters/FtpPasswordKmsKeyArn/Default").asText()).isEmpty();
        assertThat(withExistingDomain.condition("PinFtpPasswordKmsKey")).as("the one key named").isTrue();
        assertThat(withExistingDomain.root().at("/Parameters/FtpPasswordKmsKeyArn/Default").asText())
                .isEqualTo(CENTRAL_KMS_KEY);
        assertThat(withExistingDomain.render(withExistingDomain.root().at("/Outputs/SyncRoleArn/Value")))
                .as("for the other account's key policy").containsExactly("{SyncRole.Arn}");
        assertThat(withExistingDomain.properties("SyncLambdaFunction").at("/Environment/Variables").has(
                "FTP_PASSWORD_KMS_KEY_ARN")).as("IAM only: SSM decrypts, the function never names the key").isFalse();

        JsonNode guard = template.root().path("Parameters").path("FtpPasswordKmsKeyArn");
        assertThat(guard.path("Type").asText()).isEqualTo("String");
        Pattern allowed = Pattern.compile(guard.path("AllowedPattern").asText());
        assertThat(List.of("", CENTRAL_KMS_KEY, "arn:aws:kms:us-east-1:" + ACCOUNT
                        + ":key/mrk-1234abcd12ab34cd56ef1234567890ab"))
                .allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("alias/aws/ssm", "arn:aws:kms:us-east-1:210987654321:alias/ftp",
                "1234abcd-12ab-34cd-56ef-1234567890ab", // a key id: the account and region would be guessed
                "arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab", // SSM asks its own region
                "arn:aws:kms:us-east-1:210987654321:key/*", CENTRAL_KMS_KEY + " ", " " + CENTRAL_KMS_KEY))
                .noneMatch(v -> allowed.matcher(v).matches());
        assertThat(guard.path("ConstraintDescription").asText()).contains("ftpPasswordKmsKeyArn", "alias");
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * A private CA or self-signed FTPS server: --param=ftpTrustedCertParam names the SSM parameter with its PEM
     * certificate(s); the sync gets its name and may read that parameter — and only when one is named. No kms:Decrypt
     * for it (a String parameter: certificates are public).
     */
    @Test
    void aTrustedCertificateParameterReachesTheSyncWhichMayReadOnlyThatOne() {
        String password = "arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter/netmeta/ftp-password";
        assertThat(template.condition("TrustFtpCertificateParam")).as("no --param=ftpTrustedCertParam").isFalse();
        assertThat(template.roleStatements("SyncRole")).extracting(st -> st.path("Sid").asText())
                .doesNotContain("ReadFtpTrustedCertificates");
        assertThat(resourcesOf("SyncRole", "ssm:GetParameter")).containsExactly(password);

        assertThat(withExistingDomain.condition("TrustFtpCertificateParam")).isTrue();
        assertThat(withExistingDomain.properties("SyncLambdaFunction").path("Environment").path("Variables")
                .path("FTP_TRUSTED_CERT_PARAM").asText()).isEqualTo(FTP_CA_PARAM);
        List<JsonNode> reads = withExistingDomain.roleStatements("SyncRole").stream()
                .filter(st -> withExistingDomain.asList(st.path("Action")).stream()
                        .anyMatch(a -> a.asText().equals("ssm:GetParameter"))).toList();
        assertThat(reads).extracting(st -> st.path("Sid").asText())
                .containsExactly("ReadFtpPassword", "ReadFtpTrustedCertificates");
        assertThat(withExistingDomain.render(reads.get(1).path("Resource")))
                .containsExactly("arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter" + FTP_CA_PARAM);
        assertThat(reads.get(1).path("Effect").asText()).isEqualTo("Allow");
        assertThat(withExistingDomain.asList(reads.get(1).path("Action"))).extracting(JsonNode::asText)
                .containsExactly("ssm:GetParameter");
        assertThat(withExistingDomain.roleStatements("SyncRole").stream()
                .filter(st -> withExistingDomain.asList(st.path("Action")).stream()
                        .anyMatch(a -> a.asText().equals("kms:Decrypt")))
                .map(st -> withExistingDomain.render(st.path("Condition").path("StringEquals")
                        .path("kms:EncryptionContext:PARAMETER_ARN")))).as("kms:Decrypt still for the password only")
                .containsExactly(List.of(password));

        JsonNode guard = template.root().path("Parameters").path("FtpTrustedCertParam");
        assertThat(guard.path("Type").asText()).isEqualTo("String");
        assertThat(guard.path("Default").asText()).isEmpty();
        Pattern allowed = Pattern.compile(guard.path("AllowedPattern").asText());
        assertThat(List.of("", FTP_CA_PARAM, "/ftp_ca.v2")).allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("/", "ftp-ca", "netmeta/ftp-ca", "/netmeta/ftp ca",
                "arn:aws:ssm:us-east-1:" + ACCOUNT + ":parameter/netmeta/ftp-ca"))
                .noneMatch(v -> allowed.matcher(v).matches());
        assertThat(guard.path("ConstraintDescription").asText()).contains("ftpTrustedCertParam", "/");

        // certificates to trust with plain FTP: refused by the sync at start, so by the deploy too
        JsonNode needsTls = template.root().path("Parameters").path("FtpTrustedCertNeedsTls");
        Pattern tlsAllowed = Pattern.compile(needsTls.path("AllowedPattern").asText());
        assertThat(needsTls.path("Default").asText()).isEqualTo("explicit|").matches(tlsAllowed);
        assertThat(withExistingDomain.root().path("Parameters").path("FtpTrustedCertNeedsTls").path("Default")
                .asText()).isEqualTo("explicit|" + FTP_CA_PARAM).matches(tlsAllowed);
        Map<String, Boolean> samples = Map.of("explicit|", true, "none|", true, "explicit|" + FTP_CA_PARAM, true,
                "EXPLICIT|" + FTP_CA_PARAM, true, "none|" + FTP_CA_PARAM, false, "None|" + FTP_CA_PARAM, false);
        samples.forEach((value, accepted) -> {
            assertThat(tlsAllowed.matcher(value).matches()).as("FtpTrustedCertNeedsTls on '%s'", value)
                    .isEqualTo(accepted);
            String[] parts = value.split("\\|", -1);
            Map<String, String> env = new HashMap<>(Map.of("FTP_HOST", "ftp.example.net", "FTP_USER", "u",
                    "BUCKET", "b", "FTP_TLS", parts[0]));
            if (!parts[1].isEmpty()) {
                env.put("FTP_TRUSTED_CERT_PARAM", parts[1]);
            }
            assertThat(syncAccepts(env)).as("the sync on '%s', as the guard", value).isEqualTo(accepted);
        });
        assertThat(needsTls.path("ConstraintDescription").asText()).contains("ftpTrustedCertParam", "ftpTls");
    }

    @Test
    void anIndexPrefixTheFunctionsWouldRefuseIsRefusedBeforeAnythingIsCreated() {
        // load, loadContinue, retention and api check INDEX_PREFIX when they start (IndexNames.requireValidPrefix):
        // a bad prefix deployed fine and then failed every load (into the dead-letter queue), every retention run and
        // every search. The rule is narrower than OpenSearch's index names: the prefix goes unencoded into request
        // paths (% ^ { [ ... threw "Illegal character in path") and into IAM ARNs and Fn::Sub (${ ...).
        JsonNode guard = template.root().path("Parameters").path("IndexPrefixValid");
        Pattern allowed = Pattern.compile(guard.path("AllowedPattern").asText());
        assertThat(guard.path("Default").asText()).isEqualTo("metadata");
        List<String> samples = List.of("metadata", "metadata-staging", "m", "0", "9x", "net.meta", "x_1", "a-",
                "a..b", ".x", ".hidden", "a+b", "", "Metadata", "metaData", "meta data", "-metadata", "_metadata",
                "+metadata", ".", "..", "a/b", "a*", "a,b", "\u00c4meta", "m\u00e4ta", "m\u00e9ta", "\u00e9",
                "meta\u0131", "meta\u212a", "a#b", "a:b", "a|b", "a\"b", "a<b", "a\\b", "a?b", "a\tb", "a\nb",
                "a%b", "a%2fb", "a^b", "a{b}", "a[b]", "a$b", "a${b}", "a=b", "a&b", "a'b", "a~b", "a(b)",
                "x".repeat(200), "x".repeat(201), "metadata\n");
        for (String sample : samples) {
            boolean codeAccepts;
            try {
                dev.netmeta.model.IndexNames.requireValidPrefix(sample);
                codeAccepts = true;
            } catch (IllegalArgumentException e) {
                codeAccepts = false;
            }
            assertThat(allowed.matcher(sample).matches()).as("guard vs the functions on '%s'", sample)
                    .isEqualTo(codeAccepts);
        }
        assertThat(allowed.matcher("a%b").matches()).as("the guard refuses what breaks a URL path").isFalse();
        assertThat(dev.netmeta.model.IndexNames.requireValidPrefix("net.meta_1-x")).isEqualTo("net.meta_1-x");
        assertThat(guard.path("ConstraintDescription").asText()).contains("indexPrefix", "a-z", "0-9", "'.'", "'_'",
                "'-'");
    }

    @Test
    void apiGatewaysOwnErrorsCarryTheCorsHeaderToo() {
        Map<String, JsonNode> responses = template.ofType("AWS::ApiGateway::GatewayResponse");
        List<String> types = new ArrayList<>();
        responses.values().forEach(r -> {
            types.add(r.path("Properties").path("ResponseType").asText());
            assertThat(r.path("Properties").path("ResponseParameters")
                    .path("gatewayresponse.header.Access-Control-Allow-Origin").asText()).isEqualTo("'*'");
            assertThat(template.render(r.path("Properties").path("RestApiId"))).containsExactly("{ApiGatewayRestApi}");
        });
        assertThat(types).containsExactlyInAnyOrder("DEFAULT_4XX", "DEFAULT_5XX");
        // A gateway response reaches the stage only with a deployment made after it (API Gateway: "the update
        // requires redeploying the API"). The framework's deployment waits for the methods only, so without an
        // explicit order the first deploy could snapshot the API before the responses exist.
        Map<String, JsonNode> deployments = template.ofType("AWS::ApiGateway::Deployment");
        assertThat(deployments).hasSize(1);
        assertThat(template.dependenciesOf(deployments.keySet().iterator().next()))
                .as("the stage's deployment is made after the gateway responses")
                .containsAll(responses.keySet());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Alarms (docs/DEPLOY.md, "Alarms")

    private static final List<String> ALARMS = List.of("SyncErrorsAlarm", "SyncNotRunningAlarm", "SyncFailedFilesAlarm",
            "LoadFailedAlarm", "LoadWarningsAlarm", "LoadDownloadResumesAlarm", "LoadChecksumMismatchesAlarm",
            "FailedInvocationsAlarm", "RetentionErrorsAlarm", "ApiServerErrorsAlarm");

    @Test
    void everyAlarmNotifiesTheOneAlarmTopicOnAlarmAndOnOk() {
        assertThat(template.ofType("AWS::CloudWatch::Alarm")).containsOnlyKeys(ALARMS);
        Set<String> names = new TreeSet<>();
        for (String id : ALARMS) {
            JsonNode alarm = template.properties(id);
            assertThat(template.render(alarm.path("AlarmActions"))).as(id).containsExactly(ALARM_TOPIC);
            assertThat(template.render(alarm.path("OKActions"))).as(id).containsExactly(ALARM_TOPIC);
            assertThat(alarm.path("AlarmName").asText()).as(id).startsWith("netmeta-ci-");
            assertThat(alarm.path("AlarmDescription").asText()).as(id).isNotBlank();
            assertThat(alarm.path("TreatMissingData").asText()).as(id).isIn("ignore", "notBreaching", "breaching");
            names.add(alarm.path("AlarmName").asText());
        }
        assertThat(names).as("one name each").hasSize(ALARMS.size());

        assertThat(template.ofType("AWS::SNS::Topic")).containsOnlyKeys("AlarmTopic");
        JsonNode topic = template.properties("AlarmTopic");
        assertThat(topic.path("TopicName").asText()).isEqualTo("netmeta-ci-alarms");
        assertThat(topic.has("KmsMasterKeyId")).as("CloudWatch cannot publish through the aws/sns key").isFalse();
        assertThat(template.render(template.root().path("Outputs").path("AlarmTopicArn").path("Value")))
                .containsExactly(ALARM_TOPIC);
    }

    @Test
    void anEmailAddressGivenAsAParamIsSubscribedAndNoneMeansNoSubscription() {
        assertThat(template.ofType("AWS::SNS::Subscription")).containsOnlyKeys("AlarmEmailSubscription");
        JsonNode subscription = template.resource("AlarmEmailSubscription");
        assertThat(subscription.path("Condition").asText()).isEqualTo("SubscribeAlarmEmail");
        assertThat(subscription.path("Properties").path("Protocol").asText()).isEqualTo("email");
        assertThat(template.render(subscription.path("Properties").path("Endpoint"))).containsExactly("{AlarmEmail}");
        assertThat(template.render(subscription.path("Properties").path("TopicArn"))).containsExactly(ALARM_TOPIC);
        JsonNode condition = template.root().path("Conditions").path("SubscribeAlarmEmail").path("Fn::Not").get(0)
                .path("Fn::Equals");
        assertThat(condition.get(0).path("Ref").asText()).isEqualTo("AlarmEmail");
        assertThat(condition.get(1).asText()).isEmpty();

        JsonNode parameter = template.root().path("Parameters").path("AlarmEmail");
        assertThat(parameter.path("Default").asText()).as("no --param=alarmEmail: no subscription").isEmpty();
        assertThat(withExistingDomain.root().path("Parameters").path("AlarmEmail").path("Default").asText())
                .isEqualTo(ALARM_EMAIL);
        Pattern allowed = Pattern.compile(parameter.path("AllowedPattern").asText());
        assertThat(List.of("", ALARM_EMAIL, "first.last+netmeta@mail.example.co.uk"))
                .allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("ops", "ops @example.org", "ops@example.org ", "a@b@c", "a@b.org,c@d.org"))
                .noneMatch(v -> allowed.matcher(v).matches());
    }

    @Test
    void aRetentionRunThatFailedRaisesAnAlarmUntilARunSucceeds() {
        JsonNode errors = template.properties("RetentionErrorsAlarm");
        assertMetric(errors, "AWS/Lambda", "Errors", "Sum");
        assertThat(dimensions(errors)).containsExactly(Map.entry("FunctionName", "{RetentionLambdaFunction}"));
        assertThat(errors.path("AlarmName").asText()).isEqualTo("netmeta-ci-retention-errors");
        assertThat(errors.path("Threshold").asDouble()).isEqualTo(1.0);
        assertThat(errors.path("DatapointsToAlarm").asInt()).isEqualTo(1);
        assertThat(errors.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(errors.path("TreatMissingData").asText()).as("a day between runs: the last run's state stays")
                .isEqualTo("ignore");
        assertThat(errors.path("AlarmDescription").asText()).contains("retention failed", "netmeta-ci-retention");
        assertThat(template.resource("RetentionErrorsAlarm").has("Condition")).as("there with retention off too: a"
                + " run that is off cannot fail, so it stays quiet").isFalse();
    }

    @Test
    void syncAlarmsWatchTheSyncFunctionsErrorsAndWhetherItRunsAtAll() {
        JsonNode errors = template.properties("SyncErrorsAlarm");
        assertMetric(errors, "AWS/Lambda", "Errors", "Sum");
        assertThat(dimensions(errors)).containsExactly(Map.entry("FunctionName", "{SyncLambdaFunction}"));
        assertThat(errors.path("Threshold").asDouble()).isEqualTo(1.0);
        assertThat(errors.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(errors.path("TreatMissingData").asText())
                .as("between runs there is no data: the state of the last run stays").isEqualTo("ignore");
        // Lambda stamps an invocation's Errors with the time it started and sends it when it ends: a run that times
        // out reports its error a whole timeout in the past. One breaching data point must be enough, anywhere in a
        // window that reaches back over the timeout plus time for the metric to arrive.
        assertThat(errors.path("DatapointsToAlarm").asInt()).as("one failed invocation is enough").isEqualTo(1);
        assertThat(errors.path("Period").asInt() * errors.path("EvaluationPeriods").asInt())
                .as("the window sees an error stamped at the start of a run that timed out")
                .isGreaterThanOrEqualTo(template.properties("SyncLambdaFunction").path("Timeout").asInt() + 300);

        JsonNode silence = template.properties("SyncNotRunningAlarm");
        assertThat(template.resource("SyncNotRunningAlarm").path("Condition").asText()).isEqualTo("AlarmOnSyncSilence");
        assertMetric(silence, "AWS/Lambda", "Invocations", "Sum");
        assertThat(dimensions(silence)).containsExactly(Map.entry("FunctionName", "{SyncLambdaFunction}"));
        assertThat(silence.path("ComparisonOperator").asText()).isEqualTo("LessThanThreshold");
        assertThat(silence.path("Threshold").asDouble()).isEqualTo(1.0);
        assertThat(silence.path("TreatMissingData").asText()).as("no invocation = no data = the problem")
                .isEqualTo("breaching");
        assertThat(silence.path("Period").asInt()).isEqualTo(3600);
        assertThat(silence.path("EvaluationPeriods").path("Ref").asText()).isEqualTo("SyncSilenceAlarmHours");
        assertThat(silence.path("DatapointsToAlarm").path("Ref").asText()).isEqualTo("SyncSilenceAlarmHours");

        JsonNode parameter = template.root().path("Parameters").path("SyncSilenceAlarmHours");
        int hours = Integer.parseInt(parameter.path("Default").asText());
        JsonNode rule = template.ofType("AWS::Events::Rule").values().iterator().next().path("Properties");
        java.util.regex.Matcher rate = Pattern.compile("rate\\((\\d+) hours?\\)")
                .matcher(rule.path("ScheduleExpression").asText());
        assertThat(rate.matches()).as(rule.path("ScheduleExpression").asText()).isTrue();
        assertThat(hours).as("at least two schedule intervals without any run")
                .isGreaterThanOrEqualTo(2 * Integer.parseInt(rate.group(1)));
        Pattern allowed = Pattern.compile(parameter.path("AllowedPattern").asText());
        assertThat(List.of("1", "6", "24", "99", "100", "168", "off")).allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("", "0", "169", "200", "1000", "06", "OFF", "-1"))
                .as("CloudWatch evaluates at most 7 days of 1-hour periods").noneMatch(v -> allowed.matcher(v).matches());
        JsonNode condition = template.root().path("Conditions").path("AlarmOnSyncSilence").path("Fn::Not").get(0)
                .path("Fn::Equals");
        assertThat(condition.get(0).path("Ref").asText()).isEqualTo("SyncSilenceAlarmHours");
        assertThat(condition.get(1).asText()).isEqualTo("off");
        assertThat(withExistingDomain.root().path("Parameters").path("SyncSilenceAlarmHours").path("Default").asText())
                .isEqualTo("off");
    }

    @Test
    void syncFilesThatFailedToCopyAreCountedFromTheSummaryLine() {
        JsonNode alarm = template.properties("SyncFailedFilesAlarm");
        assertMetric(alarm, NAMESPACE, "SyncFailedFiles", "Sum");
        assertThat(alarm.path("Threshold").asDouble()).isEqualTo(1.0);
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(alarm.path("TreatMissingData").asText()).isEqualTo("ignore");
        JsonNode filter = metricFilterFeeding(alarm);
        assertThat(template.render(filter.path("LogGroupName"))).containsExactly("{SyncLogGroup}");
        assertThat(template.properties("SyncLogGroup").path("LogGroupName").asText())
                .isEqualTo("/aws/lambda/" + template.properties("SyncLambdaFunction").path("FunctionName").asText());
        String pattern = filter.path("FilterPattern").asText();
        String value = filter.path("MetricTransformations").get(0).path("MetricValue").asText();

        // the line the production code prints for a run with two failed files, and for one without
        JsonNode failing = syncSummaryLine(List.of(new FileFailure("a.csv.gz", "550 Permission denied"),
                new FileFailure("locked/", "cannot list this directory")));
        assertThat(MetricFilterPattern.matches(pattern, failing)).as("%s on %s", pattern, failing).isTrue();
        assertThat(MetricFilterPattern.metricValue(value, failing)).isEqualByComparingTo("2");
        JsonNode clean = syncSummaryLine(List.of());
        assertThat(MetricFilterPattern.matches(pattern, clean)).as("a run without failures is a data point 0").isTrue();
        assertThat(MetricFilterPattern.metricValue(value, clean)).isEqualByComparingTo(BigDecimal.ZERO);
        // the selector names the production field: renamed, the filter would no longer count anything
        ObjectNode renamed = failing.deepCopy();
        ((ObjectNode) renamed.path("summary")).set("failedFiles", renamed.path("summary").path("failed"));
        ((ObjectNode) renamed.path("summary")).remove("failed");
        assertThat(MetricFilterPattern.matches(pattern, renamed)).isFalse();
        assertThat(MetricFilterPattern.matches(pattern, syncEventLine("ERROR", "FTP login failed")))
                .as("other lines are not summaries").isFalse();
    }

    @Test
    void loadsThatFailForGoodAreCountedFromTheReportLineOfBothLoadFunctions() {
        for (JsonNode filter : fileAlarmOfBothLoadLogGroups("LoadFailedAlarm", "LoadFailedFiles").values()) {
            String pattern = filter.path("FilterPattern").asText();
            String value = filter.path("MetricTransformations").get(0).path("MetricValue").asText();
            JsonNode finalFailure = loadReportLine(LoadReport.Status.FAILED, false);
            assertThat(MetricFilterPattern.matches(pattern, finalFailure)).as("%s on %s", pattern, finalFailure)
                    .isTrue();
            assertThat(MetricFilterPattern.metricValue(value, finalFailure)).isEqualByComparingTo(BigDecimal.ONE);
            assertThat(MetricFilterPattern.matches(pattern, loadReportLine(LoadReport.Status.FAILED, true)))
                    .as("retried by Lambda; if the retries fail too, the dead-letter queue alarm says so").isFalse();
            assertThat(MetricFilterPattern.matches(pattern, loadReportLine(LoadReport.Status.SUCCEEDED, false)))
                    .isFalse();
            assertThat(MetricFilterPattern.matches(pattern, loadReportLine(LoadReport.Status.CONTINUING, false)))
                    .isFalse();
        }
    }

    /**
     * A file that loaded as junk ends SUCCEEDED, so only its "load warning" line shows it: counted once per such load,
     * from both functions' log groups; neither its report line nor a FAILED load's warning line (load-failed counts
     * that file) nor a load without warnings is.
     */
    @Test
    void loadsThatSucceedWithWarningsAreCountedFromTheWarningLineOfBothLoadFunctions() {
        Map<String, JsonNode> filters = fileAlarmOfBothLoadLogGroups("LoadWarningsAlarm", "LoadWarningFiles");
        assertThat(template.properties("LoadWarningsAlarm").path("AlarmName").asText())
                .isEqualTo("netmeta-ci-load-warnings");
        List<JsonNode> succeeded = loadLines(LoadReport.Status.SUCCEEDED, false, WARNINGS);
        assertThat(succeeded).as("the report line, then the warning line").hasSize(2);
        for (JsonNode filter : filters.values()) {
            String pattern = filter.path("FilterPattern").asText();
            String value = filter.path("MetricTransformations").get(0).path("MetricValue").asText();
            assertThat(succeeded.stream().filter(l -> MetricFilterPattern.matches(pattern, l)).toList())
                    .as("%s on %s", pattern, succeeded).singleElement().satisfies(line -> {
                        assertThat(line.path("message").asText()).isEqualTo("load warning");
                        assertThat(MetricFilterPattern.metricValue(value, line)).isEqualByComparingTo(BigDecimal.ONE);
                    });
            List<JsonNode> failed = loadLines(LoadReport.Status.FAILED, false, WARNINGS);
            assertThat(failed).as("a FAILED load's warning line is printed").hasSize(2);
            assertThat(failed).as("but counted by load-failed")
                    .noneMatch(l -> MetricFilterPattern.matches(pattern, l));
            for (LoadReport.Status status : LoadReport.Status.values()) {
                assertThat(loadLines(status, false, List.of())).as("no warnings")
                        .noneMatch(l -> MetricFilterPattern.matches(pattern, l));
            }
        }
        for (JsonNode filter : metricFiltersOf(NAMESPACE, "LoadFailedFiles").values()) {
            assertThat(succeeded).as("a warning is no failure")
                    .noneMatch(l -> MetricFilterPattern.matches(filter.path("FilterPattern").asText(), l));
        }
    }

    /**
     * What the two load alarms share: one count per file (Sum ≥ 1 in a period), no data while files load fine is OK,
     * fed by one filter on each load function's log group (a continued file ends in loadContinue's). Their filters.
     */
    private static Map<String, JsonNode> fileAlarmOfBothLoadLogGroups(String alarmId, String metric) {
        JsonNode alarm = template.properties(alarmId);
        assertMetric(alarm, NAMESPACE, metric, "Sum");
        assertThat(alarm.path("Threshold").asDouble()).isEqualTo(1.0);
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(alarm.path("TreatMissingData").asText()).isEqualTo("notBreaching");
        Map<String, JsonNode> filters = metricFiltersOf(NAMESPACE, metric);
        List<String> logGroups = new ArrayList<>();
        filters.values().forEach(f -> logGroups.addAll(template.render(f.path("LogGroupName"))));
        assertThat(logGroups).containsExactlyInAnyOrder("{LoadLogGroup}", "{LoadContinueLogGroup}");
        return filters;
    }

    /**
     * A download of a raw file that broke and went on where it broke: the file loads whole, so only the
     * {@code "load download resumed"} line shows it. A few are normal (S3 resets long GETs), many are trouble: counted
     * per hour from both load functions' log groups against a threshold that can be turned off; no other load line is
     * counted.
     */
    @Test
    void resumedDownloadsAreCountedFromTheResumeLineOfBothLoadFunctionsAgainstAnHourlyThreshold() {
        JsonNode alarm = template.properties("LoadDownloadResumesAlarm");
        assertMetric(alarm, NAMESPACE, "LoadDownloadResumes", "Sum");
        assertThat(alarm.path("AlarmName").asText()).isEqualTo("netmeta-ci-load-download-resumes");
        assertThat(alarm.path("Period").asInt()).as("resumes per hour").isEqualTo(3600);
        assertThat(alarm.path("EvaluationPeriods").asInt()).isEqualTo(1);
        assertThat(alarm.path("Threshold").path("Ref").asText()).isEqualTo("LoadDownloadResumesAlarmThreshold");
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(alarm.path("TreatMissingData").asText()).as("no resumes, no data").isEqualTo("notBreaching");
        assertThat(alarm.path("AlarmDescription").asText()).contains("load download resumed", "20 times");

        Map<String, JsonNode> filters = metricFiltersOf(NAMESPACE, "LoadDownloadResumes");
        List<String> logGroups = new ArrayList<>();
        filters.values().forEach(f -> logGroups.addAll(template.render(f.path("LogGroupName"))));
        assertThat(logGroups).containsExactlyInAnyOrder("{LoadLogGroup}", "{LoadContinueLogGroup}");
        JsonNode resumed = downloadResumedLine();
        for (JsonNode filter : filters.values()) {
            String pattern = filter.path("FilterPattern").asText();
            assertThat(MetricFilterPattern.matches(pattern, resumed)).as("%s on %s", pattern, resumed).isTrue();
            assertThat(MetricFilterPattern.metricValue(filter.path("MetricTransformations").get(0).path("MetricValue")
                    .asText(), resumed)).isEqualByComparingTo(BigDecimal.ONE);
            for (LoadReport.Status status : LoadReport.Status.values()) {
                assertThat(loadLines(status, status == LoadReport.Status.FAILED, WARNINGS)).as("%s lines", status)
                        .noneMatch(l -> MetricFilterPattern.matches(pattern, l));
            }
            assertThat(MetricFilterPattern.matches(pattern, checksumMismatchLine()))
                    .as("a mismatch of the whole object's checksum is no resume").isFalse();
            ObjectNode renamed = resumed.deepCopy();
            renamed.put("message", "load download restarted");
            assertThat(MetricFilterPattern.matches(pattern, renamed)).isFalse();
        }
        for (String id : List.of("LoadDownloadResumesAlarm", "LoadDownloadResumedMetricFilter",
                "LoadContinueDownloadResumedMetricFilter")) {
            assertThat(template.resource(id).path("Condition").asText()).as(id).isEqualTo("AlarmOnLoadDownloadResumes");
        }

        JsonNode parameter = template.root().path("Parameters").path("LoadDownloadResumesAlarmThreshold");
        assertThat(parameter.path("Type").asText()).isEqualTo("String");
        assertThat(parameter.path("Default").asText()).isEqualTo("20");
        Pattern allowed = Pattern.compile(parameter.path("AllowedPattern").asText());
        assertThat(List.of("1", "5", "20", "100", "999999", "off")).allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("", "0", "020", "-1", "1000000", "2.5", "OFF", " 20", "twenty"))
                .noneMatch(v -> allowed.matcher(v).matches());
        JsonNode condition = template.root().path("Conditions").path("AlarmOnLoadDownloadResumes").path("Fn::Not").get(0)
                .path("Fn::Equals");
        assertThat(condition.get(0).path("Ref").asText()).isEqualTo("LoadDownloadResumesAlarmThreshold");
        assertThat(condition.get(1).asText()).isEqualTo("off");
        assertThat(withExistingDomain.root().path("Parameters").path("LoadDownloadResumesAlarmThreshold")
                .path("Default").asText()).isEqualTo("off");
        assertThat(parameter.path("ConstraintDescription").asText()).contains("loadDownloadResumesAlarmThreshold");
    }

    /**
     * A download whose bytes did not match the object's own checksum (changed on the way): the file fails retryably and
     * Lambda's retry usually loads it, so only the {@code "load download checksum mismatch"} line shows it. None is
     * normal: every one raises the alarm by default, counted per hour from both load functions' log groups against a
     * threshold that can be turned off; no other load line is counted, a resume neither.
     */
    @Test
    void checksumMismatchesAreCountedFromTheirLineOfBothLoadFunctionsAndOneRaisesTheAlarm() {
        JsonNode alarm = template.properties("LoadChecksumMismatchesAlarm");
        assertMetric(alarm, NAMESPACE, "LoadChecksumMismatches", "Sum");
        assertThat(alarm.path("AlarmName").asText()).isEqualTo("netmeta-ci-load-checksum-mismatches");
        assertThat(alarm.path("Period").asInt()).as("mismatches per hour").isEqualTo(3600);
        assertThat(alarm.path("EvaluationPeriods").asInt()).isEqualTo(1);
        assertThat(alarm.path("Threshold").path("Ref").asText()).isEqualTo("LoadChecksumMismatchesAlarmThreshold");
        assertThat(parameterValue(alarm.path("Threshold"))).as("every mismatch").isEqualTo(1);
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(alarm.path("TreatMissingData").asText()).as("no mismatches, no data").isEqualTo("notBreaching");
        assertThat(alarm.path("AlarmDescription").asText()).contains("load download checksum mismatch", "1 times");

        Map<String, JsonNode> filters = metricFiltersOf(NAMESPACE, "LoadChecksumMismatches");
        List<String> logGroups = new ArrayList<>();
        filters.values().forEach(f -> logGroups.addAll(template.render(f.path("LogGroupName"))));
        assertThat(logGroups).containsExactlyInAnyOrder("{LoadLogGroup}", "{LoadContinueLogGroup}");
        JsonNode mismatch = checksumMismatchLine();
        for (JsonNode filter : filters.values()) {
            String pattern = filter.path("FilterPattern").asText();
            assertThat(MetricFilterPattern.matches(pattern, mismatch)).as("%s on %s", pattern, mismatch).isTrue();
            assertThat(MetricFilterPattern.metricValue(filter.path("MetricTransformations").get(0).path("MetricValue")
                    .asText(), mismatch)).isEqualByComparingTo(BigDecimal.ONE);
            for (LoadReport.Status status : LoadReport.Status.values()) {
                assertThat(loadLines(status, status == LoadReport.Status.FAILED, WARNINGS)).as("%s lines", status)
                        .noneMatch(l -> MetricFilterPattern.matches(pattern, l));
            }
            assertThat(MetricFilterPattern.matches(pattern, downloadResumedLine())).as("a resume is no mismatch")
                    .isFalse();
        }
        for (String id : List.of("LoadChecksumMismatchesAlarm", "LoadChecksumMismatchMetricFilter",
                "LoadContinueChecksumMismatchMetricFilter")) {
            assertThat(template.resource(id).path("Condition").asText()).as(id)
                    .isEqualTo("AlarmOnLoadChecksumMismatches");
        }

        JsonNode parameter = template.root().path("Parameters").path("LoadChecksumMismatchesAlarmThreshold");
        assertThat(parameter.path("Type").asText()).isEqualTo("String");
        assertThat(parameter.path("Default").asText()).isEqualTo("1");
        Pattern allowed = Pattern.compile(parameter.path("AllowedPattern").asText());
        assertThat(List.of("1", "5", "999999", "off")).allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("", "0", "01", "-1", "1000000", "1.5", "OFF", " 1", "one"))
                .noneMatch(v -> allowed.matcher(v).matches());
        JsonNode condition = template.root().path("Conditions").path("AlarmOnLoadChecksumMismatches").path("Fn::Not")
                .get(0).path("Fn::Equals");
        assertThat(condition.get(0).path("Ref").asText()).isEqualTo("LoadChecksumMismatchesAlarmThreshold");
        assertThat(condition.get(1).asText()).isEqualTo("off");
        assertThat(withExistingDomain.root().path("Parameters").path("LoadChecksumMismatchesAlarmThreshold")
                .path("Default").asText()).isEqualTo("off");
        assertThat(parameter.path("ConstraintDescription").asText()).contains("loadChecksumMismatchesAlarmThreshold");
    }

    @Test
    void invocationsParkedInTheDeadLetterQueueRaiseAnAlarmUntilTheQueueIsEmpty() {
        JsonNode alarm = template.properties("FailedInvocationsAlarm");
        assertMetric(alarm, "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum");
        assertThat(dimensions(alarm)).containsExactly(Map.entry("QueueName", "{FailedInvocationsQueue.QueueName}"));
        assertThat(alarm.path("Threshold").asDouble()).isEqualTo(1.0);
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        // SQS reports a queue only while CloudWatch considers it active ("for up to six hours if it contains any
        // messages or if any action accesses it"): parked messages nobody touches may stop being reported, and
        // 'notBreaching' would then send a false OK while they still wait. Missing data keeps the state instead.
        assertThat(alarm.path("TreatMissingData").asText()).as("no report is no all-clear").isEqualTo("ignore");
        // the queue every asynchronously invoked function parks its failures in
        for (JsonNode config : template.ofType("AWS::Lambda::EventInvokeConfig").values()) {
            assertThat(template.render(config.path("Properties").path("DestinationConfig").path("OnFailure")
                    .path("Destination"))).containsExactly(QUEUE_ARN);
        }
    }

    @Test
    void apiServerErrorsOfTheStageRaiseAnAlarm() {
        JsonNode alarm = template.properties("ApiServerErrorsAlarm");
        assertMetric(alarm, "AWS/ApiGateway", "5XXError", "Sum");
        Map<String, String> dimensions = dimensions(alarm);
        assertThat(dimensions).containsOnlyKeys("ApiName", "Stage");
        assertThat(dimensions.get("ApiName")).as("the REST API's name")
                .isEqualTo(template.properties("ApiGatewayRestApi").path("Name").asText()).isEqualTo("ci-netmeta");
        JsonNode deployment = template.ofType("AWS::ApiGateway::Deployment").values().iterator().next();
        assertThat(dimensions.get("Stage")).isEqualTo(deployment.path("Properties").path("StageName").asText())
                .isEqualTo(STAGE);
        assertThat(alarm.path("Threshold").path("Ref").asText()).isEqualTo("ApiServerErrorAlarmThreshold");
        assertThat(alarm.path("ComparisonOperator").asText()).isEqualTo("GreaterThanOrEqualToThreshold");
        assertThat(alarm.path("TreatMissingData").asText()).as("no requests, no data").isEqualTo("notBreaching");
    }

    /**
     * apiServerErrorAlarmThreshold is checked before anything is deployed, as the other alarm thresholds are: a value
     * CloudWatch cannot take failed the deploy mid-way at the alarm, and 0 deployed an alarm on no error at all.
     */
    @Test
    void theApiServerErrorThresholdIsCheckedBeforeTheDeploy() {
        JsonNode parameter = template.root().path("Parameters").path("ApiServerErrorAlarmThreshold");
        assertThat(parameter.path("Type").asText()).isEqualTo("String");
        assertThat(parameter.path("Default").asText()).as("every server error").isEqualTo("1");
        assertThat(withExistingDomain.root().path("Parameters").path("ApiServerErrorAlarmThreshold").path("Default")
                .asText()).as("--param=apiServerErrorAlarmThreshold=5").isEqualTo("5");
        Pattern allowed = Pattern.compile(parameter.path("AllowedPattern").asText());
        assertThat(List.of("1", "5", "20", "100", "999999")).allMatch(v -> allowed.matcher(v).matches());
        assertThat(List.of("", "0", "01", "-1", "1000000", "2.5", "2,5", "off", " 1", "1 ", "twenty"))
                .noneMatch(v -> allowed.matcher(v).matches());
        assertThat(parameter.path("ConstraintDescription").asText()).contains("apiServerErrorAlarmThreshold", "1 to",
                "999999");
    }

    /**
     * Lambda sends an invocation's metrics when the invocation ends but stamps them with the time it started ("the
     * timestamp on an error metric reflects when the function was invoked, not when the error occurred"): an alarm on
     * a function's metric whose window is shorter than the function's timeout misses the invocations that run long,
     * time out or fail late.
     */
    @Test
    void everyAlarmOnALambdaMetricLooksBackFurtherThanTheFunctionRuns() {
        int checked = 0;
        for (Map.Entry<String, JsonNode> entry : template.ofType("AWS::CloudWatch::Alarm").entrySet()) {
            JsonNode alarm = entry.getValue().path("Properties");
            if (!alarm.path("Namespace").asText().equals("AWS/Lambda")) {
                continue;
            }
            String function = dimensions(alarm).get("FunctionName");
            assertThat(function).as(entry.getKey()).startsWith("{").endsWith("}");
            int timeout = template.properties(function.substring(1, function.length() - 1)).path("Timeout").asInt();
            assertThat(alarm.path("Period").asInt() * parameterValue(alarm.path("EvaluationPeriods")))
                    .as("%s: period × evaluation periods, against the function's timeout + 5 minutes", entry.getKey())
                    .isGreaterThanOrEqualTo(timeout + 300);
            checked++;
        }
        assertThat(checked).as("sync-errors, sync-not-running and retention-errors").isEqualTo(3);
    }

    /** A number in the template, or the default of the parameter a {@code Ref} names. */
    private static int parameterValue(JsonNode node) {
        if (node.has("Ref")) {
            return Integer.parseInt(template.root().path("Parameters").path(node.path("Ref").asText()).path("Default")
                    .asText());
        }
        return node.asInt();
    }

    /**
     * With the JSON log format Lambda filters application logs by level, and a JSON line printed to stdout without a
     * valid {@code "level"} counts as INFO ("Log-level filtering", Lambda developer guide). A line a metric filter
     * counts must pass the function's ApplicationLogLevel, or Lambda drops it before CloudWatch Logs sees it and the
     * alarm stays silent: at WARN the level-less "load failed" lines and the INFO summaries of clean sync runs (the
     * data points that clear sync-failed-files) would be gone.
     */
    @Test
    void theLinesTheMetricFiltersCountPassLambdasLogLevelFilter() {
        JsonNode failedLoad = loadReportLine(LoadReport.Status.FAILED, false);
        JsonNode warning = loadLines(LoadReport.Status.SUCCEEDED, false, WARNINGS).get(1);
        Map<String, List<JsonNode>> counted = Map.of(
                "SyncFailedFilesMetricFilter", List.of(syncSummaryLine(List.of()),
                        syncSummaryLine(List.of(new FileFailure("a.csv.gz", "550 Permission denied")))),
                "LoadFailedMetricFilter", List.of(failedLoad),
                "LoadContinueFailedMetricFilter", List.of(failedLoad),
                "LoadWarningMetricFilter", List.of(warning),
                "LoadContinueWarningMetricFilter", List.of(warning),
                "LoadDownloadResumedMetricFilter", List.of(downloadResumedLine()),
                "LoadContinueDownloadResumedMetricFilter", List.of(downloadResumedLine()),
                "LoadChecksumMismatchMetricFilter", List.of(checksumMismatchLine()),
                "LoadContinueChecksumMismatchMetricFilter", List.of(checksumMismatchLine()));
        assertThat(template.ofType("AWS::Logs::MetricFilter")).as("the lines each filter counts are listed here")
                .containsOnlyKeys(counted.keySet());
        List<String> levels = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");
        counted.forEach((id, lines) -> {
            JsonNode filter = template.properties(id);
            String logGroup = template.render(filter.path("LogGroupName")).get(0);
            String logGroupName = template.properties(logGroup.substring(1, logGroup.length() - 1))
                    .path("LogGroupName").asText();
            JsonNode function = template.ofType("AWS::Lambda::Function").values().stream()
                    .map(f -> f.path("Properties"))
                    .filter(f -> logGroupName.equals("/aws/lambda/" + f.path("FunctionName").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError(id + ": no function logs to " + logGroupName));
            JsonNode logging = function.path("LoggingConfig");
            assertThat(logging.path("LogFormat").asText()).as("%s: JSON lines read as JSON", id).isEqualTo("JSON");
            String configured = logging.path("ApplicationLogLevel").asText("INFO");
            assertThat(levels).as(id).contains(configured);
            for (JsonNode line : lines) {
                assertThat(MetricFilterPattern.matches(filter.path("FilterPattern").asText(), line)).as("%s counts %s",
                        id, line).isTrue();
                String level = line.path("level").asText("").toUpperCase(java.util.Locale.ROOT);
                String effective = levels.contains(level) ? level : "INFO"; // missing or invalid: INFO
                assertThat(levels.indexOf(effective))
                        .as("%s: a %s line passes ApplicationLogLevel %s", id, effective, configured)
                        .isGreaterThanOrEqualTo(levels.indexOf(configured));
            }
        });
    }

    private static void assertMetric(JsonNode alarm, String namespace, String metric, String statistic) {
        assertThat(template.render(alarm.path("Namespace"))).containsExactly(namespace);
        assertThat(alarm.path("MetricName").asText()).isEqualTo(metric);
        assertThat(alarm.path("Statistic").asText()).isEqualTo(statistic);
        assertThat(alarm.path("Period").asInt()).isPositive();
        assertThat(alarm.path("Period").asInt() % 60).isZero();
    }

    /** Dimension name → rendered value. */
    private static Map<String, String> dimensions(JsonNode alarm) {
        Map<String, String> found = new java.util.LinkedHashMap<>();
        for (JsonNode dimension : alarm.path("Dimensions")) {
            found.put(dimension.path("Name").asText(), template.render(dimension.path("Value")).get(0));
        }
        return found;
    }

    private static Map<String, JsonNode> metricFiltersOf(String namespace, String metric) {
        Map<String, JsonNode> found = new java.util.LinkedHashMap<>();
        template.ofType("AWS::Logs::MetricFilter").forEach((id, filter) -> {
            JsonNode transformations = filter.path("Properties").path("MetricTransformations");
            assertThat(transformations).as(id).hasSize(1);
            JsonNode t = transformations.get(0);
            if (t.path("MetricNamespace").asText().equals(namespace) && t.path("MetricName").asText().equals(metric)) {
                found.put(id, filter.path("Properties"));
            }
        });
        return found;
    }

    private static JsonNode metricFilterFeeding(JsonNode alarm) {
        Map<String, JsonNode> filters = metricFiltersOf(alarm.path("Namespace").asText(), alarm.path("MetricName").asText());
        assertThat(filters).hasSize(1);
        return filters.values().iterator().next();
    }

    @Test
    void everyMetricFilterFeedsAnAlarm() {
        Set<String> alarmed = new TreeSet<>();
        template.ofType("AWS::CloudWatch::Alarm").values().forEach(a -> alarmed.add(
                a.path("Properties").path("Namespace").asText() + " " + a.path("Properties").path("MetricName").asText()));
        template.ofType("AWS::Logs::MetricFilter").forEach((id, filter) -> {
            JsonNode t = filter.path("Properties").path("MetricTransformations").get(0);
            assertThat(alarmed).as(id).contains(t.path("MetricNamespace").asText() + " " + t.path("MetricName").asText());
            assertThat(t.path("MetricNamespace").asText()).isEqualTo(NAMESPACE);
        });
        assertThat(template.ofType("AWS::Logs::MetricFilter")).hasSize(9);
    }

    /** The summary line the sync's own log writer prints (docs/SYNC.md, step 7). */
    private static JsonNode syncSummaryLine(List<FileFailure> failures) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonLog(new PrintStream(out, true, StandardCharsets.UTF_8), new Redactor(new EnvSecretSource("pw")))
                .summary(new SyncSummary("scheduled", 20, 0, 3, 3 - failures.size(), 0, 17, 0, 0, failures, 1234, 56));
        return onlyLine(out);
    }

    private static JsonNode syncEventLine(String level, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonLog(new PrintStream(out, true, StandardCharsets.UTF_8), new Redactor(new EnvSecretSource("pw")))
                .event(level, message, Map.of("mode", "scheduled"));
        return onlyLine(out);
    }

    /** A warning as the loader words one (docs/LOAD.md, "Files that load as junk"). */
    private static final List<String> WARNINGS = List.of("CSV header \"ts\\tuid\" is one column holding TABs: a "
            + "tab-separated file? CSV input must be comma-separated, so each row became one field, without a timestamp."
            + " Convert it to comma-separated CSV at its source; the corrected copy is loaded again");

    /** The report line the load's own log writer prints (docs/LOAD.md, "Load report"). */
    private static JsonNode loadReportLine(LoadReport.Status status, boolean retryable) {
        List<JsonNode> lines = loadLines(status, retryable, List.of());
        assertThat(lines).as("no warnings: the report line only").hasSize(1);
        return lines.get(0);
    }

    /** The lines the load's own log writer prints for a report: its report line, and a warning line after it. */
    private static List<JsonNode> loadLines(LoadReport.Status status, boolean retryable, List<String> warnings) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean failed = status == LoadReport.Status.FAILED;
        new LoadLog(new PrintStream(out, true, StandardCharsets.UTF_8)).report(new LoadReport("b", "raw/x.csv.gz",
                "\"9f\"", null, status, "csv", 10, failed ? 4 : 10, 0, 0, 0, null, "2026-01-01T00:00:00Z",
                status == LoadReport.Status.CONTINUING ? null : "2026-01-01T00:00:09Z", 9000, 1,
                status == LoadReport.Status.CONTINUING ? 10L : null, failed ? 512L : null, null,
                failed ? "corrupt or truncated input after 4 records" : null, null, warnings), retryable);
        return lines(out);
    }

    /** The line the load's own log writer prints for a resumed download (docs/LOAD.md, "Broken downloads"). */
    private static JsonNode downloadResumedLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LoadLog(new PrintStream(out, true, StandardCharsets.UTF_8)).downloadResumed("b", "raw/x.csv.gz", "\"9f\"",
                11_927_040, 16_252_353, 1, "the connection ended after byte 11927040 of 16252353");
        return onlyLine(out);
    }

    /** The line the load's own log writer prints for a download whose bytes do not match the object's checksum. */
    private static JsonNode checksumMismatchLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LoadLog(new PrintStream(out, true, StandardCharsets.UTF_8)).downloadChecksumMismatch("b", "raw/x.csv",
                "\"03\"", "CRC32", "OMV/Xg==", "kyjSUQ==", 4_903_924, 1);
        return onlyLine(out);
    }

    private static JsonNode onlyLine(ByteArrayOutputStream out) {
        List<JsonNode> lines = lines(out);
        assertThat(lines).hasSize(1);
        return lines.get(0);
    }

    /** Each line printed, as the JSON object it must be. */
    private static List<JsonNode> lines(ByteArrayOutputStream out) {
        return out.toString(StandardCharsets.UTF_8).lines().map(line -> {
            try {
                return new ObjectMapper().readTree(line);
            } catch (java.io.IOException e) {
                throw new AssertionError("not one JSON object: " + line, e);
            }
        }).toList();
    }
}
