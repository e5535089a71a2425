package dev.netmeta.model;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Typed access to a function's environment (a {@code Map} so tests and the local runner can pass their own).
 * Blank values count as unset. Errors are {@link IllegalArgumentException}s naming the variable; values of
 * variables are never echoed, as some hold secrets.
 */
public final class Env {
    private final Map<String, String> values;

    public Env(Map<String, String> values) {
        this.values = Objects.requireNonNull(values, "environment map");
    }

    public static Env of(Map<String, String> values) {
        return new Env(values);
    }

    /** The value (trimmed), or {@code defaultValue} when unset or blank. */
    public String get(String name, String defaultValue) {
        String v = values.get(name);
        if (v == null || v.isBlank()) {
            return defaultValue;
        }
        return v.strip();
    }

    /** The value (trimmed). @throws IllegalArgumentException if unset or blank */
    public String require(String name) {
        String v = get(name, null);
        if (v == null) {
            throw new IllegalArgumentException("environment variable " + name + " is required but not set");
        }
        return v;
    }

    /** True when set and not blank. */
    public boolean has(String name) {
        return get(name, null) != null;
    }

    public int getInt(String name, int defaultValue) {
        long v = getLong(name, defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("environment variable " + name + " is out of the integer range");
        }
        return (int) v;
    }

    public long getLong(String name, long defaultValue) {
        String v = get(name, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment variable " + name + " must be a whole number");
        }
    }

    public double getDouble(String name, double defaultValue) {
        String v = get(name, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment variable " + name + " must be a number");
        }
    }

    /** {@code true/false}, {@code yes/no}, {@code on/off}, {@code 1/0}, any case. */
    public boolean getBool(String name, boolean defaultValue) {
        String v = get(name, null);
        if (v == null) {
            return defaultValue;
        }
        switch (v.toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
            case "1":
                return true;
            case "false":
            case "no":
            case "off":
            case "0":
                return false;
            default:
                throw new IllegalArgumentException("environment variable " + name
                        + " must be true or false (also yes/no, on/off, 1/0)");
        }
    }
}
