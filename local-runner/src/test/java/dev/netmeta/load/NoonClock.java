package dev.netmeta.load;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A real clock (it ticks) set to noon (UTC) of a given day: a test that reads today's date once and hands the load or
 * the retention this clock sees the same day in the code, whenever it runs — with the system clock a midnight between
 * the test's "today" and the code's moved the oldest day kept by one and failed the counts.
 */
final class NoonClock {

    private NoonClock() {
    }

    static Clock of(LocalDate day) {
        Instant noon = day.atTime(12, 0).toInstant(ZoneOffset.UTC);
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), noon));
    }
}
