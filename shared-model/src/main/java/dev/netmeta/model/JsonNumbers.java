package dev.netmeta.model;

/**
 * How a decimal of a document is spelled in JSON: as JavaScript's {@code Number.prototype.toString} spells it —
 * plain from 10^-6 up to 10^21 ({@code 0.000586}, {@code 12345678.9}), E notation outside ({@code 1e-7},
 * {@code 1.5e+21}) — with the shortest digits that read back as the same double; the one difference is that a whole
 * double keeps {@code .0} ({@code 10000000.0}, where JavaScript writes {@code 10000000}).
 *
 * <p>Why: Java's {@code Double.toString} (Jackson's {@code writeNumber(double)}) switches to E notation below 10^-3
 * and from 10^7, so Zeek's {@code rtt} {@code 0.000586} came back as {@code 5.86E-4} and CICFlowMeter's
 * {@code Flow Bytes/s} {@code 12345678.9} as {@code 1.23456789E7}: the same number, but not the spelling of the file,
 * nor the one JavaScript and Python print. Why the {@code .0}: OpenSearch's dynamic mapping types a new column by
 * its first value's JSON token, and {@code 10000000} is a whole-number token (→ {@code long}), so a column of
 * decimals whose first value is whole would become a {@code long} column; {@code 10000000.0} keeps it {@code double}.
 * The value never changes: the text reads back as the very double it was written from ({@code -0.0} included).
 *
 * <p>The digits are {@code Double.toString}'s, the ones Jackson writes for every other double: from JDK 19 on
 * (the functions run on Java 21) the shortest that read back as the same double; Java 17 writes more digits than
 * needed for a few doubles ({@code 2e23} as {@code 1.9999999999999998E23}, JDK-4511638), still the same value.
 */
public final class JsonNumbers {

    private JsonNumbers() {
    }

    /**
     * Whether Java spells {@code d} in E notation, i.e. whether {@link #format} is worth calling: Jackson's
     * {@code writeNumber(double)} writes the others exactly as {@link #format} would. A cheap test for the hot path.
     */
    public static boolean needsFormat(double d) {
        double a = Math.abs(d);
        return a != 0 && (a < 1e-3 || a >= 1e7) && Double.isFinite(d);
    }

    /** The JSON text of a finite double, spelled as above (an infinite or NaN double as Java spells it). */
    public static String format(double d) {
        String java = Double.toString(d);
        int e = java.indexOf('E');
        if (e < 0 || !Double.isFinite(d)) {
            return java;
        }
        boolean negative = java.charAt(0) == '-';
        StringBuilder digits = new StringBuilder(20);
        for (int i = negative ? 1 : 0; i < e; i++) {
            char c = java.charAt(i);
            if (c != '.') {
                digits.append(c);
            }
        }
        while (digits.length() > 1 && digits.charAt(digits.length() - 1) == '0') {
            digits.setLength(digits.length() - 1);
        }
        int k = digits.length();
        // the value is 0.<digits> × 10^n, as ECMAScript's Number::toString names it
        int n = Integer.parseInt(java, e + 1, java.length(), 10) + 1;
        StringBuilder out = new StringBuilder(k + 26);
        if (negative) {
            out.append('-');
        }
        if (k <= n && n <= 21) {
            out.append(digits).append("0".repeat(n - k)).append(".0");
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(n - 1 < 0 ? '-' : '+').append(Math.abs(n - 1));
        }
        return out.toString();
    }
}
