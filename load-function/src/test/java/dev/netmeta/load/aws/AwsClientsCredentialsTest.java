package dev.netmeta.load.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netmeta.model.Env;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class AwsClientsCredentialsTest {

    @Test
    void lambdaRoleCredentialsKeepTheSessionToken() {
        AwsCredentials identity = AwsClients.credentials(Env.of(Map.of(
                "AWS_REGION", "eu-central-1", "AWS_ACCESS_KEY_ID", "ASIAROLEKEY",
                "AWS_SECRET_ACCESS_KEY", "role-secret", "AWS_SESSION_TOKEN", "IQoJb3JpZ2luX2VjE//token=")))
                .resolveCredentials();
        assertThat(identity).isInstanceOf(AwsSessionCredentials.class);
        AwsSessionCredentials session = (AwsSessionCredentials) identity;
        assertThat(session.accessKeyId()).isEqualTo("ASIAROLEKEY");
        assertThat(session.secretAccessKey()).isEqualTo("role-secret");
        assertThat(session.sessionToken()).isEqualTo("IQoJb3JpZ2luX2VjE//token=");
    }

    @Test
    void keysWithoutTokenAreBasicCredentials() {
        AwsCredentials identity = AwsClients.credentials(Env.of(Map.of(
                "AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local-secret", "AWS_SESSION_TOKEN", " ")))
                .resolveCredentials();
        assertThat(identity).isExactlyInstanceOf(AwsBasicCredentials.class);
        assertThat(identity.accessKeyId()).isEqualTo("local");
    }

    @Test
    void noKeysUseTheDefaultChain() {
        assertThat(AwsClients.credentials(Env.of(Map.of("AWS_ACCESS_KEY_ID", " ", "AWS_SECRET_ACCESS_KEY", ""))))
                .isInstanceOf(DefaultCredentialsProvider.class);
    }

    @Test
    void aBlankRegionIsTheDefaultRegion() {
        assertThat(AwsClients.region(Env.of(Map.of("AWS_REGION", "")))).as("AWS_REGION= in a shell")
                .isEqualTo(Region.US_EAST_1);
        assertThat(AwsClients.region(Env.of(Map.of("AWS_REGION", "eu-central-1")))).isEqualTo(Region.EU_CENTRAL_1);
    }
}
