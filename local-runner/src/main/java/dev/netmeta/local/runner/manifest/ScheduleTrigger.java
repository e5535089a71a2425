package dev.netmeta.local.runner.manifest;

/**
 * A {@code schedule} event: its rate ({@code null} for a {@code cron(...)} expression, which the runner runs at start
 * only) and, when the manifest gives one, the constant {@code input} that EventBridge delivers instead of the
 * scheduled event (JSON text, or {@code null}).
 */
public record ScheduleTrigger(RateExpression rate, boolean enabled, String input) {
}
