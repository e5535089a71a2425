package dev.netmeta.sync;

/**
 * Last line of defence for the password: every message that leaves the function (log line, summary, exception)
 * passes through {@link #redact}, which replaces any occurrence of the password with {@code ****}.
 */
public final class Redactor {

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
        return message.replace(p, "****");
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
