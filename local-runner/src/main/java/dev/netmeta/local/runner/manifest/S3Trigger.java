package dev.netmeta.local.runner.manifest;

/**
 * An {@code s3} event of a function: bucket, event type and the notification filter (one prefix rule, one suffix rule,
 * as S3 allows). A key matches when it starts with the prefix and ends with the suffix (absent rules match anything).
 */
public record S3Trigger(String bucket, String event, String prefix, String suffix) {

    public boolean matches(String key) {
        return (prefix == null || key.startsWith(prefix)) && (suffix == null || key.endsWith(suffix));
    }

    /** Whether an object-created notification of this kind is sent for new objects ({@code s3:ObjectCreated:*}, {@code …:Put}…). */
    public boolean onObjectCreated() {
        return event == null || event.startsWith("s3:ObjectCreated:");
    }

    public String describeRules() {
        if (prefix == null && suffix == null) {
            return "every key";
        }
        return (prefix == null ? "" : "prefix '" + prefix + "'") + (prefix != null && suffix != null ? " and " : "")
                + (suffix == null ? "" : "suffix '" + suffix + "'");
    }
}
