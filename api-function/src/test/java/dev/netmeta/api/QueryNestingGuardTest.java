package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Deeply nested groups cost OpenSearch time that grows faster than the query's length and is paid again on every
 * shard — one per daily index — before the search {@code timeout} applies (it bounds collecting hits, not parsing
 * and rewriting). Measured on the embedded node (2 cores, busy): {@code +(+(…a…))} 1,360 deep (4,081 characters,
 * within MAX_QUERY_LENGTH) took 127–166 ms on one daily index and 1.7–1.9 s on 30, against ~30 ms for an ordinary
 * query over the same 30 — a year of daily indices makes one request cost the domain tens of CPU seconds, and the
 * usage plan allows 20 requests a second per key. No real query nests groups more than a few levels: more than
 * {@value QueryGuard#MAX_GROUP_DEPTH} is a 400.
 */
class QueryNestingGuardTest {

    private final QueryGuard guard = new QueryGuard(4096);

    private static String nested(String open, int depth) {
        return open.repeat(depth) + "a" + ")".repeat(depth);
    }

    @Test
    void groupsNestedDeeperThanTheLimitAreRefused() {
        for (String open : new String[]{"+(", "(", "host:(", "NOT (", "-("}) {
            String q = nested(open, QueryGuard.MAX_GROUP_DEPTH + 1);
            assertThatThrownBy(() -> guard.guard(q)).as(open).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.code()).isEqualTo("bad_query");
                assertThat(e.getMessage()).contains("nests groups " + (QueryGuard.MAX_GROUP_DEPTH + 1) + " deep")
                        .contains("at most " + QueryGuard.MAX_GROUP_DEPTH);
            });
        }
        String deep = nested("+(", 1360);
        assertThatThrownBy(() -> guard.guard(deep)).isInstanceOf(ApiException.class);
        String withRegexp = nested("+(", QueryGuard.MAX_GROUP_DEPTH + 1).replace("a", "host:/goo.*/");
        assertThatThrownBy(() -> guard.guard(withRegexp)).isInstanceOf(ApiException.class);
    }

    @Test
    void groupsUpToTheLimitAndParenthesesThatAreNoGroupsPass() {
        String atLimit = nested("+(", QueryGuard.MAX_GROUP_DEPTH);
        assertThat(guard.guard(atLimit)).isEqualTo(atLimit);
        String siblings = "(a) OR ".repeat(100) + "(b)"; // many groups, none nested
        assertThat(guard.guard(siblings)).isEqualTo(siblings);
        String phrase = "host:\"" + "(".repeat(100) + "\""; // inside a phrase, an escape, a regular expression
        assertThat(guard.guard(phrase)).isEqualTo(phrase);
        String escaped = "host:" + "\\(".repeat(100) + "a";
        assertThat(guard.guard(escaped)).isEqualTo(escaped);
        String regexp = "host:/a" + "(b".repeat(40) + ")".repeat(40) + "/";
        assertThat(guard.guard(regexp)).isEqualTo(regexp);
        String cidr = "srcIp:(" + "+(".repeat(5) + "10.0.0.0/8" + ")".repeat(5) + ")";
        assertThat(guard.guard(cidr)).isEqualTo("srcIp:(" + "+(".repeat(5) + "\"10.0.0.0/8\"" + ")".repeat(5) + ")");
    }
}
