package dev.netmeta.api;

import java.util.Locale;

/** How the hits are written: one JSON document (default), or an export as NDJSON or CSV. */
public enum OutputFormat {
    JSON("application/json; charset=utf-8"),
    NDJSON("application/x-ndjson; charset=utf-8"),
    CSV("text/csv; charset=utf-8");

    private final String contentType;

    OutputFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    public boolean isExport() {
        return this != JSON;
    }

    static OutputFormat parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid_parameter",
                    "format must be json, ndjson or csv, not '" + value + "'");
        }
    }
}
