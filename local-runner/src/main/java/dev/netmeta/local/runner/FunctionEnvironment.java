package dev.netmeta.local.runner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.netmeta.load.RetentionDays;
import dev.netmeta.local.runner.manifest.FunctionDefinition;
import dev.netmeta.local.runner.manifest.VariableResolver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One function's environment for the local run: the manifest's environment block (provider + function, variables
 * resolved) with the keys the runner owns replaced by local values — the endpoints, bucket, credentials and FTP
 * settings — and what Lambda itself sets ({@code AWS_REGION}, {@code AWS_LAMBDA_FUNCTION_NAME}…). Owned groups are
 * filled only where the manifest declares them for that function, so a variable the manifest forgets is missing
 * locally too. A manifest value that only AWS can produce (an intrinsic, an {@code ssm:} variable) and that the
 * runner does not own is left out and reported.
 */
public final class FunctionEnvironment {

    private static final Set<String> OPENSEARCH_KEYS = Set.of("OPENSEARCH_URL", "OPENSEARCH_AUTH", "OPENSEARCH_USERNAME",
            "OPENSEARCH_PASSWORD", "OPENSEARCH_SIGV4_SERVICE");

    public record Result(Map<String, String> environment, List<String> unavailable) {
    }

    private FunctionEnvironment() {
    }

    /**
     * The environment of {@code function}; {@code indexRetentionDays} ({@code --index-retention-days}, null: the
     * manifest's) replaces {@code INDEX_RETENTION_DAYS} where the manifest declares it (load, loadContinue,
     * retention), so the load's cut-off and the retention's agree.
     */
    public static Result build(FunctionDefinition function, String functionName, String bucket, Backends backends,
                               String lambdaEndpoint, Map<String, String> processEnv,
                               RetentionDays indexRetentionDays) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, JsonNode> declared = function.environment();
        List<String> notScalar = new ArrayList<>();
        declared.forEach((k, v) -> {
            if (v == null || v.isNull()) {
                return;
            }
            if (v.isValueNode()) {
                env.put(k, v.asText());
            } else {
                notScalar.add(k);
            }
        });

        // what the Lambda service sets in every function
        env.put("AWS_REGION", backends.s3().region());
        env.put("AWS_DEFAULT_REGION", backends.s3().region());
        env.put("AWS_LAMBDA_FUNCTION_NAME", functionName);
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memorySize()));
        // local endpoints and credentials (the role's credentials in AWS)
        env.put("AWS_ENDPOINT_URL_S3", backends.s3().endpoint().toString());
        env.put("AWS_ENDPOINT_URL_LAMBDA", lambdaEndpoint);
        String accessKey = backends.s3().accessKey() != null ? backends.s3().accessKey() : processEnv.get("AWS_ACCESS_KEY_ID");
        String secretKey = backends.s3().secretKey() != null ? backends.s3().secretKey() : processEnv.get("AWS_SECRET_ACCESS_KEY");
        if (accessKey != null && secretKey != null) {
            env.put("AWS_ACCESS_KEY_ID", accessKey);
            env.put("AWS_SECRET_ACCESS_KEY", secretKey);
        }
        if (declared.containsKey("BUCKET")) {
            env.put("BUCKET", bucket);
        }
        if (declared.keySet().stream().anyMatch(OPENSEARCH_KEYS::contains)) {
            Backends.OpenSearch os = backends.openSearch();
            env.put("OPENSEARCH_URL", os.url().toString());
            env.remove("OPENSEARCH_SIGV4_SERVICE");
            if (os.username() != null) {
                env.put("OPENSEARCH_AUTH", "basic");
                env.put("OPENSEARCH_USERNAME", os.username());
                env.put("OPENSEARCH_PASSWORD", os.password() == null ? "" : os.password());
            } else {
                env.put("OPENSEARCH_AUTH", "none");
                env.remove("OPENSEARCH_USERNAME");
                env.remove("OPENSEARCH_PASSWORD");
            }
        }
        if (declared.keySet().stream().anyMatch(k -> k.startsWith("FTP_"))) {
            Backends.Ftp ftp = backends.ftp();
            env.put("FTP_HOST", ftp.host());
            env.put("FTP_PORT", Integer.toString(ftp.port()));
            env.put("FTP_USER", ftp.user());
            env.remove("FTP_PASSWORD_PARAM"); // no SSM here: the plain password is accepted only without a parameter name
            env.put("FTP_PASSWORD", ftp.password());
            env.put("FTP_REMOTE_DIR", ftp.remoteDir());
            env.put("FTP_TLS", ftp.tls() ? "explicit" : "none");
            // no SSM here either: --ftp-trusted-cert's PEM file, the embedded server's trust store, or the JVM's CAs
            env.remove("FTP_TRUSTED_CERT_PARAM");
            env.remove("FTP_TRUSTED_CERT_FILE");
            env.remove("FTP_TRUSTSTORE");
            env.remove("FTP_TRUSTSTORE_PASSWORD");
            if (ftp.trustedCert() != null) {
                env.put("FTP_TRUSTED_CERT_FILE", ftp.trustedCert().toString());
            } else if (ftp.trustStore() != null) {
                env.put("FTP_TRUSTSTORE", ftp.trustStore().toString());
                env.put("FTP_TRUSTSTORE_PASSWORD", ftp.trustStorePassword());
            }
        }
        if (indexRetentionDays != null && declared.containsKey("INDEX_RETENTION_DAYS")) {
            env.put("INDEX_RETENTION_DAYS", indexRetentionDays.toString());
        }
        List<String> unavailable = new ArrayList<>();
        for (String key : notScalar) {
            if (!env.containsKey(key) && !key.equals("FTP_PASSWORD_PARAM")) {
                unavailable.add(key + " = " + describe(declared.get(key)));
            }
        }
        return new Result(env, unavailable);
    }

    private static String describe(JsonNode value) {
        if (VariableResolver.isUnresolved(value)) {
            return value.get(VariableResolver.UNRESOLVED).asText();
        }
        String text = value.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
