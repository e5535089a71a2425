package dev.netmeta.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IndexRetentionTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 27);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T23:59:59Z"), ZoneOffset.UTC);

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final FakeIndices indices = new FakeIndices();

    @Test
    void exactlyNDaysOldIsKeptAndNPlusOneDeleted() {
        IndexRetention.Selection s = IndexRetention.select("metadata", new RetentionDays(30), TODAY,
                List.of("metadata-2026.10.28", "metadata-2026.10.27", "metadata-2026.11.27", "metadata-2026.11.28"));
        assertThat(s.kept()).containsExactly("metadata-2026.10.28", "metadata-2026.11.27", "metadata-2026.11.28");
        assertThat(s.expired()).containsExactly("metadata-2026.10.27");
    }

    @Test
    void onlyThisPrefixsStrictlyValidDailyIndicesAreEverSelected() {
        List<String> names = List.of(
                "metadata-dev-2020.01.01",      // another stage whose prefix starts with this one
                "metadata-2020.01.01-old",      // a suffix
                "metadata-2020.01.01.bak",
                "xmetadata-2020.01.01",
                "metadata2020.01.01",
                "metadata-2020.1.1",            // not the daily shape
                "metadata-2020-01-01",
                "metadata-2019.02.29",          // a day no calendar has
                "metadata-2020.13.01",
                "metadata-2020.00.10",
                "metadata-+020.01.01",
                "metadata-2020.01.01",
                "metadata",
                ".kibana_1");
        IndexRetention.Selection s = IndexRetention.select("metadata", new RetentionDays(1), TODAY, names);
        assertThat(s.expired()).containsExactly("metadata-2020.01.01");
        assertThat(s.kept()).isEmpty();
    }

    @Test
    void aPrefixWithDashesSelectsItsOwnIndicesOnly() {
        IndexRetention.Selection s = IndexRetention.select("metadata-dev", new RetentionDays(1), TODAY,
                List.of("metadata-dev-2020.01.01", "metadata-2020.01.01", "metadata-dev-x-2020.01.01"));
        assertThat(s.expired()).containsExactly("metadata-dev-2020.01.01");
    }

    @Test
    void leapDaysAreDaysLikeAnyOther() {
        LocalDate march1st = LocalDate.of(2024, 3, 1);
        IndexRetention.Selection s = IndexRetention.select("m", new RetentionDays(1), march1st,
                List.of("m-2024.02.29", "m-2024.02.28", "m-2023.02.29"));
        assertThat(s.kept()).containsExactly("m-2024.02.29");
        assertThat(s.expired()).containsExactly("m-2024.02.28");
        IndexRetention.Selection year = IndexRetention.select("m", new RetentionDays(366), LocalDate.of(2025, 2, 28),
                List.of("m-2024.02.27", "m-2024.02.28", "m-2024.02.29"));
        assertThat(year.expired()).as("366 days before 2025-02-28 is 2024-02-28").containsExactly("m-2024.02.27");
    }

    @Test
    void offSelectsNothingAndRequestsNothing() {
        IndexRetention.Selection s = IndexRetention.select("metadata", RetentionDays.OFF, TODAY,
                List.of("metadata-1970.01.01"));
        assertThat(s.expired()).isEmpty();

        RetentionSummary summary = service(RetentionDays.OFF).run(Deadline.none());
        assertThat(indices.requests).isEmpty();
        assertThat(summary.getRetentionDays()).isNull();
        assertThat(summary.getOldestDayKept()).isNull();
        assertThat(summary.getDeleted()).isEmpty();
        assertThat(logLine().path("message").asText()).isEqualTo("retention off");
        assertThat(logLine().has("retentionDays")).as("one JSON type, a number: absent when off").isFalse();
        assertThat(logLine().has("oldestDayKept")).isFalse();
        assertThat(logLine().path("enabled").isBoolean()).as("off in so many words").isTrue();
        assertThat(logLine().path("enabled").booleanValue()).isFalse();
    }

    @Test
    void deletesTheExpiredIndicesByNameOldestFirstAndLogsOneLine() {
        indices.names.addAll(List.of("metadata-2026.11.27", "metadata-2026.11.20", "metadata-2026.11.19",
                "metadata-2025.01.01", "metadata-dev-2020.01.01", "metadata-2026.11.19-copy"));
        RetentionSummary summary = service(new RetentionDays(7)).run(Deadline.none());
        assertThat(indices.requests).containsExactly("list metadata", "delete metadata-2025.01.01",
                "delete metadata-2026.11.19");
        assertThat(summary.getDeleted()).containsExactly("metadata-2025.01.01", "metadata-2026.11.19");
        assertThat(summary.getKept()).isEqualTo(2);
        assertThat(summary.getOldestDayKept()).isEqualTo("2026-11-20");
        assertThat(summary.getFailed()).isEmpty();
        JsonNode line = logLine();
        assertThat(line.path("message").asText()).isEqualTo("retention done");
        assertThat(line.path("retentionDays").isInt()).as("a JSON number, not a string").isTrue();
        assertThat(line.path("retentionDays").intValue()).isEqualTo(7);
        assertThat(line.path("enabled").booleanValue()).isTrue();
        assertThat(line.path("deleted")).hasSize(2);
        assertThat(line.has("level")).isFalse();
    }

    @Test
    void aFailedDeletionIsNamedTheOthersAreTriedAndTheRunFails() {
        indices.names.addAll(List.of("metadata-2020.01.01", "metadata-2020.01.02", "metadata-2020.01.03"));
        indices.refused.add("metadata-2020.01.02");
        assertThatThrownBy(() -> service(new RetentionDays(30)).run(Deadline.none()))
                .isInstanceOf(RetentionFailedException.class)
                .hasMessageContaining("2 deleted")
                .hasMessageContaining("1 failed: metadata-2020.01.02 (HTTP 403 no permission)");
        assertThat(indices.requests).containsExactly("list metadata", "delete metadata-2020.01.01",
                "delete metadata-2020.01.02", "delete metadata-2020.01.03");
        JsonNode line = logLine();
        assertThat(line.path("level").asText()).isEqualTo("ERROR");
        assertThat(line.path("message").asText()).isEqualTo("retention failed");
        assertThat(line.path("failed").path("metadata-2020.01.02").asText()).isEqualTo("HTTP 403 no permission");
        assertThat(line.path("deleted")).hasSize(2);
    }

    @Test
    void aListingThatFailsFailsTheRunNamingWhy() {
        indices.listingFails = true;
        assertThatThrownBy(() -> service(new RetentionDays(30)).run(Deadline.none()))
                .isInstanceOf(RetentionFailedException.class)
                .hasMessageContaining("listing the indices metadata-* failed: connection refused");
        assertThat(logLine().path("level").asText()).isEqualTo("ERROR");
    }

    @Test
    void noDeletionStartsWhenTheTimeRunsOut() {
        indices.names.addAll(List.of("metadata-2020.01.01", "metadata-2020.01.02"));
        assertThatThrownBy(() -> service(new RetentionDays(30)).run(() -> 10_000))
                .isInstanceOf(RetentionFailedException.class)
                .hasMessageContaining("not tried: the invocation's time ran out");
        assertThat(indices.requests).containsExactly("list metadata");
    }

    /**
     * OpenSearch refuses to delete an index while a snapshot of it runs (400 snapshot_in_progress_exception), and
     * OpenSearch Service takes one every hour: a daily run that meets one waits and tries again within the
     * invocation instead of failing — an alarm, and the index kept a day longer, for nothing wrong.
     */
    @Test
    void anIndexBeingSnapshottedIsTriedAgainAfterAWhileInsteadOfFailingTheRun() {
        indices.names.addAll(List.of("metadata-2020.01.01", "metadata-2020.01.02", "metadata-2026.11.27"));
        indices.busy.put("metadata-2020.01.01", 2); // the snapshot ends after two refusals
        List<Long> sleeps = new ArrayList<>();
        RetentionSummary summary = service(new RetentionDays(30), sleeps::add).run(Deadline.none());
        assertThat(summary.getDeleted()).containsExactlyInAnyOrder("metadata-2020.01.01", "metadata-2020.01.02");
        assertThat(summary.getFailed()).isEmpty();
        assertThat(indices.requests).containsExactly("list metadata", "delete metadata-2020.01.01",
                "delete metadata-2020.01.02", "delete metadata-2020.01.01", "delete metadata-2020.01.01");
        assertThat(sleeps).containsExactly(IndexRetention.BUSY_RETRY_MILLIS, IndexRetention.BUSY_RETRY_MILLIS);
        assertThat(logLine().path("message").asText()).isEqualTo("retention done");
    }

    @Test
    void anIndexStillBeingSnapshottedWhenTheTimeRunsOutFailsTheRunNamingWhy() {
        indices.names.addAll(List.of("metadata-2020.01.01", "metadata-2020.01.02"));
        indices.busy.put("metadata-2020.01.01", Integer.MAX_VALUE);
        List<Long> sleeps = new ArrayList<>();
        long[] remaining = {120_000};
        IndexRetention service = service(new RetentionDays(30), millis -> {
            sleeps.add(millis);
            remaining[0] -= millis;
        });
        assertThatThrownBy(() -> service.run(() -> remaining[0]))
                .isInstanceOf(RetentionFailedException.class)
                .hasMessageContaining("metadata-2020.01.01 (HTTP 400 snapshot_in_progress_exception");
        assertThat(sleeps).as("while a wait and a try fit before the margin").hasSize(4);
        assertThat(indices.names).containsExactly("metadata-2020.01.01");
    }

    @Test
    void anIndexThatStaysBusyIsTriedABoundedNumberOfTimes() {
        indices.names.add("metadata-2020.01.01");
        indices.busy.put("metadata-2020.01.01", Integer.MAX_VALUE);
        List<Long> sleeps = new ArrayList<>();
        assertThatThrownBy(() -> service(new RetentionDays(30), sleeps::add).run(Deadline.none()))
                .isInstanceOf(RetentionFailedException.class);
        assertThat(sleeps).hasSize(IndexRetention.MAX_BUSY_RETRIES);
    }

    private IndexRetention service(RetentionDays days) {
        return new IndexRetention("metadata", days, indices,
                new RetentionLog(new PrintStream(logs, true, StandardCharsets.UTF_8)), CLOCK);
    }

    private IndexRetention service(RetentionDays days, IndexRetention.Sleeper sleeper) {
        return new IndexRetention("metadata", days, indices,
                new RetentionLog(new PrintStream(logs, true, StandardCharsets.UTF_8)), CLOCK, sleeper);
    }

    private JsonNode logLine() {
        List<String> lines = logs.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).as("one line per run").hasSize(1);
        try {
            return new ObjectMapper().readTree(lines.get(0));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static final class FakeIndices implements RetentionIndices {
        final List<String> names = new ArrayList<>();
        final Set<String> refused = new java.util.HashSet<>();
        /** How many more times each index is refused as being snapshotted. */
        final Map<String, Integer> busy = new java.util.HashMap<>();
        final List<String> requests = new ArrayList<>();
        boolean listingFails;

        @Override
        public List<String> list(String prefix) throws IOException {
            requests.add("list " + prefix);
            if (listingFails) {
                throw new IOException("connection refused");
            }
            return names;
        }

        @Override
        public void delete(String name) throws IOException {
            requests.add("delete " + name);
            if (refused.contains(name)) {
                throw new IOException("HTTP 403 no permission");
            }
            if (busy.getOrDefault(name, 0) > 0) {
                busy.merge(name, -1, Integer::sum);
                throw new RetentionIndices.BusyException("HTTP 400 snapshot_in_progress_exception: Cannot delete"
                        + " indices that are being snapshotted");
            }
            names.remove(name);
        }
    }

    @Test
    void theSummaryReadsAsAUserWouldSayIt() {
        RetentionSummary s = new RetentionSummary("metadata", new RetentionDays(7), "2026-11-20", 8,
                List.of("metadata-2026.11.19"), Map.of(), 12);
        assertThat(s).hasToString("retention 7 days of metadata (oldest day kept 2026-11-20): 8 kept, 1 deleted"
                + " [metadata-2026.11.19]");
    }
}
