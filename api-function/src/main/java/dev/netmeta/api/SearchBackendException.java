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

    public SearchBackendException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public SearchBackendException(Kind kind, String message) {
        this(kind, message, null);
    }

    public Kind kind() {
        return kind;
    }
}
