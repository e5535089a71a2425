package dev.netmeta.load;

/**
 * The retention could not delete every expired index (or not list them): thrown after the others were tried, so the
 * invocation fails and Lambda's {@code Errors} metric — the retention-errors alarm — shows it. The message says which
 * and why; the next run tries again.
 */
public final class RetentionFailedException extends RuntimeException {

    public RetentionFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
