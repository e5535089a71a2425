package dev.netmeta.model;

/**
 * A value that cannot be normalised into its field (bad timestamp, bad IP, port out of range, ...).
 * Unchecked: the loader catches it per record and writes the record to the rejects object with
 * {@link #getMessage()} as the reason.
 */
public final class InvalidValueException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_SHOWN_VALUE = 200;

    private final String field;
    private final String value;
    private final String reason;

    public InvalidValueException(String field, String value, String reason) {
        super(message(field, value, reason), null, false, false);
        this.field = field;
        this.value = value;
        this.reason = reason;
    }

    /** The canonical field (or value kind, e.g. {@code "ip"}, when thrown outside a record) that was rejected. */
    public String field() {
        return field;
    }

    /** The raw value as received (may be {@code null}). */
    public String value() {
        return value;
    }

    /** The reason alone, without field and value. */
    public String reason() {
        return reason;
    }

    /** The same problem, attributed to a record field (used by {@link RecordMapper}). */
    public InvalidValueException forField(String fieldName) {
        return new InvalidValueException(fieldName, value, reason);
    }

    private static String message(String field, String value, String reason) {
        String shown;
        if (value == null) {
            shown = "null";
        } else if (value.length() > MAX_SHOWN_VALUE) {
            shown = "'" + value.substring(0, MAX_SHOWN_VALUE) + "…' (" + value.length() + " chars)";
        } else {
            shown = "'" + value + "'";
        }
        return field + ": " + reason + ", got " + shown;
    }
}
