package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JsonLogTest {

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog(new PrintStream(buf, true, StandardCharsets.UTF_8),
            new Redactor(new EnvSecretSource("pw")));

    private String line() {
        return buf.toString(StandardCharsets.UTF_8).strip();
    }

    @Test
    void theSummaryLineIsOneJsonObject() {
        log.summary(new SyncSummary("scheduled", 3, 1, 2, 1, 0, 1, 4, 5, 6,
                List.of(new FileFailure("a \"b\".csv.gz", "timeout")), 42, 7));
        assertThat(line()).isEqualTo("{\"level\":\"WARN\",\"message\":\"sync summary\",\"summary\":{\"mode\":\"scheduled\","
                + "\"listed\":3,\"notMatching\":1,\"new\":2,\"copied\":1,\"skippedUnstable\":0,\"skippedPresent\":1,\"deferred\":4,"
                + "\"fannedOut\":5,\"listingSessionsDropped\":6,\"failed\":1,\"failures\":[{\"file\":\"a \\\"b\\\".csv.gz\",\"reason\":\"timeout\"}],"
                + "\"bytes\":42,\"durationMs\":7}}");
    }

    /**
     * The handler's return value is written by Lambda's runtime with its own (relocated) Jackson, which reads none of
     * our annotations and ordered the bean's properties by its fields: {@code "new"} and {@code "failed"}, which have
     * none of their name, came last. The summary is one record: returned and logged, its fields come in one order.
     */
    @Test
    void theReturnedSummaryHasTheLogLinesFieldsInTheLogLinesOrder() throws Exception {
        SyncSummary summary = new SyncSummary("scheduled", 3, 1, 2, 1, 0, 1, 4, 5, 6,
                List.of(new FileFailure("a.csv.gz", "timeout")), 42, 7);
        log.summary(summary);
        ByteArrayOutputStream returned = new ByteArrayOutputStream();
        JacksonFactory.getInstance().getSerializer(SyncSummary.class).toJson(summary, returned); // Lambda's serializer
        String json = returned.toString(StandardCharsets.UTF_8);

        String logged = line().substring("{\"level\":\"WARN\",\"message\":\"sync summary\",\"summary\":".length(),
                line().length() - 1);
        assertThat(json).isEqualTo(logged).isEqualTo("{\"mode\":\"scheduled\",\"listed\":3,\"notMatching\":1,\"new\":2,"
                + "\"copied\":1,\"skippedUnstable\":0,\"skippedPresent\":1,\"deferred\":4,\"fannedOut\":5,"
                + "\"listingSessionsDropped\":6,\"failed\":1,\"failures\":[{\"file\":\"a.csv.gz\",\"reason\":\"timeout\"}],"
                + "\"bytes\":42,\"durationMs\":7}");
    }

    /**
     * CloudWatch Logs keeps at most 256 KB of one event: a longer summary line is cut, is no JSON any more, and the
     * metric filter behind sync-failed-files does not read its {@code failed}. A run whose server gives no time for 2,000
     * files to copy (no MDTM, unreadable LIST lines) made a line of ~700 KB. The line names the first failures and says
     * how many it leaves out; {@code failed} stays the whole count.
     */
    @Test
    void aSummaryWithThousandsOfFailuresStaysOneCloudWatchEventWithTheWholeCount() {
        List<FileFailure> failures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            failures.add(new FileFailure("2024/06/15/sensor-" + i + ".csv.gz",
                    SyncService.unknownSizeOrTimeReason(new RemoteFile("x", 4, null), "LIST")));
        }
        log.summary(new SyncSummary("scheduled", 2_000, 0, 2_000, 0, 0, 0, 0, 0, 0, failures, 0, 7));

        assertThat(line().getBytes(StandardCharsets.UTF_8).length).as("bytes of the line").isLessThan(256 * 1024);
        assertThat(line()).contains("\"failed\":2000,", "sensor-0.csv.gz", "\"bytes\":0,\"durationMs\":7}}")
                .doesNotContain("sensor-1999.csv.gz");
        Matcher more = Pattern.compile("\\{\"file\":\"\\((\\d+) more failures\\)\",\"reason\":\"([^\"]+)\"}]")
                .matcher(line());
        assertThat(more.find()).as("one last entry counts the failures not named").isTrue();
        int named = line().split("\"file\":\"2024/", -1).length - 1;
        assertThat(named + Integer.parseInt(more.group(1))).isEqualTo(2_000);
    }

    @Test
    void eventFieldsKeepTheirTypes() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("file", "x.csv.gz");
        fields.put("size", 12L);
        fields.put("rate", 1.5);
        fields.put("ok", true);
        fields.put("none", null);
        fields.put("list", List.of(1, "two"));
        log.event("INFO", "skipped, password pw", fields);
        assertThat(line()).isEqualTo("{\"level\":\"INFO\",\"message\":\"skipped, password ****\",\"file\":\"x.csv.gz\","
                + "\"size\":12,\"rate\":1.5,\"ok\":true,\"none\":null,\"list\":[1,\"two\"]}");
    }

    @Test
    void aPasswordWithQuotesAndBackslashesIsRedactedBeforeItIsEscaped() {
        String password = "pa\"ss\\w0rd";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonLog withQuotes = new JsonLog(new PrintStream(out, true, StandardCharsets.UTF_8),
                new Redactor(new EnvSecretSource(password)));
        withQuotes.event("ERROR", "login with " + password + " refused", Map.of("reply", "530 " + password));
        withQuotes.summary(new SyncSummary("scheduled", 1, 0, 1, 0, 0, 0, 0, 0,
                List.of(new FileFailure("a.csv.gz", "server said " + password)), 0, 1));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.lines()).hasSize(2);
        assertThat(text).doesNotContain("pa\\\"ss").doesNotContain("pa\"ss").doesNotContain("w0rd")
                .contains("login with **** refused").contains("\"reply\":\"530 ****\"")
                .contains("\"reason\":\"server said ****\"");
    }
}
