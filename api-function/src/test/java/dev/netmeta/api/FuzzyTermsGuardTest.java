package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Every fuzzy term ({@code gogle.com~}, {@code ~2}; two edits is also what {@code ~} alone gives a term longer than
 * five characters) makes OpenSearch build a Levenshtein automaton on every shard — one per daily index — before the
 * search {@code timeout} applies, whatever the data: ~360 of them fit in the default MAX_QUERY_LENGTH, and such a
 * query took 4.9–7.0 s on 30 daily indices of one document each on the embedded node (2 busy cores), an ordinary
 * query 0.1–0.2 s there; 16 of them 0.5 s, 16 with one edit 0.07 s. {@code fuzzy_prefix_length} keeps each term
 * from walking the whole term dictionary but does not bound how many automata are built. More than
 * {@value QueryGuard#MAX_FUZZY_TERMS} fuzzy terms in one query are a 400.
 */
class FuzzyTermsGuardTest {

    private final QueryGuard guard = new QueryGuard(4096);

    private static String fuzzyTerms(int n, String form) {
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? "" : " OR ").append(String.format(form, i));
        }
        return q.toString();
    }

    @Test
    void moreFuzzyTermsThanTheLimitAreRefused() {
        for (String form : new String[]{"gogle%d.com~", "gogle%d.com~2", "host:gogle%d.com~1", "host:(gogle%d ~)",
                "gogle%d~0.5"}) {
            String q = fuzzyTerms(QueryGuard.MAX_FUZZY_TERMS + 1, form);
            assertThatThrownBy(() -> guard.guard(q)).as(q).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.code()).isEqualTo("bad_query");
                assertThat(e.getMessage()).contains((QueryGuard.MAX_FUZZY_TERMS + 1) + " fuzzy terms")
                        .contains("at most " + QueryGuard.MAX_FUZZY_TERMS);
            });
        }
        String many = fuzzyTerms(360, "g%dxxgle~2");
        assertThatThrownBy(() -> guard.guard(many)).isInstanceOf(ApiException.class);
    }

    @Test
    void fuzzyTermsUpToTheLimitAndTildesThatAreNoFuzzyTermsPass() {
        String atLimit = fuzzyTerms(QueryGuard.MAX_FUZZY_TERMS, "gogle%d.com~");
        assertThat(guard.guard(atLimit)).isEqualTo(atLimit);
        String proximity = fuzzyTerms(40, "\"google %d\"~3"); // a phrase's slop: no automaton
        assertThat(guard.guard(proximity)).isEqualTo(proximity);
        String escaped = fuzzyTerms(40, "a%d\\~b");
        assertThat(guard.guard(escaped)).isEqualTo(escaped);
        String inRegexp = "host:/g" + "~a".repeat(40) + "/";
        assertThat(guard.guard(inRegexp)).isEqualTo(inRegexp);
        String inRange = fuzzyTerms(40, "host:[a%d~ TO b~]");
        assertThat(guard.guard(inRange)).isEqualTo(inRange);
    }
}
