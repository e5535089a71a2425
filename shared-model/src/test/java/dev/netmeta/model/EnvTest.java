package dev.netmeta.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    private final Env env = Env.of(Map.of(
            "BUCKET", " raw-files ",
            "BLANK", "  ",
            "BULK_MAX_DOCS", "5000",
            "BIG", "9000000000",
            "NOT_A_NUMBER", "lots",
            "FTP_RECURSIVE", "TRUE",
            "OFF", "off",
            "MAYBE", "perhaps",
            "FTP_PASSWORD", "s3cr3t!"));

    @Test
    void readsStringsWithDefaults() {
        assertThat(env.get("BUCKET", "x")).isEqualTo("raw-files");
        assertThat(env.get("MISSING", "dflt")).isEqualTo("dflt");
        assertThat(env.get("BLANK", "dflt")).isEqualTo("dflt");
        assertThat(env.has("BUCKET")).isTrue();
        assertThat(env.has("BLANK")).isFalse();
    }

    @Test
    void requireNamesTheMissingVariable() {
        assertThat(env.require("BUCKET")).isEqualTo("raw-files");
        assertThatThrownBy(() -> env.require("OPENSEARCH_URL")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment variable OPENSEARCH_URL is required but not set");
        assertThatThrownBy(() -> env.require("BLANK")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BLANK");
    }

    @Test
    void readsNumbers() {
        assertThat(env.getInt("BULK_MAX_DOCS", 1)).isEqualTo(5000);
        assertThat(env.getInt("MISSING", 7)).isEqualTo(7);
        assertThat(env.getLong("BIG", 1)).isEqualTo(9_000_000_000L);
        assertThatThrownBy(() -> env.getInt("BIG", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BIG");
        assertThatThrownBy(() -> env.getInt("NOT_A_NUMBER", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NOT_A_NUMBER").hasMessageContaining("whole number");
        assertThat(env.getDouble("BIG", 1)).isEqualTo(9e9);
        assertThat(env.getDouble("MISSING", 2.5)).isEqualTo(2.5);
        assertThatThrownBy(() -> env.getDouble("NOT_A_NUMBER", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NOT_A_NUMBER").hasMessageContaining("must be a number");
    }

    @Test
    void readsBooleans() {
        assertThat(env.getBool("FTP_RECURSIVE", false)).isTrue();
        assertThat(env.getBool("OFF", true)).isFalse();
        assertThat(env.getBool("MISSING", true)).isTrue();
        assertThatThrownBy(() -> env.getBool("MAYBE", true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MAYBE");
    }

    @Test
    void neverEchoesAValueInAnError() {
        assertThatThrownBy(() -> env.getInt("FTP_PASSWORD", 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("FTP_PASSWORD").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> env.getBool("FTP_PASSWORD", false)).hasMessageNotContaining("s3cr3t");
    }
}
