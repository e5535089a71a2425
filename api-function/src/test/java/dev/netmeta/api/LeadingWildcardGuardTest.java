package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A wildcard term that starts with {@code *} or {@code ?} scans every term of its field: the guard refuses it itself
 * and says what to write instead, rather than passing on OpenSearch's error about Lucene's {@code WildcardQuery}.
 */
class LeadingWildcardGuardTest {

    private static final QueryGuard GUARD = new QueryGuard(4096);

    @Test
    void aLeadingWildcardIsRefusedByTheGuardSayingWhatToWriteInstead() {
        for (String q : List.of("host:*oogle.com", "host:?oogle.com", "*oogle.com", "host:(a OR *b)", "-host:*x",
                "host:**", "google.com OR host : ?x", "?")) {
            assertThatThrownBy(() -> GUARD.guard(q)).as(q)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo("bad_query"))
                    .hasMessageContaining("must start with a literal character")
                    .hasMessageContaining("trailing wildcard such as goog*");
        }
        assertThatThrownBy(() -> GUARD.guard("host:*oogle.com")).hasMessage("the wildcard term *oogle.com must start with"
                + " a literal character: a leading * scans every term of the field, like a regular expression without a"
                + " literal start (e.g. write a trailing wildcard such as goog* or mail.goo?le.com, a regular expression"
                + " with a literal start such as /g.*oogle\\.com/, or the values themselves: google.com OR"
                + " mail.google.com)");
        for (String q : List.of("host:*", "*:*", "*:google.com", "host:goo*", "host:mail.goo?le.com", "host:\\*oogle",
                "host:\"*oogle\"", "dstPort:[* TO 1023]", "dstPort:{1023 TO *]", "host:/goo.*/", "\\*x:y")) {
            assertThat(GUARD.guard(q)).as(q).isEqualTo(q);
        }
    }
}
