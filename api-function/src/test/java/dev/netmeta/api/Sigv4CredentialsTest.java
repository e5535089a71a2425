package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

class Sigv4CredentialsTest {

    private static Map<String, String> sigv4(String... keyValues) {
        Map<String, String> env = new HashMap<>(Map.of("OPENSEARCH_URL", "https://search-netmeta.eu-central-1.es.amazonaws.com",
                "OPENSEARCH_AUTH", "sigv4", "AWS_REGION", "eu-central-1"));
        for (int i = 0; i < keyValues.length; i += 2) {
            env.put(keyValues[i], keyValues[i + 1]);
        }
        return env;
    }

    @Test
    void lambdaRoleCredentialsKeepTheSessionToken() {
        ApiSettings settings = ApiSettings.from(sigv4("AWS_ACCESS_KEY_ID", "ASIAROLEKEY",
                "AWS_SECRET_ACCESS_KEY", "role-secret", "AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjE//token="));
        AwsCredentials identity = OpenSearchClients.credentials(settings.credentials()).resolveCredentials();
        assertThat(identity).isInstanceOf(AwsSessionCredentials.class);
        AwsSessionCredentials session = (AwsSessionCredentials) identity;
        assertThat(session.accessKeyId()).isEqualTo("ASIAROLEKEY");
        assertThat(session.secretAccessKey()).isEqualTo("role-secret");
        assertThat(session.sessionToken()).isEqualTo("IQoJb3JpZ2luX2VjE//token=");
        assertThat(settings.toString()).doesNotContain("ASIAROLEKEY", "role-secret", "token");
    }

    @Test
    void keysWithoutTokenAreBasicCredentials() {
        ApiSettings settings = ApiSettings.from(sigv4("AWS_ACCESS_KEY_ID", "local",
                "AWS_SECRET_ACCESS_KEY", "local-secret", "AWS_SESSION_TOKEN", " "));
        AwsCredentials identity = OpenSearchClients.credentials(settings.credentials()).resolveCredentials();
        assertThat(identity).isExactlyInstanceOf(AwsBasicCredentials.class);
        assertThat(identity.accessKeyId()).isEqualTo("local");
    }

    @Test
    void noKeysUseTheDefaultChain() {
        ApiSettings settings = ApiSettings.from(sigv4("AWS_ACCESS_KEY_ID", " ", "AWS_SECRET_ACCESS_KEY", ""));
        assertThat(settings.credentials()).isNull();
        assertThat(OpenSearchClients.credentials(settings.credentials())).isInstanceOf(DefaultCredentialsProvider.class);
    }
}
