package dev.netmeta.local.runner.manifest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RuleMatchingTest {

    @Test
    void prefixAndSuffixMustBothMatch() {
        S3Trigger t = new S3Trigger("b", "s3:ObjectCreated:*", "raw/", ".csv.gz");
        assertThat(t.matches("raw/2018/a.csv.gz")).isTrue();
        assertThat(t.matches("raw/a.tsv.gz")).isFalse();
        assertThat(t.matches("reports/raw/a.csv.gz")).isFalse();
        assertThat(t.matches("RAW/a.csv.gz")).as("S3 rules are case-sensitive").isFalse();
    }

    @Test
    void absentRulesMatchEverything() {
        assertThat(new S3Trigger("b", null, "raw/", null).matches("raw/x")).isTrue();
        assertThat(new S3Trigger("b", null, null, ".gz").matches("any/where.gz")).isTrue();
        assertThat(new S3Trigger("b", null, null, null).matches("x")).isTrue();
    }

    @Test
    void onlyObjectCreatedEventsFireForNewObjects() {
        assertThat(new S3Trigger("b", "s3:ObjectCreated:Put", null, null).onObjectCreated()).isTrue();
        assertThat(new S3Trigger("b", "s3:ObjectRemoved:*", null, null).onObjectCreated()).isFalse();
    }

    @Test
    void httpRoutesMatchPathAndMethod() {
        HttpRoute route = new HttpRoute("get", "metadata/search", false, false);
        assertThat(route.resource()).isEqualTo("/metadata/search");
        assertThat(route.match("/metadata/search")).isEmpty();
        assertThat(route.match("/metadata/search/")).isEmpty();
        assertThat(route.match("/metadata/searches")).isNull();
        assertThat(route.match("/metadata")).isNull();
        assertThat(route.methodMatches("GET")).isTrue();
        assertThat(route.methodMatches("POST")).isFalse();
        HttpRoute greedy = new HttpRoute("ANY", "/files/{proxy+}", false, false);
        assertThat(greedy.match("/files/a/b/c")).containsEntry("proxy", "a/b/c");
        assertThat(greedy.methodMatches("DELETE")).isTrue();
    }
}
