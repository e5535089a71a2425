package dev.netmeta.api;

/** The search engine refused or failed a search. {@link Kind} decides the HTTP status. */
public class SearchBackendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the search failed. */
    public enum Kind {
        /** The engine rejected the query (syntax, a value that does not fit the field type, ...): 400. */
        BAD_QUERY,
        /** The engine cannot be reached, or answered 429/503: 503. */
        UNAVAILABLE,
        /** The engine did not answer in time, or stopped searching at its timeout: 504. */
        TIMEOUT,
        /** Anything else the engine reports: 502. */
        FAILED
    }

    private final Kind kind;
    /** What operators see in the request log in addition to the message (never sent to the caller), or null. */
    private final String detail;

    public SearchBackendException(Kind kind, String message, Throwable cause) {
        this(kind, message, null, cause);
    }

    /** @param detail for the request log only: e.g. the engine's reason for a 403, which names the role ARN */
    public SearchBackendException(Kind kind, String message, String detail, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.detail = detail;
    }

    public SearchBackendException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The log-only detail, or null. */
    public String detail() {
        return detail;
    }
}
