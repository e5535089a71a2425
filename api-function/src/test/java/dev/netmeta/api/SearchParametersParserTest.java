package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchParametersParserTest {

    private final SearchParametersParser parser = new SearchParametersParser(100);

    private static Map<String, List<String>> params(String... kv) {
        Map<String, List<String>> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], List.of(kv[i + 1]));
        }
        return m;
    }

    private void assertBadRequest(Map<String, List<String>> params, String code, String messagePart) {
        assertThatThrownBy(() -> parser.parse(params))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).contains(messagePart);
                });
    }

    @Test
    void noParametersMeansAllDocumentsNewestFirstFiftyAtATime() {
        SearchParameters p = parser.parse(null);
        assertThat(p.query()).isEmpty();
        assertThat(p.size()).isEqualTo(50);
        assertThat(p.sort()).containsExactly(new SortField("timestamp", true));
        assertThat(p.fields()).isEmpty();
        assertThat(p.fromMillis()).isNull();
        assertThat(p.toMillis()).isNull();
        assertThat(p.cursor()).isNull();
        assertThat(p.format()).isEqualTo(OutputFormat.JSON);
    }

    @Test
    void readsEveryParameter() {
        SearchParameters p = parser.parse(params("q", " srcIp:127.0.0.1 AND host:google.com ", "from",
                "2018-05-09T10:00:00Z", "to", "1525870800000", "size", "1000", "sort", "bytesOut:asc,timestamp",
                "fields", "srcIp, host", "cursor", "abc.def", "format", "CSV"));
        assertThat(p.query()).isEqualTo("srcIp:127.0.0.1 AND host:google.com");
        assertThat(p.fromMillis()).isEqualTo(1525860000000L);
        assertThat(p.toMillis()).isEqualTo(1525870800000L);
        assertThat(p.size()).isEqualTo(1000);
        assertThat(p.sort()).containsExactly(new SortField("bytesOut", false), new SortField("timestamp", false));
        assertThat(p.fields()).containsExactly("srcIp", "host");
        assertThat(p.cursor()).isEqualTo("abc.def");
        assertThat(p.format()).isEqualTo(OutputFormat.CSV);
    }

    @Test
    void fieldNamesOfAnyScriptAreTheLoadersSafeNames() {
        // the loader keeps letters and digits of any script in a column name: Größe, Durée (s) → Durée__s_, 名前
        for (String column : List.of("Größe", "Durée (s)", "名前", "x".repeat(256))) {
            String field = dev.netmeta.model.Fields.canonicalName(column);
            SearchParameters p = parser.parse(params("sort", field + ":desc", "fields", field + ",Gr*"));
            assertThat(p.sort()).as(column).containsExactly(new SortField(field, true));
            assertThat(p.fields()).as(column).containsExactly(field, "Gr*");
        }
    }

    @Test
    void timesWithoutZoneAreUtcAndDatesAreMidnight() {
        assertThat(parser.parse(params("from", "2018-05-09T10:00:00")).fromMillis()).isEqualTo(1525860000000L);
        assertThat(parser.parse(params("from", "2018-05-09 10:00:00.5")).fromMillis()).isEqualTo(1525860000500L);
        assertThat(parser.parse(params("from", "2018-05-09")).fromMillis()).isEqualTo(1525824000000L);
        assertThat(parser.parse(params("from", "2018-05-09T12:00:00+02:00")).fromMillis()).isEqualTo(1525860000000L);
        // the data contract's ISO-8601 forms, as the loader reads timestamps: compact offsets, minutes only
        assertThat(parser.parse(params("from", "2018-05-09T12:00:00+0200")).fromMillis()).isEqualTo(1525860000000L);
        assertThat(parser.parse(params("from", "2018-05-09T10:00Z")).fromMillis()).isEqualTo(1525860000000L);
        assertThat(parser.parse(params("from", "2018-05-09t10:00:00.250z")).fromMillis()).isEqualTo(1525860000250L);
    }

    @Test
    void unknownParameterIsRefusedByName() {
        assertBadRequest(params("query", "x"), "unknown_parameter", "'query'");
    }

    @Test
    void repeatedParameterIsRefused() {
        assertBadRequest(Map.of("q", List.of("a", "b")), "duplicate_parameter", "'q' is given 2 times");
    }

    @Test
    void sizeOutsideOneToThousandIsRefused() {
        assertBadRequest(params("size", "-1"), "size_out_of_range", "size must be between 1 and 1000, or 0 for the"
                + " count alone (use format=ndjson or csv to export more), not -1");
        assertBadRequest(params("size", "1001"), "size_out_of_range", "format=ndjson or csv");
        assertBadRequest(params("size", "ten"), "invalid_parameter", "whole number");
    }

    @Test
    void aVeryLargeSizeIsOutOfRangeNotAMalformedNumber() {
        assertBadRequest(params("size", "99999999999"), "size_out_of_range", "not 99999999999");
        assertBadRequest(params("size", "-99999999999999999999"), "size_out_of_range", "between 1 and 1000");
        assertBadRequest(params("size", "1e3"), "invalid_parameter", "whole number");
    }

    @Test
    void epochMillisOutsideTheContractsYearsAreAnInvalidTime() {
        assertBadRequest(params("from", "-9223372036854775808"), "invalid_time", "years 0000-9999");
        assertBadRequest(params("to", "253402300800000"), "invalid_time", "years 0000-9999");
        assertThat(parser.parse(params("to", "253402300799999")).toMillis()).isEqualTo(253402300799999L);
        assertThat(parser.parse(params("from", "-62167219200000")).fromMillis()).isEqualTo(-62167219200000L);
    }

    /**
     * An ISO-8601 time whose offset moves it out of the years 0000-9999 UTC was taken (a 200 that could find nothing),
     * while the same instant as epoch millis was a 400: the data contract rejects such a timestamp at load, so no
     * document has it, and docs/API.md says from/to lie within those years.
     */
    @Test
    void anIsoTimeWhoseOffsetLeavesTheContractsYearsIsAnInvalidTime() {
        assertBadRequest(params("from", "9999-12-31T23:00:00-05:00"), "invalid_time", "from must lie in the years"
                + " 0000-9999 (UTC), as every indexed timestamp does; '9999-12-31T23:00:00-05:00' does not");
        assertBadRequest(params("to", "0000-01-01T00:00:00+01:00"), "invalid_time", "years 0000-9999");
        assertThat(parser.parse(params("to", "9999-12-31T23:59:59.999Z")).toMillis()).isEqualTo(253402300799999L);
        assertThat(parser.parse(params("from", "0000-01-01T00:00:00Z")).fromMillis()).isEqualTo(-62167219200000L);
        assertThat(parser.parse(params("from", "9999-12-31T18:59:59.999-05:00")).fromMillis())
                .isEqualTo(253402300799999L);
    }

    /**
     * from=2026-01-01T00:00:00+02:00 typed into a URL arrives as "2026-01-01T00:00:00 02:00" (a '+' in a query string
     * is a space): it got the generic "must be an ISO-8601 time …" text; only date math got the %2B hint.
     */
    @Test
    void anIsoTimeWhoseOffsetLostItsPlusGetsTheEncodingHint() {
        assertBadRequest(params("from", "2026-01-01T00:00:00 02:00"), "invalid_time", "from '2026-01-01T00:00:00"
                + " 02:00' reads as an ISO-8601 time whose offset lost its '+': a '+' in a URL's query string arrives"
                + " as a space: write it as %2B (from=2026-01-01T00:00:00%2B02:00), or let curl encode it (curl -G"
                + " --data-urlencode 'from=2026-01-01T00:00:00+02:00')");
        assertBadRequest(params("to", "2018-05-09 12:00 0200"), "invalid_time", "to=2018-05-09 12:00%2B0200");
        assertBadRequest(params("to", "2018-05-09T12:00:00.5 02"), "invalid_time", "offset lost its '+'");
        // no time with a '+' either: the generic text
        assertBadRequest(params("from", "2026-01-01T00:00:00 99:00"), "invalid_time", "from must be an ISO-8601 time");
        assertBadRequest(params("from", "yesterday 02:00"), "invalid_time", "from must be an ISO-8601 time");
        assertThat(parser.parse(params("from", "2018-05-09 10:00")).fromMillis()).isEqualTo(1525860000000L);
    }

    @Test
    void aNegativeEpochNumberIsReadLikeAPositiveOneSecondsBelowTenToTheEleven() {
        // from=-86400 means a day before 1970 in seconds, as from=86400 means a day after it
        assertThat(parser.parse(params("from", "-86400")).fromMillis()).isEqualTo(-86_400_000L);
        assertThat(parser.parse(params("from", "-62167219200")).fromMillis()).isEqualTo(-62_167_219_200_000L);
        assertBadRequest(params("from", "-62167219201"), "invalid_time", "years 0000-9999");
        assertThat(parser.parse(params("from", "-100000000000")).fromMillis()).isEqualTo(-100_000_000_000L);
        // with a fraction too, as API.md says of every epoch-seconds number
        assertThat(parser.parse(params("from", "-86400.5")).fromMillis()).isEqualTo(-86_400_500L);
        assertThat(parser.parse(params("from", "-1.0009999")).fromMillis()).isEqualTo(-1_000L);
        assertBadRequest(params("from", "-62167219201.5"), "invalid_time", "years 0000-9999");
        assertBadRequest(params("from", "-1."), "invalid_time", "ISO-8601");
    }

    /** size=0 was "size must be between 1 and 1000": a count had to page through everything. */
    @Test
    void sizeZeroIsACountInJsonWithoutACursor() {
        assertThat(parser.parse(params("size", "0")).size()).isZero();
        assertThat(parser.parse(params("size", "0", "format", "json")).size()).isZero();
        assertBadRequest(params("size", "0", "format", "csv"), "size_out_of_range", "size must be between 1 and"
                + " 100000 for an export (size=0, a count without hits, is answered in JSON: leave out format), not 0");
        assertBadRequest(params("size", "0", "format", "ndjson"), "size_out_of_range", "answered in JSON");
        assertBadRequest(params("size", "0", "cursor", "abc.def"), "invalid_parameter", "size=0 counts every"
                + " document of the search and takes no cursor");
    }

    @Test
    void exportsAllowLargerSizes() {
        assertThat(parser.parse(params("format", "ndjson")).size()).isEqualTo(10_000);
        assertThat(parser.parse(params("format", "csv", "size", "100000")).size()).isEqualTo(100_000);
        assertBadRequest(params("format", "csv", "size", "100001"), "size_out_of_range", "for an export");
    }

    @Test
    void badTimesAndEmptyRangesAreRefused() {
        assertBadRequest(params("from", "yesterday"), "invalid_time", "from must be an ISO-8601 time");
        assertBadRequest(params("to", "2018-13-01T00:00:00Z"), "invalid_time", "to must be");
        assertBadRequest(params("to", "2018-02-30T00:00:00Z"), "invalid_time", "to must be");
        assertBadRequest(params("from", "2018-05-09T25:00:00Z"), "invalid_time", "from must be");
        assertBadRequest(params("from", "2018-05-10T00:00:00Z", "to", "2018-05-09T00:00:00Z"), "invalid_range",
                "must be earlier than to");
        assertBadRequest(params("from", "1000", "to", "1000"), "invalid_range", "earlier");
    }

    @Test
    void blanksAroundASortKeysFieldAndDirectionAreNoPartOfThem() {
        // sort=timestamp: desc was "sort order must be asc or desc, not ' desc'", sort= timestamp :desc "'timestamp
        // :desc' is not a valid field name"
        assertThat(parser.parse(params("sort", "timestamp: desc")).sort()).containsExactly(new SortField("timestamp", true));
        assertThat(parser.parse(params("sort", " timestamp :desc , bytesIn\t:\tASC ")).sort())
                .containsExactly(new SortField("timestamp", true), new SortField("bytesIn", false));
        assertBadRequest(params("sort", "timestamp: up"), "invalid_sort", "not 'up' in 'timestamp: up'");
        assertBadRequest(params("sort", "Flow Duration:desc"), "invalid_sort", "not a valid field name");
    }

    @Test
    void badSortsAreRefused() {
        assertBadRequest(params("sort", "timestamp:up"), "invalid_sort", "asc or desc");
        assertBadRequest(params("sort", "a.b"), "invalid_sort", "not a valid field name");
        assertBadRequest(params("sort", "x".repeat(257)), "invalid_sort", "not a valid field name");
        assertBadRequest(params("sort", "_id"), "invalid_sort", "not a valid field name");
        assertBadRequest(params("sort", "a,b,c,d"), "invalid_sort", "at most 3");
        assertBadRequest(params("sort", "a,a:desc"), "invalid_sort", "twice");
        assertBadRequest(params("sort", "a,"), "invalid_sort", "not a valid field name");
    }

    /**
     * {@code sort=-timestamp}, the descending sort of other search APIs: the answer says to write {@code timestamp:desc}
     * (it suggested 'timestamp', the column the loader would make of '-timestamp', leaving the direction unsaid).
     */
    @Test
    void aSignBeforeASortKeySaysToWriteTheDirection() {
        assertBadRequest(params("sort", "-timestamp"), "invalid_sort", "'-timestamp' is not a valid field name: a sign"
                + " does not give the direction here, write timestamp:desc to sort by timestamp in descending order");
        assertBadRequest(params("sort", "host, +bytesIn"), "invalid_sort", "'+bytesIn' is not a valid field name: a"
                + " sign does not give the direction here, write bytesIn:asc to sort by bytesIn in ascending order");
        assertThatThrownBy(() -> parser.parse(params("sort", "-timestamp:desc"))).isInstanceOf(
                SearchParametersParser.InvalidFieldName.class); // with a direction: the field name is what is wrong
        assertThatThrownBy(() -> parser.parse(params("sort", "-"))).isInstanceOf(
                SearchParametersParser.InvalidFieldName.class);
    }

    @Test
    void badFieldsAndFormatsAreRefused() {
        assertBadRequest(params("fields", "srcIp,_source"), "invalid_fields", "'_source'");
        assertBadRequest(params("format", "xml"), "invalid_parameter", "json, ndjson or csv");
    }

    @Test
    void tooLongQueryIsRefused() {
        assertBadRequest(params("q", "a".repeat(101)), "query_too_long", "maximum is 100");
        // characters, not UTF-16 units: 100 emoji (200 units) fit, 101 do not
        String emoji = "\uD83D\uDE00";
        assertThat(parser.parse(params("q", "note:" + emoji.repeat(95))).query()).hasSize(5 + 190);
        assertBadRequest(params("q", "note:" + emoji.repeat(96)), "query_too_long", "q is 101 characters long");
    }

    @Test
    void emptyQueryAndCursorMeanNone() {
        SearchParameters p = parser.parse(params("q", "  ", "cursor", ""));
        assertThat(p.query()).isEmpty();
        assertThat(p.cursor()).isNull();
    }
}
