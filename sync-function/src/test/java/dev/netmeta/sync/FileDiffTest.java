package dev.netmeta.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileDiffTest {

    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final Instant OLD = NOW.minusSeconds(3600);

    private static FileDiff.Result diff(List<RemoteFile> remote, Map<String, Long> existing) {
        return FileDiff.compute(remote, existing, p -> "raw/" + p, NOW, Duration.ofSeconds(120));
    }

    @Test
    void absentKeyIsCopied() {
        FileDiff.Result r = diff(List.of(new RemoteFile("a.csv.gz", 10, OLD)), Map.of());
        assertThat(r.toCopy()).extracting(RemoteFile::path).containsExactly("a.csv.gz");
        assertThat(r.candidates()).isEqualTo(1);
    }

    @Test
    void sameSizeUnderTheKeyIsPresent() {
        FileDiff.Result r = diff(List.of(new RemoteFile("d/a.csv.gz", 10, OLD)), Map.of("raw/d/a.csv.gz", 10L));
        assertThat(r.toCopy()).isEmpty();
        assertThat(r.present()).hasSize(1);
        assertThat(r.candidates()).isZero();
    }

    @Test
    void otherSizeIsCopiedAgain() {
        FileDiff.Result r = diff(List.of(new RemoteFile("a.csv.gz", 11, OLD)), Map.of("raw/a.csv.gz", 10L));
        assertThat(r.toCopy()).hasSize(1);
    }

    @Test
    void keyWithoutPrefixDoesNotCount() {
        FileDiff.Result r = diff(List.of(new RemoteFile("a.csv.gz", 10, OLD)), Map.of("a.csv.gz", 10L));
        assertThat(r.toCopy()).hasSize(1);
    }

    @Test
    void fileYoungerThanMinimumAgeIsHeldBack() {
        RemoteFile young = new RemoteFile("young.csv.gz", 10, NOW.minusSeconds(119));
        RemoteFile justOldEnough = new RemoteFile("old.csv.gz", 10, NOW.minusSeconds(120));
        FileDiff.Result r = diff(List.of(young, justOldEnough), Map.of());
        assertThat(r.tooYoung()).containsExactly(young);
        assertThat(r.toCopy()).containsExactly(justOldEnough);
        assertThat(r.candidates()).isEqualTo(2);
    }

    @Test
    void youngFileAlreadyPresentWithSameSizeIsPresentNotUnstable() {
        RemoteFile young = new RemoteFile("young.csv.gz", 10, NOW);
        FileDiff.Result r = diff(List.of(young), Map.of("raw/young.csv.gz", 10L));
        assertThat(r.present()).containsExactly(young);
        assertThat(r.tooYoung()).isEmpty();
    }

    @Test
    void aBucketListingStoppedByTheClockDecidesOnlyTheKeysItReached() {
        List<RemoteFile> remote = List.of(new RemoteFile("a.csv.gz", 10, OLD), new RemoteFile("b.csv.gz", 10, OLD),
                new RemoteFile("c.csv.gz", 10, OLD), new RemoteFile("d.csv.gz", 10, OLD));
        // listing stopped after raw/b.csv.gz: a is known absent, b present, c and d unknown
        KeySizes stopped = new KeySizes(Map.of("raw/b.csv.gz", 10L), false, "raw/b.csv.gz");

        FileDiff.Result r = FileDiff.compute(remote, stopped, p -> "raw/" + p, NOW, Duration.ofSeconds(120));

        assertThat(r.toCopy()).extracting(RemoteFile::path).containsExactly("a.csv.gz");
        assertThat(r.present()).extracting(RemoteFile::path).containsExactly("b.csv.gz");
        assertThat(r.notListed()).extracting(RemoteFile::path).containsExactly("c.csv.gz", "d.csv.gz");
        assertThat(r.candidates()).isEqualTo(1);
    }

    @Test
    void aFileToCopyWithoutSizeOrTimeIsNeitherCopiedNorHeldBackAsYoung() {
        RemoteFile noTime = new RemoteFile("no-time.csv.gz", 10, null);
        RemoteFile noSize = new RemoteFile("no-size.csv.gz", -1, OLD);
        RemoteFile noTimeButCopied = new RemoteFile("copied.csv.gz", 10, null);

        FileDiff.Result r = diff(List.of(noTime, noSize, noTimeButCopied), Map.of("raw/copied.csv.gz", 10L));

        assertThat(r.unknownSizeOrTime()).containsExactly(noTime, noSize);
        assertThat(r.present()).as("the size alone says it is in the bucket").containsExactly(noTimeButCopied);
        assertThat(r.toCopy()).isEmpty();
        assertThat(r.tooYoung()).isEmpty();
        assertThat(r.candidates()).isEqualTo(2);
    }
}
