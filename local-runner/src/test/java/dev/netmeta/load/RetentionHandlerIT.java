package dev.netmeta.load;

import static dev.netmeta.load.LoadFixtures.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import dev.netmeta.local.testing.OpenSearchEndpoint;
import dev.netmeta.local.testing.S3Endpoint;
import dev.netmeta.local.testing.TestLambdaContext;
import dev.netmeta.local.testing.TestServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opensearch.client.opensearch._types.ExpandWildcard;

/**
 * The retention function end to end against the embedded OpenSearch, started by the scheduled-event fixture: daily
 * indices made by the real load (several days around the boundary), and beside them another stage's indices whose
 * prefix starts with this one's and odd names. Exactly the expired daily indices of the prefix go; searches still
 * find the kept days' documents.
 */
@ExtendWith(TestServers.class)
class RetentionHandlerIT {

    private static final ScheduledEvent TICK = EventLoader.loadScheduledEvent("events/eventbridge_scheduled.json");
    private static final String BUCKET = "retention-it";
    private static final int DAYS = 3;

    @Test
    void deletesExactlyThePrefixsDailyIndicesOlderThanTodayMinusNAndKeepsTheirNeighbours(S3Endpoint s3,
                                                                                      OpenSearchEndpoint openSearch) {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        String prefix = servers.prefix;
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        // today, yesterday, exactly N days old (kept), N + 1 (deleted), a year ago, and 2024-02-29 (deleted)
        List<LocalDate> days = List.of(today, today.minusDays(1), today.minusDays(DAYS), today.minusDays(DAYS + 1),
                today.minusDays(365), LocalDate.of(2024, 2, 29));
        loadOneRowPerDay(servers, days);
        List<String> others = List.of(
                prefix + "-dev-" + day(today.minusDays(400)),     // another stage whose prefix starts with this one
                prefix + "-" + day(today.minusDays(400)) + "-copy", // a suffix
                prefix + "-" + day(today.minusDays(400)) + ".bak",
                prefix + "-2023.02.29",                               // a day no calendar has
                prefix + "-archive",
                prefix + "x-" + day(today.minusDays(400)));          // a prefix that only starts alike
        others.forEach(name -> createIndexWithOneDocument(servers, name));

        Map<String, String> env = retentionEnv(servers, Integer.toString(DAYS));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RetentionSummary summary = withStdout(out, () -> new RetentionHandler(RetentionFactory.create(env,
                NoonClock.of(today)))).handleRequest(TICK, TestLambdaContext.plentyOfTime());

        String oneYear = prefix + "-" + day(today.minusDays(365));
        assertThat(summary.getDeleted()).containsExactly(prefix + "-2024.02.29", oneYear,
                prefix + "-" + day(today.minusDays(DAYS + 1)));
        assertThat(summary.getKept()).isEqualTo(3);
        assertThat(summary.getFailed()).isEmpty();
        assertThat(summary.getRetentionDays()).isEqualTo(DAYS);
        assertThat(summary.getOldestDayKept()).isEqualTo(today.minusDays(DAYS).toString());

        List<String> expectedLeft = new ArrayList<>(others);
        expectedLeft.addAll(List.of(prefix + "-" + day(today), prefix + "-" + day(today.minusDays(1)),
                prefix + "-" + day(today.minusDays(DAYS))));
        assertThat(indices(servers, prefix)).containsExactlyInAnyOrderElementsOf(expectedLeft);

        // the kept days are still searched (the alias the api searches), the deleted ones are gone
        assertThat(countOnAlias(servers, prefix, "host:day0.example")).isEqualTo(1);
        assertThat(countOnAlias(servers, prefix, "host:day1.example")).isEqualTo(1);
        assertThat(countOnAlias(servers, prefix, "host:day2.example")).as("exactly N days old").isEqualTo(1);
        assertThat(countOnAlias(servers, prefix, "host:day3.example")).as("N + 1 days old").isZero();
        assertThat(countOnAlias(servers, prefix, "host:day4.example")).isZero();

        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(log.lines().filter(l -> l.contains("\"message\":\"retention done\"")).count())
                .as("one structured line per run: %s", log).isEqualTo(1);
        assertThat(log).contains("\"deleted\":[\"" + prefix + "-2024.02.29\"", "\"retentionDays\":3");

        // the next day's run finds nothing more to delete
        RetentionSummary again = new RetentionHandler(RetentionFactory.create(env, NoonClock.of(today)))
                .handleRequest(TICK, TestLambdaContext.plentyOfTime());
        assertThat(again.getDeleted()).isEmpty();
        assertThat(again.getKept()).isEqualTo(3);
    }

    @Test
    void offDeletesNothingAndSaysSo(S3Endpoint s3, OpenSearchEndpoint openSearch) {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        createIndexWithOneDocument(servers, servers.prefix + "-2001.01.01");
        Map<String, String> env = retentionEnv(servers, "off");
        env.put("OPENSEARCH_URL", "http://127.0.0.1:1"); // not even asked: nothing listens there
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RetentionSummary summary = withStdout(out, () -> new RetentionHandler(env))
                .handleRequest(TICK, TestLambdaContext.plentyOfTime());
        assertThat(summary.getRetentionDays()).as("absent when off").isNull();
        assertThat(summary.getDeleted()).isEmpty();
        assertThat(indices(servers, servers.prefix)).containsExactly(servers.prefix + "-2001.01.01");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"message\":\"retention off\"")
                .doesNotContain("retentionDays");
    }

    @Test
    void aBadSettingFailsTheStartNamingTheVariableAndTheValue(S3Endpoint s3, OpenSearchEndpoint openSearch) {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        assertThatThrownBy(() -> new RetentionHandler(retentionEnv(servers, "30d")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("INDEX_RETENTION_DAYS").hasMessageContaining("'30d'");
    }

    @Test
    void aDomainThatRefusesFailsTheInvocationNamingWhy(S3Endpoint s3, OpenSearchEndpoint openSearch) {
        LoadTestEnvironment servers = new LoadTestEnvironment(s3, openSearch);
        Map<String, String> env = retentionEnv(servers, "7");
        env.put("OPENSEARCH_URL", "http://127.0.0.1:1");
        RetentionHandler handler = withStdout(new ByteArrayOutputStream(), () -> new RetentionHandler(env));
        assertThatThrownBy(() -> handler.handleRequest(TICK, TestLambdaContext.plentyOfTime()))
                .isInstanceOf(RetentionFailedException.class)
                .hasMessageContaining("listing the indices " + servers.prefix + "-* failed");
    }

    private static Map<String, String> retentionEnv(LoadTestEnvironment servers, String days) {
        Map<String, String> env = new HashMap<>();
        env.put("OPENSEARCH_URL", servers.env().get("OPENSEARCH_URL"));
        env.put("OPENSEARCH_AUTH", "none");
        env.put("INDEX_PREFIX", servers.prefix);
        env.put("INDEX_RETENTION_DAYS", days);
        return env;
    }

    /** One row per day through the real load (retention off), host {@code day<i>.example}: its daily indices. */
    private static void loadOneRowPerDay(LoadTestEnvironment servers, List<LocalDate> days) {
        StringBuilder csv = new StringBuilder("ts,Src IP,Dst IP,Dst Port,host\n");
        for (int i = 0; i < days.size(); i++) {
            long epoch = days.get(i).atTime(12, 0).toEpochSecond(ZoneOffset.UTC);
            csv.append(epoch).append(",10.0.0.").append(i + 1).append(",8.8.8.8,53,day").append(i)
                    .append(".example\n");
        }
        String key = "raw/" + servers.prefix + "/days.csv.gz";
        servers.put(BUCKET, key, gzip(csv.toString()));
        new LoadHandler(servers.env()).handleRequest(LoadFixtures.event(BUCKET, key), TestLambdaContext.plentyOfTime());
        assertThat(servers.report(BUCKET, key).path("indexed").asLong()).isEqualTo(days.size());
    }

    private static void createIndexWithOneDocument(LoadTestEnvironment servers, String name) {
        try {
            servers.openSearch.index(i -> i.index(name).id("1").document(Map.of("host", "other.example"))
                    .refresh(org.opensearch.client.opensearch._types.Refresh.True));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The indices whose names start with the test's prefix, open or closed. */
    private static List<String> indices(LoadTestEnvironment servers, String prefix) {
        try {
            return servers.openSearch.cat().indices(c -> c.index(prefix + "*")
                            .expandWildcards(ExpandWildcard.Open, ExpandWildcard.Closed))
                    .valueBody().stream().map(r -> r.index()).collect(Collectors.toCollection(TreeSet::new))
                    .stream().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long countOnAlias(LoadTestEnvironment servers, String alias, String query) {
        try {
            servers.openSearch.indices().refresh(r -> r.index(alias));
            return servers.openSearch.count(c -> c.index(alias).query(q -> q.queryString(qs -> qs.query(query))))
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String day(LocalDate day) {
        return String.format("%04d.%02d.%02d", day.getYear(), day.getMonthValue(), day.getDayOfMonth());
    }

    /** Builds the handler with stdout going to {@code out}: its RetentionLog writes to System.out, as in Lambda. */
    private static <T> T withStdout(ByteArrayOutputStream out, java.util.function.Supplier<T> build) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            return build.get();
        } finally {
            System.setOut(original);
        }
    }
}
