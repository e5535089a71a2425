package dev.netmeta.sync;

/**
 * Last line of defence for the password: every message that leaves the function (log line, summary, exception)
 * passes through {@link #redact}, which replaces the password with {@code ****}.
 *
 * <p>A password of {@value #ANYWHERE_FROM} characters or more is replaced wherever it occurs. A shorter one is
 * replaced only where it stands on its own — not inside a longer run of letters and digits — because a short
 * password is also a piece of ordinary words: masking {@code p} everywhere turned {@code IOException} into
 * {@code IOExce****tion}, which garbles every message and shows the reader which letters were hidden.
 */
public final class Redactor {

    static final int ANYWHERE_FROM = 8;
    private static final String MASK = "****";

    private final SecretSource secret;

    public Redactor(SecretSource secret) {
        this.secret = secret;
    }

    public String redact(String message) {
        if (message == null) {
            return null;
        }
        String p = secret.ifFetched(); // not fetched yet → it cannot be in any message
        if (p == null || p.isEmpty()) {
            return message;
        }
        if (p.length() >= ANYWHERE_FROM) {
            return message.replace(p, MASK);
        }
        StringBuilder out = null;
        int copied = 0;
        for (int at = message.indexOf(p); at >= 0; at = message.indexOf(p, at + 1)) {
            int end = at + p.length();
            boolean glued = at > 0 && wordChar(message.charAt(at - 1)) && wordChar(p.charAt(0))
                    || end < message.length() && wordChar(message.charAt(end)) && wordChar(p.charAt(p.length() - 1));
            if (at < copied || glued) {
                continue; // overlaps the occurrence just masked, or is part of a longer word
            }
            if (out == null) {
                out = new StringBuilder(message.length());
            }
            out.append(message, copied, at).append(MASK);
            copied = end;
        }
        return out == null ? message : out.append(message, copied, message.length()).toString();
    }

    private static boolean wordChar(char c) {
        return Character.isLetterOrDigit(c);
    }

    /** A readable one-line reason for an exception: its class and message, with the causes' messages, redacted. */
    public String reason(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Throwable cur = t;
        int depth = 0;
        while (cur != null && depth < 4) {
            if (depth > 0) {
                sb.append(" <- ");
            }
            sb.append(cur.getClass().getSimpleName());
            if (cur.getMessage() != null) {
                sb.append(": ").append(cur.getMessage());
            }
            cur = cur.getCause() == cur ? null : cur.getCause();
            depth++;
        }
        return redact(sb.toString());
    }
}
