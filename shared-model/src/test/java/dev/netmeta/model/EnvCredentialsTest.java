package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvCredentialsTest {

    @Test
    void lambdaEnvironmentGivesSessionCredentialsWithTheToken() {
        EnvCredentials c = EnvCredentials.from(Map.of(
                "AWS_ACCESS_KEY_ID", "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret",
                "AWS_SESSION_TOKEN", "token/+=", "AWS_REGION", "eu-west-1")).orElseThrow();
        assertThat(c.isSession()).isTrue();
        assertThat(c.accessKeyId()).isEqualTo("ASIAEXAMPLE");
        assertThat(c.secretAccessKey()).isEqualTo("secret");
        assertThat(c.sessionToken()).isEqualTo("token/+=");
    }

    @Test
    void keysWithoutTokenAreLongTermKeys() {
        EnvCredentials c = EnvCredentials.from(Map.of(
                "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret")).orElseThrow();
        assertThat(c.isSession()).isFalse();
        assertThat(c.sessionToken()).isNull();
    }

    @Test
    void blankTokenCountsAsAbsent() {
        EnvCredentials c = EnvCredentials.from(Map.of(
                "AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "secret", "AWS_SESSION_TOKEN", " "))
                .orElseThrow();
        assertThat(c.isSession()).isFalse();
    }

    @Test
    void noKeysMeansTheDefaultChain() {
        assertThat(EnvCredentials.from(Map.of("AWS_REGION", "us-east-1"))).isEmpty();
        assertThat(EnvCredentials.from(Map.of("AWS_ACCESS_KEY_ID", "", "AWS_SECRET_ACCESS_KEY", "  ",
                "AWS_SESSION_TOKEN", ""))).isEmpty();
    }

    @Test
    void partialCredentialsAreAnErrorNamingTheVariables() {
        assertThatThrownBy(() -> EnvCredentials.from(Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY: set both, or neither to use "
                        + "the default credentials chain");
        assertThatThrownBy(() -> EnvCredentials.from(Map.of("AWS_ACCESS_KEY_ID", " ", "AWS_SECRET_ACCESS_KEY", "s")))
                .hasMessageStartingWith("AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID");
        assertThatThrownBy(() -> EnvCredentials.from(Map.of("AWS_SESSION_TOKEN", "token")))
                .hasMessageStartingWith("AWS_SESSION_TOKEN is set without AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }

    @Test
    void toStringShowsNoKeyNorToken() {
        EnvCredentials c = EnvCredentials.from(Map.of(
                "AWS_ACCESS_KEY_ID", "ASIAEXAMPLE", "AWS_SECRET_ACCESS_KEY", "s3cr3t",
                "AWS_SESSION_TOKEN", "t0k3n")).orElseThrow();
        assertThat(c.toString()).doesNotContain("ASIAEXAMPLE", "s3cr3t", "t0k3n").contains("session");
    }
}
