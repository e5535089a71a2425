package dev.netmeta.local.runner.manifest;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An EventBridge rate expression, {@code rate(2 hours)}: value and unit (singular for 1, plural otherwise, as AWS requires). */
public record RateExpression(String text, Duration interval) {

    private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\d+)\\s+([a-zA-Z]+)\\s*\\)");

    public static RateExpression parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty schedule rate: expected e.g. rate(2 hours)");
        }
        String trimmed = text.trim();
        if (trimmed.startsWith("cron(")) {
            // only --sync-rate gets here (the manifest's cron schedules run at start): "use --sync-rate" told the user
            // to give the option they had just given
            throw new IllegalArgumentException("'" + trimmed + "' is a cron expression; the local runner repeats only"
                    + " rate expressions, such as rate(5 minutes) (a cron schedule of the manifest runs at start only)");
        }
        Matcher m = RATE.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + trimmed + "' is not a rate expression: expected rate(<value> <unit>), "
                    + "unit minute(s), hour(s) or day(s), e.g. rate(2 hours)");
        }
        long value = Long.parseLong(m.group(1));
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        if (value <= 0) {
            throw new IllegalArgumentException("'" + trimmed + "': the rate value must be a positive whole number");
        }
        boolean singular = value == 1;
        Duration one = switch (unit) {
            case "minute", "minutes" -> Duration.ofMinutes(1);
            case "hour", "hours" -> Duration.ofHours(1);
            case "day", "days" -> Duration.ofDays(1);
            case "second", "seconds" -> throw new IllegalArgumentException(
                    "'" + trimmed + "': EventBridge rates start at 1 minute (seconds are not allowed)");
            default -> throw new IllegalArgumentException("'" + trimmed + "': unknown unit '" + unit
                    + "' (minute(s), hour(s), day(s))");
        };
        if (singular != !unit.endsWith("s")) {
            throw new IllegalArgumentException("'" + trimmed + "': AWS requires '" + (singular ? unit.replaceAll("s$", "")
                    : unit + "s") + "' for the value " + value);
        }
        return new RateExpression(trimmed, one.multipliedBy(value));
    }

    @Override
    public String toString() {
        return text;
    }
}
