package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.netmeta.model.FieldValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Audit: the data contract reads a plain number by its magnitude (FieldValues.parseTimestamp: below 10^11 epoch
 * seconds — Zeek's {@code ts}), the api reads every run of digits as epoch milliseconds. A researcher who copies a
 * {@code ts} value out of the data ({@code from=1525876221}) gets 1970-01-18T15:51:16.221Z: a filter that silently
 * keeps everything. Either the contract's rule or a 400 for values that cannot be meant as milliseconds (before
 * 1973-03-03, i.e. below 10^11) would avoid the silent wrong range.
 */
class AuditTimeParameterTest {

    @Test
    void aPlainNumberTheDataContractReadsAsEpochSecondsIsNotSilentlyTakenAsMilliseconds() {
        String zeekTs = "1525876221"; // 2018-05-09T14:30:21Z as the loader reads it
        long asTheLoaderReadsIt = FieldValues.parseTimestamp(zeekTs);
        assertThat(asTheLoaderReadsIt).isEqualTo(1_525_876_221_000L);

        Throwable refused = catchThrowable(() -> SearchParametersParser.time(Map.of("from", List.of(zeekTs)), "from"));
        if (refused == null) {
            assertThat(SearchParametersParser.time(Map.of("from", List.of(zeekTs)), "from"))
                    .as("from=%s", zeekTs).isEqualTo(asTheLoaderReadsIt);
        } else {
            assertThat(refused).isInstanceOf(ApiException.class);
        }
    }
}
