package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Wildcard terms (other than a plain prefix, {@code goo*}) and regular expressions are compiled into automata — on
 * every shard, one per daily index, before the search {@code timeout} applies — and each one walks the terms of its
 * prefix. Measured on the embedded node with 30 daily indices of one document each (an ordinary query 47–48 ms):
 * ~400 terms {@code host:ga*?*?*?*x*} 0.7–1.9 s, ~250 regular expressions {@code host:/g.{0,30}/} 1.0–1.1 s, ~160
 * {@code host:/g.*a.*b.*c.*d.*e/} 0.5–0.75 s; ~500 prefixes {@code host:g0*} 0.08–0.11 s. More than
 * {@value QueryGuard#MAX_PATTERN_TERMS} wildcard or regular-expression terms in one query are a 400.
 */
class PatternTermsGuardTest {

    private final QueryGuard guard = new QueryGuard(4096);

    private static String terms(int n, String form) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? "" : " ").append(String.format(form, i));
        }
        return q.toString();
    }

    @Test
    void moreWildcardOrRegexpTermsThanTheLimitAreRefused() {
        int over = QueryGuard.MAX_PATTERN_TERMS + 1;
        for (String form : new String[]{"host:g%d*x", "host:g%d?", "g%d*x*", "host:/g%d.*/", "host:(g%d*a OR b)"}) {
            String q = terms(over, form);
            assertThatThrownBy(() -> guard.guard(q)).as(q).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.code()).isEqualTo("bad_query");
                assertThat(e.getMessage()).contains(over + " wildcard or regular-expression terms")
                        .contains("at most " + QueryGuard.MAX_PATTERN_TERMS);
            });
        }
        String mixed = terms(QueryGuard.MAX_PATTERN_TERMS, "host:g%d*x") + " host:/g.*/";
        assertThatThrownBy(() -> guard.guard(mixed)).isInstanceOf(ApiException.class);
    }

    @Test
    void prefixesEscapesPhrasesAndTermsUpToTheLimitPass() {
        String atLimit = terms(QueryGuard.MAX_PATTERN_TERMS, "host:g%d*x");
        assertThat(guard.guard(atLimit)).isEqualTo(atLimit);
        String prefixes = terms(200, "host:g%d*"); // a plain prefix: one cheap automaton walk
        assertThat(guard.guard(prefixes)).isEqualTo(prefixes);
        String exists = terms(40, "f%d:*");
        assertThat(guard.guard(exists)).isEqualTo(exists);
        String escaped = terms(40, "a%d\\*b\\?");
        // escaped, they are plain terms: sent with OR between them (QueryGuard.SPACES_AS_OR)
        assertThat(guard.guard(escaped)).isEqualTo(escaped.replace(" ", " OR "));
        String phrases = terms(40, "\"a%d*b?\"");
        assertThat(guard.guard(phrases)).isEqualTo(phrases);
    }
}
