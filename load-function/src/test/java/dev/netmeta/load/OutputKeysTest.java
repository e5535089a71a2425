package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netmeta.model.Env;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Where the report and the rejects of an object go, for keys up to S3's 1,024 bytes. */
class OutputKeysTest {

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** A key of exactly {@code n} UTF-8 bytes under raw/ from {@code filler}, its segments under 200 bytes. */
    private static String key(int n, String filler) {
        StringBuilder sb = new StringBuilder("raw/");
        int segment = 0;
        while (bytes(sb.toString()) < n) {
            if (segment >= 190) {
                sb.append('/');
                segment = 0;
            } else {
                sb.append(filler);
                segment += bytes(filler);
            }
        }
        while (bytes(sb.toString()) > n) {
            sb.setLength(sb.offsetByCodePoints(sb.length(), -1));
        }
        while (bytes(sb.toString()) < n) {
            sb.append('x');
        }
        return sb.toString();
    }

    private static String sha256Hex32(String key) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 32);
    }

    @Test
    void keysThatFitKeepTheirPlainNames() {
        assertThat(OutputKeys.report("reports/", "raw/2018-05-09-metadata.csv.gz"))
                .isEqualTo("reports/raw/2018-05-09-metadata.csv.gz.json");
        assertThat(OutputKeys.rejects("rejects/", "raw/2018-05-09-metadata.csv.gz"))
                .isEqualTo("rejects/raw/2018-05-09-metadata.csv.gz.ndjson");
        String longest = key(1024 - "reports/".length() - ".json".length(), "a");
        assertThat(OutputKeys.report("reports/", longest)).isEqualTo("reports/" + longest + ".json");
        // a key that merely ends like a hash keeps its name when it is short
        String hashLike = "raw/x~0123456789abcdef0123456789abcdef";
        assertThat(OutputKeys.report("reports/", hashLike)).isEqualTo("reports/" + hashLike + ".json");
    }

    @Test
    void aKeyTooLongForThePrefixAndSuffixGetsAShortenedNameWithTheHashOfTheFullKey() throws Exception {
        String key = key(1020, "a");
        String report = OutputKeys.report("reports/", key);
        String rejects = OutputKeys.rejects("rejects/", key);

        assertThat(bytes("reports/" + key + ".json")).as("the plain name S3 refuses").isGreaterThan(1024);
        assertThat(bytes(report)).isEqualTo(1024);
        assertThat(bytes(rejects)).isEqualTo(1024);
        String hash = sha256Hex32(key);
        assertThat(report).endsWith("~" + hash + ".json");
        assertThat(rejects).endsWith("~" + hash + ".ndjson");
        String head = report.substring("reports/".length(), report.length() - 1 - 32 - ".json".length());
        assertThat(key).startsWith(head);
        assertThat(OutputKeys.report("reports/", key)).as("deterministic").isEqualTo(report);
        assertThat(OutputKeys.report("reports/", key(1012, "a"))).as("one byte over").contains("~");
    }

    @Test
    void keysThatShareTheirStartGetDifferentNames() {
        String start = key(1000, "b");
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            names.add(OutputKeys.report("reports/", start + "/" + i));
        }
        assertThat(names).hasSize(100).allSatisfy(n -> assertThat(bytes(n)).isLessThanOrEqualTo(1024));
    }

    @Test
    void theHeadIsCutBetweenCharacters() {
        for (String filler : new String[] {"é", "日", "😀", "a日é"}) {
            String key = key(1020, filler);
            for (String prefix : new String[] {"r/", "re/", "rep/", "repo/"}) {
                for (String name : new String[] {OutputKeys.report(prefix, key), OutputKeys.rejects(prefix, key)}) {
                    byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
                    assertThat(utf8.length).as(name).isBetween(1021, 1024);
                    assertThat(new String(utf8, StandardCharsets.UTF_8)).as("whole characters").isEqualTo(name);
                    assertThat(key).startsWith(name.substring(prefix.length(), name.lastIndexOf('~')));
                }
            }
        }
    }

    @Test
    void aKeyNamedLikeAnotherKeysShortenedNameDoesNotTakeIt() {
        String key = key(1020, "c");
        String shortened = OutputKeys.report("reports/", key);
        String lookalike = shortened.substring("reports/".length(), shortened.length() - ".json".length());
        assertThat(bytes("reports/" + lookalike + ".json")).as("its plain name would fit").isLessThanOrEqualTo(1024);

        String name = OutputKeys.report("reports/", lookalike);

        assertThat(name).isNotEqualTo(shortened);
        assertThat(bytes(name)).isLessThanOrEqualTo(1024);
    }

    @Test
    void longPrefixesAreRefusedAtStart() {
        String prefix = "r".repeat(OutputKeys.MAX_PREFIX_BYTES + 1);
        assertThatThrownBy(() -> LoadSettings.from(new Env(Map.of("REPORTS_PREFIX", prefix))))
                .hasMessageContaining("REPORTS_PREFIX");
        assertThatThrownBy(() -> LoadSettings.from(new Env(Map.of("REJECTS_PREFIX", prefix))))
                .hasMessageContaining("REJECTS_PREFIX");
        String longest = "r".repeat(OutputKeys.MAX_PREFIX_BYTES - 1) + "/";
        assertThat(LoadSettings.from(new Env(Map.of("REPORTS_PREFIX", longest))).reportsPrefix()).isEqualTo(longest);
        assertThat(bytes(OutputKeys.report(longest, key(1024, "d")))).isEqualTo(1024);
    }
}
