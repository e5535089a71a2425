package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.netmeta.model.FieldValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The data contract reads a plain number by its magnitude (below 10^11 epoch seconds — Zeek's {@code ts}); the api
 * read every run of digits as epoch milliseconds, so {@code from=1525876221} copied out of the data meant
 * 1970-01-18 and the filter silently kept everything.
 */
class EpochTimeParameterTest {

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

    @Test
    void epochSecondsWithAFractionAndEpochMillisBothWork() {
        assertThat(SearchParametersParser.time(Map.of("from", List.of("1525876221.123456")), "from")).isEqualTo(1_525_876_221_123L);
        assertThat(SearchParametersParser.time(Map.of("from", List.of("99999999999")), "from")).isEqualTo(99_999_999_999_000L);
        assertThat(SearchParametersParser.time(Map.of("from", List.of("100000000000")), "from")).isEqualTo(100_000_000_000L);
        assertThat(SearchParametersParser.time(Map.of("from", List.of("1525876221000")), "from")).isEqualTo(1_525_876_221_000L);
        assertThat(SearchParametersParser.time(Map.of("from", List.of("0")), "from")).isZero();
    }
}
