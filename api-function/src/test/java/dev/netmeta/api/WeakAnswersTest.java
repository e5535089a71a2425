package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Queries that answered 0 hits silently or a refusal that named neither the field nor the fix: a reversed range
 * ({@link ReversedRanges}), a fraction or reversed range on an extra whole-number column ({@link ExtraColumnValues}),
 * the engine's "'OK' is not a number" without its field ({@link ValueRefusals#onField}) or on a field name pattern
 * ({@link ValueRefusals#onPattern}), and a comparison whose time has a colon ({@code timestamp:>2018-05-09T10:00}).
 * SearchApiQueryMistakesIT shows the same against OpenSearch.
 */
class WeakAnswersTest {

    private final QueryGuard guard = new QueryGuard(4096);

    @Test
    void aReversedRangeOnAContractFieldIsA400ShowingItTheOtherWayRound() {
        assertThatThrownBy(() -> guard.check("dstPort:[443 TO 80]")).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo("bad_query");
            assertThat(e.getMessage()).isEqualTo("q has the range dstPort:[443 TO 80], and its lower bound is above"
                    + " its upper bound, so it matches nothing (a range goes from the lower bound to the upper one)."
                    + " Write it the other way round: dstPort:[80 TO 443]");
        });
        assertThatThrownBy(() -> guard.check("srcIp:[10.0.0.255 TO 10.0.0.1]")).hasMessageContaining("its first"
                + " address is above its last").hasMessageEndingWith("srcIp:[10.0.0.1 TO 10.0.0.255]");
        assertThatThrownBy(() -> guard.check("srcIp:[\"2001:db8::ff\" TO \"2001:db8::1\"]"))
                .hasMessageEndingWith("srcIp:[2001:db8::1 TO 2001:db8::ff]");
        assertThatThrownBy(() -> guard.check("timestamp:[2018-05-10 TO 2018-05-09]")).hasMessageContaining("its first"
                + " time is after its last").hasMessageEndingWith("timestamp:[2018-05-09 TO 2018-05-10]");
        assertThatThrownBy(() -> guard.check("host:x OR bytesOut:{1000 TO 10]")).as("brackets mirrored")
                .hasMessageEndingWith("bytesOut:[10 TO 1000}");
        assertThatThrownBy(() -> guard.check("dstPort:([443 TO 80] OR 53)")).hasMessageEndingWith("dstPort:[80 TO 443]");
        assertThatThrownBy(() -> guard.check("timestamp:[2018-05-09T12:00Z TO 2018-05-09T11:00:00+00:00]"))
                .hasMessageContaining("after its last");
    }

    /**
     * Epoch milliseconds (10 to 18 digits: fewer may read as a year) and an IPv4 address against an IPv6 one were left
     * to the engine, which answers them with 0 hits like any reversed range: their order is sure too (the engine orders
     * IPv4 as IPv4-mapped IPv6), and the message says what the bounds stand for.
     */
    @Test
    void aReversedRangeInEpochMillisOrAcrossAddressFamiliesIsA400Too() {
        assertThatThrownBy(() -> guard.check("timestamp:[1700000000000 TO 1600000000000]")).hasMessage("q has the range"
                + " timestamp:[1700000000000 TO 1600000000000], and its first time is after its last"
                + " (2023-11-14T22:13:20Z TO 2020-09-13T12:26:40Z in UTC), so it matches nothing (a range goes from the"
                + " lower bound to the upper one). Write it the other way round: timestamp:[1600000000000 TO"
                + " 1700000000000]");
        assertThatThrownBy(() -> guard.check("timestamp:{1525910400000 TO 2018-05-09]")).hasMessageContaining("(2018-05-10T00:00:00Z"
                + " TO 2018-05-09 in UTC)").hasMessageEndingWith("timestamp:[2018-05-09 TO 1525910400000}");
        assertThatThrownBy(() -> guard.check("timestamp:[2018-05-10 TO 1525824000000]")).hasMessageEndingWith(
                "timestamp:[1525824000000 TO 2018-05-10]");
        assertThatThrownBy(() -> guard.check("srcIp:[10.0.0.1 TO ::1]")).hasMessage("q has the range srcIp:[10.0.0.1"
                + " TO ::1], and its first address is above its last (the search engine orders an IPv4 address as its"
                + " IPv4-mapped IPv6 address, 10.0.0.1 as ::ffff:10.0.0.1: after ::1, before 2001:db8::), so it matches"
                + " nothing (a range goes from the lower bound to the upper one). Write it the other way round:"
                + " srcIp:[::1 TO 10.0.0.1]");
        assertThatThrownBy(() -> guard.check("dstIp:[\"2001:db8::1\" TO 10.0.0.1]")).hasMessageContaining("10.0.0.1 as"
                + " ::ffff:10.0.0.1").hasMessageEndingWith("dstIp:[10.0.0.1 TO 2001:db8::1]");
        assertThatThrownBy(() -> guard.check("srcIp:[::ffff:10.0.0.3 TO 10.0.0.1]")).as("a mapped address is the IPv4 one")
                .hasMessageEndingWith("srcIp:[10.0.0.1 TO ::ffff:10.0.0.3]");
        assertThat(ReversedRanges.sortKey("10.0.0.1")).isEqualTo(ReversedRanges.sortKey("::ffff:10.0.0.1"));
        // the families are the addresses', not their spelling's: two IPv4 addresses, one written IPv4-mapped, get no
        // note on address families; a mapped one against an IPv6 address is named as the IPv4 address it is
        assertThatThrownBy(() -> guard.check("srcIp:[::ffff:10.0.0.5 TO 10.0.0.1]")).hasMessage("q has the range"
                + " srcIp:[::ffff:10.0.0.5 TO 10.0.0.1], and its first address is above its last, so it matches nothing"
                + " (a range goes from the lower bound to the upper one). Write it the other way round: srcIp:[10.0.0.1"
                + " TO ::ffff:10.0.0.5]");
        assertThatThrownBy(() -> guard.check("srcIp:[\"2001:db8::1\" TO \"::ffff:10.0.0.5\"]")).hasMessageContaining(
                "IPv4-mapped IPv6 address, 10.0.0.5 as ::ffff:10.0.0.5: after ::1");
        assertThat(ReversedRanges.epochMillis("123456789")).as("9 digits may be a year").isNull();
        assertThat(ReversedRanges.epochMillis("1525910400000")).isEqualTo(1525910400000L);
    }

    @Test
    void rangesWhoseOrderIsNotSureAreLeftToTheEngine() {
        for (String q : List.of("dstPort:[80 TO 443]", "dstPort:[443 TO *]", "dstPort:[* TO 80]", "dstPort:{5 TO 5}",
                "dstPort:[5 TO 5]", "srcIp:[::1 TO 10.0.0.1]", "srcIp:[10.0.0.1 TO 2001:db8::1]",
                "srcIp:[10.0.0.1 TO ::ffff:10.0.0.1]", "timestamp:[now TO now-1d]",
                "timestamp:[2018-05-09T10:00 TO 2018-05-09]", "timestamp:[2018-05-09T10 TO 2018-05-09T10:30]",
                "timestamp:[1525824000000 TO 1525910400000]", "timestamp:[1525910400000 TO now]",
                "timestamp:[1525910400000 TO 2019]", "timestamp:[123456789 TO 12345]", "timestamp:[-1 TO -2]",
                "timestamp:[1525910400000.5 TO 1525824000000]", "timestamp:[1525824000000 TO 2018-05-09]",
                "timestamp:[2018-05-10||-1d TO 2018-05-09]", "timestamp:[2018-05-09T12:00+02:00 TO 2018-05-09T11:00Z]",
                "host:[z TO a]", "[9 TO 1]", "bytesOut:[NaN TO 1]")) {
            assertThatCode(() -> guard.check(q)).as(q).doesNotThrowAnyException();
        }
    }

    @Test
    void fractionsAndReversedRangesOnExtraColumnsAreCollectedForTheirTypes() {
        assertThat(guard.check("Flow_Duration:1.5").extraValues())
                .containsExactly(new ExtraColumnValues.Value("Flow_Duration", "1.5", null));
        assertThat(guard.check("Flow_Duration:(\"2.25\" OR 3)").extraValues())
                .containsExactly(new ExtraColumnValues.Value("Flow_Duration", "2.25", null));
        assertThat(guard.check("Flow_Duration:[100 TO 5]").extraValues()).singleElement()
                .satisfies(v -> assertThat(v.reversedRange()).endsWith("Flow_Duration:[5 TO 100]"));
        for (String q : List.of("Flow_Duration:2", "Flow_Duration:2.0", "Flow_Duration:>1.5", "Flow_Duration:1.5~",
                "Flow_Duration:[5 TO 100]", "host:1.5", "dstPort:[1 TO 2] AND rtt:[0.1 TO 0.2]", "1.5", "_id:1.5",
                "Flow_Duration:10.0.0.1")) {
            assertThat(guard.check(q).extraValues()).as(q).isEmpty();
        }
    }

    @Test
    void aFractionOnAWholeNumberColumnIsA400AndOnADecimalOrTextColumnIsNot() {
        SearchBackend backend = backend(Map.of("Flow_Duration", Set.of("long"), "rtt", Set.of("double"),
                "mixed", Set.of("long", "keyword")));
        assertThatThrownBy(() -> ExtraColumnValues.refuse(backend, guard.check("Flow_Duration:1.5").extraValues()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("bad_query");
                    assertThat(e.getMessage()).isEqualTo("Flow_Duration is a long field in every daily index: '1.5' is"
                            + " not a whole number, so it would match nothing (every Flow_Duration is one). Search a"
                            + " whole number (Flow_Duration:1) or a range (Flow_Duration:[1 TO 2])");
                });
        assertThatThrownBy(() -> ExtraColumnValues.refuse(backend, guard.check("rtt:[0.5 TO 0.1]").extraValues()))
                .hasMessageEndingWith("rtt:[0.1 TO 0.5]");
        for (String q : List.of("rtt:1.5", "mixed:1.5", "mixed:[9 TO 1]", "unknown:1.5")) {
            assertThatCode(() -> ExtraColumnValues.refuse(backend, guard.check(q).extraValues())).as(q)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void theEngineRefusalOfAValueNamesTheFieldAndWhatItTakes() {
        SearchService service = new SearchService(backend(Map.of("status", Set.of("long"), "qtype", Set.of("long"),
                "seen", Set.of("date"))), new ObjectMapper(), 10_000);
        assertThat(valueMessage(service, "status:\"OK\"", List.of("status"), "'OK' is not a number")).isEqualTo("status"
                + " is a long field in every daily index: 'OK' is not a number. Search a number (status:5) or a range"
                + " (status:[1 TO 1023])");
        assertThat(valueMessage(service, "qtype:A AND host:x", List.of("qtype"), "'A' is not a number"))
                .startsWith("qtype is a long field in every daily index: 'A'");
        assertThat(valueMessage(service, "srcIp:abc", List.of(), "'abc' is not an IP string literal")).isEqualTo(
                "srcIp is an IP field: 'abc' is not an IP address. Search an address (srcIp:10.0.0.1,"
                        + " srcIp:\"2001:db8::1\") or a CIDR block (srcIp:10.0.0.0/8)");
        assertThat(valueMessage(service, "timestamp:abc", List.of(), "failed to parse date field [abc] with format"
                + " [strict_date_optional_time||epoch_millis]: Failed to parse with all enclosed parsers"))
                .startsWith("timestamp is a date field: 'abc' is not a time it reads.")
                .endsWith(", or give the from and to parameters");
        assertThat(valueMessage(service, "status:OK AND qtype:OK", List.of("status", "qtype"), "'OK' is not a number"))
                .as("two number fields get the value: not guessed").isEqualTo("'OK' is not a number");
        assertThat(valueMessage(service, "host:OK", List.of(), "'OK' is not a number")).isEqualTo("'OK' is not a number");
        assertThat(valueMessage(service, "timestamp:>\"2018-05-09T10:00\"", List.of(), "failed to parse date field [>]"
                + " with format [strict_date_optional_time||epoch_millis]")).startsWith("q has timestamp:> before a"
                + " quoted value: Lucene takes no quotes after > and reads '>' alone as the value of timestamp")
                .endsWith("(timestamp:>2018-05-09T10\\:00), or a range, whose bounds may have colons"
                        + " (timestamp:{2018-05-09T10:00 TO *])");
    }

    /** The examples fit the column's type: fractions for a decimal column, bounds within a byte's range. */
    @Test
    void theEngineRefusalOfAValueOnAnExtraColumnShowsValuesOfItsType() {
        SearchService service = new SearchService(backend(Map.of("rtt", Set.of("double"), "ttl", Set.of("byte"),
                "mixed", Set.of("long", "double"))), new ObjectMapper(), 10_000);
        assertThat(valueMessage(service, "rtt:abc", List.of("rtt"), "'abc' is not a number")).isEqualTo("rtt is a double"
                + " field in every daily index: 'abc' is not a number. Search a number (rtt:0.5) or a range"
                + " (rtt:[0.1 TO 0.5])");
        assertThat(valueMessage(service, "ttl:abc", List.of("ttl"), "'abc' is not a number")).endsWith("Search a number"
                + " (ttl:5) or a range (ttl:[1 TO 100])");
        assertThat(valueMessage(service, "mixed:abc", List.of("mixed"), "'abc' is not a number")).isEqualTo("mixed is a"
                + " number field in every daily index: 'abc' is not a number. Search a number (mixed:5) or a range"
                + " (mixed:[1 TO 1023])");
        assertThat(valueMessage(service, "dstPort:>abc", List.of(), "'abc' is not a number")).isEqualTo("dstPort is an"
                + " integer field: 'abc' is not a number. Search a number (dstPort:5) or a range (dstPort:[1 TO 1023])");
    }

    @Test
    void aFieldPatternWhoseValueAFieldItMatchesRefusesIsNamed() {
        assertThat(ValueRefusals.onPattern("'53' is not an IP string literal", "dst\\*:53")).isEqualTo("q's field"
                + " pattern dst* searches '53' on every field it matches, and dstIp, an IP field, takes no such value,"
                + " so the search engine refuses the whole query ('53' is not an IP string literal). Name the field"
                + " meant instead of the pattern (dstPort:53)");
        assertThat(ValueRefusals.onPattern(OpenSearchErrors.clean("multiple points"), "dst\\*:10.0.0.1"))
                .contains("dstPort, a number field, takes no such value").contains("('10.0.0.1' has several dots)")
                .endsWith("(dstIp:10.0.0.1)");
        assertThat(ValueRefusals.onPattern(OpenSearchErrors.clean("multiple points"), "dst\\*:\"10.0.0.0/8\""))
                .endsWith("(dstIp:\"10.0.0.0/8\")");
        assertThat(ValueRefusals.onPattern("'google.com' is not a number", "*:google.com")).contains("and srcPort,"
                + " dstPort, bytesOut, bytesIn, number fields, take no such value").endsWith("(host:google.com)");
        assertThat(ValueRefusals.onPattern("'53' is not an IP string literal", "dstPort:53 AND srcIp:53")).isNull();
    }

    @Test
    void aComparisonWithAColonInItsTimeIsAdvisedAnEscapeOrARangeNotQuotes() {
        assertThatThrownBy(() -> guard.check("timestamp:>2018-05-09T10:00")).hasMessage("q has a second colon at"
                + " position 25: Lucene reads timestamp:>2018-05-09T10 as the field timestamp and its value"
                + " >2018-05-09T10, and a colon after the value does not parse. To compare timestamp with 2018-05-09T10:00,"
                + " escape the colons (timestamp:>2018-05-09T10\\:00) or write a range, whose bounds may have colons"
                + " (timestamp:{2018-05-09T10:00 TO *]); quotes do not work after >");
        assertThatThrownBy(() -> guard.check("timestamp:<=2018-05-09T10:00:30")).hasMessageContaining(
                "(timestamp:<=2018-05-09T10\\:00\\:30)").hasMessageContaining("(timestamp:[* TO 2018-05-09T10:00:30])");
    }

    private static String valueMessage(SearchService service, String q, List<String> fields, String reason) {
        SearchParameters p = new SearchParameters(q, null, null, 50, SearchParametersParser.DEFAULT_SORT, List.of(),
                null, OutputFormat.JSON, fields, List.of());
        return service.withValueField(new SearchBackendException(SearchBackendException.Kind.BAD_QUERY, reason), p)
                .getMessage();
    }

    private static SearchBackend backend(Map<String, Set<String>> types) {
        return new SearchBackend() {
            @Override
            public SearchPage search(BackendQuery query) {
                throw new AssertionError("not searched here");
            }

            @Override
            public Map<String, Set<String>> fieldTypes(List<String> names) {
                Map<String, Set<String>> out = new java.util.HashMap<>();
                new ArrayList<>(names).forEach(n -> {
                    if (types.containsKey(n)) {
                        out.put(n, types.get(n));
                    }
                });
                return out;
            }

            @Override
            public int tiebreakerValues() {
                return 1;
            }
        };
    }
}
