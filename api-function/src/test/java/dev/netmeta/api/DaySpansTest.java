package dev.netmeta.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DaySpans}: the days of a column's type as runs of consecutive days, bounded, and how a message says them. */
class DaySpansTest {

    private static List<LocalDate> days(String... isoDates) {
        List<LocalDate> out = new ArrayList<>();
        for (String d : isoDates) {
            out.add(LocalDate.parse(d));
        }
        return out;
    }

    @Test
    void oneDayOrOneRunNamesItAndTheFromToThatSearchesIt() {
        assertThat(DaySpans.of(days("2018-05-08")).describe()).isEqualTo("2018-05-08: from=2018-05-08&to=2018-05-09");
        assertThat(DaySpans.of(days("2018-05-10", "2018-05-08", "2018-05-09", "2018-05-09")).describe())
                .as("any order, a repeat once").isEqualTo("2018-05-08 to 2018-05-10: from=2018-05-08&to=2018-05-11");
        assertThat(DaySpans.of(days("2018-12-31", "2019-01-01")).describe())
                .isEqualTo("2018-12-31 to 2019-01-01: from=2018-12-31&to=2019-01-02");
    }

    @Test
    void severalRunsAreListedAndTheLastOnesFromToGiven() {
        assertThat(DaySpans.of(days("2018-05-01", "2018-05-02", "2018-05-03", "2018-05-08", "2018-06-01")).describe())
                .isEqualTo("2018-05-01 to 2018-05-03, 2018-05-08 and 2018-06-01; the last:"
                        + " from=2018-06-01&to=2018-06-02");
    }

    @Test
    void hundredsOfDaysKeepTheFirstAndLastRunsOnly() {
        List<LocalDate> everyOtherDay = new ArrayList<>();
        for (int i = 0; i < 400; i += 2) {
            everyOtherDay.add(LocalDate.of(2018, 1, 1).plusDays(i));
        }
        DaySpans spans = DaySpans.of(everyOtherDay);
        assertThat(spans.runs()).hasSize(DaySpans.MAX_RUNS);
        assertThat(spans.days()).isEqualTo(200);
        assertThat(spans.unlisted()).isEqualTo(200 - DaySpans.MAX_RUNS);
        assertThat(spans.describe()).isEqualTo("200 days, 2018-01-01, 2018-01-03, 2018-01-05, 2019-01-30, 2019-02-01,"
                + " 2019-02-03 and 194 more not listed; the last: from=2019-02-03&to=2019-02-04");
        // one long run stays one run, however many days
        List<LocalDate> year = new ArrayList<>();
        for (int i = 0; i < 365; i++) {
            year.add(LocalDate.of(2018, 1, 1).plusDays(i));
        }
        assertThat(DaySpans.of(year).describe()).isEqualTo("2018-01-01 to 2018-12-31: from=2018-01-01&to=2019-01-01");
    }

    @Test
    void theDaysOfSeveralTextTypesAreJoined() {
        DaySpans keyword = DaySpans.of(days("2018-05-01", "2018-05-02"));
        DaySpans text = DaySpans.of(days("2018-05-03", "2018-05-09"));
        assertThat(DaySpans.union(List.of(keyword, text)).describe()).isEqualTo("2018-05-01 to 2018-05-03 and"
                + " 2018-05-09; the last: from=2018-05-09&to=2018-05-10");
        assertThat(DaySpans.union(List.of()).isEmpty()).isTrue();
    }
}
